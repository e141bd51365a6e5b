"""The word-pattern vocabulary: what each item matches and what a mistake in one says."""

from __future__ import annotations

import re

import pytest
import yaml

from healthlint.lexicon import expand
from healthlint.wordpattern import PatternError, compile_words, lexicon_entry

LEXICONS = {
    "be_word": ["is", "are", "'s"],
    "degree": ["generally", "completely", "100%"],
    "safe_word": ["safe", "harmless", "non-toxic"],
    "rx": ["opioids", "painkillers"],
    "stop": ["but", "however"],
}


def matcher(items_yaml: str) -> re.Pattern:
    items = yaml.safe_load(items_yaml)
    source = compile_words(items, lambda name: LEXICONS[name])
    return re.compile(expand(source, LEXICONS), re.IGNORECASE)


def found(pattern: re.Pattern, text: str) -> list[tuple[str, str | None]]:
    """Each match's text and its claim (if the pattern captures one)."""
    return [(m.group(), m.groupdict().get("claim")) for m in pattern.finditer(text)]


PREDICATE = matcher(
    """
- "{be_word}"
- gap: up to 3 words
  of: "{degree}"
  commas: true
- claim: "{safe_word}"
- not_followed_by: [to say, "{rx}"]
"""
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Kratom is safe.", [("is safe", "safe")]),
        ("It is generally, completely safe for you.", [("is generally, completely safe", "safe")]),
        ("It's 100% harmless.", [("'s 100% harmless", "harmless")]),
        ("They are non toxic and nontoxic.", [("are non toxic", "non toxic")]),
        ("It is safe to say that.", []),  # not_followed_by
        ("It is very safe.", []),  # "very" is not in the gap's lexicon
        ("It is safety first.", []),  # a word ends where the pattern's word ends
        ("This island is safe-ish.", []),  # a hyphen continues the word
    ],
)
def test_sequence_gap_of_lexicon_claim_and_not_followed_by(text, expected):
    assert found(PREDICATE, text) == expected


def test_a_gap_of_any_words_is_shortest_first_and_takes_hyphenated_words():
    pattern = matcher(
        """
- claim: [switch, switched]
- gap: up to 3 words
- to
- "{rx}"
"""
    )
    assert found(pattern, "I switched from built-up to opioids.") == [("switched from built-up to opioids", "switched")]
    assert found(pattern, "switch one two three four to opioids") == []


def test_a_gap_may_not_cross_the_words_it_names():
    pattern = matcher(
        """
- natural
- gap: up to 40 characters
  not: "{stop}"
- claim: safe
"""
    )
    assert found(pattern, "It is natural and so it is safe.") == [("natural and so it is safe", "safe")]
    assert found(pattern, "It is natural, but it is not always safe.") == []
    assert found(pattern, "It is natural. It is safe.") == []  # a gap in characters stops at a full stop


def test_optional_items_and_punctuation_that_touches_the_word_before():
    pattern = matcher(
        """
- claim: safe
- optional: ","
- optional: [for the, for]
- liver
"""
    )
    assert [m for m, _ in found(pattern, "safe, for the liver; safe liver; safe for liver")] == [
        "safe, for the liver",
        "safe liver",
        "safe for liver",
    ]


def test_an_optional_first_item_does_not_swallow_the_space_after_it():
    pattern = matcher(
        """
- optional: [a, the]
- claim: remedy
"""
    )
    assert found(pattern, "It is a remedy. Remedy.") == [("a remedy", "remedy"), ("Remedy", "Remedy")]


def test_not_preceded_by_guards_the_next_word_in_every_spelling():
    pattern = matcher(
        """
- not_preceded_by: [your, "don't", non-stop]
- claim: remedy
"""
    )
    assert found(pattern, "a remedy") == [("remedy", "remedy")]
    for text in ("your remedy", "don’t remedy", "non stop remedy", "nonstop remedy"):
        assert found(pattern, text) == [], text


