"""JSON: an array of findings. Other tools read this shape; keep it stable.

Positions are 1-based; columns count characters. end_line/end_column point just past the
last flagged character (as in LSP and ruff), so "safe" at column 5 ends at column 9.
A finding of the learned model (--model) also has "model_score": its score for the rule, 0 to 1.
"""

from __future__ import annotations

import json

from healthlint.model import Finding
from healthlint.report import readable_path


def as_dict(f: Finding) -> dict:
    row = {
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
    if f.model_score is not None:  # only from the learned model (--model): the shape is otherwise unchanged
        row["model_score"] = f.model_score
    return row


def emit(report) -> str:
    findings = report.findings
    return json.dumps([as_dict(f) for f in findings], indent=2, ensure_ascii=False) + "\n"
