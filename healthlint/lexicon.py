"""Lexicons: named word lists that patterns refer to as {name}.

A lexicon entry is a phrase ("side effects", matched case-insensitively, with any white space
between words and an optional hyphen where the entry has one) or, prefixed with "re:", a raw
regular expression. Entries are joined longest first into one alternation, compiled once.

A rule names its own lexicons and the shared ones plainly ({product}); a custom rule may also
name a built-in rule's own lexicon by a qualified name, the rule's id and the lexicon's name
joined by a dot ({unhedged-efficacy-claim.extra_product}). Plain names never have a dot.
Lexicon names appear only in patterns and in requires/excludes/forbids, never in messages; a
qualified name is no Python identifier, so it cannot pass for a message's {claim}-style field
(a message that used one would fail to load, naming the field).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache

NAME = r"[a-z_][a-z0-9_]*"
RULE_QUALIFIER = r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*"  # a built-in rule's id, as ruleset.RULE_ID without a pack
QUALIFIED_NAME = re.compile(rf"(?:{RULE_QUALIFIER})\.{NAME}")
_REFERENCE = re.compile(rf"\{{((?:{RULE_QUALIFIER}\.)?{NAME})\}}")


def phrase_regex(entry: str) -> str:
    entry = str(entry)
    if entry.startswith("re:"):
        return entry[3:].strip()
    words = re.split(r"\s+", entry.strip())
    parts = []
    for word in words:
        piece = re.escape(word).replace(r"\-", "[-\u2010\u2011 ]?")
        piece = re.sub("['\u2019]", "['\u2019]", piece)
        parts.append(piece)
    return r"\s+".join(parts)


def _units(entry: str) -> list[str]:
    """A phrase as regex units, one per character: the same matching rules as phrase_regex."""
    units: list[str] = []
    for char in re.sub(r"\s+", " ", str(entry).strip().lower()):
        if char == " ":
            unit = r"\s+"
        elif char == "-":
            unit = "[-\u2010\u2011 ]?"
        elif char in "'\u2019":
            unit = "['\u2019]"
        else:
            unit = re.escape(char)
        units.append(unit)
    return units


def _trie_regex(node: dict) -> str:
    """Regex for a trie of units; "" marks the end of an entry. Longer matches are tried first."""
    ends = "" in node
    branches = [unit + _trie_regex(child) for unit, child in sorted(node.items(), key=lambda kv: kv[0]) if unit]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return f"(?:{body})?" if len(branches) > 1 or len(branches[0]) > 1 else f"{body}?"
    return body


def alternation(entries: Iterable[str]) -> str:
    """One alternation for a lexicon. Plain phrases share their prefixes in a trie, which is
    much faster to compile and to match than a flat list; "re:" entries are kept as written."""
    return _alternation(tuple(str(e) for e in entries))


@lru_cache(maxsize=1024)
def _alternation(entries: tuple[str, ...]) -> str:
    # Longest first; equal lengths in text order, so the source is the same in every process
    # (a set's order changes with the hash seed, and alternation order can change a match).
    raw = sorted({str(e)[3:].strip() for e in entries if str(e).startswith("re:")}, key=lambda r: (-len(r), r))
    trie: dict = {}
    for entry in {str(e) for e in entries if not str(e).startswith("re:")}:
        node = trie
        for unit in _units(entry):
            node = node.setdefault(unit, {})
        node[""] = {}
    pieces = raw + ([_trie_regex(trie)] if trie else [])
    return "(?:" + "|".join(pieces) + ")"


def expand(pattern: str, lexicons: Mapping[str, Iterable[str]], _depth: int = 0) -> str:
    # Lexicons repeat across a rule's patterns; alternation() caches each one's regex.
    """Replace {name} references with the lexicon's alternation (lexicons may nest)."""
    if _depth > 5:
        raise ValueError("lexicons refer to each other in a loop")

    def repl(m: re.Match) -> str:
        name = m.group(1)
        if name not in lexicons:
            raise KeyError(name)
        return expand(alternation(lexicons[name]), lexicons, _depth + 1)

    return _REFERENCE.sub(repl, pattern)


