"""The pipeline: read -> parse -> split sentences -> run rules -> filter -> findings.

Each stage lives in its own module; this one only connects them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from healthlint.document import AnalyzedDocument
from healthlint.kinds import Rule
from healthlint.model import Finding
from healthlint.parse import Document, parse
from healthlint.prefilter import LiteralIndex, Prefilter
from healthlint.source import SourceText


@dataclass
class LintResult:
    source: SourceText
    findings: list[Finding] = field(default_factory=list)
    document: Document | None = None  # the parsed prose, for callers that measure it (audit's word counts)


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
    document = AnalyzedDocument(parsed, literal_index(rules))
    findings: list[Finding] = []
    for rule in rules:
        findings.extend(rule.check(document))
    findings, suppressions = apply_suppressions(parsed, findings)
    if report_unused_suppressions:
        findings.extend(_unused(source, d) for d in suppressions.unused({r.info.id for r in rules}))
    findings.sort(key=Finding.sort_key)
    return LintResult(source, findings, parsed)


# The literal index of the rule sets linted lately, by their prefilters' identities (a run
# lints every file with one or a few rule sets; the index holds its prefilters, so ids stay theirs).
_INDEXES: dict[tuple[int, ...], LiteralIndex] = {}
_MAX_INDEXES = 8


def literal_index(rules: Iterable[Rule]) -> LiteralIndex | None:
    """One literal index for every rule that finds candidates by literals (claim rules), so
    their literals are found in one pass over each sentence instead of one pass per rule."""
    prefilters = [p for p in (getattr(rule, "prefilter", None) for rule in rules) if isinstance(p, Prefilter)]
    if len(prefilters) < 2:
        return None  # a rule alone searches as fast by itself
    key = tuple(map(id, prefilters))
    index = _INDEXES.get(key)
    if index is None:
        # No lock (the language server lints in threads, and forks workers that must not inherit
        # a held one): two threads may each build an index, and either serves.
        while len(_INDEXES) >= _MAX_INDEXES:
            try:
                _INDEXES.pop(next(iter(_INDEXES)), None)
            except (RuntimeError, StopIteration):  # another thread changed it meanwhile
                break
        index = _INDEXES[key] = LiteralIndex(prefilters)
    return index


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
