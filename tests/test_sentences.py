"""The sentence splitter: exact sentence lists for the cases health copy is full of."""

from __future__ import annotations

import pytest

from healthlint.sentences import Sentence, split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


# --- abbreviations ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr. Smith said it works. Ask your doctor.", ["Dr. Smith said it works.", "Ask your doctor."]),
        ("Prof. Jones and Mr. Lee agree. Done.", ["Prof. Jones and Mr. Lee agree.", "Done."]),
        ("Use a tool, e.g. a pill box. Then rest.", ["Use a tool, e.g. a pill box.", "Then rest."]),
        ("Use a tool, e.g. A pill box. Then rest.", ["Use a tool, e.g. A pill box.", "Then rest."]),
        ("Some herbs, i.e. kratom, are risky. Be careful.", ["Some herbs, i.e. kratom, are risky.", "Be careful."]),
        ("Smith et al. found this. Jones did not.", ["Smith et al. found this.", "Jones did not."]),
        ("Smith et al. (2020) found this. Jones did not.", ["Smith et al. (2020) found this.", "Jones did not."]),
        ("Sold in the U.S. since 2010. It is banned in some states.", ["Sold in the U.S. since 2010.", "It is banned in some states."]),
        ("Visit the U.S. Food and Drug Administration site. It has a page.", ["Visit the U.S. Food and Drug Administration site.", "It has a page."]),
        ("Kratom vs. opioids is a common search. It is not a fair comparison.", ["Kratom vs. opioids is a common search.", "It is not a fair comparison."]),
        ("Kratom vs. Opioids is a common search. It is not fair.", ["Kratom vs. Opioids is a common search.", "It is not fair."]),
        ("Take approx. five capsules. Stop if sick.", ["Take approx. five capsules.", "Stop if sick."]),
        ("Take approx. 5 capsules. Stop if sick.", ["Take approx. 5 capsules.", "Stop if sick."]),
        ("See Fig. 2 for details. It shows doses.", ["See Fig. 2 for details.", "It shows doses."]),
        ("See fig. 2 for details. It shows doses.", ["See fig. 2 for details.", "It shows doses."]),
    ],
    ids=["Dr", "Prof-Mr", "e.g.", "e.g.-capital", "i.e.", "et-al", "et-al-year", "U.S.", "U.S.-capital", "vs.", "vs.-capital", "approx.-word", "approx.-number", "Fig.", "fig."],
)
def test_abbreviations_do_not_end_a_sentence(text, expected):
    assert texts(text) == expected


def test_number_abbreviations_only_before_a_number():
    assert texts("No. 5 is best. No. It is not.") == ["No. 5 is best.", "No.", "It is not."]
    assert texts("See p. 12. Done.") == ["See p. 12.", "Done."]


def test_etc_ends_a_sentence_only_before_a_capital():
    assert texts("Fruit, nuts, etc. are good. Eat them.") == ["Fruit, nuts, etc. are good.", "Eat them."]
    assert texts("Fruit, nuts, etc. The end.") == ["Fruit, nuts, etc.", "The end."]


# --- numbers and initials ---------------------------------------------------------------------


def test_decimal_numbers_do_not_split():
    assert texts("Take 2.5 mg twice a day. Do not exceed it.") == ["Take 2.5 mg twice a day.", "Do not exceed it."]
    assert texts("Levels of 0.05 and 12.75 were seen. Both are low.") == [
        "Levels of 0.05 and 12.75 were seen.",
        "Both are low.",
    ]


def test_initials_stay_with_the_name():
    assert texts("J. K. Smith wrote it. It is good.") == ["J. K. Smith wrote it.", "It is good."]
    assert texts("A review by R. Patel found this. It was small.") == ["A review by R. Patel found this.", "It was small."]


def test_sentence_ending_in_mg_then_a_new_sentence():
    assert texts("Take 10 mg. Then wait an hour.") == ["Take 10 mg.", "Then wait an hour."]
    assert texts("The dose was 10 mg. The next dose was higher.") == ["The dose was 10 mg.", "The next dose was higher."]


def test_sentence_ending_in_a_number():
    assert texts("Call 911. Now.") == ["Call 911.", "Now."]


def test_lower_case_after_a_full_stop_does_not_start_a_sentence():
    assert texts("Dose is 5 mg. twice a day. Ask first.") == ["Dose is 5 mg. twice a day.", "Ask first."]


def test_sentence_ending_in_a_single_capital_letter():
    assert texts("Take vitamin D. It helps your bones.") == ["Take vitamin D.", "It helps your bones."]


