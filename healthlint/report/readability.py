"""Readability reports: a table for people, JSON for tools."""

from __future__ import annotations

import json

from healthlint.readability import METRICS, DocumentReadability, Measures

_COLUMNS = [(heading, key) for key, heading, _, _ in METRICS]


def _row(name: str, m: Measures | None) -> list[str]:
    if m is None:
        return [name] + ["-"] * (len(_COLUMNS) + 4)
    return (
        [name]
        + [f"{m.values[key]:.1f}" for _, key in _COLUMNS]
        + [str(m.words), str(m.sentences), f"{m.words_per_sentence:.1f}", f"{m.long_word_share:.0%}"]
    )


def _shorten(text: str, width: int = 44) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def table(reports: list[DocumentReadability]) -> str:
    header = ["section"] + [h for h, _ in _COLUMNS] + ["words", "sentences", "words/sentence", "long words"]
    out = []
    for report in reports:
        rows = [header, _row("whole document", report.measures)]
        for section in report.sections:
            name = f"line {section.line}: {section.heading}" if section.heading else f"line {section.line}: (before the first heading)"
            rows.append(_row("  " + _shorten(name), section.measures))
        widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
        out.append(report.path)
        for r in rows:
            out.append("  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(r)).rstrip())
        out.append("")
    out.append("FK, SMOG, Fog, CLI: US school grade. Ease: 0-100, higher is easier. D-C: Dale-Chall, 7 or under is easy.")
    out.append("Long words have three or more syllables.")
    return "\n".join(out) + "\n"


def as_json(reports: list[DocumentReadability]) -> str:
    data = [
        {
            "path": r.path,
            **(r.measures.as_dict() if r.measures else {}),
            "sections": [
                {"heading": s.heading, "line": s.line, **(s.measures.as_dict() if s.measures else {})}
                for s in r.sections
            ],
        }
        for r in reports
    ]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
