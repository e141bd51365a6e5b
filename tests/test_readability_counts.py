"""The reading-level counts (healthlint.readability.count and Counts) against textstat itself.

The rule counts each block once and adds the counts up; textstat stays the reference. Every
count and score here must equal, exactly, what textstat's own functions give on the same text:
on awkward strings (always), on every paragraph and document of the NIH corpus and on the seed
article (when ../shared has them).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import NIH, SEED

from healthlint.parse.prose import PROSE_KINDS, prose_text
from healthlint.parse import parse
from healthlint.readability import Counts, count, grade, joined, pronouncing_dictionary, scores, textstat, word_syllables
from healthlint.source import from_text, read_source

TRICKY = [
    "",
    " \n ",
    ".",
    "?!.",
    "...",
    "Overview.",
    "Physical Exam",
    "Don't stop. We've tried. It's fine; they'd know, you'll see, we're sure.",
    "'Tis the season. Rock 'n' roll. O'Brien's patients' rights. ''s",
    "A well-known co-operative - and a long—dash – here. Self-care is key-.",
    "\u2018Curly\u2019 quotes, \u201cdouble\u201d quotes, 'single' quotes and \"straight\" ones.",
    "Take 1,000 mg (about 3.5 tablets) 2 times a day in the 2010s. 1 2 3. 4 5.",
    "Use it, e.g. twice a day, i.e. morning and night. Dr. Smith agrees. U.S.A. is big.",
    "Wait... what? Really!? Yes\u2026 no\u2026 maybe.",
    "Kratom, mitragynine and 7-hydroxymitragynine were studied by pharmacokineticists.",
    "Caf\u00e9 na\u00efve fa\u00e7ade Stra\u00dfe \u0130stanbul \u03a3\u038a\u03a3\u03a5\u03a6\u039f\u03a3 \u00c6sir \ufb01nance.",
    "snake_case __init__ x_1 https://example.com/a-b?x=1&y=2 user@example.org #tag",
    "Hmm. Shh! Pssst. Brr. Mm-hmm.",
    "Calledvasculitisvaskyulitis carbohydratecontaining yearsuntil prostatitislonglasting.",
    "- \u2014 * & ( ) [ ] { } / \\ | ~ ^ % $ # @",
    "one two\tthree\nfour\u00a0five\u2003six\u2028seven eight",
    "ALL CAPS SENTENCE HERE. MiXeD CaSe WoRdS.",
    "A b. C d e. F g h i! J? K l m?",
    "it's " * 30,
]


def _textstat_sentence_runs(text: str) -> int:
    """textstat's count_sentences before its minimum of one (its own code, and its count_words)."""
    from textstat.backend import counts

    sentences = re.findall(r"\b[^.!?]+[.!?]*", text, re.UNICODE)
    return len(sentences) - sum(1 for sentence in sentences if counts.count_words(sentence) <= 2)


def _assert_matches_textstat(text: str, counts: Counts | None = None) -> None:
    ts = textstat()
    c = count(text) if counts is None else counts
    assert c.characters == len(text)
    assert c.tokens == len(text.split())
    assert c.words == ts.lexicon_count(text), text
    assert c.syllables == ts.syllable_count(text), text
    assert c.long_words == ts.polysyllabcount(text), text
    assert c.sentences == ts.sentence_count(text), text
    assert c.sentence_runs == _textstat_sentence_runs(text), text
    assert c.flesch_kincaid_grade == ts.flesch_kincaid_grade(text), text
    assert c.smog_index == ts.smog_index(text), text


def _assert_words_match_textstat(text: str) -> None:
    """Each word's syllables, one by one, as textstat's count_polysyllable_words counts them."""
    ts = textstat()
    from textstat.backend.selections._list_words import list_words

    for word in list_words(text):
        assert word_syllables(word) == ts.syllable_count(word), word


@pytest.mark.parametrize("text", TRICKY)
def test_counts_and_scores_equal_textstat_on_awkward_text(text):
    _assert_matches_textstat(text)
    _assert_words_match_textstat(text)
    assert grade(text) == textstat().flesch_kincaid_grade(text)
    s = scores(text)
    assert (s.flesch_kincaid_grade, s.smog, s.words) == (
        textstat().flesch_kincaid_grade(text),
        textstat().smog_index(text),
        textstat().lexicon_count(text),
    )
    assert s.sentences == max(1, textstat().sentence_count(text))


def test_a_documents_counts_are_its_blocks_counts_added_up():
    # Every awkward string as a paragraph, a list item and a heading (left out of the prose).
    markdown = "\n\n".join(f"{t}\n\n- {t}\n\n## {t}" for t in TRICKY if t.strip())
    doc = parse(from_text(markdown, "tricky.md"))
    _assert_document_adds_up(doc)


