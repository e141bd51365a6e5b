"""refers_to: a claim that refers back to a subject named in the sentences just before it
(healthlint.topic), in a team rule and in the built-in opioid-substitution rule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import healthlint.topic as topic_module
from conftest import team_rules
from healthlint.engine import lint_source, lint_text
from healthlint.ruleset import load_rules
from healthlint.sentences import split_sentences
from healthlint.source import from_text
from healthlint.topic import BACK_SENTENCES, Mentions, Topic, window
from healthlint.yamlfile import DataError

RULE = """\
id: safe-it
kind: claim
severity: warning
summary: Safe, said of a remedy named before.
message: '"{text}" is said of {product}.'
subject: remedy
lexicons:
  remedy: [kratom, kava]
patterns:
  - name: it-is-safe
    words:
      - ["{remedy}", refers: [it, this]]
      - is
      - claim: safe
    refers_to: remedy
  - name: another-option
    words: [here is another option]
    refers_to: remedy
"""


def load(tmp_path: Path, text: str = RULE):
    return team_rules(tmp_path, "safe-it.yaml", text)


@pytest.fixture
def rules(tmp_path: Path):
    return load(tmp_path)


def found(rules, text: str, markdown: bool = False) -> list[tuple[int, int, str, str]]:
    """(line, column, rule, flagged words) of every finding."""
    findings = lint_text(text, rules, path="t.md" if markdown else "t.txt", markdown=markdown)
    return [(f.start.line, f.start.column, f.rule, f.text) for f in findings]


def test_a_pronoun_refers_back_to_the_sentence_before(rules):
    assert found(rules, "Kratom comes from a tree. It is safe.") == [(1, 27, "safe-it", "It is safe")]


def test_the_subject_named_in_the_claim_needs_no_look_back(rules):
    assert found(rules, "Kava is safe.") == [(1, 1, "safe-it", "Kava is safe")]


def test_nothing_named_before_the_pronoun_clears_it(rules):
    assert found(rules, "Rest helps. It is safe.") == []
    # named in a later sentence, not the claim's or one before it
    assert found(rules, "It is safe. Kratom comes from a tree.") == []


@pytest.mark.parametrize(("fillers", "flagged"), [(0, True), (1, True), (2, False), (5, False)])
def test_it_looks_back_exactly_two_sentences(rules, fillers, flagged):
    assert BACK_SENTENCES == 2
    text = "Kratom comes from a tree. " + "More words here. " * fillers + "It is safe."
    assert bool(found(rules, text)) is flagged


def test_a_claim_that_refers_back_as_a_whole(rules):
    assert found(rules, "Kava calms. Here is another option.") == [(1, 13, "safe-it", "Here is another option")]
    assert found(rules, "Rest calms. Here is another option.") == []


def test_the_heading_just_above_counts_but_never_an_earlier_paragraph(rules):
    assert found(rules, "# Kratom\n\nIt is safe.\n", markdown=True) == [(3, 1, "safe-it", "It is safe")]
    # The heading counts for the paragraph's first sentences only ...
    assert found(rules, "# Kratom\n\nOne. Two. It is safe.\n", markdown=True) == []
    # ... and the look-back never crosses into an earlier paragraph, or past a heading.
    assert found(rules, "Kratom comes from a tree.\n\nIt is safe.\n", markdown=True) == []
    assert found(rules, "Kratom comes from a tree.\n\n# Gardening\n\nIt is safe.\n", markdown=True) == []


def test_context_still_clears_a_claim_that_refers_back(rules):
    assert found(rules, "Kratom comes from a tree. It may be safe.") == []
    assert found(rules, "Kratom comes from a tree. It is not safe.") == []
    assert found(rules, "Kratom comes from a tree. Is it safe?") == []


def test_refers_without_refers_to_does_not_load(tmp_path: Path):
    with pytest.raises(DataError, match="refers_to"):
        load(tmp_path, RULE.replace("    refers_to: remedy\n  - name: another-option", "  - name: another-option"))


def test_refers_to_takes_no_scope(tmp_path: Path):
    with pytest.raises(DataError, match="without '@'"):
        load(tmp_path, RULE.replace("refers_to: remedy\n  - name", "refers_to: remedy@paragraph\n  - name"))


@pytest.mark.parametrize("value", ["5", "[]", "{remedy: 1}"])
def test_refers_to_is_a_lexicon_name_or_a_list_of_them(tmp_path: Path, value):
    with pytest.raises(DataError, match="'refers_to' must be a lexicon name like 'product'"):
        load(tmp_path, RULE.replace("refers_to: remedy\n  - name", f"refers_to: {value}\n  - name"))


def test_refers_to_belongs_in_a_pattern(tmp_path: Path):
    text = RULE.replace("    refers_to: remedy\n", "").replace("patterns:\n", "refers_to: remedy\npatterns:\n")
    with pytest.raises(DataError, match="'refers_to' belongs inside a pattern"):
        load(tmp_path, text)


def test_refers_to_names_a_defined_lexicon(tmp_path: Path):
    with pytest.raises(DataError, match="did you mean 'remedy'"):
        load(tmp_path, RULE.replace("refers_to: remedy\n  - name", "refers_to: remedi\n  - name"))


# --- the topic module on its own ----------------------------------------------------------------


def test_window_spans_two_sentences_back_and_the_heading_above():
    sentences = split_sentences("One here. Two here. Three here. Four.")
    assert window(sentences, 3, block=4, heading_above=True) == topic_module.Window(4, 10, 37, None)
    assert window(sentences, 1, block=4, heading_above=True) == topic_module.Window(4, 0, 19, 3)
    assert window(sentences, 1, block=4, heading_above=False) == topic_module.Window(4, 0, 19, None)


def test_mentions_answer_by_where_they_start():
    mentions = Mentions(re.compile(r"kava"), "kava and more kava")
    assert mentions.starts == [0, 14]
    assert mentions.any_between(0, 1) and mentions.any_between(1, 15)
    assert not mentions.any_between(1, 14) and not mentions.any_between(15, 100)


class _Block:
    def __init__(self, text: str) -> None:
        self.text = text


def test_each_block_is_searched_once_however_many_claims_ask():
    searched: list[str] = []

    class Counting:
        pattern = "kava"

        def finditer(self, text):
            searched.append(text)
            return re.finditer("Kava", text)

    blocks = [_Block("Kava here."), _Block("It is. It is. It is.")]
    topic = Topic(blocks)
    for _ in range(50):
        assert topic.named(Counting(), topic_module.Window(1, 0, 20, 0))
    assert searched == ["It is. It is. It is.", "Kava here."]


def test_one_long_paragraph_of_claims_searches_it_once(monkeypatch):
    """A claim in every sentence of one paragraph: each lexicon's mentions are found with one
    search of the paragraph, not one per claim (bench/pathological.py's refers-back input)."""
    built: list[int] = []
    original = topic_module.Mentions.__init__

    def counting(self, regex, text):
        built.append(len(text))
        original(self, regex, text)

    monkeypatch.setattr(topic_module.Mentions, "__init__", counting)
    rules = [r for r in load_rules().rules if r.info.id == "opioid-substitution"]
    unit = "I took oxycodone. Kava is sold here. So I switched. Here is another option. "
    findings = lint_source(from_text(unit * 100, "t.txt", False), rules).findings
    # "So I switched" has both words within two sentences; "another option" is three past the medicine.
    assert [f.text for f in findings] == ["So I switched"] * 100
    assert len(built) == 2  # rx and product_or_medicine_swap, once each


# --- the built-in rule --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def opioid():
    return [r for r in load_rules().rules if r.info.id == "opioid-substitution"]


@pytest.mark.parametrize(
    ("text", "column", "words"),
    [
        ("Tired of your painkillers? Here is another option.", 28, "Here is another option"),
        ("I took oxycodone for years. Then I swapped to this tea.", 29, "Then I swapped to this tea"),
        ("I was on Xanax for years. Kava replaced it completely.", 27, "Kava replaced it"),
        ("This remedy is so gentle. Mothers are using it for years instead of antibiotics.", 39, "using it for years instead of antibiotics"),
    ],
)
def test_opioid_substitution_claims_that_refer_back(opioid, text, column, words):
    assert found(opioid, text) == [(1, column, "opioid-substitution", words)]


@pytest.mark.parametrize(
    "text",
    [
        "Ibuprofen can upset the stomach. There are other options for pain relief.",
        "I took oxycodone for years. Then I switched doctors.",
        "Rest helps most back pain. Here is another option.",
        "Opioids can be addictive. Ask your doctor: there may be another option.",
    ],
)
def test_opioid_substitution_lets_careful_copy_through(opioid, text):
    assert found(opioid, text) == []
