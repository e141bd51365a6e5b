"""The pipeline: read -> parse -> split sentences -> run rules -> filter -> findings.

Each stage lives in its own module; this one only connects them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from healthlint.document import AnalyzedDocument
from healthlint.kinds import Rule
from healthlint.model import Finding
from healthlint.parse import parse
from healthlint.source import SourceText


@dataclass
class LintResult:
    source: SourceText
    findings: list[Finding] = field(default_factory=list)


def lint_source(
    source: SourceText,
    rules: Iterable[Rule],
    *,
    report_unused_suppressions: bool = False,
    front_matter_keys: tuple[str, ...] | None = None,
) -> LintResult:
    """``front_matter_keys``: the front matter keys whose values are checked (None: the default ones)."""
    from healthlint.suppressions import apply as apply_suppressions

    rules = list(rules)
    parsed = parse(source, front_matter_keys=front_matter_keys)
    document = AnalyzedDocument(parsed)
    findings: list[Finding] = []
    for rule in rules:
        findings.extend(rule.check(document))
    findings, suppressions = apply_suppressions(parsed, findings)
    if report_unused_suppressions:
        findings.extend(_unused(source, d) for d in suppressions.unused({r.info.id for r in rules}))
    findings.sort(key=Finding.sort_key)
    return LintResult(source, findings)


def _unused(source: SourceText, directive) -> Finding:
    from healthlint.model import Position, Severity

    line_text = source.line_text(directive.line)
    start = Position(directive.line, directive.column)
    return Finding(
        path=source.path,
        start=start,
        end=Position(directive.line, len(line_text) + 1),
        rule="unused-suppression",
        severity=Severity.WARNING,
        message=f'"{directive.label}" silenced nothing. Remove it, so it cannot hide a real problem later.',
        suggestion="Delete this suppression comment.",
        text=line_text[directive.column - 1 :],
    )


def lint_text(text: str, rules: Iterable[Rule], path: str = "<text>", markdown: bool = False) -> list[Finding]:
    """Convenience for tests and plugins: lint a string."""
    from healthlint.source import from_text

    return lint_source(from_text(text, path, markdown), rules).findings
