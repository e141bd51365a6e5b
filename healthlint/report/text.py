"""Text: `PATH:LINE:COL: SEVERITY RULE message`, the suggestion indented below, a summary.

The first line of each finding is the shape editors' errorformats and problem matchers read
(vim: `%f:%l:%c: %m`)."""

from __future__ import annotations

from collections import Counter

from healthlint.model import Finding, Severity
from healthlint.report import shown_path

_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def _style(text: str, color: bool, **kw) -> str:
    if not color:
        return text
    import click

    return click.style(text, **kw)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def emit(report) -> str:
    findings, files_checked, color = report.findings, report.files_checked, report.color
    lines = []
    for f in findings:
        where = _style(f"{shown_path(f.path)}:{f.start.line}:{f.start.column}:", color, bold=True)
        severity = _style(f.severity.value, color, fg=_COLORS[f.severity], bold=True)
        rule = _style(f.rule, color, dim=True)
        lines.append(f"{where} {severity} {rule} {_one_line(f.message)}")
        if f.suggestion:
            lines.append(f"    suggestion: {_one_line(f.suggestion)}")
    lines.append(summary(findings, files_checked, report.unchecked))
    return "\n".join(lines) + "\n"


def summary(findings: list[Finding], files_checked: int, unchecked: int = 0) -> str:
    """The last line. When something could not be checked it never reads as a clean run: it
    says how many, and that the messages above name them."""
    files = f"{files_checked} file" + ("" if files_checked == 1 else "s")
    missed = f"; {unchecked} could not be checked (see the messages above)" if unchecked else ""
    if not findings:
        if unchecked:
            return f"Checked {files} without finding problems{missed}."
        return f"No problems found in {files}."
    counts = Counter(f.severity for f in findings)
    parts = [
        f"{counts[s]} {s.value}" + ("" if counts[s] == 1 else "s")
        for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        if counts[s]
    ]
    flagged = len({f.path for f in findings})
    noun = "problem" if len(findings) == 1 else "problems"
    return f"Found {len(findings)} {noun} ({', '.join(parts)}) in {flagged} of {files}{missed}."
