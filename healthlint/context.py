"""Context: what surrounds a claim, understood once for every rule.

Given a sentence and the span of a candidate claim in it, decide whether the claim is
negated ("is not safe"), hedged ("may be safe"), cited ("[1]", "(Smith et al., 2020)"),
asked ("Is kratom safe?"), embedded ("trials find out whether it is safe"), reported or
debunked ("sellers claim it is 'completely safe', but ...", "that CBD cures anxiety is a
myth"), or clinician-led.

The cues are records in ``data/context.yaml``: a category (which sets one of the
``ClaimContext`` flags), words or patterns, a direction and a scope, in the manner of
NegEx and ConText. One mechanism serves every category: a forward cue reaches claims after
it, a backward cue claims before it, each within its scope in words, or to the clause
boundary (a terminator cue: "but", ";", a dash), or across the whole sentence; pseudo cues
mask the cues they overlap.

A sentence is read once: every cue's matches, the boundaries and the sentence-wide facts
(cited, a question) are found on first use, so asking about one more claim costs a few
binary searches, not another pass over the sentence.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from functools import lru_cache
from importlib import resources
from itertools import accumulate
from typing import NamedTuple

from healthlint.lazyattr import lazy_attribute
from healthlint.lexicon import LazyRegex, alternation, lazy_words, phrase_regex
from healthlint.parse.blocks import BlockKind, ProseBlock
from healthlint.prefilter import Prefilter, Requirement, StartScanner, any_of, fold, match_starts, requirement
from healthlint.sentences import Sentence
from healthlint.yamlfile import DataError, load_yaml

_TOKEN = re.compile(r"[\w’'%\-]+|[^\w\s]")
_QUOTED = re.compile(r"\"[^\"]+\"|“[^”]+”|‘[^’]+’|(?<![\w’'])'[^']+'(?![\w’'])")
_CLOSERS = "\"'”’)]*_ \t"
_CLAUSE_PUNCT = frozenset({",", ":", "\u2014", "(", "["})  # a word after one of these opens a clause


def _has_quote_mark(text: str) -> bool:
    """Could the text hold a quoted stretch (_QUOTED)? Most sentences have no quotation mark.
    Every _QUOTED stretch opens with one of these four marks (written out, not looped over: it
    is asked of nearly every sentence with a claim)."""
    return '"' in text or "“" in text or "‘" in text or "'" in text


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

# --- cue records -------------------------------------------------------------------------------

REACHING = ("forward", "backward", "both")
DIRECTIONS = (*REACHING, "terminate", "pseudo")
_RECORD_KEYS = ("name", "category", "direction", "scope", "words", "patterns", "masks", "ends", "boundary", "at", "reached_by", "with", "undone_by", "from_next_sentence", "after")


@dataclass(frozen=True)
class Scope:
    """How far a cue reaches: at most ``words`` words (None: no limit), and whether it stops at a
    clause boundary (``scope: clause`` and numbers do; ``scope: sentence`` does not)."""

    words: int | None
    within_clause: bool

    @property
    def whole_sentence(self) -> bool:
        return self.words is None and not self.within_clause


@dataclass(frozen=True)
class CueRecord:
    """One cue from context.yaml (its format is described at the top of that file)."""

    name: str
    category: str
    direction: str
    pattern: LazyRegex
    scope: Scope | None = None  # None for terminate and pseudo cues
    masks: frozenset[str] = frozenset()  # pseudo: the categories it masks
    ends: frozenset[str] | None = None  # terminate: the categories it ends (None: every one)
    boundary_at_end: bool = False  # terminate: the new clause opens at the match's last word, not its first
    at_clause_start: bool = False
    reached_by: str | None = None  # a category that must reach the cue itself
    together_with: str | None = None  # a category that must reach the claim too
    undone_by: str | None = None  # a category that, reaching the claim too, cancels this cue
    after: str | None = None  # a category whose cue the previous sentence must hold ("The study also found")
    from_next_sentence: bool = False
    # The regex of each word or pattern the cue lists, apart: what a match needs is worked out
    # entry by entry ("not safe" needs "not" and "safe"), not from the merged regex, whose
    # shared prefixes blur it (there, "safe" alone would do).
    entries: tuple[str, ...] = ()

    @property
    def looks_forward(self) -> bool:
        return self.direction in ("forward", "both")

    @property
    def looks_back(self) -> bool:
        return self.direction in ("backward", "both")

    def ends_reach_of(self, category: str) -> bool:
        return self.direction == "terminate" and (self.ends is None or category in self.ends)


@dataclass
class Cues:
    """Every cue record, and the sentence-form facts, from data/context.yaml."""

    records: tuple[CueRecord, ...]
    flags: Mapping[str, str | None]  # category -> the ClaimContext flag it sets (None: a helper)
    question_openers: frozenset[str]
    rhetorical: LazyRegex
    following: int  # sentences after a claim whose citations count for cited_nearby
    # What makes a following sentence back the claim before it (see cited_nearby in context.yaml):
    # the cues that point to a source, and the words of a sentence that reports evidence itself.
    # None: any citation there counts.
    following_evidence: LazyRegex | None = None
    following_pointers: tuple[str, ...] = ()
    # A claim sentence about one study ("A survey found ..."), whose author the next sentence
    # may name in any way. None: no such sentence.
    one_study: LazyRegex | None = None
    by_name: dict[str, CueRecord] = field(init=False, repr=False)
    reaching: dict[str, tuple[CueRecord, ...]] = field(init=False, repr=False)  # by category
    by_flag: dict[str, tuple[str, ...]] = field(init=False, repr=False)  # flag -> categories
    masking: dict[str, tuple[CueRecord, ...]] = field(init=False, repr=False)  # category -> pseudo cues
    ending: dict[str, tuple[CueRecord, ...]] = field(init=False, repr=False)  # category -> terminators
    universal_ends: tuple[CueRecord, ...] = field(init=False, repr=False)  # terminators of every category
    # Which cues could match a sentence at all, from the literals their patterns need: most
    # sentences hold none of most cues, and then their patterns never run there.
    prefilter: Prefilter = field(init=False, repr=False)
    # Sentence-wide cues that nothing filters: they reach every claim if they match at all,
    # so a sentence is searched for their first match only.
    first_match_enough: frozenset[str] = field(init=False, repr=False)
    # What each cue's matches begin with (prefilter.match_starts; None: unknown), by name: a cue
    # is tried only where one of its beginnings occurs, not at every position of a sentence.
    starts: dict[str, frozenset[str] | None] = field(init=False, repr=False)
    from_next_names: frozenset[str] = field(init=False, repr=False)  # cues that may open the next sentence

    def __post_init__(self) -> None:
        self.by_name = {r.name: r for r in self.records}
        categories = list(self.flags)
        self.reaching = {c: tuple(r for r in self.records if r.category == c and r.direction in REACHING) for c in categories}
        self.by_flag = {flag: tuple(c for c in categories if self.flags[c] == flag) for flag in CONTEXT_FLAGS}
        self.masking = {c: tuple(r for r in self.records if r.direction == "pseudo" and c in r.masks) for c in categories}
        self.ending = {c: tuple(r for r in self.records if r.ends_reach_of(c)) for c in categories}
        self.universal_ends = tuple(r for r in self.records if r.direction == "terminate" and r.ends is None)
        self.starts = {r.name: match_starts(r.pattern.pattern, r.pattern.flags) for r in self.records}
        self.prefilter = Prefilter([_needs(r) for r in self.records], by_alternative=True)
        self.first_match_enough = frozenset(
            r.name
            for r in self.records
            if r.scope is not None
            and r.scope.whole_sentence
            and r.direction == "both"
            and not (r.at_clause_start or r.reached_by or r.undone_by or r.after or self.masking[r.category])
        )
        self._scanners: dict[str, StartScanner | None] = {}
        self.from_next_names = frozenset(r.name for r in self.records if r.from_next_sentence)

    def scanner(self, name: str) -> StartScanner | None:
        """Where cue ``name``'s matches could begin (None: anywhere), built on first use."""
        if name not in self._scanners:
            starts = self.starts[name]
            self._scanners[name] = StartScanner(starts) if starts else None
        return self._scanners[name]

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_scanners"] = {}  # automatons are rebuilt on first use, not pickled with the cache
        return state

    # grammar.py keeps citations out of spelling findings with these two.
    @property
    def citation(self) -> LazyRegex:
        return self.by_name["citations"].pattern

    @property
    def named_source(self) -> LazyRegex:
        return self.by_name["named-sources"].pattern


