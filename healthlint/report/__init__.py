"""Stage 6: report findings. One small emitter per format, all with the same signature."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from healthlint.model import Finding

FORMATS = ("text", "concise", "json", "sarif", "github", "rdjson", "gitlab")


@dataclass
class Report:
    findings: list[Finding]
    files_checked: int
    color: bool = False
    rules: list = field(default_factory=list)  # RuleInfo of every rule that ran, for SARIF
    texts: dict[str, str] = field(default_factory=dict)  # path -> source text, for fix regions
    unchecked: int = 0  # files and folders that could not be read or checked (each named on stderr)
    hidden: dict = field(default_factory=dict)  # Severity -> findings left out below --min-severity
    min_severity: str | None = None  # the level findings were shown from, when one was set
    # For the text and concise outputs only (the others are for tools):
    quiet: bool = False  # findings only: no summary
    statistics: bool = False  # a table of counts per rule instead of the findings
    sort: str = "position"  # "position" (file by file, line by line) or "severity" (errors first)


Emitter = Callable[[Report], str]


def readable_path(path: str) -> str:
    """A path as valid Unicode: bytes of a file name that are not UTF-8 (which Python keeps
    as lone surrogates) become U+FFFD, so every output can be written as UTF-8."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace") if _has_surrogate(path) else path


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def shown_path(path: str) -> str:
    """A path for a line of text: as it is, unless it holds a newline or another control
    character (or starts with a quote); then in double quotes with backslash escapes, so
    `PATH:LINE:COL:` stays one line."""
    path = readable_path(path)
    if not _CONTROL.search(path) and not path.startswith('"'):
        return path
    import json

    return json.dumps(path, ensure_ascii=False)


def emitter(name: str) -> Emitter:
    from importlib import import_module

    if name not in FORMATS:
        raise ValueError(f"unknown format '{name}'; use one of: {', '.join(FORMATS)}")
    return import_module(f"healthlint.report.{name}").emit
