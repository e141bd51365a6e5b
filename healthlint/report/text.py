"""Text: `PATH:LINE:COL: SEVERITY RULE message`, the suggestion indented below, a summary.

The first line of each finding is the shape editors' errorformats and problem matchers read
(vim: `%f:%l:%c: %m`). The concise format (healthlint.report.concise) is the same lines without
the suggestions."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from healthlint.model import Finding, Severity
from healthlint.report import shown_path

_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}
_MOST_SERIOUS_FIRST = (Severity.ERROR, Severity.WARNING, Severity.INFO)

# A suggestion this long, repeated in one file, is printed in full once and pointed back to after.
LONG_SUGGESTION = 60


def _style(text: str, color: bool, **kw) -> str:
    if not color:
        return text
    import click

    return click.style(text, **kw)


@lru_cache(maxsize=4096)  # a file's findings repeat a few messages and suggestions many times
def _one_line(text: str) -> str:
    return " ".join(text.split())


def sorted_for_reading(findings: list[Finding], order: str) -> list[Finding]:
    """``position``: as found (file by file, top to bottom); ``severity``: errors first, then
    warnings, then infos, each in the order found."""
    if order == "severity":
        return sorted(findings, key=lambda f: -f.severity.rank)
    return list(findings)


def emit(report) -> str:
    return render(report, suggestions=True)


def render(report, *, suggestions: bool) -> str:
    """The text output; without ``suggestions``, one line per finding (the concise format)."""
    findings = sorted_for_reading(report.findings, report.sort)
    if report.statistics:
        from healthlint.report.statistics import table

        lines = table(findings)
    else:
        lines = finding_lines(findings, report.color, suggestions)
    if not report.quiet:
        if not report.statistics and len({f.rule for f in findings}) > 1:
            lines.append(by_rule(findings))
        lines.append(summary(findings, report.files_checked, report.unchecked, report.hidden, report.min_severity))
    return "\n".join(lines) + ("\n" if lines else "")


def finding_lines(findings: list[Finding], color: bool, suggestions: bool) -> list[str]:
    lines = []
    first_seen: dict[tuple[str, str], int] = {}  # (path, suggestion) -> the line it was first printed for
    paths: dict[str, str] = {}  # each file's path as shown, worked out once
    for f in findings:
        path = paths.get(f.path)
        if path is None:
            path = paths[f.path] = shown_path(f.path)
        where = _style(f"{path}:{f.start.line}:{f.start.column}:", color, bold=True)
        severity = _style(f.severity.value, color, fg=_COLORS[f.severity], bold=True)
        rule = _style(f.rule, color, dim=True)
        lines.append(f"{where} {severity} {rule} {_one_line(f.message)}")
        if not (suggestions and f.suggestion):
            continue
        text = _one_line(f.suggestion)
        if len(text) < LONG_SUGGESTION:
            lines.append(f"    suggestion: {text}")
            continue
        key = (f.path, text)
        if key in first_seen:
            lines.append(f"    same suggestion as line {first_seen[key]}")
        else:
            first_seen[key] = f.start.line
            lines.append(f"    suggestion: {text}")
    return lines


def by_rule(findings: list[Finding]) -> str:
    """"By rule: long-sentence 12, plain-language 10, ...": most findings first."""
    counts = Counter(f.rule for f in findings)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return "By rule: " + ", ".join(f"{rule} {count}" for rule, count in ordered) + "."


def _counted(counts: Counter, severities=_MOST_SERIOUS_FIRST) -> str:
    return ", ".join(f"{counts[s]} {s.value}" + ("" if counts[s] == 1 else "s") for s in severities if counts[s])


def summary(findings: list[Finding], files_checked: int, unchecked: int = 0, hidden: dict | None = None, min_severity: str | None = None) -> str:
    """The last line. When something could not be checked it never reads as a clean run: it
    says how many, and that the messages above name them. Findings left out by a minimum
    severity are counted, so a clean-looking run says what it did not show."""
    files = f"{files_checked} file" + ("" if files_checked == 1 else "s")
    missed = f"; {unchecked} could not be checked (see the messages above)" if unchecked else ""
    hidden_counts = Counter({s: n for s, n in (hidden or {}).items() if n})
    not_shown = f"; {_counted(hidden_counts)} not shown (below min-severity {min_severity})" if hidden_counts else ""
    if not findings:
        if unchecked:
            return f"Checked {files} without finding problems{missed}{not_shown}."
        if hidden_counts:
            return f"No problems at {min_severity} or above in {files}{not_shown}."
        return f"No problems found in {files}."
    counts = Counter(f.severity for f in findings)
    flagged = len({f.path for f in findings})
    noun = "problem" if len(findings) == 1 else "problems"
    return f"Found {len(findings)} {noun} ({_counted(counts)}) in {flagged} of {files}{missed}{not_shown}."