def _needs(record: CueRecord) -> Requirement:
    """The literals a match of the cue needs: one of its entries' (see CueRecord.entries)."""
    if not record.entries:
        return requirement(record.pattern.pattern, record.pattern.flags)
    return any_of([requirement(entry, record.pattern.flags) for entry in record.entries])


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def _scope(value, where: str, path: str, line: int) -> Scope:
    if value == "clause":
        return Scope(None, True)
    if value == "sentence":
        return Scope(None, False)
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return Scope(value, True)
    raise DataError(path, line, f"{where}: 'scope' must be a number of words, 'clause' or 'sentence', not {value!r}")


def _compile(entry: Mapping, where: str, path: str, line: int) -> LazyRegex:
    words, patterns = entry.get("words"), entry.get("patterns")
    if (words is None) == (patterns is None):
        raise DataError(path, line, f"{where}: give either 'words' (whole words) or 'patterns' (regular expressions)")
    listed = words if words is not None else patterns
    if not isinstance(listed, list) or not listed or not all(isinstance(e, str) for e in listed):
        raise DataError(path, line, f"{where}: '{'words' if words is not None else 'patterns'}' must be a non-empty list of strings")
    try:
        if words is not None:
            return lazy_words(listed)
        return LazyRegex("|".join(f"(?:{p})" for p in listed), flags=0).prepare()
    except re.error as error:
        raise DataError(path, line, f"{where}: bad regular expression: {error}") from None


def _categories_in(entry: Mapping, key: str, known: Mapping, where: str, path: str, line: int) -> frozenset[str]:
    value = entry[key]
    names = value if isinstance(value, list) else [value]
    for name in names:
        if name not in known:
            hint = _did_you_mean(str(name), known)
            raise DataError(path, line, f"{where}: '{key}' names an unknown category {name!r}{hint}")
    return frozenset(names)


