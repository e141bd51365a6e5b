"""SARIF 2.1.0 for code-scanning dashboards: one run, every rule in the driver, fixes included.

Columns are Unicode code points (columnKind "unicodeCodePoints"), as in every healthlint output."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from healthlint import __version__
from healthlint.report.rdjson import position_in

_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _region(start, end, snippet: str | None = None) -> dict:
    region = {"startLine": start.line, "startColumn": start.column, "endLine": end.line, "endColumn": end.column}
    if snippet is not None:
        region["snippet"] = {"text": snippet}
    return region


def _uri(path: str) -> str:
    """A URI reference for a path, percent-encoded from the name's own bytes (spaces, '#',
    '%', newlines and bytes that are not UTF-8 too), as SARIF asks."""
    if Path(path).is_absolute():
        return Path(path).as_uri()
    return quote(os.fsencode(Path(path).as_posix()), safe="/")


def _rule(info) -> dict:
    help_text = "\n\n".join(part for part in (info.why, info.better and f"Write instead: {info.better}") if part) or info.summary
    return {
        "id": info.id,
        "name": "".join(part.capitalize() for part in info.id.replace("/", "-").split("-")),
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": " ".join((info.description or info.summary).split())},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": _LEVELS[info.severity.value], "enabled": info.enabled},
        "properties": {"kind": info.kind, "source": info.source},
    }


def emit(report) -> str:
    infos = {info.id: info for info in report.rules}
    for f in report.findings:  # findings from rules outside the run (e.g. unused-suppression)
        if f.rule not in infos:
            from healthlint.kinds.base import RuleInfo

            infos[f.rule] = RuleInfo(f.rule, "internal", f.severity, f.message.split(".")[0] + ".")
    ids = list(infos)
    results = []
    for f in report.findings:
        result = {
            "ruleId": f.rule,
            "ruleIndex": ids.index(f.rule),
            "level": _LEVELS[f.severity.value],
            "message": {"text": " ".join(f.message.split()) + (f" Suggestion: {' '.join(f.suggestion.split())}" if f.suggestion else "")},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(f.path)}, "region": _region(f.start, f.end, f.text)}}],
        }
        text = report.texts.get(f.path)
        if f.fix and text is not None:
            result["fixes"] = [
                {
                    "description": {"text": f.fix.description or "Apply the suggested change"},
                    "artifactChanges": [
                        {
                            "artifactLocation": {"uri": _uri(f.path)},
                            "replacements": [
                                {"deletedRegion": _region(position_in(text, e.start), position_in(text, e.end)), "insertedContent": {"text": e.replacement}}
                                for e in f.fix.edits
                            ],
                        }
                    ],
                }
            ]
        results.append(result)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "healthlint",
                        "version": __version__,
                        "informationUri": "https://pypi.org/project/healthlint/",
                        "rules": [_rule(infos[i]) for i in ids],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
