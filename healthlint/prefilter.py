"""Which patterns could match here? Required literals, found in one pass.

A regular expression can only match text that contains certain literal strings: the pattern
``{product}\\s+is\\s+safe`` needs a product name *and* "is" *and* "safe". When rules load, each
pattern's regex is turned into such a requirement, a small tree of literals joined by AND and OR
(the idea RE2 and Vale use). Linting then finds every literal of every pattern in one
Aho-Corasick pass over a block, and runs a pattern's regex only on the sentences whose literals
satisfy its requirement. Most patterns never run on most sentences.

The requirement is always a *necessary* condition, never a sufficient one: skipping a pattern
can never lose a match. Matching is case-insensitive (text and literals are case-folded the way
Python's ``re.IGNORECASE`` compares characters), so a pattern compiled without IGNORECASE is only
filtered more loosely, never wrongly. Anything the analysis does not understand (backreferences,
wide character classes, an unknown regex construct) simply adds no requirement.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

try:  # The standard library's own regex parser (re.compile uses it); named sre_parse before 3.11.
    from re import _constants as _sre  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

# A requirement: ("lit", text) | ("and", (req, ...)) | ("or", (req, ...)); None means "no
# requirement" (the pattern could match anything). Plain tuples pickle small and compare fast.
Requirement = tuple | None

_MAX_EXACT = 256  # most strings a piece may stand for before we keep only what it needs
_MAX_UNION = 4096  # most alternatives kept as exact strings (a lexicon of phrases)
_MAX_CLASS = 8  # most characters in a [class] treated as alternatives

# Characters that re.IGNORECASE treats as equal although str.lower() does not ("ſ" ~ "s",
# "ı" ~ "i", Greek and Cyrillic variant letters). Each maps to one representative of its class.
_CASE_CLASSES = (
    "iı", "sſ", "µμ", "βϐ", "εϵ", "θϑ", "ιͅι", "κϰ", "πϖ", "ρϱ", "σς", "φϕ", "вᲀ", "дᲁ", "оᲂ", "сᲃ",
    "тᲄᲅ", "ъᲆ", "ѣᲇ", "ꙋᲈ", "ṡẛ", "ﬅﬆ", "ΐΐ", "ΰΰ",
)
_FOLD = {ord(ch): min(group) for group in _CASE_CLASSES for ch in group if ch != min(group)}


def fold(text: str) -> str:
    """Case-fold for literal search; the result has the same length as ``text`` or is ''."""
    lowered = text.lower()
    if len(lowered) != len(text):
        return ""  # a character whose lower case is longer ("İ"): positions would not line up
    return lowered if lowered.isascii() else lowered.translate(_FOLD)


# --- requirements from a regex ------------------------------------------------------------


def _lit_or(strings: Iterable[str]) -> Requirement:
    strings = set(strings)
    if not strings or "" in strings:
        return None
    if len(strings) == 1:
        return ("lit", next(iter(strings)))
    return ("or", tuple(("lit", s) for s in sorted(strings)))


def _and(parts: Iterable[Requirement]) -> Requirement:
    kept = [p for p in parts if p is not None]
    # Short literals ("is", "-") find almost every sentence; keep them only if nothing better is needed.
    strong = [p for p in kept if _shortest(p) >= 3]
    kept = strong or kept
    unique = list(dict.fromkeys(kept))
    if not unique:
        return None
    return unique[0] if len(unique) == 1 else ("and", tuple(unique))


def _or(parts: Sequence[Requirement]) -> Requirement:
    if not parts or any(p is None for p in parts):
        return None
    unique = list(dict.fromkeys(parts))
    return unique[0] if len(unique) == 1 else ("or", tuple(unique))


def _shortest(req: Requirement) -> int:
    """Length of the shortest literal that can satisfy a requirement."""
    if req is None:
        return 0
    op, arg = req
    if op == "lit":
        return len(arg)
    lengths = [_shortest(r) for r in arg]
    return max(lengths) if op == "and" else min(lengths)


@dataclass(frozen=True)
class _Piece:
    """What part of a regex tells us: the exact strings it matches (when few), else what it needs."""

    exact: frozenset[str] | None
    needs: Requirement = None

    def requirement(self) -> Requirement:
        return _lit_or(self.exact) if self.exact is not None else self.needs


_ANYTHING = _Piece(None, None)
_EMPTY = _Piece(frozenset({""}))


def _char(code: int) -> str | None:
    folded = fold(chr(code))
    return folded or None


def _class(items) -> _Piece:
    chars: set[str] = set()
    for op, arg in items:
        if op is _sre.LITERAL:
            chars.add(chr(arg))
        elif op is _sre.RANGE and arg[1] - arg[0] < _MAX_CLASS:
            chars.update(chr(c) for c in range(arg[0], arg[1] + 1))
        else:
            return _ANYTHING  # NEGATE, categories (\w, \s), wide ranges
        if len(chars) > _MAX_CLASS:
            return _ANYTHING
    folded = {fold(c) for c in chars}
    return _ANYTHING if "" in folded else _Piece(frozenset(folded))


def _sequence(items) -> _Piece:
    current: set[str] = {""}
    needs: list[Requirement] = []
    exact = True
    for op, arg in items:
        piece = _item(op, arg)
        if piece.exact is not None:
            joined = {a + b for a in current for b in piece.exact} if len(current) * len(piece.exact) <= _MAX_EXACT else None
            if joined is not None:
                current = joined
                continue
            needs.append(_lit_or(current))
            current = set(piece.exact)
        else:
            needs.append(_lit_or(current))
            needs.append(piece.needs)
            current = {""}
        exact = False
    if exact:
        return _Piece(frozenset(current))
    needs.append(_lit_or(current))
    return _Piece(None, _and(needs))


def _repeat(low: int, high: int, body) -> _Piece:
    piece = _sequence(body)
    if low == 0:
        if high == 1 and piece.exact is not None:
            return _Piece(piece.exact | {""})
        return _ANYTHING
    if piece.exact is not None and low == high and len(piece.exact) ** low <= _MAX_EXACT:
        strings = {""}
        for _ in range(low):
            strings = {a + b for a in strings for b in piece.exact}
        return _Piece(frozenset(strings))
    return _Piece(None, piece.requirement())


def _item(op, arg) -> _Piece:
    if op is _sre.LITERAL:
        char = _char(arg)
        return _Piece(frozenset({char})) if char else _ANYTHING
    if op is _sre.IN:
        return _class(arg)
    if op is _sre.SUBPATTERN:
        return _sequence(arg[-1])
    if op is _sre.BRANCH:
        pieces = [_sequence(alt) for alt in arg[1]]
        if all(p.exact is not None for p in pieces):
            union = frozenset().union(*(p.exact for p in pieces))
            if len(union) <= _MAX_UNION:
                return _Piece(union)
        return _Piece(None, _or([p.requirement() for p in pieces]))
    if op in _REPEATS:
        low, high, body = arg
        return _repeat(low, high, body)
    if op is getattr(_sre, "ATOMIC_GROUP", None):
        return _sequence(arg)
    if op in _ZERO_WIDTH:
        return _EMPTY  # anchors, \b and look-arounds consume nothing
    return _ANYTHING  # ANY, NOT_LITERAL, CATEGORY, GROUPREF, ...


_REPEATS = tuple(getattr(_sre, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") if hasattr(_sre, name))
_ZERO_WIDTH = (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT)


@lru_cache(maxsize=4096)
def requirement(regex: str, flags: int = 0) -> Requirement:
    """The literals any match of ``regex`` must contain, or None if the analysis finds none."""
    try:
        parsed = _sre_parse.parse(regex, flags)
    except Exception:  # an invalid or exotic pattern: compiling it reports the error
        return None
    try:
        return _sequence(parsed).requirement()
    except RecursionError:  # pragma: no cover - absurdly nested patterns
        return None


_MAX_DISTRIBUTED = 16  # most clauses an OR may distribute into before it is summarised


def clauses(req: Requirement) -> tuple[frozenset[str], ...]:
    """The requirement as clauses that must all hold, each met by any one of its literals
    (conjunctive normal form). Where exact distribution would grow too large, an OR keeps one
    clause: the union of each alternative's smallest clause, which the OR still implies. So the
    clauses are always implied by the requirement, and checking them is a few set operations."""
    if req is None:
        return ()
    op, arg = req
    if op == "lit":
        return (frozenset({arg}),)
    parts = [clauses(r) for r in arg]
    if op == "and":
        return _simplify([c for part in parts for c in part])
    if any(not part for part in parts):
        return ()  # one alternative needs nothing
    size = 1
    for part in parts:
        size *= len(part)
    if size <= _MAX_DISTRIBUTED:
        combined = [frozenset()]
        for part in parts:
            combined = [c | d for c in combined for d in part]
        return _simplify(combined)
    return (frozenset().union(*(min(part, key=_selectivity) for part in parts)),)


def _selectivity(clause: frozenset[str]) -> tuple[bool, int]:
    """How rarely a clause is met, roughly: clauses with a short literal ("all", "for") are met
    by most sentences; among the rest, fewer literals are met less often."""
    return min(map(len, clause)) < 4, len(clause)


def _simplify(found: list[frozenset[str]]) -> tuple[frozenset[str], ...]:
    """Drop clauses implied by a smaller one (a clause that contains another is weaker)."""
    kept: list[frozenset[str]] = []
    for clause in sorted(set(found), key=len):
        if not any(k <= clause for k in kept):
            kept.append(clause)
    return tuple(kept)


# --- finding candidates -------------------------------------------------------------------


class Prefilter:
    """For a list of patterns' requirements: which of them could match each span of a text.

    One Aho-Corasick pass finds every literal; a span's candidates are the patterns whose
    clauses all meet a literal found inside it. Patterns with no requirement are always
    candidates. Candidates keep the patterns' order."""

    def __init__(self, requirements: Sequence[Requirement]) -> None:
        self._clauses = [clauses(r) for r in requirements]
        self.always = tuple(i for i, c in enumerate(self._clauses) if not c)
        by_literal: dict[str, set[int]] = {}
        for i, found in enumerate(self._clauses):
            # A pattern is looked at only when a literal of its most selective clause turns up.
            for word in min(found, key=_selectivity, default=()):
                by_literal.setdefault(word, set()).add(i)
        self._by_literal = by_literal
        self._automaton = None
        words = sorted({w for c in self._clauses for clause in c for w in clause})
        if words:
            import ahocorasick  # lazy: only rules with patterns need it

            automaton = ahocorasick.Automaton()
            for word in words:
                automaton.add_word(word, (len(word), word))
            automaton.make_automaton()
            self._automaton = automaton

    def candidates(self, text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, ...]] | None:
        """For each [start, end) span of ``text``, the indices of the patterns that could match
        inside it. None when the text cannot be case-folded position for position (run all)."""
        folded = fold(text)
        if len(folded) != len(text):
            return None
        found: list[set[str]] = [set() for _ in spans]
        if self._automaton is not None and spans:
            starts = [s for s, _ in spans]
            for last, (length, word) in self._automaton.iter(folded):
                i = bisect.bisect_right(starts, last - length + 1) - 1
                if i >= 0 and last < spans[i][1]:
                    found[i].add(word)
        out = []
        for here in found:
            if not here:
                out.append(self.always)
                continue
            maybe: set[int] = set(self.always)
            for word in here:
                for i in self._by_literal.get(word, ()):
                    if i not in maybe and all(not clause.isdisjoint(here) for clause in self._clauses[i]):
                        maybe.add(i)
            out.append(tuple(sorted(maybe)))
        return out
