"""Sentence splitting and context read each character a bounded number of times.

No timings here (speed lives in bench/). Instead: repeated text splits into exactly repeated
sentences; look-backs give the same answer however far back the word they read starts; each
cue scans a sentence once however many claims are asked about; and the cases at the edges of
every window and boundary give exact results.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

import healthlint.context as context_module
from healthlint.context import SentenceView, SentenceViews
from healthlint.document import AnalyzedDocument
from healthlint.parse.blocks import BlockKind, Document, Link, ProseBlock
from healthlint.sentences import Sentence, split_sentences
from healthlint.source import from_text


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def block_of(text: str, links: list[tuple[int, int]] = ()) -> ProseBlock:
    return ProseBlock(BlockKind.PARAGRAPH, text, list(range(len(text))), [Link(a, b, "https://example.org") for a, b in links])


def context_of(text: str, phrase: str, through: str | None = None, links: list[tuple[int, int]] = ()) -> set[str]:
    """Context flags of the first ``phrase`` in ``text``; the claim runs to the end of ``through``."""
    sentences = split_sentences(text)
    at = text.index(phrase)
    end = text.index(through, at) + len(through) if through else at + len(phrase)
    for i, s in enumerate(sentences):
        if s.start <= at < s.end:
            return SentenceView(block_of(text, links), sentences, i).context(at - s.start, end - s.start).active()
    raise AssertionError("phrase not in any sentence")


# --- repeated text splits into repeated sentences ----------------------------------------------

UNITS = [
    "Kratom is safe. ",
    "Dr. Smith et al. said it is safe [1]. Vitamin D. It helps (Jones, 2020). ",
    "Take approx. 5 mg, e.g. at night! Ask J. K. Rowling? See No. 5.\u00b9 ",
]


@pytest.mark.parametrize("unit", UNITS, ids=["plain", "abbreviations", "initials-and-marks"])
def test_twice_the_copies_give_twice_the_sentences_shifted(unit):
    once = split_sentences(unit * 40)
    twice = split_sentences(unit * 80)
    shift = len(unit) * 40
    assert len(twice) == 2 * len(once)
    assert twice[: len(once)] == once
    assert twice[len(once) :] == [Sentence(s.start + shift, s.end + shift, s.text) for s in once]


# --- look-backs: the answer does not depend on where the window starts -------------------------


@pytest.mark.parametrize("pairs", range(28, 38))
def test_dotted_initials_longer_than_the_look_back_window(pairs):
    # "a.a.a. ... a." is one dotted abbreviation whatever its length; read from a window that
    # starts inside it, it would look like ".a.a" (not initials) half the time and end the sentence.
    text = "Call " + "a." * pairs + " Then more."
    assert texts(text) == [text]


def test_et_al_right_after_a_long_word():
    long_word = "Supercalifragilisticexpialidocious" * 3
    assert texts(long_word + " et al. found it. Next.") == [long_word + " et al. found it.", "Next."]


def test_initials_after_a_ten_kilobyte_prefix():
    prefix = "word " * 2000
    assert texts(prefix + "by R. Patel. It helps.") == [prefix + "by R. Patel.", "It helps."]
    assert texts(prefix + "vitamin D. It helps.") == [prefix + "vitamin D.", "It helps."]


def test_lone_capital_reads_the_whole_previous_word_however_long():
    # The case of the previous word's FIRST letter decides: a lower-case word ends the sentence
    # ("vitamin D. It"), a capitalised one does not. Its tail is lower-case either way.
    tail = "x" * 10_000
    assert texts(tail + " D. It helps.") == [tail + " D.", "It helps."]
    assert texts("X" + tail + " D. It helps.") == ["X" + tail + " D. It helps."]


def test_a_line_break_before_the_full_stop_counts_as_the_end_of_the_word():
    assert texts("Ask Dr\n. Smith today. Done.") == ["Ask Dr\n. Smith today.", "Done."]
    assert texts("Ask vitamin D\n. It helps. Done.") == ["Ask vitamin D\n.", "It helps.", "Done."]


def test_runs_of_stops_and_superscripts_split_as_before():
    # A run of stops or of stops and closers glued to a word is not an end, at any point in the run.
    bangs = "Stop" + "!" * 500 + "x it."
    assert texts(bangs + " Next.") == [bangs, "Next."]
    dots = "Stop" + "." * 300 + ")" * 300 + "x it."
    assert texts(dots + " Next.") == [dots, "Next."]
    assert texts("Wow!!! Really?! Yes... Fine.") == ["Wow!!!", "Really?!", "Yes...", "Fine."]
    assert texts("It is safe.\u00b9\u00b2 Next.") == ["It is safe.\u00b9\u00b2", "Next."]
    glued = "It is safe." + "\u00b9" * 12 + "x and more."
    assert texts(glued + " Next one.") == [glued, "Next one."]


# --- context: windows and boundaries -----------------------------------------------------------


@pytest.mark.parametrize(("fillers", "hedged"), [(0, True), (4, True), (5, False), (18, False)])
def test_hedge_reaches_exactly_its_window(fillers, hedged):
    # "may" is 2 + fillers words before "safe"; the hedge window is 6 words.
    assert ("hedged" in context_of("It may " + "w " * fillers + "be safe.", "safe")) is hedged


def test_long_range_negation_reaches_any_distance_but_not_past_a_boundary():
    assert context_of("There is no evidence that " + "w " * 200 + "it is safe.", "safe") == {"negated"}
    assert context_of("There is no evidence that " + "w " * 200 + "but it is safe.", "safe") == set()


def test_boundaries_between_cue_and_claim():
    assert context_of("It is not cheap; it is safe.", "safe") == set()
    assert context_of("It is not cheap (it is safe).", "safe") == set()
    # A cue after the boundary still reaches; a boundary AT the claim is not between.
    assert context_of("It is not cheap; it may be safe.", "safe") == {"hedged"}
    assert context_of("It is not (safe).", "(safe") == {"negated"}
    # A boundary on the cue's own last word is not between: "no data which" ends on the "which"
    # that opens the boundary "which means".
    assert context_of("Kratom has no data which means it is safe.", "safe") == {"negated"}
    assert context_of("Kratom has no data, which means it is safe.", "safe") == set()


@pytest.mark.parametrize(("fillers", "embedded"), [(2, True), (3, True), (4, False)])
def test_embedding_verb_within_four_words_of_whether(fillers, embedded):
    got = context_of("Trials find out " + "w " * fillers + "whether it is safe.", "safe")
    assert ("embedded" in got) is embedded


def test_a_contrast_overlapping_the_claim_still_follows_it():
    # "it is not" starts inside the claim "it is"; "not so", inside it, starts after the claim.
    assert context_of("Users like it and it is not so.", "it is") == {"reported"}
    assert context_of("Users like it and it is right.", "it is") == set()


def test_a_contrast_opening_the_next_sentence_follows_the_claim():
    assert context_of("Some people use kratom for pain. But it is popular.", "use kratom") == {"reported"}
    assert context_of("Some people use kratom for pain. It is popular.", "use kratom") == set()


def test_a_condition_embeds_what_follows_it_in_its_clause():
    assert context_of("Kratom works if it is safe.", "safe") == {"embedded"}
    assert context_of("Kratom works, if it is safe.", "safe") == {"embedded"}
    assert context_of("Kratom is safe if you use it.", "safe") == set()
    assert context_of("If you use it, kratom is safe.", "safe") == set()


def test_a_cue_inside_the_last_word_of_a_pseudo_trigger_is_part_of_it():
    # "only'not" is one word: the "not" in it belongs to the pseudo-trigger "not only".
    assert context_of("Kratom is not only'not safe.", "safe") == set()
    assert context_of("Kratom is only'not safe.", "safe") == {"negated"}


def test_a_claim_in_quotes_up_to_the_closing_mark_is_mentioned_not_used():
    assert context_of('It is "safe".', '"safe"') == {"reported"}
    assert context_of('It is "safe".', "safe") == {"reported"}
    assert context_of('It is "very safe".', 'is "very safe"') == set()  # starts outside the quote


def test_links_cite_the_sentences_they_overlap_in_any_order():
    text = "One claim here. Two is cited here. Three is not."
    # An early long link covers "Two" though a later-starting short one ends before it.
    assert context_of(text, "Two", links=[(0, 60), (5, 8)]) == {"cited", "cited_nearby"}
    assert context_of(text, "Two", links=[(20, 22), (0, 16)]) == {"cited", "cited_nearby"}
    assert context_of(text, "Two", links=[(0, 16)]) == set()  # ends where the sentence starts
    assert context_of(text, "One", links=[(16, 17)]) == {"cited_nearby"}
    assert context_of(text, "One", links=[(15, 16)]) == set()  # the space between them


# --- each cue scans a sentence once ------------------------------------------------------------


class CountingPattern:
    """A regex that counts the scans made with it (its source and flags stay readable, so the
    cue prefilter can be built from it)."""

    def __init__(self, pattern, counts: dict[str, int], name: str) -> None:
        self._inner, self.counts, self.name = pattern, counts, name
        self.pattern, self.flags = pattern.pattern, pattern.flags
        counts[name] = 0

    def _count(self) -> None:
        self.counts[self.name] += 1

    def finditer(self, *args):
        self._count()
        return self._inner.finditer(*args)

    def search(self, *args):
        self._count()
        return self._inner.search(*args)

    def match(self, *args):
        self._count()
        return self._inner.match(*args)

    def finditer_at(self, *args):
        self._count()
        return self._inner.finditer_at(*args)

    def matches_at(self, *args):
        self._count()
        return self._inner.matches_at(*args)


@pytest.fixture
def scans(monkeypatch) -> dict[str, int]:
    """Scans made with each cue's pattern (by cue name) by the SentenceViews built in the test."""
    counts: dict[str, int] = {}
    loaded = context_module.cues()
    counted = dataclasses.replace(
        loaded,
        records=tuple(dataclasses.replace(r, pattern=CountingPattern(r.pattern, counts, r.name)) for r in loaded.records),
        rhetorical=CountingPattern(loaded.rhetorical, counts, "rhetorical"),
    )
    monkeypatch.setattr(context_module, "cues", lambda: counted)
    return counts