def test_not_preceded_by_a_lexicon_of_phrases():
    pattern = matcher("""[{not_preceded_by: "{rx}"}, {claim: relief}]""")
    assert found(pattern, "opioids relief, real relief") == [("relief", "relief")]
    assert found(pattern, "Painkillers relief") == []


def test_followed_by_is_not_part_of_the_match():
    pattern = matcher(
        """
- claim: safer
- followed_by: [",", than, {at: end}]
"""
    )
    assert found(pattern, "It is safer, and safer than that, and safer") == [("safer", "safer")] * 3
    assert found(pattern, "a safer way") == []


def test_at_start_allows_an_opening_bullet_or_quote():
    pattern = matcher("""[{at: start}, {claim: [safe, gentle]}, ",", natural]""")
    assert found(pattern, "- Safe, natural and kind") == [("- Safe, natural", "Safe")]
    assert found(pattern, "It is safe, natural") == []


def test_at_start_in_a_choice_needs_no_space_before_the_next_word():
    # A choice of the sentence's start or a comma: at the start, the next word follows at once;
    # after the comma, a space may come or not; after a word, a space is still needed.
    pattern = matcher("""[[{at: start}, ",", and], totally, {claim: safe}]""")
    assert found(pattern, "Totally safe, I had no trouble.") == [("Totally safe", "safe")]
    assert found(pattern, "- Totally safe") == [("- Totally safe", "safe")]
    assert found(pattern, "Cheap, totally safe") == [(", totally safe", "safe")]
    assert found(pattern, "Cheap,totally safe") == [(",totally safe", "safe")]
    assert found(pattern, "cheap and totally safe") == [("and totally safe", "safe")]
    assert found(pattern, "cheap andtotally safe") == []
    assert found(pattern, "It is totally safe") == []


def test_an_optional_word_after_the_start_leaves_the_next_word_at_the_start():
    pattern = matcher("""[{at: start}, {optional: so}, {claim: safe}]""")
    assert found(pattern, "Safe for all.") == [("Safe", "Safe")]
    assert found(pattern, "So safe for all.") == [("So safe", "safe")]
    assert found(pattern, "Sosafe for all.") == []


def test_a_gap_after_a_choice_that_may_end_at_the_start():
    pattern = matcher("""[[{at: start}, ","], {gap: up to 1 word}, {claim: safe}]""")
    assert found(pattern, "Totally safe.") == [("Totally safe", "safe")]
    assert found(pattern, "Cheap, totally safe.") == [(", totally safe", "safe")]
    assert found(pattern, "Cheap totally safe.") == []


def test_named_captures_and_sub_sequences_in_alternatives():
    pattern = matcher(
        """
- claim:
    - {words: [instead of]}
    - {words: [rather, than]}
- {capture: drug, words: ["{rx}"]}
"""
    )
    m = pattern.search("Take it rather than painkillers.")
    assert (m.group("claim"), m.group("drug")) == ("rather than", "painkillers")


def test_a_regex_item_is_an_escape_hatch_that_must_say_why():
    with pytest.raises(PatternError, match="needs 'why'"):
        compile_words([{"regex": "[A-Z][a-z]+"}])
    pattern = matcher("""[buy, {regex: '\\d+', why: numbers are not words}, capsules]""")
    assert found(pattern, "buy 30 capsules") == [("buy 30 capsules", None)]


def test_lexicon_entries_may_be_word_patterns():
    entry = lexicon_entry({"words": [["liver", "kidney"], ["damage", "injury"]]})
    assert entry.startswith("re:")
    regex = re.compile(entry[3:], re.IGNORECASE)
    assert regex.search("no kidney injury") and not regex.search("no kidneyinjury")
    assert lexicon_entry("side effects") == "side effects"