def _check_keys(entry: Mapping, where: str, path: str, line: int) -> None:
    """Every key known, and only the keys the cue's direction takes."""
    for key in entry:
        if key not in _RECORD_KEYS:
            key_line = entry.line_of(key) if hasattr(entry, "line_of") else line
            raise DataError(path, key_line, f"{where}: unknown key {key!r}{_did_you_mean(str(key), _RECORD_KEYS)}")
    direction = entry["direction"]
    reaching = direction in REACHING
    if reaching != ("scope" in entry):
        raise DataError(path, line, f"{where}: a {direction} cue {'needs' if reaching else 'takes no'} 'scope'")
    allowed = {
        "masks": direction == "pseudo",
        "ends": direction == "terminate",
        "boundary": direction == "terminate",
        "at": reaching,
        "reached_by": reaching,
        "with": reaching,
        "undone_by": reaching,
        "after": reaching,
        "from_next_sentence": direction in ("backward", "both"),
    }
    for key, ok in allowed.items():
        if key in entry and not ok:
            raise DataError(path, line, f"{where}: a {direction} cue takes no '{key}'")
    if direction == "pseudo" and "masks" not in entry:
        raise DataError(path, line, f"{where}: a pseudo cue needs 'masks' (the categories it masks)")
    if entry.get("at", "clause-start") != "clause-start":
        raise DataError(path, line, f"{where}: 'at' can only be 'clause-start'")
    if entry.get("boundary", "first") not in ("first", "last"):
        raise DataError(path, line, f"{where}: 'boundary' can only be 'first' or 'last' (the word of the match where the new clause opens)")