def word_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"\w+", text)]


def test_each_cue_scans_a_sentence_once_however_many_claims(scans):
    text = 'Some users say it "may be safe" if you ask whether it is not so, but it is safe, which is a myth, and no ' * 30
    sentences = split_sentences(text)
    assert len(sentences) == 1
    view = SentenceView(block_of(text), sentences, 0)
    for start, end in word_spans(sentences[0].text):
        view.context(start, end)
    contrasts = 3 * 30  # "it is not", "not so" inside "it is not so", and "but"
    debunks = 30  # "is a myth"
    assert scans["hedges"] == scans["negation"] == scans["complementizers"] == scans["distancing"] == 1
    assert all(count <= 1 for name, count in scans.items() if name not in ("contrast", "debunk")), scans
    # Backward cues reach by their first word, so overlapping matches count too: each is tried
    # at every place one of its beginnings occurs, in one pass, however many claims (a cue
    # whose beginnings are unknown is searched on from each match: matches + 1 scans).
    loaded = context_module.cues()
    for name, matches in (("contrast", contrasts), ("debunk", debunks)):
        assert scans[name] == (1 if loaded.starts[name] else matches + 1), (name, scans[name])


def test_document_views_share_the_neighbour_they_read(scans):
    text = "Research suggests it is safe. A 2020 review of trials found this [1]."
    block = block_of(text)
    doc = AnalyzedDocument(Document(from_text(text, "t.txt", False), [block]))
    for _ in range(3):
        for s in range(len(doc.sentences[0])):
            view = doc.view(0, s)
            for start, end in word_spans(view.text):
                assert view.context(start, end).cited_nearby
    assert doc.view(0, 0) is doc.view(0, 0)
    # Once, in the one sentence that may hold a citation (the prefilter rules out the first),
    # though the first sentence reads the second too.
    assert scans["citations"] == 1


