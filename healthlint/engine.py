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


def lint_source(source: SourceText, rules: Iterable[Rule]) -> LintResult:
    document = AnalyzedDocument(parse(source))
    findings: list[Finding] = []
    for rule in rules:
        findings.extend(rule.check(document))
    findings.sort(key=Finding.sort_key)
    return LintResult(source, findings)


def lint_text(text: str, rules: Iterable[Rule], path: str = "<text>", markdown: bool = False) -> list[Finding]:
    """Convenience for tests and plugins: lint a string."""
    from healthlint.source import from_text

    return lint_source(from_text(text, path, markdown), rules).findings
