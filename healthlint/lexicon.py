"""Lexicons: named word lists that patterns refer to as {name}.

A lexicon entry is a phrase ("side effects", matched case-insensitively, with any white space
between words and an optional hyphen where the entry has one) or, prefixed with "re:", a raw
regular expression. Entries are joined longest first into one alternation, compiled once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

_REFERENCE = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


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
    raw = sorted({str(e)[3:].strip() for e in entries if str(e).startswith("re:")}, key=len, reverse=True)
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

    def __getstate__(self) -> tuple:
        return self.pattern, self.flags, self._program

    def __setstate__(self, state: tuple) -> None:
        self.pattern, self.flags, self._program = state
        self._compiled = None

    def __repr__(self) -> str:
        return f"LazyRegex({self.pattern[:40]!r}...)"


def compile_pattern(pattern: str, lexicons: Mapping[str, Iterable[str]]) -> re.Pattern:
    """Compile a rule pattern: case-insensitive, with word boundaries left to the author."""
    return re.compile(expand(pattern, lexicons), re.IGNORECASE)


def words_regex(entries: Iterable[str], lexicons: Mapping[str, Iterable[str]] | None = None) -> str:
    """The source of a regex matching any entry as whole words; entries may refer to other lexicons."""
    body = alternation(entries)
    if lexicons is not None:
        body = expand(body, lexicons)
    return r"(?<![\w-])" + body + r"(?![\w-])"


def compile_words(entries: Iterable[str], lexicons: Mapping[str, Iterable[str]] | None = None) -> re.Pattern:
    """One regex matching any entry as whole words; entries may refer to other lexicons."""
    return re.compile(words_regex(entries, lexicons), re.IGNORECASE)


def lazy_words(entries: Iterable[str], lexicons: Mapping[str, Iterable[str]] | None = None) -> LazyRegex:
    """compile_words as a LazyRegex, compiled now so its program is kept with cached rules."""
    return LazyRegex(words_regex(entries, lexicons)).prepare()
