"""The report page: static HTML for the overview, filters and each file's heading, and the
copy with its findings as JSON that the page's script turns into highlights when a file is
opened (so a folder of hundreds of files opens quickly). Everything is inline: no network."""

from __future__ import annotations

import json
from collections import Counter
from html import escape
from importlib import resources
from pathlib import Path

from healthlint.model import Finding, Severity
from healthlint.report import readable_path
from healthlint.report.html.chart import grade_histogram, section_chart
from healthlint.report.html.documents import DocumentReport, utf16_offsets
from healthlint.report.readability import MIN_WORDS_TO_SCORE, Target

GENERATOR = "healthlint report"  # in the page's <meta name="generator">: how a rerun knows its own file
_MARK = f'<meta name="generator" content="{GENERATOR}">'
_SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)  # most serious first
_OPEN_AT_MOST = 1  # files shown open when the page loads: a folder's files start collapsed
# No network: the page may load nothing, and runs only its own inline script and styles.
_POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


_HEAD = 4096  # the mark is in the page's first few hundred characters


def is_healthlint_report(path: Path) -> bool:
    """Did healthlint write this file (its generator mark near the top)?"""
    try:
        with open(path, "rb") as handle:
            head = handle.read(_HEAD)
    except OSError:
        return False
    return _MARK.encode() in head


def written_by_healthlint(text: str) -> bool:
    """Is this text a report healthlint wrote?"""
    return _MARK in text[:_HEAD]


def _asset(name: str) -> str:
    return resources.files("healthlint.report.html").joinpath(name).read_text(encoding="utf-8")


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _severity_counts(findings: list[Finding]) -> str:
    counts = Counter(f.severity for f in findings)
    parts = [_plural(counts[s], s.value) for s in _SEVERITIES if counts[s]]
    return ", ".join(parts) if parts else "no problems"


