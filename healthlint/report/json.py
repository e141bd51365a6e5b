"""JSON: an array of findings. Other tools read this shape; keep it stable.

Positions are 1-based; columns count characters. end_line/end_column point just past the
last flagged character (as in LSP and ruff), so "safe" at column 5 ends at column 9.
"""

from __future__ import annotations

import json

from healthlint.model import Finding
from healthlint.report import readable_path


def as_dict(f: Finding) -> dict:
    return {
        "path": readable_path(f.path),  # undecodable bytes of a file name as U+FFFD: valid UTF-8
        "line": f.start.line,
        "column": f.start.column,
        "end_line": f.end.line,
        "end_column": f.end.column,
        "rule": f.rule,
        "severity": f.severity.value,
        "message": f.message,
        "suggestion": f.suggestion,
        "text": f.text,
    }


def emit(report) -> str:
    findings = report.findings
    return json.dumps([as_dict(f) for f in findings], indent=2, ensure_ascii=False) + "\n"