def test_citation_in_the_next_sentence_after_vitamin_d_does_not_clear_a_claim():
    from healthlint.engine import lint_text
    from healthlint.ruleset import load_rules

    rule = load_rules().get("unhedged-safety-claim")
    text = "Our CBD gummies have zero side effects, unlike vitamin D. Too much vitamin D can harm the kidneys [1]."
    assert [f.text for f in lint_text(text, [rule])] == ["zero side effects"]


def test_citation_in_the_next_sentence_after_a_word_does_not_clear_a_claim():
    """The control for the test above: with "fish oil." the claim is flagged."""
    from healthlint.engine import lint_text
    from healthlint.ruleset import load_rules

    rule = load_rules().get("unhedged-safety-claim")
    text = "Our CBD gummies have zero side effects, unlike fish oil. Too much fish oil can harm the kidneys [1]."
    assert [f.text for f in lint_text(text, [rule])] == ["zero side effects"]


# --- citations around the full stop -----------------------------------------------------------


def test_citation_before_the_full_stop():
    assert texts("It is safe [1]. Next sentence.") == ["It is safe [1].", "Next sentence."]


def test_author_year_citation_before_the_full_stop():
    assert texts("It is safe (Smith et al., 2020). Next one.") == ["It is safe (Smith et al., 2020).", "Next one."]


def test_citation_glued_after_the_full_stop():
    assert texts("It is safe.[2] Next sentence.") == ["It is safe.[2]", "Next sentence."]
    assert texts("Safe.[1][2] Next.") == ["Safe.[1][2]", "Next."]
    assert texts("Safe.[1, 3] Next.") == ["Safe.[1, 3]", "Next."]
    assert texts("Safe.[^3] Next.") == ["Safe.[^3]", "Next."]


def test_superscript_citation_after_the_full_stop():
    assert texts("It is safe.\u00b9 Next.") == ["It is safe.\u00b9", "Next."]


# --- other endings ----------------------------------------------------------------------------


def test_question_and_exclamation_marks():
    assert texts("Is it safe? Nobody knows! Ask first.") == ["Is it safe?", "Nobody knows!", "Ask first."]
    assert texts("Wait?! Really.") == ["Wait?!", "Really."]


def test_ellipsis():
    assert texts("It works... Maybe.") == ["It works...", "Maybe."]
    assert texts("It works\u2026 Maybe.") == ["It works\u2026", "Maybe."]


def test_closing_quotes_after_the_stop_stay_with_the_sentence():
    assert texts('He said "stop now." Then he left.') == ['He said "stop now."', "Then he left."]
    assert texts("He said \u201cstop now.\u201d Then he left.") == ["He said \u201cstop now.\u201d", "Then he left."]
    assert texts("It is 'safe.' Next.") == ["It is 'safe.'", "Next."]


def test_a_quoted_sentence_starts_a_new_sentence():
    assert texts('Safe? "Maybe." Next!') == ["Safe?", '"Maybe."', "Next!"]


def test_a_bracketed_sentence_is_its_own_sentence():
    assert texts("Dose: 5 mg. (Adults only.) Next.") == ["Dose: 5 mg.", "(Adults only.)", "Next."]


def test_no_closing_punctuation():
    assert texts("No ending") == ["No ending"]
    assert texts("One. Two without a stop") == ["One.", "Two without a stop"]


def test_empty_and_blank_text_have_no_sentences():
    assert split_sentences("") == []
    assert split_sentences("   \n ") == []


# --- offsets ----------------------------------------------------------------------------------


def test_sentence_offsets_slice_the_text_and_skip_surrounding_space():
    text = "  Dr. Smith said so.   It is safe [1].  Next "
    assert split_sentences(text) == [
        Sentence(2, 20, "Dr. Smith said so."),
        Sentence(23, 38, "It is safe [1]."),
        Sentence(40, 44, "Next"),
    ]
    for s in split_sentences(text):
        assert text[s.start : s.end] == s.text


def test_sentences_separated_by_newlines():
    text = "First one.\nSecond one.\n\nThird."
    assert split_sentences(text) == [
        Sentence(0, 10, "First one."),
        Sentence(11, 22, "Second one."),
        Sentence(24, 30, "Third."),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("asking what changed 🙌 We stopped his meds.", ["asking what changed 🙌", "We stopped his meds."]),
        ("Thanks 👍🏽 See you.", ["Thanks 👍🏽", "See you."]),
        ("Great. 😍 We loved it.", ["Great. 😍", "We loved it."]),
        # Not before a lower-case word or a hashtag.
        ("I love it 😍 and so does my mum.", ["I love it 😍 and so does my mum."]),
        ("Big Pharma hates this 😤 #immunity", ["Big Pharma hates this 😤 #immunity"]),
    ],
)
def test_an_emoji_before_a_capital_ends_a_sentence(text, expected):
    assert [s.text for s in split_sentences(text)] == expected
