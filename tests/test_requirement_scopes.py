"""requires, excludes and forbids in their scopes, in paragraphs of several sentences.

What a claim's scope holds is looked up once per sentence and once per paragraph, and a
paragraph none of whose sentences holds a lexicon's literals answers for all of them at once
(kinds/claim.py, _DocumentMemo). These tests put the lexicon in one sentence of a paragraph and
the claim in another, so an answer kept for the wrong sentence or paragraph shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import team_rules
from healthlint.engine import lint_text

RULE = """\
id: cure-claim
kind: claim
severity: warning
summary: A cure, said as fact.
message: '"{text}" stated as fact.'
unless: []
lexicons:
  remedy: [kratom, kava]
  approved: [methadone, buprenorphine]
  warning: [liver damage]
patterns:
  - name: cures
    words: [claim: cures, pain]
    requires: remedy@paragraph
    excludes: approved
    forbids: [warning@paragraph]
  - name: heals
    words: [claim: heals, pain]
    requires: remedy
"""


@pytest.fixture
def rules(tmp_path: Path):
    return team_rules(tmp_path, "cure.yaml", RULE)


def flags(rules, text: str) -> list[tuple[str, int, int, str]]:
    """(rule, line, column, flagged text) of each finding."""
    return [(f.rule, f.start.line, f.start.column, f.text) for f in lint_text(text, rules)]


def test_an_excluded_word_clears_only_the_sentence_it_is_in(rules):
    text = "Kratom cures pain. Methadone cures pain. Kava cures pain."
    assert flags(rules, text) == [("cure-claim", 1, 8, "cures pain"), ("cure-claim", 1, 47, "cures pain")]


def test_an_excluded_word_in_the_paragraph_before_or_after_clears_nothing(rules):
    text = "Methadone is a medicine.\n\nKratom cures pain.\n\nBuprenorphine is another."
    assert flags(rules, text) == [("cure-claim", 3, 8, "cures pain")]


def test_a_required_word_in_the_sentence_outweighs_an_excluded_one(rules):
    # "excludes" clears a claim unless a required word is in the sentence too.
    assert flags(rules, "Kratom, not methadone, cures pain.") == [("cure-claim", 1, 24, "cures pain")]


def test_a_forbidden_word_clears_every_claim_of_its_paragraph_and_no_other(rules):
    text = "Kratom cures pain. It can cause liver damage. Kava cures pain.\n\nKava cures pain."
    assert flags(rules, text) == [("cure-claim", 3, 6, "cures pain")]


def test_a_word_required_in_the_sentence_is_looked_for_in_each_sentence(rules):
    text = "Tea heals pain. Kratom heals pain. Rest heals pain. Kava heals pain."
    assert flags(rules, text) == [("cure-claim", 1, 24, "heals pain"), ("cure-claim", 1, 58, "heals pain")]


def test_a_paragraph_without_the_required_word_has_no_claim(rules):
    text = "Kratom is a plant.\n\nIt cures pain. Rest heals pain."
    assert flags(rules, text) == []


def test_a_long_paragraph_finds_the_one_sentence_that_holds_the_excluded_word(rules):
    sentences = ["Kratom cures pain."] * 200
    sentences[150] = "Methadone cures pain."
    found = flags(rules, " ".join(sentences))
    assert len(found) == 199
    methadone_cures = 19 * 150 + len("Methadone ") + 1  # the column of its "cures"
    assert all(column != methadone_cures for _, _, column, _ in found)
    assert found[149] == ("cure-claim", 1, 19 * 149 + 8, "cures pain")
    assert found[150] == ("cure-claim", 1, 19 * 150 + len("Methadone cures pain. ") + 8, "cures pain")


def test_what_one_paragraph_lacks_is_asked_again_in_the_next(rules):
    # The first paragraph has no approved name at all; the second has one in its claim's sentence.
    # (Neither claim's sentence names a remedy, so both ask for the approved names. The two
    # paragraphs are as long as each other, so a look at the wrong one's text could pass unseen.)
    first, second = "Kava is sold here. It surely cures pain.", "Kava is sold here. Methadone cures pain."
    assert len(first) == len(second)
    assert flags(rules, f"{first}\n\n{second}") == [("cure-claim", 1, 30, "cures pain")]
