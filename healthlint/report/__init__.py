"""Stage 6: report findings. One small emitter per format, all with the same signature."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from healthlint.model import Finding

FORMATS = ("text", "json", "sarif", "github", "rdjson")


@dataclass
class Report:
    findings: list[Finding]
    files_checked: int
    color: bool = False
    rules: list = field(default_factory=list)  # RuleInfo of every rule that ran, for SARIF
    texts: dict[str, str] = field(default_factory=dict)  # path -> source text, for fix regions


Emitter = Callable[[Report], str]


def emitter(name: str) -> Emitter:
    from importlib import import_module

    if name not in FORMATS:
        raise ValueError(f"unknown format '{name}'; use one of: {', '.join(FORMATS)}")
    return import_module(f"healthlint.report.{name}").emit
