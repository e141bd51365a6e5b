"""Run a rule's own flag and pass examples: for `healthlint test-rules` and the test suite."""

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


def run_examples(rule) -> list[ExampleResult]:
    from healthlint.engine import lint_text

    results = []
    for kind, examples in (("flag", rule.info.flag_examples), ("pass", rule.info.pass_examples)):
        for example in examples:
            path = "example.md" if example.markdown else "example.txt"
            found = [f for f in lint_text(example.text, [rule], path=path, markdown=example.markdown) if f.rule == rule.info.id]
            if kind == "flag":
                ok, detail = bool(found), "" if found else "expected a finding, got none"
                if ok and example.suggestion and found[0].suggestion != " ".join(example.suggestion.split()):
                    ok, detail = False, f"suggestion was: {found[0].suggestion}"
            else:
                ok = not found
                detail = "" if ok else "expected no finding, flagged: " + "; ".join(repr(f.text) for f in found)
            results.append(ExampleResult(rule.info.id, kind, example, ok, detail))
    return results
