"""subject_not: a lexicon that must not name what a claim is about, looked for in the words
just before the claim (back to the start of its clause, at most SUBJECT_WORDS)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import team_rules
from healthlint.engine import lint_text
from healthlint.kinds.claim import SUBJECT_WORDS, ClauseWords
from healthlint.ruleset import load_folder
from healthlint.yamlfile import DataError

RULE = """\
id: harmless-claim
kind: claim
severity: warning
summary: Harmless, said as fact.
message: '"{text}" stated as fact.'
subject: remedy
lexicons:
  remedy: [kratom, this tea]
  symptom: [palpitations, arrhythmias]
subject_not: [symptom]
patterns:
  - words: [[is, are], claim: harmless]
"""


@pytest.fixture
def rules(tmp_path: Path):
    return team_rules(tmp_path, "harmless.yaml", RULE)


def flagged(rules, text: str) -> list[str]:
    return [f.rule for f in lint_text(text, rules)]


def test_a_symptom_just_before_the_claim_clears_it(rules):
    assert flagged(rules, "Most palpitations are harmless.") == []
    assert flagged(rules, "Palpitations after exercise usually are harmless.") == []


def test_a_product_next_to_the_symptom_keeps_the_claim(rules):
    assert flagged(rules, "For palpitations, kratom is harmless.") == ["harmless-claim"]


def test_the_symptom_must_be_in_the_claims_clause(rules):
    assert flagged(rules, "Palpitations come and go, but this tea is harmless.") == ["harmless-claim"]
    assert flagged(rules, "This tea is harmless.") == ["harmless-claim"]
    assert flagged(rules, "This tea is harmless for people with palpitations.") == ["harmless-claim"]


def test_each_paragraph_and_sentence_is_read_for_the_symptom(rules):
    # A paragraph without the symptom word at all answers for its sentences at once; the next
    # paragraph is read again, and in it only the claim with the symptom just before it clears.
    text = "This tea is harmless.\n\nThis tea is harmless. Most palpitations are harmless."
    assert [(f.start.line, f.start.column) for f in lint_text(text, rules)] == [(1, 10), (3, 10)]
    assert flagged(rules, "Palpitations come and go. Kratom is harmless.") == ["harmless-claim"]


def test_subject_words_stops_at_the_clause_and_the_word_limit():
    assert ClauseWords("Palpitations come and go, but this tea is harmless.").before(39) == " this tea "
    many = " ".join(["word"] * (SUBJECT_WORDS + 5))
    assert len(ClauseWords(many + " is").before(len(many) + 1).split()) == SUBJECT_WORDS


def test_subject_not_names_a_lexicon_without_a_scope(tmp_path: Path):
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "harmless.yaml").write_text(RULE.replace("subject_not: [symptom]", "subject_not: [symptom@paragraph]"), encoding="utf-8")
    with pytest.raises(DataError, match="subject_not"):
        load_folder(folder, "test")