@pytest.mark.parametrize(
    "items, message",
    [
        ([{"optionl": "a"}], "did you mean 'optional'"),
        ([{"gap": "three words"}], "'up to N words'"),
        ([{"gap": "3-1 words"}, "x"], "ends before it starts"),
        (["safe", {"gap": 2, "stop_at": "."}], "'stop_at' is for a gap in characters"),
        ([["a", ["b"]]], "write {words: [...]}"),
        (["{rx}s"], "lexicon reference with other characters"),
        ([{"not_preceded_by": "x"}], "needs an item after it"),
        ([True], "put words in quotes"),
        ([{"claim": "a", "optional": "b"}], "give each its own line"),
        ([{"gap": 2, "off": 1}, "x"], "not an option of 'gap'"),
        ([{"at": "middle"}], "'start' or 'end'"),
    ],
)
def test_mistakes_get_a_plain_message(items, message):
    with pytest.raises(PatternError, match=re.escape(message)):
        compile_words(items, lambda name: LEXICONS[name])


def test_not_preceded_by_a_lexicon_with_patterns_is_refused():
    with pytest.raises(PatternError, match="list the words instead"):
        compile_words([{"not_preceded_by": "{x}"}, "safe"], lambda name: ["re:a+"])


def test_a_lexicon_entry_may_take_in_another_lexicon_whole():
    # No word edges of its own, like a phrase entry: the pattern that uses the lexicon decides.
    assert lexicon_entry("{product_name}") == "re:{product_name}"
    assert lexicon_entry(" {natural} ") == "re:{natural}"


def test_an_unquoted_lexicon_reference_gets_a_hint():
    items = yaml.safe_load("- claim: {detox_verb}")
    with pytest.raises(PatternError, match=re.escape('write "{detox_verb}"')):
        compile_words(items)


def test_at_end_allows_closing_punctuation():
    pattern = matcher("""[{claim: boosts immunity}, {followed_by: {at: end}}]""")
    assert found(pattern, "It boosts immunity.") == [("boosts immunity", "boosts immunity")]
    assert found(pattern, 'It "boosts immunity"!') == [("boosts immunity", "boosts immunity")]
    assert found(pattern, "It boosts immunity fast.") == []


def test_a_list_of_words_tries_the_longest_first_like_a_lexicon():
    # Plain word lists compile to one trie (as lexicons do), so the order they are written in
    # does not decide which of two overlapping words is matched.
    pattern = matcher("""[[pain, pain relief], {optional: fast}]""")
    assert found(pattern, "pain relief fast") == [("pain relief fast", None)]
    assert found(pattern, "pain, fast") == [("pain", None)]
    assert found(pattern, "painful relief") == []


def test_word_pattern_entries_of_a_lexicon_get_their_word_edges_from_the_pattern():
    lexicons = {**LEXICONS, "organ_harm": [lexicon_entry({"words": [["liver", "kidney"], "damage"]})]}
    for items, text, expected in [
        (["{organ_harm}"], "no liver damage here", ["liver damage"]),
        (["{organ_harm}"], "deliver damage", []),  # the pattern's first word starts a word
        (["{organ_harm}"], "liver damages", []),  # and its last word ends one
        (["no", "{organ_harm}"], "no liver damage", ["no liver damage"]),
        (["no", "{organ_harm}"], "no deliver damage", []),
        (["{organ_harm}", "risk"], "liver damagerisk", []),
    ]:
        regex = re.compile(expand(compile_words(items), lexicons), re.IGNORECASE)
        assert [m.group() for m in regex.finditer(text)] == expected, (items, text)


def test_guarded_words_in_a_list_keep_their_guard():
    pattern = matcher("""[{not_preceded_by: [a, the]}, [ease, relief], pain]""")
    assert found(pattern, "It will ease pain.") == [("ease pain", None)]
    assert found(pattern, "It gives relief pain and the ease pain.") == [("relief pain", None)]
    assert found(pattern, "a relief pain") == []
