"""Run a rule's own flag and pass examples: for `healthlint test-rules` and the test suite.

A flag example may name the pattern that flags it and the words flagged; the example then
checks exactly that pattern's finding. For rules made of patterns, ``sole_examples`` finds,
for each pattern, the examples that only it flags: a pattern with none is dead weight (no
example would notice if it were removed), which the test suite does not allow."""

from __future__ import annotations

from dataclasses import dataclass

from healthlint.kinds.base import Example


@dataclass(frozen=True)
class ExampleResult:
    rule: str
    kind: str  # "flag" or "pass"
    example: Example
    ok: bool
    detail: str


def _findings(example: Example, rule) -> list:
    from healthlint.engine import lint_text

    path = "example.md" if example.markdown else "example.txt"
    return [f for f in lint_text(example.text, [rule], path=path, markdown=example.markdown) if f.rule == rule.info.id]


def only_pattern(rule, name: str):
    """A copy of a pattern rule that runs just one of its patterns."""
    return rule.with_patterns([p for p in rule.patterns if p.name == name])


def _single_pattern_rules(rule) -> dict[str, object]:
    """A one-pattern copy of the rule for each of its patterns, made once each (a rule's
    examples name only patterns it has: the rule loader checks)."""
    return {p.name: only_pattern(rule, p.name) for p in rule.patterns}


def _sentence_texts(example: Example) -> list[str]:
    """The prose sentences of an example, as a rule reads them (Markdown read as prose)."""
    from healthlint.document import AnalyzedDocument
    from healthlint.parse import parse
    from healthlint.source import from_text

    path = "example.md" if example.markdown else "example.txt"
    doc = AnalyzedDocument(parse(from_text(example.text, path, example.markdown)), None)
    return [sentence.text for sentences in doc.sentences for sentence in sentences]


def _may_match(regex, sentences: list[str]) -> bool:
    """Could the pattern match in one of the sentences? (A custom pattern that runs out of time
    here may: linting then decides, and reports the time-out as it always does.)"""
    from healthlint.lexicon import PatternTimeout

    try:
        return any(regex.search(text) for text in sentences)
    except PatternTimeout:
        return True


def _check_flag(rule, example: Example, singles: dict[str, object]) -> tuple[bool, str]:
    found = _findings(example, rule)
    if not found:
        return False, "expected a finding, got none"
    if example.pattern is not None:
        own = _findings(example, singles[example.pattern])
        if not own:
            return False, f"flagged, but not by the pattern '{example.pattern}'"
        # The rule reports the earlier pattern where two overlap; the example's pattern must be
        # the one reported.
        if not any(f.span == g.span for f in found for g in own):
            return False, f"the pattern '{example.pattern}' matches, but another pattern's finding is reported there"
        found = own
    if example.flags is not None and not any(f.text == example.flags for f in found):
        return False, f"flagged {', '.join(repr(f.text) for f in found)}, not {example.flags!r}"
    if example.suggestion and found[0].suggestion != " ".join(example.suggestion.split()):
        return False, f"suggestion was: {found[0].suggestion}"
    return True, ""


def run_examples(rule) -> list[ExampleResult]:
    results = []
    singles = _single_pattern_rules(rule) if any(ex.pattern for ex in rule.info.flag_examples) else {}
    for example in rule.info.flag_examples:
        ok, detail = _check_flag(rule, example, singles)
        results.append(ExampleResult(rule.info.id, "flag", example, ok, detail))
    for example in rule.info.pass_examples:
        found = _findings(example, rule)
        detail = "" if not found else "expected no finding, flagged: " + "; ".join(repr(f.text) for f in found)
        results.append(ExampleResult(rule.info.id, "pass", example, not found, detail))
    return results


def sole_examples(rule) -> dict[str, list[Example]]:
    """For each pattern, the flag examples it flags and no other pattern of the rule does."""
    names = [p.name for p in rule.patterns]
    singles = _single_pattern_rules(rule)
    flagged_by: dict[str, set[int]] = {name: set() for name in names}
    for i, example in enumerate(rule.info.flag_examples):
        sentences = _sentence_texts(example)
        for pattern in rule.patterns:
            # A pattern flags only where its regex matches a sentence: elsewhere (most
            # examples, for most patterns) linting with it alone cannot find anything.
            if _may_match(pattern.regex, sentences) and _findings(example, singles[pattern.name]):
                flagged_by[pattern.name].add(i)
    out = {}
    for name in names:
        others = set().union(*(flagged_by[n] for n in names if n != name))
        out[name] = [rule.info.flag_examples[i] for i in sorted(flagged_by[name] - others)]
    return out
