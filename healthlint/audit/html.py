"""report.html: the audit on one page, for people who do not read Parquet.

Self-contained and offline, like `healthlint report`'s page (whose stylesheet it shares): the
charts are inline SVG drawn here, there is no script, and the page loads nothing. Every text
from the documents is escaped.
"""

from __future__ import annotations

from html import escape
from importlib import resources
from urllib.parse import urlparse

GENERATOR = "healthlint audit"
POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
GROUPS_SHOWN = 25  # bars in a group's chart: the values with the most words
FINDINGS_SHOWN = 50  # findings listed under each of the worst documents

_CSS = """
.audit table.counts td.num, .audit table.counts th.num { text-align: right; }
svg .bar.claims { fill: #0b4f8a; }
svg .series { fill: none; stroke: #0b4f8a; stroke-width: 2; }
svg .point { fill: #0b4f8a; }
svg .axis { stroke: var(--line); }
section.audit-doc { border-top: 1px solid var(--line); margin-top: 1rem; }
section.audit-doc:target { background: #f6f6f6; }
ol.doc-findings li { margin: 0.3rem 0; }
"""

_WIDTH = 760
_LABEL = 260
_ROW = 22
_TOP = 10


def _shorten(text: str, width: int = 38) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def bar_chart(title: str, rows: list[tuple[str, float, str]]) -> str:
    """Horizontal bars, one per (label, value, tooltip); the value written beside each bar."""
    if not rows:
        return ""
    top = max(value for _, value, _ in rows) or 1.0
    plot = _WIDTH - _LABEL - 70
    height = _TOP + _ROW * len(rows) + 10
    parts = []
    for i, (label, value, tip) in enumerate(rows):
        y = _TOP + i * _ROW
        width = plot * value / top
        parts.append(
            f'<text class="label" x="{_LABEL - 8}" y="{y + 15}">{escape(_shorten(label))}</text>'
            f'<rect class="bar claims" x="{_LABEL}" y="{y + 3}" width="{width:.1f}" height="{_ROW - 6}"><title>{escape(tip)}</title></rect>'
            f'<text class="value" x="{_LABEL + width + 4:.1f}" y="{y + 15}">{value:,.2f}</text>'
        )
    return (
        f'<div class="chart"><svg class="audit-chart bars" role="img" viewBox="0 0 {_WIDTH} {height}" width="{_WIDTH}" height="{height}">'
        f"<title>{escape(title)}</title>{''.join(parts)}</svg></div>"
    )


