"""Inline suppressions: comments in the copy that silence findings.

Markdown and HTML:
    <!-- healthlint-disable rule-a, rule-b -- reason -->   ... until enable or end of file
    <!-- healthlint-enable rule-a -->                      (no list: enable all)
    <!-- healthlint-disable-next-line rule -->             the next non-blank line only
    <!-- healthlint-disable-file -->                        the whole file
Plain text: the same words on a line of their own. No rule list means every rule. A reason
after "--" is kept for reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from healthlint.formats import spec
from healthlint.model import Finding

_DIRECTIVE = re.compile(
    r"^\s*healthlint-(?P<kind>disable-next-line|disable-file|disable|enable)\b(?P<rules>[^\n]*?)(?:\s+--\s*(?P<reason>.*?))?\s*$",
    re.IGNORECASE,
)
ALL = "*"


@dataclass
class Directive:
    kind: str  # disable, enable, disable-next-line, disable-file
    rules: tuple[str, ...]  # empty: every rule
    line: int
    column: int
    reason: str | None = None
    used: bool = False
    end_line: int = 0  # the last line of the comment holding it (a comment may span lines)

    @property
    def label(self) -> str:
        return f"healthlint-{self.kind}" + (f" {', '.join(self.rules)}" if self.rules else "")


def parse_directive(text: str, line: int, column: int) -> Directive | None:
    m = _DIRECTIVE.match(text)
    if not m:
        return None
    rules = tuple(r for r in re.split(r"[\s,]+", m.group("rules").strip()) if r)
    return Directive(m.group("kind").lower(), rules, line, column, (m.group("reason") or None))


def find_directives(document) -> list[Directive]:
    """Directives in a parsed document: Markdown comments, or lines of their own in plain text."""
    source = document.source
    found = []
    if spec(source.format).html_comments:
        for offset, body in document.comments:
            pos = source.position(offset)
            directive = parse_directive(body.strip(), pos.line, pos.column)
            if directive:
                directive.end_line = source.position(offset + len(body) + 6).line
                found.append(directive)
    else:
        for number, line in enumerate(source.text.split("\n"), start=1):
            directive = parse_directive(line, number, 1)
            if directive:
                found.append(directive)
    return found


@dataclass
class _Span:
    directive: Directive
    first_line: int
    last_line: int  # inclusive
    rule: str = ALL  # the one rule it silences, or ALL


@dataclass
class Suppressions:
    directives: list[Directive]
    spans: list[_Span] = field(default_factory=list)

    @classmethod
    def build(cls, directives: list[Directive], lines: list[str]) -> "Suppressions":
        spans: list[_Span] = []
        open_spans: dict[str, _Span] = {}
        end = len(lines)
        for d in sorted(directives, key=lambda d: (d.line, d.column)):
            rules = d.rules or (ALL,)
            if d.kind == "disable-file":
                spans.extend(_Span(d, 1, end, rule) for rule in rules)
            elif d.kind == "disable-next-line":
                target = max(d.line, d.end_line) + 1
                while target <= end and not lines[target - 1].strip():
                    target += 1
                spans.extend(_Span(d, target, target, rule) for rule in rules)
            elif d.kind == "disable":
                for rule in rules:
                    span = _Span(d, d.line, end, rule)
                    open_spans[rule] = span
                    spans.append(span)
            elif d.kind == "enable":
                closing = d.rules or tuple(open_spans)
                for rule in closing:
                    span = open_spans.pop(rule, None)
                    if span:
                        span.last_line = d.line
                if not d.rules:
                    open_spans.clear()
        return cls(directives, spans)

    def suppresses(self, finding: Finding) -> bool:
        hit = False
        for span in self.spans:
            if span.first_line <= finding.start.line <= span.last_line and span.rule in (ALL, finding.rule):
                span.directive.used = True
                hit = True
        return hit

    def unused(self, active_rules: set[str] | None = None) -> list[Directive]:
        """Suppressions that silenced nothing. One naming only rules that did not run is not
        reported: it may well be needed when they do."""
        return [
            d
            for d in self.directives
            if d.kind != "enable"
            and not d.used
            and (active_rules is None or not d.rules or any(r in active_rules for r in d.rules))
        ]


def apply(document, findings: list[Finding]) -> tuple[list[Finding], Suppressions]:
    """Findings left after the document's suppressions, and the suppressions (for unused reports)."""
    directives = find_directives(document)
    suppressions = Suppressions.build(directives, document.source.text.split("\n"))
    if not directives:
        return findings, suppressions
    return [f for f in findings if not suppressions.suppresses(f)], suppressions
