"""Context: what surrounds a claim, understood once for every rule.

Given a sentence and the span of a candidate claim in it, decide whether the claim is
negated ("is not safe"), hedged ("may be safe"), cited ("[1]", "(Smith et al., 2020)"),
asked ("Is kratom safe?"), embedded ("trials find out whether it is safe"), reported to be
debunked ("sellers claim it is 'completely safe', but ..."), or clinician-led.

The cue words live in ``data/context.yaml``. Reach is measured in words, NegEx-style:
a cue affects a claim that follows it within a window, unless a clause boundary
("but", ";", a dash) stands between them.

A sentence is read once: every cue's positions, its boundaries and its sentence-wide facts
(cited, a question, a clinician) are found on first use, so asking about one more claim costs
a few binary searches, not another pass over the sentence.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
from functools import cached_property, lru_cache
from importlib import resources
from itertools import accumulate

from healthlint.lexicon import alternation, compile_words
from healthlint.parse.blocks import ProseBlock
from healthlint.sentences import Sentence
from healthlint.yamlfile import load_yaml

_TOKEN = re.compile(r"[\w’'%\-]+|[^\w\s]")
_BOUNDARY_PUNCT = frozenset(";:—–()[]")
_QUOTED = re.compile(r"\"[^\"]+\"|“[^”]+”|‘[^’]+’|(?<![\w’'])'[^']+'(?![\w’'])")
_CLOSERS = "\"'”’)]*_ \t"


@dataclass(frozen=True)
class ClaimContext:
    """Everything the engine knows about the context of one candidate claim."""

    negated: bool = False
    hedged: bool = False
    cited: bool = False  # a citation in the same sentence
    cited_nearby: bool = False  # in the same or the following sentence
    question: bool = False
    embedded: bool = False  # an embedded question, a purpose or a condition
    reported: bool = False  # attributed to others and distanced or debunked
    clinician: bool = False  # a clinician is named in the sentence

    def active(self) -> set[str]:
        return {f.name for f in fields(self) if getattr(self, f.name)}


CONTEXT_FLAGS = frozenset(f.name for f in fields(ClaimContext))


class _Cues:
    """Compiled cue lexicons from data/context.yaml."""

    def __init__(self, data: dict) -> None:
        neg = data["negation"]
        self.negation_window = int(neg["window"])
        self.negation = compile_words(neg["triggers"])
        self.pseudo = compile_words(neg["pseudo"])
        self.long_negation = compile_words(neg["long_range"])
        self.terminators = compile_words(data["terminators"])
        self.hedge_window = int(data["hedges"]["window"])
        self.hedges = compile_words(data["hedges"]["words"])
        q = data["questions"]
        self.question_openers = frozenset(w.lower() for w in q["openers"])
        self.rhetorical = re.compile(r"^\W*" + alternation(q["rhetorical"]) + r"\b", re.I)
        emb = data["embedded"]
        self.embedded_window = int(emb["window"])
        self.embedding_verbs = compile_words(emb["verbs"])
        self.complementizers = compile_words(emb["complementizers"])
        self.purposes = compile_words(emb["purposes"])
        self.conditionals = compile_words(emb["conditionals"])
        rep = data["reported"]
        self.distancing = compile_words(rep["distancing"])
        self.reporting_verbs = compile_words(rep["verbs"])
        self.third_party = compile_words(rep["third_party"])
        self.contrast = compile_words(rep["contrast"])
        self.contrast_opening = re.compile(r"^\W*" + alternation(rep["contrast"]) + r"\b", re.I)
        cit = data["citations"]
        self.citation = re.compile("|".join(f"(?:{_raw(p)})" for p in cit["patterns"]))
        self.named_source = re.compile("|".join(f"(?:{_raw(p)})" for p in cit["named_sources"]))
        self.following = int(cit["following_sentences"])
        self.clinicians = compile_words(data["clinicians"])


def _raw(entry: str) -> str:
    return entry[3:] if entry.startswith("re:") else re.escape(entry)


@lru_cache(maxsize=1)
def cues() -> _Cues:
    path = resources.files("healthlint") / "data" / "context.yaml"
    return _Cues(load_yaml(str(path)))


@dataclass(frozen=True)
class _Spans:
    """A cue's matches as token ranges (first, last), ordered by last and without repeats."""

    pairs: tuple[tuple[int, int], ...]
    lasts: tuple[int, ...]

    @classmethod
    def of(cls, pairs: Iterable[tuple[int, int]]) -> _Spans:
        ordered = tuple(sorted(set(pairs), key=lambda pair: (pair[1], pair[0])))
        return cls(ordered, tuple(last for _, last in ordered))


def _without_final_note(text: str) -> str:
    r"""``text`` without a bracketed or parenthesised note at its very end ("safe? [1]" -> "safe?").

    The same as ``re.sub(r"\s*(?:\[[^\]]*\]|\([^)]*\))$", "", text)``, which tries every start in
    the text and so takes quadratic time on many unclosed brackets."""
    end = len(text) - 1 if text.endswith("\n") else len(text)  # "$" also matches before a final newline
    close = text[end - 1 : end]
    if close not in ("]", ")"):
        return text
    opener = "[" if close == "]" else "("
    start = text.find(opener, text.rfind(close, 0, end - 1) + 1, end - 1)
    if start == -1:
        return text
    return text[:start].rstrip() + text[end:]


