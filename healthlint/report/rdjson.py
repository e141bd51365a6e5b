"""reviewdog's Diagnostic Format (rdjson), with suggestions reviewdog can post as changes."""

from __future__ import annotations

import json

from healthlint import __version__
from healthlint.report import readable_path

_SEVERITY = {"error": "ERROR", "warning": "WARNING", "info": "INFO"}


def _range(start, end) -> dict:
    return {"start": {"line": start.line, "column": start.column}, "end": {"line": end.line, "column": end.column}}


def position_in(text: str, offset: int):
    """The 1-based line and column (in code points) of a character offset into ``text``."""
    from healthlint.model import Position

    line = text.count("\n", 0, offset) + 1
    return Position(line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def emit(report) -> str:
    diagnostics = []
    for f in report.findings:
        path = readable_path(f.path)
        d = {
            "message": " ".join(f.message.split()),
            "location": {"path": path, "range": _range(f.start, f.end)},
            "severity": _SEVERITY[f.severity.value],
            "source": {"name": "healthlint"},
            "code": {"value": f.rule},
            "original_output": f"{path}:{f.start.line}:{f.start.column}: {f.severity.value} {f.rule} {f.message}",
        }
        text = report.texts.get(f.path)
        if f.fix and text is not None:
            d["suggestions"] = [
                {"range": _range(position_in(text, e.start), position_in(text, e.end)), "text": e.replacement} for e in f.fix.edits
            ]
        diagnostics.append(d)
    data = {"source": {"name": "healthlint", "url": "https://pypi.org/project/healthlint/"}, "severity": "WARNING", "diagnostics": diagnostics}
    data["source"]["version"] = __version__
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