def _script_json(data: object) -> str:
    """JSON safe inside <script>: no '</script>' or '<!--' can end or change the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class _Strings:
    """Messages and suggestions repeat across a folder; each is stored once and named by index."""

    def __init__(self) -> None:
        self.values: list[str] = []
        self._index: dict[str, int] = {}

    def of(self, text: str | None) -> int:
        if text is None:
            return -1
        index = self._index.get(text)
        if index is None:
            index = self._index[text] = len(self.values)
            self.values.append(text)
        return index


def _file_data(doc: DocumentReport, rules: dict[str, int], strings: _Strings, target: Target) -> dict:
    to_js = utf16_offsets(doc.text)
    findings = [
        [
            to_js(f.span[0]),
            to_js(f.span[1]),
            _SEVERITIES.index(f.severity),
            rules[f.rule],
            f.start.line,
            f.start.column,
            strings.of(f.message),
            strings.of(f.suggestion),
        ]
        for f in doc.findings
    ]
    return {"text": doc.text, "findings": findings, "chart": section_chart(doc.sections, target, f"Reading grade per section of {readable_path(doc.path)}")}


def _filters(findings: list[Finding]) -> str:
    by_severity = Counter(f.severity for f in findings)
    by_rule = Counter(f.rule for f in findings)
    severities = "".join(
        f'<label class="sev-{s.value}"><input type="checkbox" checked data-filter-severity="{s.value}"> '
        f'<span class="badge">{s.value}</span> {by_severity[s]:,}</label>'
        for s in _SEVERITIES
    )
    rules = "".join(
        f'<label><input type="checkbox" checked data-filter-rule="{escape(rule)}"> <code>{escape(rule)}</code> {n:,}</label>'
        for rule, n in sorted(by_rule.items(), key=lambda item: (-item[1], item[0]))
    )
    return (
        '<section class="filters" aria-label="Filters">'
        f'<fieldset><legend>Severity</legend>{severities}</fieldset>'
        f'<fieldset><legend>Rules</legend>{rules or "<p>No findings.</p>"}</fieldset>'
        '<fieldset><legend>Files</legend>'
        '<label><input type="checkbox" id="hide-empty"> Hide files with no problems shown</label>'
        '<button type="button" id="open-all">Open all files</button> <button type="button" id="close-all">Close all files</button>'
        "</fieldset></section>"
    )


def _overview(documents: list[DocumentReport], findings: list[Finding], rule_summaries: dict[str, str], target: Target) -> str:
    by_rule = Counter(f.rule for f in findings)
    files_by_rule = Counter(rule for doc in documents for rule in {f.rule for f in doc.findings})
    severity_of = {f.rule: f.severity for f in findings}
    rule_rows = "".join(
        f'<tr><td><code>{escape(rule)}</code></td><td><span class="badge sev-{severity_of[rule].value}">{severity_of[rule].value}</span></td>'
        f'<td class="num">{n:,}</td><td class="num">{files_by_rule[rule]:,}</td><td>{escape(rule_summaries.get(rule, ""))}</td></tr>'
        for rule, n in sorted(by_rule.items(), key=lambda item: (-item[1], item[0]))
    )
    file_rows = []
    for i, doc in enumerate(documents):
        grade = f"{doc.whole.grade:.1f}" if doc.whole is not None and doc.whole.words >= MIN_WORDS_TO_SCORE else "\u2013"
        file_rows.append(
            f'<tr><td><a href="#file-{i}">{escape(readable_path(doc.path))}</a></td>'
            + "".join(f'<td class="num">{doc.count(s):,}</td>' for s in _SEVERITIES)
            + f'<td class="num">{grade}</td></tr>'
        )
    sections = [s for doc in documents for s in doc.sections]
    chart = grade_histogram(sections, target)
    short = sum(1 for s in sections if s.words < MIN_WORDS_TO_SCORE)
    chart_note = (
        f"<p>Reading grade of each section (split at headings). Target: {escape(target.describe())}. "
        f"{_plural(short, 'section')} under {MIN_WORDS_TO_SCORE} words {'is' if short == 1 else 'are'} too short to score and left out.</p>"
    )
    return (
        '<section id="overview" aria-labelledby="overview-title"><h2 id="overview-title">Overview</h2>'
        f"<h3>Reading grade</h3>{chart_note}{chart}"
        '<h3>Findings per rule</h3><table class="counts"><thead><tr><th scope="col">rule</th><th scope="col">severity</th>'
        '<th scope="col">findings</th><th scope="col">files</th><th scope="col">what it finds</th></tr></thead>'
        f"<tbody>{rule_rows}</tbody></table>"
        '<h3>Findings per file</h3><div class="scroll"><table class="counts"><thead><tr><th scope="col">file</th>'
        + "".join(f'<th scope="col">{s.value}s</th>' for s in _SEVERITIES)
        + '<th scope="col">grade</th></tr></thead>'
        f"<tbody>{''.join(file_rows)}</tbody></table></div></section>"
    )


def _file_shell(i: int, doc: DocumentReport, is_open: bool) -> str:
    grade = ""
    if doc.whole is not None and doc.whole.words >= MIN_WORDS_TO_SCORE:
        grade = f'<span class="grade">grade {doc.whole.grade:.1f}</span>'
    return (
        f'<details class="file" id="file-{i}" data-file="{i}"{" open" if is_open else ""}>'
        f'<summary><span class="path">{escape(readable_path(doc.path))}</span> '
        f'<span class="counts">{_severity_counts(doc.findings)}</span> {grade} '
        f'<span class="shown" aria-live="polite"></span></summary>'
        '<div class="file-body"></div></details>'
    )


def render(documents: list[DocumentReport], target: Target, rule_summaries: dict[str, str]) -> str:
    """The whole page, as one string of HTML."""
    findings = [f for doc in documents for f in doc.findings]
    rules = {rule: i for i, rule in enumerate(sorted({f.rule for f in findings}))}
    strings = _Strings()
    files = [_file_data(doc, rules, strings, target) for doc in documents]
    data = {"severities": [s.value for s in _SEVERITIES], "rules": list(rules), "strings": strings.values, "files": files}
    title = f"healthlint report: {readable_path(documents[0].path)}" if len(documents) == 1 else f"healthlint report: {len(documents):,} files"
    summary = f"{_plural(len(findings), 'problem')} ({_severity_counts(findings)}) in {_plural(len(documents), 'file')}."
    shells = "".join(_file_shell(i, doc, len(documents) <= _OPEN_AT_MOST) for i, doc in enumerate(documents))
    overview = _overview(documents, findings, rule_summaries, target) if len(documents) > 1 else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'{_MARK}<meta http-equiv="Content-Security-Policy" content="{_POLICY}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">'
        f"<title>{escape(title)}</title><style>{_asset('report.css')}</style></head><body>"
        f'<header><h1>{escape(title)}</h1><p class="summary">{escape(summary)}</p>'
        "<p>Each flagged passage is highlighted in the copy: red for errors, amber for warnings, blue for "
        "infos. Point at a highlight, or move to it with the Tab key, to read what is wrong and what to "
        "write instead; the same words are listed beside the copy.</p>"
        "<noscript><p>This report needs JavaScript to show the copy and its highlights; "
        "the overview below works without it.</p></noscript></header>"
        f"{_filters(findings)}{overview}<main>{shells}</main>"
        '<div id="tip" role="tooltip" hidden></div>'
        f'<script type="application/json" id="healthlint-data">{_script_json(data)}</script>'
        f"<script>{_asset('report.js')}</script></body></html>\n"
    )