def _record(entry, categories: Mapping, path: str, line: int) -> CueRecord:
    if not isinstance(entry, dict):
        raise DataError(path, line, "each cue must be a mapping with a name, a category and a direction")
    name = entry.get("name")
    where = f"cue {name!r}" if name else "a cue"
    for key in ("name", "category", "direction"):
        if key not in entry:
            raise DataError(path, line, f"{where}: '{key}' is missing")
    category, direction = entry["category"], entry["direction"]
    if category not in categories:
        raise DataError(path, line, f"{where}: unknown category {category!r}{_did_you_mean(str(category), categories)}")
    if direction not in DIRECTIONS:
        raise DataError(path, line, f"{where}: 'direction' must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
    _check_keys(entry, where, path, line)

    def categories_of(key: str) -> frozenset[str] | None:
        return _categories_in(entry, key, categories, where, path, line) if key in entry else None

    def category_of(key: str) -> str | None:
        named = categories_of(key)
        return next(iter(named)) if named else None

    return CueRecord(
        name=str(name),
        category=category,
        direction=direction,
        pattern=_compile(entry, where, path, line),
        scope=_scope(entry["scope"], where, path, line) if "scope" in entry else None,
        masks=categories_of("masks") or frozenset(),
        ends=categories_of("ends"),
        boundary_at_end=entry.get("boundary") == "last",
        at_clause_start="at" in entry,
        reached_by=category_of("reached_by"),
        together_with=category_of("with"),
        undone_by=category_of("undone_by"),
        after=category_of("after"),
        from_next_sentence=bool(entry.get("from_next_sentence", False)),
        entries=tuple(phrase_regex(w) for w in entry["words"]) if "words" in entry else tuple(entry["patterns"]),
    )


def load_cues(data, path: str) -> Cues:
    """Cues from the parsed context.yaml; a mistake is a DataError naming the file and line."""
    if not isinstance(data, dict):
        raise DataError(path, None, "expected a mapping with 'categories', 'cues', 'cited_nearby' and 'questions'")
    for key in ("categories", "cues", "cited_nearby", "questions"):
        if key not in data:
            raise DataError(path, None, f"'{key}' is missing")
    categories, entries = data["categories"], data["cues"]
    if not isinstance(categories, dict) or not isinstance(entries, list):
        raise DataError(path, None, "'categories' must be a mapping (category: flag) and 'cues' a list of cues")
    for category, flag in categories.items():
        if flag is not None and flag not in CONTEXT_FLAGS:
            known = ", ".join(sorted(CONTEXT_FLAGS))
            raise DataError(path, getattr(categories, "line_of", lambda _: None)(category), f"category {category!r} sets an unknown flag {flag!r}; known flags: {known}")
    lines = getattr(entries, "item_lines", [None] * len(entries))
    records = tuple(_record(entry, categories, path, line) for entry, line in zip(entries, lines))
    seen: set[str] = set()
    for record, line in zip(records, lines):
        if record.name in seen:
            raise DataError(path, line, f"two cues are named {record.name!r}")
        seen.add(record.name)
        # One level only: a cue that another cue waits for does not itself wait for a third.
        for needed in (record.reached_by, record.together_with, record.undone_by):
            if needed and any(r.reached_by or r.together_with or r.undone_by for r in records if r.category == needed):
                raise DataError(path, line, f"cue {record.name!r}: the cues of {needed!r} may not use 'reached_by', 'with' or 'undone_by' themselves")
    for required in ("citations", "named-sources"):
        if required not in seen:
            raise DataError(path, None, f"a cue named {required!r} is needed (the grammar rule skips its matches)")
    for required in ("contrast", "reporting-verb"):
        if required not in categories:
            raise DataError(path, None, f"the category {required!r} is needed (quoted claims are read with it)")
    questions, nearby = data["questions"], data["cited_nearby"]
    if not isinstance(nearby, dict) or "following_sentences" not in nearby:
        raise DataError(path, None, "'cited_nearby' must be a mapping with 'following_sentences'")
    for name in nearby.get("pointers") or ():
        if name not in seen:
            raise DataError(path, None, f"cited_nearby: 'pointers' names no cue {name!r}{_did_you_mean(str(name), seen)}")
    return Cues(
        records=records,
        flags=dict(categories),
        question_openers=frozenset(w.lower() for w in questions["openers"]),
        rhetorical=LazyRegex(r"^\W*" + alternation(questions["rhetorical"]) + r"\b").prepare(),
        following=int(nearby["following_sentences"]),
        following_evidence=lazy_words(nearby["evidence"]) if nearby.get("evidence") else None,
        following_pointers=tuple(str(name) for name in nearby.get("pointers") or ()),
        one_study=lazy_words(nearby["one_study"]) if nearby.get("one_study") else None,
    )


@lru_cache(maxsize=1)
def cues() -> Cues:
    """The built-in cues, kept with the cached rules: building them (patterns, prefilter) takes
    about 25 ms, a tenth of a one-file run; loading them under 1 ms."""
    from pathlib import Path

    from healthlint.rulecache import cached, files_key

    path = Path(str(resources.files("healthlint") / "data" / "context.yaml"))
    return cached("cues", files_key([path]), lambda: load_cues(load_yaml(str(path)), str(path)))


# --- spans and reach ---------------------------------------------------------------------------


class _Claim(NamedTuple):
    """A claim (or a cue asked about as one) as its first and last token."""

    first: int
    last: int


class _LazyClaim:
    """A claim's first and last token, found when a cue first asks (see SentenceView.clears)."""

    __slots__ = ("_view", "_start", "_end", "_tokens")

    def __init__(self, view: "SentenceView", start: int, end: int) -> None:
        self._view, self._start, self._end = view, start, end
        self._tokens: _Claim | None = None

    def _found(self) -> _Claim:
        if self._tokens is None:
            self._tokens = self._view._claim(self._start, self._end)
        return self._tokens

    @property
    def first(self) -> int:
        return self._found().first

    @property
    def last(self) -> int:
        return self._found().last


ClaimTokens = _Claim | _LazyClaim


@dataclass(frozen=True)
class _Spans:
    """A cue's matches as token ranges (first, last), ordered by last and without repeats, with
    what the reach questions need: the lasts in order, the firsts in order, and for each pair
    the smallest first among it and the pairs after it."""

    pairs: tuple[tuple[int, int], ...]
    lasts: tuple[int, ...]
    firsts: tuple[int, ...]
    min_first_from: tuple[int, ...]

    @classmethod
    def of(cls, pairs: Iterable[tuple[int, int]]) -> _Spans:
        ordered = tuple(sorted(set(pairs), key=lambda pair: (pair[1], pair[0])))
        min_from = list(accumulate((first for first, _ in reversed(ordered)), min))[::-1]
        return cls(ordered, tuple(last for _, last in ordered), tuple(sorted(first for first, _ in ordered)), tuple(min_from))

    def any_ending_in(self, low: int, high: int) -> bool:
        """A pair whose last token is in [low, high)?"""
        return bisect.bisect_left(self.lasts, low) < bisect.bisect_left(self.lasts, high)

    def any_starting_in(self, low: int, high: int) -> bool:
        """A pair whose first token is in (low, high]?"""
        return bisect.bisect_right(self.firsts, low) < bisect.bisect_right(self.firsts, high)

    def any_within(self, low: int, high: int) -> bool:
        """A pair that ends at or after ``low`` and starts at or before ``high``?"""
        i = bisect.bisect_left(self.lasts, low)
        return i < len(self.pairs) and self.min_first_from[i] <= high


_NO_SPANS = _Spans((), (), (), ())


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


def _overlapping(pattern: LazyRegex, text: str) -> Iterator[re.Match]:
    """Every match, overlapping ones too: searched again from just after each match's start, so
    "it is not so" gives both "it is not" and "not so"."""
    m = pattern.search(text)
    while m:
        yield m
        m = pattern.search(text, m.start() + 1)


class SentenceViews:
    """The sentence views of one block, each built on first use and then shared, so a sentence
    read as the neighbour of another is not read again; the block's links are indexed once."""

    def __init__(self, block: ProseBlock, sentences: list[Sentence]) -> None:
        self.block = block
        self.sentences = sentences
        self._views: dict[int, SentenceView] = {}
        self._live_by_possible: dict[frozenset[str] | None, dict[str, tuple[CueRecord, ...]]] = {}
        self._nothing_could_clear: dict[int, bool] = {}

    @lazy_attribute
    def _possible_cues(self) -> list[frozenset[str]] | None:
        """For each sentence, the names of the cues that could match in it; None: any could."""
        if any(self.block.text[s.start : s.end] != s.text for s in self.sentences):
            return None  # sentences not cut from this block: a search of the block would not cover them
        loaded = cues()
        found = loaded.prefilter.candidates(self.block.text, [(s.start, s.end) for s in self.sentences])
        if found is None:
            return None
        names: dict[tuple[int, ...], frozenset[str]] = {}  # sentences that may hold the same cues share one set
        for indices in found:
            if indices not in names:
                names[indices] = frozenset(loaded.records[i].name for i in indices)
        return [names[indices] for indices in found]

    def live_cues(self, index: int) -> dict[str, tuple[CueRecord, ...]]:
        """By category, the cues that could reach anything in sentence ``index`` (see
        SentenceView._live). Sentences that may hold the same cues share one answer."""
        possible = self._possible_cues
        if possible is None:
            key = None
        else:  # a cue that looks at the next sentence is live only if it may match there
            opening_next = possible[index + 1] & cues().from_next_names if index + 1 < len(possible) else frozenset()
            key = (possible[index], opening_next)
        if key not in self._live_by_possible:
            may_match = self.may_match
            live = {c: tuple(r for r in records if may_match(index, r) or (r.from_next_sentence and may_match(index + 1, r))) for c, records in cues().reaching.items()}
            self._live_by_possible[key] = {c: records for c, records in live.items() if records}
        return self._live_by_possible[key]

    def may_match(self, index: int, record: CueRecord) -> bool:
        """Could this cue match in sentence ``index``? (False only when it certainly cannot; and
        False past the last sentence.)"""
        possible = self._possible_cues
        if possible is None:
            return index < len(self.sentences)
        return index < len(possible) and record.name in possible[index]

    def nothing_could_clear(self, index: int) -> bool:
        """Does sentence ``index`` certainly hold nothing that could clear a claim: no cue that
        can reach it, no question mark, no quotation mark, no link? (Most sentences. Then no
        flag but cited_nearby, which looks at the next sentences, can hold for its claims.)
        Worked out once per sentence: every claim rule with a candidate there asks."""
        found = self._nothing_could_clear.get(index)
        if found is None:
            sentence = self.sentences[index]
            text = sentence.text
            found = self._nothing_could_clear[index] = (
                "?" not in text
                and not _has_quote_mark(text)
                and not self.live_cues(index)
                and not (self.block.links and self.link_backs(sentence.start, sentence.end))
            )
        return found

    def clears(self, index: int, start: int, end: int, flags: Iterable[str]) -> bool:
        """SentenceView.clears for a claim in sentence ``index``, without making the sentence's
        view when nothing there could clear it."""
        if "cited_nearby" not in flags and self.nothing_could_clear(index):
            return False
        return self.view(index).clears(start, end, flags)

    def view(self, index: int) -> SentenceView:
        if index not in self._views:
            self._views[index] = SentenceView(self.block, self.sentences, index, self)
        return self._views[index]

    def adopt(self, view: SentenceView) -> None:
        """Share a view built on its own (the first one asked for wins)."""
        self._views.setdefault(view.index, view)

    @lazy_attribute
    def _links(self) -> tuple[list[int], list[int], list]:
        """Link starts in order, the furthest end among the links up to each one, and the links
        in that order. A link to a shop (see the shop-links cue) is no source, so it is left out."""
        shop = cues().by_name.get("shop-links")
        sources = [link for link in self.block.links if shop is None or not shop.pattern.match(link.target.strip())]
        ordered = sorted(sources, key=lambda link: link.start)
        return [link.start for link in ordered], list(accumulate((link.end for link in ordered), max)), ordered

    def overlaps_link(self, start: int, end: int) -> bool:
        """Does any link's text overlap the block characters [start, end)?"""
        starts, furthest, _ = self._links
        before_end = bisect.bisect_left(starts, end)
        return before_end > 0 and furthest[before_end - 1] > start

    def link_backs(self, start: int, end: int) -> bool:
        """Does a link overlapping the block characters [start, end) back the claims there? Not
        in a list item, heading or table cell that is nothing but the link: a menu entry, a
        related-pages list or a headline link "Kratom is completely safe" makes the claim, it
        does not back it. (A paragraph all of whose words are linked, as a Word writer links a
        sentence to its study, is still cited.)"""
        if self._link_is_the_block:
            return False
        return self.overlaps_link(start, end)

    @lazy_attribute
    def _link_is_the_block(self) -> bool:
        block = self.block
        if block.kind == BlockKind.PARAGRAPH or len(block.links) != 1:
            return False
        words = [m.span() for m in re.finditer(r"\w+", block.text)]
        link = block.links[0]
        return bool(words) and link.start <= words[0][0] and words[-1][1] <= link.end


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
        self._found: dict[str, _Spans] = {}  # by cue name: every match
        self._kept: dict[str, _Spans] = {}  # by cue name: the matches that count
        self._covers: dict[str, tuple[list[int], list[int]]] = {}  # by category: pseudo cover
        self._bounds: dict[tuple[str, ...], list[int]] = {}  # by the terminators that apply
        self._reachers: dict[str, tuple[CueRecord, ...]] = {}  # by flag: see _may_reach

    @lazy_attribute
    def _tokens(self) -> tuple[list[int], list[str]]:
        starts, words = [], []
        for m in _TOKEN.finditer(self.text):
            starts.append(m.start())
            words.append(m.group().lower())
        return starts, words

    def _token_at(self, char: int) -> int:
        """Index of the token containing (or last starting before) a character."""
        return max(0, bisect.bisect_right(self._tokens[0], char) - 1)

    # --- finding each cue once --------------------------------------------------------------

    def _matches(self, record: CueRecord) -> Iterable[re.Match]:
        if not self.siblings.may_match(self.index, record):
            return ()
        pattern, text = record.pattern, self.text
        offsets = self._possible_starts(record)
        if record.name in self.cues.first_match_enough:
            first = pattern.search(text) if offsets is None else next(pattern.finditer_at(text, offsets), None)
            return [first] if first else []
        if record.direction == "backward" or (record.direction == "both" and not record.scope.whole_sentence):
            # A backward cue reaches by its first word, so a match inside another counts too.
            # A cue of the whole sentence reaches every claim from anywhere: one match is enough.
            if offsets is None:
                return _overlapping(pattern, text)
            return pattern.matches_at(text, offsets)
        return pattern.finditer(text) if offsets is None else pattern.finditer_at(text, offsets)

    def _possible_starts(self, record: CueRecord) -> list[int] | None:
        """The offsets where a match of the cue could begin (None: anywhere): every match begins
        with one of its beginnings, so the pattern is tried only there (see Cues.starts)."""
        scanner = self.cues.scanner(record.name)
        if scanner is None or not self._folded:
            return None
        return scanner.offsets(self._folded)

    @lazy_attribute
    def _folded(self) -> str:
        """The sentence case-folded in place ('' when folding would move characters)."""
        return fold(self.text)

    def _found_spans(self, record: CueRecord) -> _Spans:
        """Token ranges [first, last] of a cue's matches, found once per sentence."""
        if record.name not in self._found:
            at = self._token_at
            found = [(at(m.start()), at(m.end() - 1)) for m in self._matches(record)]
            self._found[record.name] = _Spans.of(found) if found else _NO_SPANS
        return self._found[record.name]

    def _kept_spans(self, record: CueRecord) -> _Spans:
        """The matches that count: not masked by a pseudo cue, at a clause start if the cue asks
        for one, and reached by the cue it waits for."""
        if record.name not in self._kept:
            found = self._found_spans(record)
            if not found.pairs or not (self.cues.masking[record.category] or record.at_clause_start or record.reached_by or record.after):
                self._kept[record.name] = found
                return found
            pairs: Iterable[tuple[int, int]] = found.pairs
            if self.cues.masking[record.category]:
                pairs = [pair for pair in pairs if not self._masked(record.category, pair[0])]
            if record.at_clause_start:
                pairs = [pair for pair in pairs if self._clause_start(pair[0])]
            if record.reached_by:
                pairs = [pair for pair in pairs if self._category_reaches(record.reached_by, _Claim(*pair))]
            if record.after and not self._previous_holds(record.after):
                pairs = []
            self._kept[record.name] = _Spans.of(pairs)
        return self._kept[record.name]

    def _previous_holds(self, category: str) -> bool:
        """Does the previous sentence hold a cue of ``category`` itself ("A 2020 trial of 80
        adults found ..." before "The researchers also found ...")? Cues that wait on their own
        previous sentence do not count, so a chain of follow-ups never reaches far back."""
        if self.index == 0:
            return False
        previous = self.siblings.view(self.index - 1)
        return any(previous._kept_spans(r).pairs for r in self.cues.reaching.get(category, ()) if not r.after)

    def _masked(self, category: str, token: int) -> bool:
        """Is ``token`` inside a pseudo cue that masks ``category`` ("not only", "no surprise")?"""
        if category not in self._covers:
            ordered = sorted(pair for pseudo in self.cues.masking[category] for pair in self._found_spans(pseudo).pairs)
            self._covers[category] = [first for first, _ in ordered], list(accumulate((last for _, last in ordered), max))
        firsts, furthest = self._covers[category]
        up_to = bisect.bisect_right(firsts, token)
        return up_to > 0 and furthest[up_to - 1] >= token

    def _boundaries(self, terminators: tuple[CueRecord, ...]) -> list[int]:
        """Tokens that open a new clause for a cue these terminators end, in order."""
        key = tuple(t.name for t in terminators)
        if key not in self._bounds:
            self._bounds[key] = sorted({last if t.boundary_at_end else first for t in terminators for first, last in self._kept_spans(t).pairs})
        return self._bounds[key]

    @lazy_attribute
    def _clause_openers(self) -> frozenset[int]:
        return frozenset(self._boundaries(self.cues.universal_ends))

    def _clause_start(self, token: int) -> bool:
        words = self._tokens[1]
        return token == 0 or (token - 1) in self._clause_openers or words[token - 1] in _CLAUSE_PUNCT

    @lazy_attribute
    def _first_word(self) -> int | None:
        """The token holding the sentence's first letter or digit (None: it has none)."""
        m = re.search(r"\w", self.text)
        return self._token_at(m.start()) if m else None

    # --- reach --------------------------------------------------------------------------------

    def _reaches(self, record: CueRecord, claim: ClaimTokens) -> bool:
        """Does this cue reach the claim, within its scope and its clause, with what it needs?"""
        spans = self._kept_spans(record)
        if not spans.pairs and not record.from_next_sentence:
            return False  # nothing to reach with (most cues in most sentences)
        scope = record.scope
        assert scope is not None  # only cues with a direction reach
        floor, ceiling = 0, len(self._tokens[1])
        if scope.words is not None:
            floor, ceiling = claim.first - scope.words, claim.last + scope.words
        if scope.within_clause:
            bounds = self._boundaries(self.cues.ending[record.category])
            before = bisect.bisect_left(bounds, claim.first)
            if before:
                floor = max(floor, bounds[before - 1])  # a cue may end on the boundary word
            after = bisect.bisect_right(bounds, claim.last)
            if after < len(bounds):
                ceiling = min(ceiling, bounds[after] - 1)  # a cue starting on one is in the next clause
        if record.direction == "forward":
            hit = spans.any_ending_in(floor, claim.first)
        elif record.direction == "backward":
            hit = spans.any_starting_in(claim.last, ceiling)
        else:  # both: before, after or on the claim
            hit = spans.any_within(floor, ceiling)
        if not hit and record.from_next_sentence:
            hit = self._next_opens_with(record)
        if hit and record.together_with:
            hit = self._category_reaches(record.together_with, claim)
        if hit and record.undone_by:
            hit = not self._category_reaches(record.undone_by, claim)
        return hit

    def _next_opens_with(self, record: CueRecord) -> bool:
        """Does the next sentence open with this cue ("Some use it for pain. But ...")?"""
        nxt = self.index + 1
        if nxt >= len(self.sentences) or not self.siblings.may_match(nxt, record):
            return False  # the last sentence, or the cue is nowhere in the next one (most often)
        view = self.siblings.view(nxt)
        return view._first_word is not None and view._first_word in view._kept_spans(record).firsts[:1]

    @lazy_attribute
    def _live(self) -> dict[str, tuple[CueRecord, ...]]:
        """By category, the cues that could reach anything in this sentence: those that may
        match here, and those that look at the next sentence. Categories with none are left out."""
        return self.siblings.live_cues(self.index)

    def _category_reaches(self, category: str, claim: ClaimTokens) -> bool:
        return any(self._reaches(record, claim) for record in self._live.get(category, ()))

    def _flag_reached(self, flag: str, claim: ClaimTokens) -> bool:
        """Does a cue of any category that sets ``flag`` reach the claim?"""
        if flag not in self._cued_flags:
            return False
        return any(self._reaches(record, claim) for record in self._may_reach(flag))

    @lazy_attribute
    def _cued_flags(self) -> frozenset[str]:
        """The flags that some cue found in this sentence, or opening the next, may set. Most
        sentences have none: their claims' flags are then settled with one look-up each."""
        flag_of = self.cues.flags
        found: set[str] = set()
        for category, records in self._live.items():
            flag = flag_of.get(category)
            if flag is None or flag in found:
                continue
            if any(self._found_here(r) or (r.from_next_sentence and self._next_opens_with(r)) for r in records):
                found.add(flag)
        return frozenset(found)

    def _found_here(self, record: CueRecord) -> bool:
        """Does a match of the cue count in this sentence? (Asked first of the prefilter: a cue
        listed only because it may open the next sentence is mostly nowhere here.)"""
        return self.siblings.may_match(self.index, record) and bool(self._kept_spans(record).pairs)

    def _may_reach(self, flag: str) -> tuple[CueRecord, ...]:
        """The cues setting ``flag`` that may reach some claim in this sentence: those found
        here, and those opening the next sentence. Worked out once per sentence; in most
        sentences there are none, and a claim's flags are then settled without reading it."""
        if flag not in self._reachers:
            self._reachers[flag] = tuple(
                record
                for category in self.cues.by_flag[flag]
                for record in self._live.get(category, ())
                if self._kept_spans(record).pairs or (record.from_next_sentence and self._next_opens_with(record))
            )
        return self._reachers[flag]

    def _sentence_has(self, flag: str) -> bool:
        """Does the sentence hold a cue, anywhere, of a category that sets ``flag``?"""
        return any(self._kept_spans(r).pairs for c in self.cues.by_flag[flag] for r in self.cues.reaching[c])

    # --- sentence-wide facts ------------------------------------------------------------------

    @lazy_attribute
    def cited(self) -> bool:
        """A citation anywhere in the sentence, or a link overlapping it."""
        return self._sentence_has("cited") or self.siblings.overlaps_link(self.sentence.start, self.sentence.end)

    @lazy_attribute
    def question(self) -> bool:
        # "Is it safe?" also with a note after it ("Is it safe? (see below)"), and inside
        # brackets of its own ("(Is it safe?)").
        if "?" not in self.text:
            return False
        text = self.text.rstrip()
        if not (text.rstrip(_CLOSERS).endswith("?") or _without_final_note(text).rstrip(_CLOSERS).endswith("?")):
            return False
        if self.cues.rhetorical.match(self.text):
            return False
        # "Is kratom safe?", and also "Honest question, is kratom safe?": a clause opening the question.
        _, words = self._tokens
        openers = [words[i + 1] for i, w in enumerate(words[:-1]) if w in {",", ":", "\u2014", "-"}]
        first = next((w for w in words if w[0].isalnum()), "")
        return first in self.cues.question_openers or any(w in self.cues.question_openers for w in openers)

    @lazy_attribute
    def _cited_following(self) -> bool:
        one_study = self.cues.one_study is not None and self.cues.one_study.search(self.text) is not None
        for offset in range(1, self.cues.following + 1):
            i = self.index + offset
            if i < len(self.sentences) and (self.siblings.view(i).cited if one_study else self.siblings.view(i)._backs_previous):
                return True
        return False

    @lazy_attribute
    def _backs_previous(self) -> bool:
        """Does this sentence's citation back a claim in the sentence before? Only as a pointer
        to a source ("See Smith et al. (2020).", a link) or in a sentence that reports evidence
        itself ("A 2019 trial found ..."): a body named here may speak for itself ("The World
        Health Organization has said ..."), about something other than the claim before."""
        if not self.cited:
            return False
        evidence = self.cues.following_evidence
        if evidence is None or self.siblings.overlaps_link(self.sentence.start, self.sentence.end):
            return True
        if any(self._kept_spans(self.cues.by_name[name]).pairs for name in self.cues.following_pointers):
            return True
        return evidence.search(self.text) is not None

    @lazy_attribute
    def _quotes(self) -> tuple[list[int], list[int]]:
        """Starts and ends of the quoted stretches, in order (they do not overlap)."""
        if not _has_quote_mark(self.text):
            return [], []  # most sentences: no quotation mark at all, so no need to search
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

    # --- one claim ----------------------------------------------------------------------------

    def context(self, start: int, end: int) -> ClaimContext:
        """Context of a claim at sentence-relative characters [start, end)."""
        claim = self._claim(start, end)
        return ClaimContext(**{f.name: self._holds(f.name, claim, start, end) for f in fields(ClaimContext)})

    def clears(self, start: int, end: int, flags: Iterable[str]) -> bool:
        """Does any of ``flags`` hold for the claim at [start, end)? The same answer as
        ``context(start, end).active() & flags``, but it stops at the first flag that holds and
        never works out the others. The claim's tokens are found only if some cue could reach
        it (in most sentences none can, and then the sentence is never split into words)."""
        may_hold = self._may_hold
        asked = [flag for flag in flags if flag in may_hold or flag == "cited_nearby"]
        if not asked:
            return False  # most sentences: nothing here could clear any claim
        claim = _LazyClaim(self, start, end)
        return any(self._holds(flag, claim, start, end) for flag in asked)

    @lazy_attribute
    def _may_hold(self) -> frozenset[str]:
        """The flags that may hold for some claim in this sentence: those a cue found here (or
        opening the next sentence) may set, and those the sentence itself shows. Any other flag
        holds for none of its claims (see _holds). cited_nearby, which looks at the following
        sentences, is left to _holds: most claims are not asked about it."""
        if self.siblings.nothing_could_clear(self.index):
            return frozenset()
        found = set(self._cued_flags)
        if self.siblings.link_backs(self.sentence.start, self.sentence.end):
            found.add("cited")
        if self.question:
            found.add("question")
        if self._quotes[0]:
            found.add("reported")  # a claim in no quotation is never "reported" by its quotes
        return frozenset(found)

    def _claim(self, start: int, end: int) -> _Claim:
        return _Claim(self._token_at(start), self._token_at(max(start, end - 1)))

    def _holds(self, flag: str, claim: ClaimTokens, start: int, end: int) -> bool:
        """One context flag of a claim: a cue that reaches it, or what the sentence shows."""
        if self._flag_reached(flag, claim):
            return True
        if flag == "cited":
            return self.siblings.link_backs(self.sentence.start, self.sentence.end)
        if flag == "cited_nearby":
            return self._holds("cited", claim, start, end) or self._cited_following
        if flag == "question":
            return self.question
        if flag == "reported":
            return self._quoted_and_reported(claim, start, end)
        return False

    def _quoted_and_reported(self, claim: ClaimTokens, start: int, end: int) -> bool:
        """A claim in quotes is mentioned, not made, when the quote is just the claim, or when a
        contrast follows it or a reporting verb frames it ('"Clinically proven" appears on ...')."""
        quotes = self._quote_lengths_around(start, end)
        if not quotes:
            return False
        if any(length - (end - start) <= 4 for length in quotes):
            return True  # the phrase itself is in quotes: mentioned as a term, not used
        return self._category_reaches("contrast", claim) or self._category_reaches("reporting-verb", claim)