def test_views_built_for_a_block_are_reused():
    text = "It is safe. It may be safe."
    views = SentenceViews(block_of(text), split_sentences(text))
    assert views.view(1) is views.view(1)
    assert views.view(0).context(6, 10).active() == set()
    assert views.view(1).context(13, 17).active() == {"hedged"}


def test_addresses_found_at_the_first_letter_of_their_run():
    """protect_urls tries an address only where a run of address characters starts (it was
    quadratic on "a-b-c-d-..."), and still reports it from its first letter, as before."""
    from healthlint.parse.urls import protect_urls

    text = "see www.nih.gov, or mail -.x@y.com and .john@a.org now"
    assert [text[a:b] for a, b in protect_urls(text)] == ["www.nih.gov", "x@y.com", "john@a.org"]
    chain = "a-b-c-d-" * 5000
    assert protect_urls(chain) == []
    assert protect_urls(chain + "e@x.org") == [(0, len(chain) + 7)]


def test_a_cue_is_not_scanned_in_a_sentence_without_its_words(scans):
    text = "Kratom is safe. Kratom may be safe."
    sentences = split_sentences(text)
    views = SentenceViews(block_of(text), sentences)
    first = views.view(0).context(10, 14)  # "safe" in the plain claim
    assert scans["hedges"] == 0 and not first.hedged
    second = views.view(1).context(sentences[1].text.index("safe"), sentences[1].text.index("safe") + 4)
    assert scans["hedges"] == 1 and second.hedged


def test_the_words_before_each_claim_come_from_one_index_per_sentence(monkeypatch):
    """subject_not reads the words before every candidate claim; in one long sentence with a
    claim at every step that was quadratic. The sentence is indexed once, however many claims."""
    import healthlint.kinds.claim as claim_module
    from healthlint.engine import lint_source
    from healthlint.ruleset import load_rules

    built: list[int] = []
    original = claim_module.ClauseWords.__init__

    def counting(self, text):
        built.append(len(text))
        original(self, text)

    monkeypatch.setattr(claim_module.ClauseWords, "__init__", counting)
    rules = [r for r in load_rules().rules if r.info.id == "unhedged-safety-claim"]
    text = "Most palpitations are harmless and " * 200 + "kratom is harmless.\n"
    findings = lint_source(from_text(text, "t.txt", False), rules).findings
    assert len(built) == 1
    # ... and the index gives the answers the words just before each claim give.
    assert [f.text for f in findings] == ["is harmless"]


@pytest.mark.parametrize(
    "text, start, words",
    [
        ("Palpitations come and go, but this tea is harmless.", 39, " this tea "),
        ("a b c d e f g h i j k l m n is", 28, "c d e f g h i j k l m n "),
        ("Rashes; it is safe", 14, " it is "),
        ("It is safe", 0, ""),
    ],
)
def test_clause_words_before_a_claim(text, start, words):
    from healthlint.kinds.claim import ClauseWords

    assert ClauseWords(text).before(start) == words