def test_joining_empty_texts_still_makes_one_sentence():
    # prose_text joins two blank blocks into "\n\n": not empty, so textstat counts one sentence.
    both = joined([count(""), count("")])
    assert both == count("\n\n") and both.sentences == textstat().sentence_count("\n\n") == 1
    assert joined([]) == count("") and joined([]).sentences == 0


def test_a_huge_text_is_counted_exactly():
    # Past 2**20 tokens the packed counts are added up in halves.
    text = "Pharmacology is hard, isn't it? -- " * 220_000
    c = count(text)
    assert (c.tokens, c.words, c.long_words, c.sentence_runs) == (1_320_000, 1_100_000, 220_000, 220_000)
    assert c.syllables == 220_000 * sum(word_syllables(w) for w in ("Pharmacology", "is", "hard", "isn't", "it"))


def test_the_pronouncing_dictionary_keeps_its_mapping_api():
    words = pronouncing_dictionary()
    assert len(words) > 100_000 and "providing" in words and "xqzvbn" not in words
    assert words["hello"] == [words["hello"][0]] and all(isinstance(p, str) for p in words["hello"][0])
    assert sum(1 for p in words["pharmacology"][0] if p[-1].isdigit()) == words.syllables["pharmacology"]
    with pytest.raises(KeyError):
        words["xqzvbn"]


def test_syllables_match_textstat_for_dictionary_words_and_others():
    # The CMU dictionary's words that are words to textstat (none of its punctuation) and, for
    # pyphen's hyphenation, the same words reversed (mostly not in it).
    ts = textstat()
    from textstat.backend.selections._list_words import list_words

    words = sorted(pronouncing_dictionary())
    for word in words + [w[::-1] for w in words[::5]]:
        if list_words(word) == [word]:
            assert word_syllables(word) == ts.syllable_count(word), word


def test_counting_plain_words_loads_neither_textstat_nor_pyphen():
    code = (
        "import sys; from healthlint.readability import count; count('The cat sat on the mat.'); "
        "print('textstat' in sys.modules, 'pyphen' in sys.modules, 'nltk' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "False"]


def test_words_outside_the_cmu_dictionary_are_counted_from_kept_tables_without_pyphen(tmp_path):
    """The hyphenation tables are kept with the rules: the first run builds them with pyphen, a
    later one reads them without importing it, and both count as pyphen counts."""
    words = "kratom mitragynine kavalactones ashwagandha"
    code = (
        "import sys; from healthlint.readability import word_syllables; "
        f"print(*[word_syllables(w) for w in {words.split()!r}], 'pyphen' in sys.modules)"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("HEALTHLINT_NO_RULE_CACHE", None)
    built, kept = (subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout.split() for _ in range(2))
    import pyphen

    expected = [str(len(pyphen.Pyphen(lang="en_US").positions(w)) + 1) for w in words.split()]
    assert built == [*expected, "True"]
    assert kept == [*expected, "False"]


def _assert_document_adds_up(doc) -> None:
    blocks = [b for b in doc.blocks if b.kind in PROSE_KINDS]
    parts = []
    for block in blocks:
        text = prose_text([block])
        parts.append(count(text))
        _assert_matches_textstat(text, parts[-1])
        assert parts[-1].tokens == len(block.text.split())
    whole = prose_text(doc.blocks)
    assert joined(parts) == count(whole)
    _assert_matches_textstat(whole, joined(parts))
    _assert_words_match_textstat(whole)


def test_counts_equal_textstat_on_the_seed_article():
    if not SEED.exists():
        pytest.skip("../shared/fixtures/kratom-article.txt is not present")
    _assert_document_adds_up(parse(read_source(SEED)))


def _nih_files() -> list[Path]:
    if not NIH.is_dir():
        return []
    return sorted(p for p in NIH.rglob("*") if p.suffix in (".md", ".txt"))


def test_counts_equal_textstat_on_every_nih_paragraph_and_document():
    files = _nih_files()
    if not files:
        pytest.skip("../shared/corpus/nih is not present")
    for path in files:
        _assert_document_adds_up(parse(read_source(path)))


def test_hyphenation_points_are_counted_as_pyphen_counts_them():
    """Words not in the CMU dictionary get pyphen's hyphenation points plus one; healthlint
    counts those points itself, faster, from pyphen's patterns. Same count for every word."""
    from healthlint.readability import _hyphenation_points, _hyphenator

    pyphen, fast = _hyphenator("en_US"), _hyphenation_points("en_US")
    words = sorted(pronouncing_dictionary())[::40] + [
        "", "a", "ab", "kratom", "mitragynine", "7-hydroxymitragynine", "x-ray", "naïve", "ÉCOLE",
        "İstanbul", "co-operate", "kratom’s", "1990s", "ﬁnal", "antidisestablishmentarianism",
    ]
    differ = [w for w in words if fast.count(w) != len(pyphen.positions(w))]
    assert not differ
    assert fast.count("mitragynine") == len(pyphen.positions("mitragynine")) >= 2  # a word with points