def line_chart(title: str, points: list[tuple[str, float, str]]) -> str:
    """A line over time: one point per (month, value, tooltip), months in order."""
    if not points:
        return ""
    left, right, top_margin, plot_h = 70, 40, 16, 200
    width = max(_WIDTH, left + right + 40 * len(points))
    height = top_margin + plot_h + 40
    highest = max(v for _, v, _ in points) or 1.0
    step = (width - left - right) / max(1, len(points) - 1)

    def xy(i: int, value: float) -> tuple[float, float]:
        return left + (step * i if len(points) > 1 else (width - left - right) / 2), top_margin + plot_h * (1 - value / highest)

    coords = [xy(i, v) for i, (_, v, _) in enumerate(points)]
    parts = [
        f'<line class="axis" x1="{left}" y1="{top_margin + plot_h}" x2="{width - right}" y2="{top_margin + plot_h}"/>',
        f'<text class="label" x="{left - 8}" y="{top_margin + 4}">{highest:,.1f}</text>',
        f'<text class="label" x="{left - 8}" y="{top_margin + plot_h}">0</text>',
    ]
    if len(coords) > 1:
        parts.append('<polyline class="series" points="' + " ".join(f"{x:.1f},{y:.1f}" for x, y in coords) + '"/>')
    every = max(1, len(points) // 12)  # at most about twelve month labels
    for i, ((month, value, tip), (x, y)) in enumerate(zip(points, coords)):
        parts.append(f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="4"><title>{escape(tip)}</title></circle>')
        if i % every == 0:
            parts.append(f'<text class="tick" x="{x:.1f}" y="{top_margin + plot_h + 18}">{escape(month)}</text>')
    return (
        f'<div class="chart"><svg class="audit-chart line" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
        f"<title>{escape(title)}</title>{''.join(parts)}</svg></div>"
    )


def _n(value: int) -> str:
    return f"{value:,}"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _rules_section(summary: dict) -> str:
    claim_rules = set(summary["claim_rules"])
    rules = summary["rules"]
    bars = [
        (rule, info["per_10k_words"], f"{rule}: {info['findings']:,} findings, {info['per_10k_words']:,.2f} per 10,000 words")
        for rule, info in sorted(rules.items(), key=lambda kv: (-kv[1]["per_10k_words"], kv[0]))
        if rule in claim_rules
    ]
    rows = "".join(
        f'<tr><td><code>{escape(rule)}</code></td><td>{"claim" if rule in claim_rules else escape(info["kind"])}</td>'
        f'<td class="num">{_n(info["findings"])}</td><td class="num">{info["per_10k_words"]:,.2f}</td></tr>'
        for rule, info in sorted(rules.items(), key=lambda kv: (-kv[1]["findings"], kv[0]))
    )
    return (
        '<section id="rules"><h2>Claims per 10,000 words, by rule</h2>'
        + bar_chart("Claim findings per 10,000 words for each claim rule", bars)
        + '<table class="counts"><thead><tr><th>rule</th><th>kind</th><th class="num">findings</th>'
        f'<th class="num">per 10,000 words</th></tr></thead><tbody>{rows}</tbody></table></section>'
    )


def _group_section(name: str, entries: list[dict]) -> str:
    shown = entries[:GROUPS_SHOWN]
    bars = [
        (e["value"], e["claims_per_10k_words"], f"{e['value']}: {e['claim_findings']:,} claims in {e['words']:,} words ({e['documents']:,} documents)")
        for e in shown
    ]
    more = f"<p>The {len(shown)} with the most words of {len(entries):,} are shown; summary.json has them all.</p>" if len(entries) > len(shown) else ""
    rows = "".join(
        f'<tr><td>{escape(e["value"])}</td><td class="num">{_n(e["documents"])}</td><td class="num">{_n(e["words"])}</td>'
        f'<td class="num">{_n(e["claim_findings"])}</td><td class="num">{e["claims_per_10k_words"]:,.2f}</td></tr>'
        for e in shown
    )
    return (
        f'<section class="group" id="group-{escape(name)}"><h2>Claims per 10,000 words, by {escape(name)}</h2>'
        + bar_chart(f"Claim findings per 10,000 words for each {name}", bars)
        + more
        + f'<table class="counts"><thead><tr><th>{escape(name)}</th><th class="num">documents</th><th class="num">words</th>'
        f'<th class="num">claims</th><th class="num">per 10,000 words</th></tr></thead><tbody>{rows}</tbody></table></section>'
    )


def _time_section(over_time: dict) -> str:
    months = over_time["months"]
    points = [(m["month"], m["claims_per_10k_words"], f"{m['month']}: {m['claim_findings']:,} claims in {m['words']:,} words") for m in months]
    return (
        f'<section id="over-time"><h2>Claims per 10,000 words, month by month ({escape(over_time["column"])})</h2>'
        + (line_chart("Claim findings per 10,000 words each month", points) if points else "<p>No row has a date that could be read.</p>")
        + "</section>"
    )


def _link(doc_id: str) -> str:
    """The document's name, linked to the page itself when it is a web address."""
    if urlparse(doc_id).scheme in ("http", "https"):
        return f'<a href="{escape(doc_id)}" rel="noreferrer">{escape(doc_id)}</a>'
    return f"<code>{escape(doc_id)}</code>"


def _worst_section(summary: dict, group_names: tuple[str, ...], findings_of: dict[str, list[dict]]) -> str:
    worst = summary["most_claims"]
    if not worst:
        return '<section id="worst"><h2>Documents with the most claims</h2><p>No document has a claim finding.</p></section>'
    head = "".join(f"<th>{escape(g)}</th>" for g in group_names)
    rows = "".join(
        f'<tr><td class="num">{i + 1}</td><td><a href="#doc-{i + 1}">{escape(_shorten(d["doc_id"], 70))}</a></td>'
        + "".join(f"<td>{escape(d[g] or '')}</td>" for g in group_names)
        + f'<td class="num">{_n(d["claim_findings"])}</td><td class="num">{_n(d["words"])}</td><td class="num">{d["claims_per_10k_words"]:,.2f}</td></tr>'
        for i, d in enumerate(worst)
    )
    sections = []
    for i, d in enumerate(worst):
        listed = findings_of.get(d["doc_id"], [])
        items = "".join(
            f'<li class="sev-{escape(f["severity"])}"><span class="badge sev-{escape(f["severity"])}">{escape(f["severity"])}</span> '
            f'line {f["line"]}, column {f["column"]}: <code>{escape(f["rule"])}</code> <span class="words">"{escape(f["text"])}"</span>'
            f"<p>{escape(f['message'])}</p></li>"
            for f in listed[:FINDINGS_SHOWN]
        )
        more = f"<p>{len(listed) - FINDINGS_SHOWN:,} more claims are in findings.parquet.</p>" if len(listed) > FINDINGS_SHOWN else ""
        sections.append(
            f'<section class="audit-doc" id="doc-{i + 1}"><h3>{i + 1}. {_link(d["doc_id"])}</h3>'
            f"<p>{_plural(d['claim_findings'], 'claim')} and {_plural(d['findings'], 'finding')} in all, in {_plural(d['words'], 'word')}.</p>"
            f'<ol class="doc-findings">{items}</ol>{more}<p><a href="#worst">Back to the list</a></p></section>'
        )
    return (
        '<section id="worst"><h2>Documents with the most claims</h2>'
        f'<table class="counts"><thead><tr><th class="num">#</th><th>document</th>{head}<th class="num">claims</th>'
        f'<th class="num">words</th><th class="num">per 10,000 words</th></tr></thead><tbody>{rows}</tbody></table>'
        + "".join(sections)
        + "</section>"
    )


def _errors_section(summary: dict) -> str:
    if not summary["documents_failed"]:
        return ""
    items = "".join(f"<li><code>{escape(e['doc_id'])}</code>: {escape(e['error'])}</li>" for e in summary["errors"])
    more = " The first ones are listed; errors.parquet has them all." if summary["documents_failed"] > len(summary["errors"]) else ""
    return (
        f'<section id="errors"><h2>Documents that could not be checked</h2><p>{_plural(summary["documents_failed"], "document")} '
        f"could not be checked, and are not counted above.{more}</p><ul>{items}</ul></section>"
    )


def render(summary: dict, group_names: tuple[str, ...], worst_findings: list[dict], title: str) -> str:
    """The page. ``worst_findings``: the claim findings of the documents in summary["most_claims"]."""
    findings_of: dict[str, list[dict]] = {}
    for f in worst_findings:
        findings_of.setdefault(f["doc_id"], []).append(f)
    css = resources.files("healthlint.report.html").joinpath("report.css").read_text(encoding="utf-8") + _CSS
    lead = (
        f"{_plural(summary['documents_checked'], 'document')} checked ({_plural(summary['words'], 'word')}): "
        f"{_plural(summary['claim_findings'], 'claim')} to review, {summary['claims_per_10k_words']:,.2f} per 10,000 words, "
        f"and {_plural(summary['findings'], 'finding')} in all."
    )
    body = [_rules_section(summary)]
    body += [_group_section(name, entries) for name, entries in summary["groups"].items()]
    if "over_time" in summary:
        body.append(_time_section(summary["over_time"]))
    body.append(_worst_section(summary, group_names, findings_of))
    body.append(_errors_section(summary))
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><meta name="generator" content="{GENERATOR}">'
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">'
        f"<title>{escape(title)}</title><style>{css}</style></head><body class=\"audit\">"
        f'<header><h1>{escape(title)}</h1><p class="summary">{escape(lead)}</p>'
        "<p>A claim is a finding of a claim rule: an unhedged safety or efficacy claim, natural-means-safe, "
        "opioid substitution, or a claim without a citation. Densities are claims per 10,000 words of the prose "
        "that was checked, so long and short documents compare fairly. Every finding is in findings.parquet.</p></header>"
        f"<main>{''.join(body)}</main></body></html>\n"
    )
