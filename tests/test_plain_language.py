"""plain-language follows its own advice: a term explained once, where it first appears, is not
flagged again later in the same document; uses before the explanation still are."""

from __future__ import annotations

import pytest

from healthlint.document import AnalyzedDocument
from healthlint.parse import parse
from healthlint.ruleset import load_rules
from healthlint.source import from_text


@pytest.fixture(scope="module")
def plain_language():
    return next(r for r in load_rules().rules if r.info.id == "plain-language")


def findings(rule, text: str) -> list[tuple[str, int, int, int]]:
    """(words, line, column, end column) of each finding."""
    doc = AnalyzedDocument(parse(from_text(text, "t.md", True)))
    return [(f.text, f.start.line, f.start.column, f.end.column) for f in rule.check(doc)]


@pytest.mark.parametrize(
    "text",
    [
        "Cardiac (heart) problems come first. Later, cardiac tests help.",
        "Liver (hepatic) damage is rare. Hepatic damage can still follow.",  # the plain word first
        "Hypertension, or high blood pressure, is common.\n\nTreating hypertension lowers the risk.",
    ],
)
def test_a_term_explained_once_is_not_flagged_again(plain_language, text):
    assert findings(plain_language, text) == []


def test_a_use_before_the_explanation_is_still_flagged(plain_language):
    text = "Cardiac tests help. Cardiac (heart) problems come first. Cardiac care follows."
    assert findings(plain_language, text) == [("Cardiac", 1, 1, 8)]


def test_explaining_one_term_does_not_excuse_another(plain_language):
    text = "Cardiac (heart) problems come first. Renal tests follow."
    assert findings(plain_language, text) == [("Renal", 1, 38, 43)]


def test_an_explanation_in_another_document_does_not_count(plain_language):
    assert findings(plain_language, "Cardiac (heart) problems come first.") == []
    assert findings(plain_language, "Later, cardiac tests help.") == [("cardiac", 1, 8, 15)]
