"""Readability reports: a table for people, JSON for tools. Each document and section is
judged against the audience's target grade (Flesch-Kincaid, as the reading-level rule judges)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from healthlint.readability import METRICS, DocumentReadability, Measures

_COLUMNS = [(heading, key) for key, heading, _, _ in METRICS]

# The formulas need some running text: on a few words they give nonsense (a one-word section
# scores Coleman-Liau -10.6). Under this many words a document or section is not scored.
MIN_WORDS_TO_SCORE = 30

FORMATS = ("text", "json")

MEETS, ABOVE, NO_TARGET, TOO_SHORT, NO_PROSE = "meets target", "above target", "no target", "too short to score", "no prose"


@dataclass(frozen=True)
class Target:
    """The grade an audience's copy should read at or below; None when it has none."""

    audience: str
    grade: float | None

    def describe(self) -> str:
        if self.grade is None:
            return f"none for {self.audience} copy"
        return f"grade {self.grade:g} or below (Flesch-Kincaid) for {self.audience} copy"


def is_scored(m: Measures | None) -> bool:
    return m is not None and m.words >= MIN_WORDS_TO_SCORE


def verdict(m: Measures | None, target: Target) -> str:
    """How a document or section stands against the target, in words a writer reads."""
    if m is None:
        return NO_PROSE
    if m.words < MIN_WORDS_TO_SCORE:
        return TOO_SHORT
    if target.grade is None:
        return NO_TARGET
    return MEETS if m.values["flesch_kincaid_grade"] <= target.grade else ABOVE


def _row(name: str, m: Measures | None, target: Target) -> list[str]:
    result = verdict(m, target)
    if not is_scored(m):
        words = str(m.words) if m is not None else "-"
        return [name] + ["-"] * len(_COLUMNS) + [words, "-", "-", "-", result]
    return (
        [name]
        + [f"{m.values[key]:.1f}" for _, key in _COLUMNS]
        + [str(m.words), str(m.sentences), f"{m.words_per_sentence:.1f}", f"{m.long_word_share:.0%}", result]
    )


def _shorten(text: str, width: int = 44) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def section_name(heading: str | None, line: int) -> str:
    return f"line {line}: {heading}" if heading else f"line {line}: (before the first heading)"


def table(reports: list[DocumentReadability], target: Target) -> str:
    header = ["section"] + [h for h, _ in _COLUMNS] + ["words", "sentences", "words/sentence", "long words", "result"]
    out = []
    for report in reports:
        rows = [header, _row("whole document", report.measures, target)]
        for section in report.sections:
            rows.append(_row("  " + _shorten(section_name(section.heading, section.line)), section.measures, target))
        widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
        out.append(report.path)
        for r in rows:
            cells = [cell.ljust(widths[i]) if i in (0, len(header) - 1) else cell.rjust(widths[i]) for i, cell in enumerate(r)]
            out.append("  ".join(cells).rstrip())
        out.append("")
    out.append(f"Target: {target.describe()}; choose the audience with --audience.")
    out.append(f"A document or section of fewer than {MIN_WORDS_TO_SCORE} words is too short to score.")
    out.append("FK, SMOG, Fog, CLI: US school grade. Ease: 0-100, higher is easier. D-C: Dale-Chall, 7 or under is easy.")
    out.append("Long words have three or more syllables.")
    return "\n".join(out) + "\n"


def _measured(m: Measures | None, target: Target) -> dict:
    if not is_scored(m):
        return {"words": m.words if m is not None else 0, "result": verdict(m, target)}
    return {**m.as_dict(), "result": verdict(m, target)}


def as_json(reports: list[DocumentReadability], target: Target) -> str:
    data = [
        {
            "path": r.path,
            "audience": target.audience,
            "target_grade": target.grade,
            **_measured(r.measures, target),
            "sections": [{"heading": s.heading, "line": s.line, **_measured(s.measures, target)} for s in r.sections],
        }
        for r in reports
    ]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
