"""Inline SVG charts of reading grade against the audience's target. Every label is escaped."""

from __future__ import annotations

import math
from html import escape

from healthlint.readability import SectionGrade
from healthlint.report.readability import MIN_WORDS_TO_SCORE, Target, section_name

_WIDTH = 760
_LABEL = 300  # room for the section names, left of the bars
_ROW = 22
_TOP = 28


def _scale_max(grades: list[float], target: Target) -> float:
    highest = max([*grades, target.grade or 0.0, 12.0])
    return float(math.ceil(highest / 2) * 2)  # an even grade, so the axis ends on a tick


def _shorten(text: str, width: int = 44) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def _target_line(x: float, bottom: float, target: Target, label_y: float) -> str:
    return (
        f'<line class="target" x1="{x:.1f}" y1="{label_y + 4:.1f}" x2="{x:.1f}" y2="{bottom:.1f}"/>'
        f'<text class="target-label" x="{x + 4:.1f}" y="{label_y:.1f}">target: grade {target.grade:g}</text>'
    )


def section_chart(sections: list[SectionGrade], target: Target, title: str) -> str:
    """One bar per section: its Flesch-Kincaid grade, with the target as a line. A section too
    short to score has a row that says so instead of a bar."""
    if not sections:
        return ""
    scored = [s.grade for s in sections if s.words >= MIN_WORDS_TO_SCORE]
    top_grade = _scale_max(scored, target)
    plot = _WIDTH - _LABEL - 50
    height = _TOP + _ROW * len(sections) + 24

    def x_of(grade: float) -> float:
        return _LABEL + plot * max(0.0, min(grade, top_grade)) / top_grade

    rows = []
    above = 0
    for i, section in enumerate(sections):
        y = _TOP + i * _ROW
        name = escape(_shorten(section_name(section.heading, section.line)))
        rows.append(f'<text class="label" x="{_LABEL - 8}" y="{y + 15}">{name}</text>')
        if section.words < MIN_WORDS_TO_SCORE:
            rows.append(f'<text class="short" x="{_LABEL + 4}" y="{y + 15}">too short to score ({section.words} words)</text>')
            continue
        is_above = target.grade is not None and section.grade > target.grade
        above += is_above
        kind = "above" if is_above else "meets"
        width = x_of(section.grade) - _LABEL
        rows.append(
            f'<rect class="bar {kind}" x="{_LABEL}" y="{y + 3}" width="{width:.1f}" height="{_ROW - 6}">'
            f"<title>{name}: grade {section.grade:.1f}, {section.words} words</title></rect>"
            f'<text class="value" x="{_LABEL + width + 4:.1f}" y="{y + 15}">{section.grade:.1f}</text>'
        )
    bottom = _TOP + _ROW * len(sections)
    axis = "".join(
        f'<text class="tick" x="{x_of(g):.1f}" y="{bottom + 16}">{g}</text>' for g in range(0, int(top_grade) + 1, 2)
    )
    line = _target_line(x_of(target.grade), bottom, target, _TOP - 10) if target.grade is not None else ""
    summary = f"{title}: {len(scored)} sections scored, {above} above the target" if target.grade is not None else f"{title}: {len(scored)} sections scored"
    return (
        f'<svg class="grade-chart" role="img" viewBox="0 0 {_WIDTH} {height}" width="{_WIDTH}" height="{height}">'
        f"<title>{escape(summary)}</title>{''.join(rows)}{axis}{line}</svg>"
    )


def grade_histogram(sections: list[SectionGrade], target: Target) -> str:
    """For a folder: how many sections read at each grade (grade 20 and over in one bar), the
    bars above the target marked, and the target as a line."""
    scored = [s.grade for s in sections if s.words >= MIN_WORDS_TO_SCORE]
    if not scored:
        return ""
    top = 20
    buckets = [0] * (top + 1)  # grade 0 (and below) ... grade 20 and over
    for grade in scored:
        buckets[max(0, min(top, math.floor(grade)))] += 1
    highest = max(buckets)
    plot_h, bar_w, left, top_margin = 180, 30, 50, 48  # room above the bars for the target's label
    width = left + bar_w * len(buckets) + 20
    height = top_margin + plot_h + 44
    bars = []
    for grade, n in enumerate(buckets):
        x = left + grade * bar_w
        h = plot_h * n / highest
        y = top_margin + plot_h - h
        kind = "above" if target.grade is not None and grade >= target.grade else "meets"
        label = f"grade {grade}" + (" and over" if grade == top else "")
        if n:
            bars.append(
                f'<rect class="bar {kind}" x="{x + 2}" y="{y:.1f}" width="{bar_w - 4}" height="{h:.1f}">'
                f"<title>{label}: {n} section{'' if n == 1 else 's'}</title></rect>"
                f'<text class="count" x="{x + bar_w / 2}" y="{y - 3:.1f}">{n}</text>'
            )
        if grade % 2 == 0:
            bars.append(f'<text class="tick" x="{x + bar_w / 2}" y="{top_margin + plot_h + 16}">{grade}{"+" if grade == top else ""}</text>')
    bars.append(f'<text class="axis-label" x="{left + bar_w * len(buckets) / 2}" y="{height - 6}">reading grade (Flesch-Kincaid)</text>')
    line = ""
    if target.grade is not None:
        x = left + target.grade * bar_w
        line = _target_line(x, top_margin + plot_h, target, 14)
    above = sum(1 for g in scored if target.grade is not None and g > target.grade)
    summary = f"Reading grade of {len(scored)} sections; {above} above the target" if target.grade is not None else f"Reading grade of {len(scored)} sections"
    return (
        f'<svg class="grade-histogram" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
        f"<title>{escape(summary)}</title>{''.join(bars)}{line}</svg>"
    )
