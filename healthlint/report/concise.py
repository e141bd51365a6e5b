"""Concise: one line per finding, `PATH:LINE:COL: SEVERITY RULE message`, and the summary."""

from __future__ import annotations

from healthlint.report.text import render


def emit(report) -> str:
    return render(report, suggestions=False)
