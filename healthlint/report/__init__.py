"""Stage 6: report findings. One small emitter per format, all with the same signature."""

from __future__ import annotations

from collections.abc import Callable

from healthlint.model import Finding

Emitter = Callable[[list[Finding], int, bool], str]


def emitter(name: str) -> Emitter:
    if name == "json":
        from healthlint.report.json import emit
    else:
        from healthlint.report.text import emit
    return emit


FORMATS = ("text", "json")
