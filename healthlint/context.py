"""Context: what surrounds a claim, understood once for every rule.

Given a sentence and the span of a candidate claim in it, decide whether the claim is
negated ("is not safe"), hedged ("may be safe"), cited ("[1]", "(Smith et al., 2020)"),
asked ("Is kratom safe?"), embedded ("trials find out whether it is safe"), reported to be
debunked ("sellers claim it is 'completely safe', but ..."), or clinician-led.

The cue words live in ``data/context.yaml``. Reach is measured in words, NegEx-style:
a cue affects a claim that follows it within a window, unless a clause boundary
("but", ";", a dash) stands between them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, fields
from functools import cached_property, lru_cache
from importlib import resources

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


class SentenceView:
    """One sentence with its words and cue positions, computed lazily and once."""

    def __init__(self, block: ProseBlock, sentences: list[Sentence], index: int) -> None:
        self.block = block
        self.sentences = sentences
        self.index = index
        self.sentence = sentences[index]
        self.text = self.sentence.text
        self.cues = cues()

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

    def _spans(self, pattern: re.Pattern) -> list[tuple[int, int]]:
        """Token index ranges [first, last] of a cue pattern's matches."""
        out = []
        for m in pattern.finditer(self.text):
            out.append((self._token_at(m.start()), self._token_at(m.end() - 1)))
        return out

    @cached_property
    def _boundaries(self) -> set[int]:
        _, words = self._tokens
        found = {i for i, w in enumerate(words) if w in _BOUNDARY_PUNCT}
        for first, _last in self._spans(self.cues.terminators):
            found.add(first)
        return found

    def _reaches(self, spans: list[tuple[int, int]], anchor: int, window: int | None) -> bool:
        """Does a cue end before ``anchor`` within ``window`` words, with no boundary between?"""
        for first, last in spans:
            if last >= anchor or (window is not None and anchor - last > window):
                continue
            if not any(last < b < anchor for b in self._boundaries):
                return True
        return False

    @cached_property
    def _pseudo_spans(self) -> list[tuple[int, int]]:
        return self._spans(self.cues.pseudo)

    def _real(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Drop cues that are part of a pseudo-trigger ("no surprise that", "not only")."""
        return [s for s in spans if not any(p0 <= s[0] <= p1 for p0, p1 in self._pseudo_spans)]

    @cached_property
    def _negation_spans(self) -> list[tuple[int, int]]:
        return self._real(self._spans(self.cues.negation))

    @cached_property
    def cited(self) -> bool:
        if self.cues.citation.search(self.text) or self.cues.named_source.search(self.text):
            return True
        start, end = self.sentence.start, self.sentence.end
        return any(link.start < end and start < link.end for link in self.block.links)

    @cached_property
    def question(self) -> bool:
        stripped = self.text.rstrip(_CLOSERS)
        stripped = re.sub(r"\s*(?:\[[^\]]*\]|\([^)]*\))$", "", stripped).rstrip(_CLOSERS)
        if not stripped.endswith("?"):
            return False
        if self.cues.rhetorical.match(self.text):
            return False
        # "Is kratom safe?", and also "Honest question, is kratom safe?": a clause opening the question.
        _, words = self._tokens
        openers = [words[i + 1] for i, w in enumerate(words[:-1]) if w in {",", ":", "\u2014", "-"}]
        first = next((w for w in words if w[0].isalnum()), "")
        return first in self.cues.question_openers or any(w in self.cues.question_openers for w in openers)

    def _next_sentence_text(self) -> str:
        nxt = self.index + 1
        return self.sentences[nxt].text if nxt < len(self.sentences) else ""

    def context(self, start: int, end: int) -> ClaimContext:
        """Context of a claim at sentence-relative characters [start, end)."""
        anchor = self._token_at(start)
        return ClaimContext(
            negated=self._negated(anchor),
            hedged=self._reaches(self._spans(self.cues.hedges), anchor, self.cues.hedge_window),
            cited=self.cited,
            cited_nearby=self.cited or self._cited_following(),
            question=self.question,
            embedded=self._embedded(anchor),
            reported=self._reported(anchor, start, end),
            clinician=bool(self.cues.clinicians.search(self.text)),
        )

    def _negated(self, anchor: int) -> bool:
        return self._reaches(self._negation_spans, anchor, self.cues.negation_window) or self._reaches(
            self._real(self._spans(self.cues.long_negation)), anchor, None
        )

    def _cited_following(self) -> bool:
        for offset in range(1, self.cues.following + 1):
            i = self.index + offset
            if i < len(self.sentences) and SentenceView(self.block, self.sentences, i).cited:
                return True
        return False

    def _embedded(self, anchor: int) -> bool:
        window = self.cues.embedded_window
        if self._reaches(self._spans(self.cues.purposes), anchor, window):
            return True
        verbs = self._spans(self.cues.embedding_verbs)
        for first, last in self._spans(self.cues.complementizers):
            if not self._reaches([(first, last)], anchor, window):
                continue
            if any(0 < first - v_last <= 4 and not any(v_last < b < first for b in self._boundaries) for _, v_last in verbs):
                return True
            if self._clause_start(first) and self._tokens[1][first] in {"what", "how", "whether"}:
                return True  # a heading or clause like "What the evidence says"
        # A condition opening the clause: "If it is safe for you, ...".
        for first, last in self._spans(self.cues.conditionals):
            if self._clause_start(first) and self._reaches([(first, last)], anchor, window):
                return True
        return False

    def _clause_start(self, token: int) -> bool:
        words = self._tokens[1]
        return token == 0 or (token - 1) in self._boundaries or words[token - 1] in {",", ":", "\u2014"}

    def _reported(self, anchor: int, start: int, end: int) -> bool:
        if self._reaches(self._spans(self.cues.distancing), anchor, None):
            return True
        contrasted = bool(self.cues.contrast.search(self.text, end)) or bool(
            self.cues.contrast_opening.match(self._next_sentence_text())
        )
        if contrasted and self._reaches(self._spans(self.cues.third_party), anchor, None):
            return True  # "Some people use kratom for withdrawal, but it is not approved."
        quotes = [q for q in _QUOTED.finditer(self.text) if q.start() <= start and end <= q.end()]
        if not quotes:
            return False
        if any(len(q.group()) - (end - start) <= 4 for q in quotes):
            return True  # the phrase itself is in quotes: mentioned as a term, not used
        return contrasted or bool(self.cues.reporting_verbs.search(self.text))