class RuleLexicons:
    """Other rules' own lexicons, by qualified name ("rule-id.name").

    ``scopes`` maps each rule id to every lexicon that rule can name (the shared ones and its
    own) and ``own`` to the names it defines itself: only those have qualified names. A
    qualified lexicon reads exactly as it does in its own rule: it is expanded there, once,
    against that rule's lexicons, so a rule using it cannot change the names inside it."""

    def __init__(self, scopes: Mapping[str, Mapping[str, Sequence[str]]], own: Mapping[str, Iterable[str]]) -> None:
        self._scopes = scopes
        self._names = {f"{rule_id}.{name}": (rule_id, name) for rule_id, names in own.items() for name in names}
        self._expanded: dict[str, tuple[str, ...]] = {}

    def names(self) -> Iterator[str]:
        return iter(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def entries(self, name: str) -> tuple[str, ...]:
        """The lexicon as one "re:" entry: its regex, expanded in its own rule."""
        if name not in self._expanded:
            rule_id, plain = self._names[name]
            scope = self._scopes[rule_id]
            self._expanded[name] = ("re:" + expand(alternation(scope[plain]), scope),)
        return self._expanded[name]


class Lexicons(Mapping):
    """The lexicons one rule can name: plain names (the shared ones and its own) and, with
    ``others``, other rules' own lexicons by qualified name."""

    def __init__(self, plain: Mapping[str, Sequence[str]], others: RuleLexicons | None = None) -> None:
        self._plain = plain
        self._others = others

    def __getitem__(self, name: str) -> Sequence[str]:
        if name in self._plain:
            return self._plain[name]
        if self._others is not None and name in self._others:
            return self._others.entries(name)
        raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        return name in self._plain or (self._others is not None and name in self._others)

    def __iter__(self) -> Iterator[str]:
        yield from self._plain
        if self._others is not None:
            yield from self._others.names()

    def __len__(self) -> int:
        return sum(1 for _ in self)


def closest_name(name: str, lexicons: Mapping) -> str | None:
    """A lexicon name close to an unknown one, for a did-you-mean; None if none is close. A
    qualified name whose lexicon is shared (or the rule's own) suggests the plain name."""
    import difflib  # only for an error message

    if QUALIFIED_NAME.fullmatch(name) and name.partition(".")[2] in lexicons:
        return name.partition(".")[2]
    close = difflib.get_close_matches(name, list(lexicons), n=1, cutoff=0.8)
    return close[0] if close else None


class LazyRegex:
    """A regex compiled the first time a document needs it, not when rules load.

    Rule files expand to large alternations; compiling all of them cost most of a one-file run,
    while a typical document needs only a few. It pickles as its source and, once compiled, its
    matcher program (healthlint.regexcode), so a cached rule set compiles nothing at start-up
    and almost nothing later."""

    __slots__ = ("pattern", "flags", "_compiled", "_program")

    def __init__(self, pattern: str, flags: int = re.IGNORECASE) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern | None = None
        self._program = None

    @property
    def compiled(self) -> re.Pattern:
        if self._compiled is None:
            from healthlint.regexcode import compile_with_program, from_program

            if self._program is not None:
                self._compiled = from_program(self._program, self.pattern, self.flags)
            if self._compiled is None:
                self._compiled, self._program = compile_with_program(self.pattern, self.flags)
        return self._compiled

    def prepare(self) -> "LazyRegex":
        """Compile now (while rules load): reports a bad pattern early and keeps its program."""
        self.compiled  # noqa: B018
        return self

    def search(self, text: str, *bounds: int) -> re.Match | None:
        return self.compiled.search(text, *bounds)

    def finditer(self, text: str, *bounds: int):
        return self.compiled.finditer(text, *bounds)

    def match(self, text: str, *bounds: int) -> re.Match | None:
        return self.compiled.match(text, *bounds)

    def finditer_at(self, text: str, offsets: Iterable[int]) -> Iterator[re.Match]:
        """What finditer(text) finds, given every offset (in order) where a match could begin:
        each offset past the last match is tried with match(), which sees the text around it
        as search() does. For a pattern no match of which is empty (see
        prefilter.match_starts), so each match ends past where it began."""
        match = self.compiled.match
        cursor = 0
        for offset in offsets:
            if offset >= cursor:
                found = match(text, offset)
                if found is not None:
                    cursor = found.end()
                    yield found

    def matches_at(self, text: str, offsets: Iterable[int]) -> list[re.Match]:
        """The match beginning at each offset, where there is one, overlapping ones too: what
        searching again from just after each match's start finds, given every offset where a
        match could begin."""
        match = self.compiled.match
        return [m for m in (match(text, offset) for offset in offsets) if m is not None]

    def __getstate__(self) -> tuple:
        return self.pattern, self.flags, self._program

    def __setstate__(self, state: tuple) -> None:
        self.pattern, self.flags, self._program = state
        self._compiled = None

    def __repr__(self) -> str:
        return f"LazyRegex({self.pattern[:40]!r}...)"


# Custom rules' patterns (from users' rule folders and plugins) run on the ``regex`` module,
# which can stop a search: a pattern such as (a|aa)+$ backtracks for minutes on one line with
# Python's own engine. Built-in rules keep the faster standard engine.
PATTERN_SECONDS_VARIABLE = "HEALTHLINT_PATTERN_TIMEOUT"
DEFAULT_PATTERN_SECONDS = 1.0


class PatternTimeout(Exception):
    """A custom pattern's search ran past its time limit."""

    def __init__(self, pattern: str, seconds: float) -> None:
        super().__init__(f"a search took longer than {seconds:g} s")
        self.pattern = pattern
        self.seconds = seconds


def pattern_seconds() -> float:
    """The time one search of a custom pattern may take: HEALTHLINT_PATTERN_TIMEOUT, in seconds.
    Raises ValueError with a message for the user when the variable is not a positive number."""
    return _seconds(os.environ.get(PATTERN_SECONDS_VARIABLE))


@lru_cache(maxsize=8)
def _seconds(value: str | None) -> float:
    if value is None or not value.strip():
        return DEFAULT_PATTERN_SECONDS
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"{PATTERN_SECONDS_VARIABLE}={value!r} is not a number of seconds above 0 (like 1 or 0.5)")
    return seconds