class SentenceViews:
    """The sentence views of one block, each built on first use and then shared, so a sentence
    read as the neighbour of another is not read again; the block's links are indexed once."""

    def __init__(self, block: ProseBlock, sentences: list[Sentence]) -> None:
        self.block = block
        self.sentences = sentences
        self._views: dict[int, SentenceView] = {}

    def view(self, index: int) -> SentenceView:
        if index not in self._views:
            self._views[index] = SentenceView(self.block, self.sentences, index, self)
        return self._views[index]

    def adopt(self, view: SentenceView) -> None:
        """Share a view built on its own (the first one asked for wins)."""
        self._views.setdefault(view.index, view)

    @cached_property
    def _links(self) -> tuple[list[int], list[int]]:
        """Link starts in order, and the furthest end among the links up to each one."""
        ordered = sorted(self.block.links, key=lambda link: link.start)
        return [link.start for link in ordered], list(accumulate((link.end for link in ordered), max))

    def overlaps_link(self, start: int, end: int) -> bool:
        """Does any link's text overlap the block characters [start, end)?"""
        starts, furthest = self._links
        before_end = bisect.bisect_left(starts, end)
        return before_end > 0 and furthest[before_end - 1] > start


class SentenceView:
    """One sentence with its words and cue positions, computed lazily and once."""

    def __init__(self, block: ProseBlock, sentences: list[Sentence], index: int, siblings: SentenceViews | None = None) -> None:
        self.block = block
        self.sentences = sentences
        self.index = index
        self.sentence = sentences[index]
        self.text = self.sentence.text
        self.cues = cues()
        self.siblings = siblings if siblings is not None else SentenceViews(block, sentences)
        self.siblings.adopt(self)
        self._cue_spans: dict[str, _Spans] = {}

    @cached_property
    def _tokens(self) -> tuple[list[int], list[str]]:
        starts, words = [], []
        for m in _TOKEN.finditer(self.text):
            starts.append(m.start())
            words.append(m.group().lower())
        return starts, words

    def _token_at(self, char: int) -> int:
        """Index of the token containing (or last starting before) a character."""
        return max(0, bisect.bisect_right(self._tokens[0], char) - 1)

    def _spans(self, pattern: re.Pattern) -> _Spans:
        """Token index ranges [first, last] of a cue pattern's matches."""
        return _Spans.of((self._token_at(m.start()), self._token_at(m.end() - 1)) for m in pattern.finditer(self.text))

    def _cue(self, name: str) -> _Spans:
        """Spans of the cue lexicon ``cues().<name>``, found once per sentence."""
        if name not in self._cue_spans:
            self._cue_spans[name] = self._spans(getattr(self.cues, name))
        return self._cue_spans[name]

    @cached_property
    def _boundaries(self) -> set[int]:
        _, words = self._tokens
        found = {i for i, w in enumerate(words) if w in _BOUNDARY_PUNCT}
        for first, _last in self._cue("terminators").pairs:
            found.add(first)
        return found

    @cached_property
    def _ordered_boundaries(self) -> list[int]:
        return sorted(self._boundaries)

    def _reaching(self, spans: _Spans, anchor: int, window: int | None) -> range:
        """Indices into ``spans.pairs`` of the cues that end before ``anchor``, within ``window``
        words (None: any distance), with no boundary between: a contiguous run, since the
        pairs are ordered by their last word and a boundary blocks every cue before it."""
        floor = 0 if window is None else anchor - window
        boundaries = self._ordered_boundaries
        before = bisect.bisect_left(boundaries, anchor)
        if before:
            floor = max(floor, boundaries[before - 1])  # the last boundary before the anchor
        return range(bisect.bisect_left(spans.lasts, floor), bisect.bisect_left(spans.lasts, anchor))

    def _reaches(self, spans: _Spans, anchor: int, window: int | None) -> bool:
        """Does a cue end before ``anchor`` within ``window`` words, with no boundary between?"""
        return len(self._reaching(spans, anchor, window)) > 0

    @cached_property
    def _pseudo_cover(self) -> tuple[list[int], list[int]]:
        """Pseudo-trigger first words in order, and the furthest last word among those up to each."""
        ordered = sorted(self._cue("pseudo").pairs)
        return [first for first, _ in ordered], list(accumulate((last for _, last in ordered), max))

    def _real(self, spans: _Spans) -> _Spans:
        """Drop cues that are part of a pseudo-trigger ("no surprise that", "not only")."""
        firsts, furthest = self._pseudo_cover

        def in_pseudo(token: int) -> bool:
            up_to = bisect.bisect_right(firsts, token)
            return up_to > 0 and furthest[up_to - 1] >= token

        return _Spans.of(pair for pair in spans.pairs if not in_pseudo(pair[0]))

    @cached_property
    def _negation_spans(self) -> _Spans:
        return self._real(self._cue("negation"))

    @cached_property
    def _long_negation_spans(self) -> _Spans:
        return self._real(self._cue("long_negation"))

    @cached_property
    def cited(self) -> bool:
        if self.cues.citation.search(self.text) or self.cues.named_source.search(self.text):
            return True
        return self.siblings.overlaps_link(self.sentence.start, self.sentence.end)

    @cached_property
    def question(self) -> bool:
        stripped = _without_final_note(self.text.rstrip(_CLOSERS)).rstrip(_CLOSERS)
        if not stripped.endswith("?"):
            return False
        if self.cues.rhetorical.match(self.text):
            return False
        # "Is kratom safe?", and also "Honest question, is kratom safe?": a clause opening the question.
        _, words = self._tokens
        openers = [words[i + 1] for i, w in enumerate(words[:-1]) if w in {",", ":", "\u2014", "-"}]
        first = next((w for w in words if w[0].isalnum()), "")
        return first in self.cues.question_openers or any(w in self.cues.question_openers for w in openers)

    @cached_property
    def _clinician(self) -> bool:
        return bool(self.cues.clinicians.search(self.text))

    @cached_property
    def _has_reporting_verb(self) -> bool:
        return bool(self.cues.reporting_verbs.search(self.text))

    @cached_property
    def _last_contrast_start(self) -> int:
        """Where the last contrast cue starts (-1: none), counting overlapping ones: "it is not
        so" holds "not so" inside "it is not", and a claim between them is followed by one."""
        last = -1
        m = self.cues.contrast.search(self.text)
        while m:
            last = m.start()
            m = self.cues.contrast.search(self.text, last + 1)
        return last

    @cached_property
    def _next_opens_with_contrast(self) -> bool:
        nxt = self.index + 1
        return nxt < len(self.sentences) and bool(self.cues.contrast_opening.match(self.sentences[nxt].text))

    @cached_property
    def _quotes(self) -> tuple[list[int], list[int]]:
        """Starts and ends of the quoted stretches, in order (they do not overlap)."""
        spans = [m.span() for m in _QUOTED.finditer(self.text)]
        return [start for start, _ in spans], [end for _, end in spans]

    def _quote_lengths_around(self, start: int, end: int) -> list[int]:
        """Lengths of the quotes that contain the characters [start, end)."""
        starts, ends = self._quotes
        lengths = []
        i = bisect.bisect_right(starts, start) - 1  # the quotes opening at or before start ...
        while i >= 0 and ends[i] >= end:  # ... whose ends, falling as i falls, reach end
            lengths.append(ends[i] - starts[i])
            i -= 1
        return lengths

    def context(self, start: int, end: int) -> ClaimContext:
        """Context of a claim at sentence-relative characters [start, end)."""
        anchor = self._token_at(start)
        return ClaimContext(
            negated=self._negated(anchor),
            hedged=self._reaches(self._cue("hedges"), anchor, self.cues.hedge_window),
            cited=self.cited,
            cited_nearby=self.cited or self._cited_following,
            question=self.question,
            embedded=self._embedded(anchor),
            reported=self._reported(anchor, start, end),
            clinician=self._clinician,
        )

    def _negated(self, anchor: int) -> bool:
        return self._reaches(self._negation_spans, anchor, self.cues.negation_window) or self._reaches(
            self._long_negation_spans, anchor, None
        )

    @cached_property
    def _cited_following(self) -> bool:
        for offset in range(1, self.cues.following + 1):
            i = self.index + offset
            if i < len(self.sentences) and self.siblings.view(i).cited:
                return True
        return False

    def _embedded(self, anchor: int) -> bool:
        window = self.cues.embedded_window
        if self._reaches(self._cue("purposes"), anchor, window):
            return True
        verbs = self._cue("embedding_verbs")
        complementizers = self._cue("complementizers")
        for i in self._reaching(complementizers, anchor, window):
            first = complementizers.pairs[i][0]
            if self._reaches(verbs, first, 4):
                return True  # "find out whether", "ask your doctor what"
            if self._clause_start(first) and self._tokens[1][first] in {"what", "how", "whether"}:
                return True  # a heading or clause like "What the evidence says"
        # A condition opening the clause: "If it is safe for you, ...".
        conditionals = self._cue("conditionals")
        return any(self._clause_start(conditionals.pairs[i][0]) for i in self._reaching(conditionals, anchor, window))

    def _clause_start(self, token: int) -> bool:
        words = self._tokens[1]
        return token == 0 or (token - 1) in self._boundaries or words[token - 1] in {",", ":", "\u2014"}

    def _reported(self, anchor: int, start: int, end: int) -> bool:
        if self._reaches(self._cue("distancing"), anchor, None):
            return True
        contrasted = self._last_contrast_start >= max(end, 0) or self._next_opens_with_contrast
        if contrasted and self._reaches(self._cue("third_party"), anchor, None):
            return True  # "Some people use kratom for withdrawal, but it is not approved."
        quotes = self._quote_lengths_around(start, end)
        if not quotes:
            return False
        if any(length - (end - start) <= 4 for length in quotes):
            return True  # the phrase itself is in quotes: mentioned as a term, not used
        return contrasted or self._has_reporting_verb
