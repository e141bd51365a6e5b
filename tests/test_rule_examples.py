"""Every rule file's own examples, run as data (as sqlfluff runs its YAML rule cases)."""

from __future__ import annotations

import pytest

from healthlint.engine import lint_text
from healthlint.ruleset import builtin_rules


# Grammar examples need a LanguageTool server; tests/test_grammar.py runs them against a local one.
NEEDS_SERVER = {"grammar"}


def _cases(kind: str):
    for rule in builtin_rules():
        if rule.info.kind in NEEDS_SERVER:
            continue
        examples = rule.info.flag_examples if kind == "flag" else rule.info.pass_examples
        for example in examples:
            yield pytest.param(rule, example, id=f"{rule.info.id}:{example.line}")


def _findings(rule, example):
    path = "example.md" if example.markdown else "example.txt"
    return [f for f in lint_text(example.text, [rule], path=path, markdown=example.markdown) if f.rule == rule.info.id]


@pytest.mark.parametrize("rule, example", list(_cases("flag")))
def test_flag_example_is_flagged(rule, example):
    found = _findings(rule, example)
    assert found, f"{rule.info.id} should flag: {example.text}"
    if example.suggestion:
        assert found[0].suggestion == " ".join(example.suggestion.split())


@pytest.mark.parametrize("rule, example", list(_cases("pass")))
def test_pass_example_is_not_flagged(rule, example):
    found = _findings(rule, example)
    assert not found, f"{rule.info.id} should not flag: {example.text} (flagged {[f.text for f in found]})"


@pytest.mark.parametrize("rule", builtin_rules(), ids=lambda r: r.info.id)
def test_every_rule_documents_itself_and_has_examples(rule):
    info = rule.info
    assert info.summary and info.description and info.why and info.better
    assert len(info.flag_examples) >= 1 and len(info.pass_examples) >= 1
    if info.kind == "claim":
        assert len(info.flag_examples) >= 8 and len(info.pass_examples) >= 10


def _pattern_rules():
    return [r for r in builtin_rules() if getattr(r, "patterns", None)]


@pytest.mark.parametrize("rule", _pattern_rules(), ids=lambda r: r.info.id)
def test_every_pattern_has_an_example_only_it_flags(rule):
    from healthlint.examples import sole_examples

    dead = sorted(name for name, sole in sole_examples(rule).items() if not sole)
    assert not dead, f"{rule.info.id}: no flag example is flagged by these patterns alone: {', '.join(dead)}"


@pytest.mark.parametrize("rule", _pattern_rules(), ids=lambda r: r.info.id)
def test_examples_that_name_a_pattern_are_flagged_by_it(rule):
    from healthlint.examples import run_examples

    failures = [f"line {r.example.line}: {r.detail}" for r in run_examples(rule) if r.kind == "flag" and r.example.pattern and not r.ok]
    assert not failures, "\n".join(failures)
