"""The shortcuts that make plain-language and sentence splitting fast give the same answers.

plain-language screens blocks with the literals its terms need and looks for a gloss before a
term only where the text before it could end one; the sentence splitter's end pattern opens
with the stops themselves. Each case here is one where a shortcut could differ from the full
check it stands in for.
"""

from __future__ import annotations

import pickle

import pytest

from healthlint.document import AnalyzedDocument
from healthlint.kinds.substitution import explained_in_place
from healthlint.prefilter import LiteralScreen
from healthlint.parse import parse
from healthlint.prefilter import requirement
from healthlint.ruleset import load_rules
from healthlint.sentences import split_sentences
from healthlint.source import from_text


@pytest.fixture(scope="module")
def plain_language():
    return next(r for r in load_rules().rules if r.info.id == "plain-language")


def flagged(rule, text: str) -> list[str]:
    doc = AnalyzedDocument(parse(from_text(text, "t.md", True)))
    return [f.text for f in rule.check(doc)]


# --- the gloss before a term -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "explained"),
    [
        ("high blood pressure (hypertension).", True),
        ("high blood pressure (hypertension) x", True),
        ("high blood pressure (also known as hypertension)", True),
        ("high blood pressure (ALSO CALLED\thypertension)", True),
        ("high blood pressure (\nhypertension)", True),
        ("high blood pressure, OR\nhypertension;", True),  # "or", then a line break
        ("high blood pressure, known medically as hypertension, is", True),
        ("high blood pressure, also known a\u017f hypertension.", True),  # long s matches "s" ignoring case
        ("hypertension (high blood pressure) is", True),  # glossed after, not before
        ("the doctor hypertension;", False),  # "or" ends "doctor", but no plain word before it
        ("high blood pressure hypertension.", False),
        ("blood pressure (hypertension).", False),
        ("high blood pressure (hypertension is common", False),  # no closing mark after the term
    ],
)
def test_gloss_before_the_term(text, explained):
    start = text.index("hypertension")
    assert explained_in_place(text, start, start + len("hypertension"), ("high blood pressure",)) is explained


def test_glossed_terms_are_not_flagged_and_bare_ones_are(plain_language):
    assert flagged(plain_language, "High blood pressure (hypertension) is common.") == []
    assert flagged(plain_language, "The doctor hypertension; renal damage.") == ["hypertension", "renal"]


# --- the literal screen ----------------------------------------------------------------------


def test_every_term_passes_the_screen(plain_language):
    screen = LiteralScreen(plain_language.needs)
    for term in plain_language.swaps:
        for text in (f"See {term}.", f"SEE {term.upper()}!", f"{term.title()} again"):
            assert screen.may_match(text), text


def test_the_screen_rules_out_prose_without_any_term(plain_language):
    screen = LiteralScreen(plain_language.needs)
    assert not screen.may_match("Drink water and rest.")
    assert not screen.may_match("")


def test_a_screen_needs_every_clause():
    screen = LiteralScreen(requirement(r"kratom\s+is\s+safe"))
    assert screen.may_match("Kratom is SAFE")
    assert not screen.may_match("kratom is fine")


def test_a_pattern_with_no_literals_is_never_screened_out():
    assert LiteralScreen(requirement(r"\w+")).may_match("anything")


def test_text_that_cannot_be_folded_in_place_goes_to_the_regex(plain_language):
    # "\u0130".lower() is two characters: the screen cannot line up positions, so it lets the
    # alternation decide, and the term after it is still found.
    assert flagged(plain_language, "\u0130 renal damage.") == ["renal"]


def test_a_pickled_rule_screens_like_a_fresh_one(plain_language):
    text = "Renal and hepatic damage; hepatic encephalopathy."
    before = flagged(plain_language, text)
    assert flagged(pickle.loads(pickle.dumps(plain_language)), text) == before == ["Renal", "hepatic"]


# --- sentence ends: the pattern opens with the stops -----------------------------------------


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Wait... What?! Yes.", ["Wait...", "What?!", "Yes."]),
        ("...and then it stopped. Next one.", ["...and then it stopped.", "Next one."]),
        ("It ended\u2026 Then more.", ["It ended\u2026", "Then more."]),
        ("Really?!\u2026 Yes.", ["Really?!\u2026", "Yes."]),
        ("A.\u2026 B.", ["A.\u2026", "B."]),
        ("Is it? \u2026 Yes", ["Is it? \u2026", "Yes"]),
        ("Stop.. Go.", ["Stop..", "Go."]),
        ("Safe.[2] Next.", ["Safe.[2]", "Next."]),
    ],
)
def test_runs_of_stops_and_ellipses(text, sentences):
    assert [s.text for s in split_sentences(text)] == sentences


def test_sentences_are_trimmed_of_any_white_space():
    text = "\u00a0 One.\u2003\n Two. \t"
    found = split_sentences(text)
    assert [(s.start, s.end, s.text) for s in found] == [(2, 6, "One."), (9, 13, "Two.")]
    assert all(text[s.start : s.end] == s.text for s in found)