class LimitedRegex(LazyRegex):
    """A LazyRegex for custom rules: compiled with the ``regex`` module (same syntax, checked by
    Python's own compiler first, so errors read the same), and every search stopped after
    pattern_seconds() with PatternTimeout."""

    __slots__ = ()

    @property
    def compiled(self):
        if self._compiled is None:
            import regex as engine  # only when a custom rule is used

            try:
                self._compiled = engine.compile(self.pattern, self.flags | engine.VERSION0)
            except engine.error as exc:
                raise re.error(str(exc)) from None
        return self._compiled

    def prepare(self) -> "LimitedRegex":
        """Compile now, and refuse what Python's own re refuses, with its message."""
        re.compile(self.pattern, self.flags)
        self.compiled  # noqa: B018
        return self

    def _limit(self) -> float:
        try:
            return pattern_seconds()
        except ValueError:  # reported by the rule that runs the pattern; run with the default
            return DEFAULT_PATTERN_SECONDS

    def _call(self, method: str, text: str, bounds: tuple[int, ...]):
        """One search or match of the compiled pattern, stopped after the time limit."""
        seconds = self._limit()
        try:
            return getattr(self.compiled, method)(text, *bounds, timeout=seconds)
        except TimeoutError:
            raise PatternTimeout(self.pattern, seconds) from None

    def search(self, text: str, *bounds: int):
        return self._call("search", text, bounds)

    def match(self, text: str, *bounds: int):
        return self._call("match", text, bounds)

    def finditer_at(self, text: str, offsets: Iterable[int]):
        # The time limit is per call: one finditer keeps it simple to reason about.
        return self.finditer(text)

    def finditer(self, text: str, *bounds: int):
        # The limit covers the whole iteration, from this call on.
        seconds = self._limit()
        try:
            yield from self.compiled.finditer(text, *bounds, timeout=seconds)
        except TimeoutError:
            raise PatternTimeout(self.pattern, seconds) from None

    def __repr__(self) -> str:
        return f"LimitedRegex({self.pattern[:40]!r}...)"


def words_regex(entries: Iterable[str], lexicons: Mapping[str, Iterable[str]] | None = None) -> str:
    """The source of a regex matching any entry as whole words; entries may refer to other lexicons."""
    body = alternation(entries)
    if lexicons is not None:
        body = expand(body, lexicons)
    return r"(?<![\w-])" + body + r"(?![\w-])"


def compile_words(entries: Iterable[str], lexicons: Mapping[str, Iterable[str]] | None = None) -> re.Pattern:
    """One regex matching any entry as whole words; entries may refer to other lexicons."""
    return re.compile(words_regex(entries, lexicons), re.IGNORECASE)


def lazy_words(entries: Iterable[str], lexicons: Mapping[str, Iterable[str]] | None = None, *, limited: bool = False) -> LazyRegex:
    """compile_words as a LazyRegex, compiled now so its program is kept with cached rules;
    ``limited``: a LimitedRegex, for a custom rule."""
    return _shared_regex(LimitedRegex if limited else LazyRegex, words_regex(entries, lexicons))


@lru_cache(maxsize=1024)
def _shared_regex(kind: type[LazyRegex], source: str) -> LazyRegex:
    """One regex object for one lexicon: dozens of patterns require the same lexicon, and each
    copy would keep its own compiled program (megabytes for a product list) in memory and in
    the rule cache."""
    return kind(source).prepare()
