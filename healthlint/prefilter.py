"""Which patterns could match here? Required literals, found in one pass.

A regular expression can only match text that contains certain literal strings: the pattern
``{product}\\s+is\\s+safe`` needs a product name *and* "is" *and* "safe". When rules load, each
pattern's regex is turned into such a requirement, a small tree of literals joined by AND and OR
(the idea RE2 and Vale use). Linting then finds every literal of every pattern in one
Aho-Corasick pass over a block, and runs a pattern's regex only on the sentences whose literals
satisfy its requirement. Most patterns never run on most sentences.

Whitespace is one character, SPACE, in folded text and in literals, as a regex's ``\\s`` matches
any whitespace: a word's literal can then carry the whitespace after or before it ("is" then
SPACE is not in "disease" or "this."), which places where a match could begin far more closely.

The requirement is always a *necessary* condition, never a sufficient one: skipping a pattern
can never lose a match. Matching is case-insensitive (text and literals are case-folded the way
Python's ``re.IGNORECASE`` compares characters), so a pattern compiled without IGNORECASE is only
filtered more loosely, never wrongly. Anything the analysis does not understand (backreferences,
wide character classes, an unknown regex construct) simply adds no requirement.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
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


# Whitespace, as the regex ``\s`` matches it, is SPACE in folded text and in literals: a literal
# can then say where a word ends or begins ("is" + SPACE is not in "disease"), as a regex's
# ``\s+`` between words does, whatever whitespace the text has there.
SPACE = "\x01"
_ASCII_SPACES = " \n\t\r\x0b\x0c"
_OTHER_SPACES = re.compile("[\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


def fold(text: str) -> str:
    """Case-fold for literal search, whitespace made SPACE; the result has the same length as
    ``text`` or is ''."""
    lowered = text.lower()
    if len(lowered) != len(text):
        return ""  # a character whose lower case is longer ("İ"): positions would not line up
    if not lowered.isascii():
        lowered = _OTHER_SPACES.sub(SPACE, lowered.translate(_FOLD))
    for space in _ASCII_SPACES:
        if space in lowered:
            lowered = lowered.replace(space, SPACE)
    return lowered


# --- requirements from a regex ------------------------------------------------------------


def _lit_or(strings: Iterable[str]) -> Requirement:
    strings = {_literal(s) for s in strings}
    if not strings or "" in strings:
        return None
    if len(strings) == 1:
        return ("lit", next(iter(strings)))
    return ("or", tuple(("lit", s) for s in sorted(strings)))


# A word this long (letters, not SPACE) is rarely inside another: the SPACE before or after it
# picks out no fewer sentences, and the search would find the word a second time for it.
_LONG_WORD = 4


def _literal(found: str) -> str:
    """A literal as a requirement needs it. Whitespace with at most one letter ("n" + SPACE, the
    end of every "in" and "can") says nothing ("" here): such a clause is met nearly everywhere,
    and its matches cost the search more than the clause saves. The SPACE before or after a long
    word, or a common one (which nearly every sentence has anyway), is left off: each form of a
    word in the search is found again at each of its occurrences."""
    core = found.strip(SPACE)
    letters = len(core) - core.count(SPACE)
    if letters >= _LONG_WORD or core in _COMMON_WORDS:
        return core
    return found if letters > 1 or found == core else ""


def _and(parts: Iterable[Requirement]) -> Requirement:
    kept = [p for p in parts if p is not None]
    # Short literals ("is", "-") find almost every sentence; keep them only if nothing better is needed.
    strong = [p for p in kept if _shortest(p) >= 3]
    kept = strong or kept
    unique = list(dict.fromkeys(kept))
    if not unique:
        return None
    return unique[0] if len(unique) == 1 else ("and", tuple(unique))


def all_of(parts: Iterable[Requirement]) -> Requirement:
    """A requirement met only where every one of ``parts`` is met."""
    return _and(parts)


def any_of(parts: Sequence[Requirement]) -> Requirement:
    """A requirement met where any one of ``parts`` is met (None, met anywhere, if one is)."""
    return _or(parts)


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
        return len(arg) - arg.count(SPACE)
    lengths = [_shortest(r) for r in arg]
    return max(lengths) if op == "and" else min(lengths)


_UNKNOWN = frozenset({""})  # a piece's start or end is unknown: it may be anything


@dataclass(frozen=True)
class _Piece:
    """What part of a regex tells us: the exact strings it matches (when few); else what any
    match needs inside it, and the strings any match must start and end with. Keeping the
    starts and ends lets a sequence join them to its neighbours: "g" before "et off|ive up"
    needs "get" or "give", where on its own "g" needs nearly nothing (RE2's prefilter and Russ
    Cox's trigram index keep the same prefix and suffix sets)."""

    exact: frozenset[str] | None
    needs: Requirement = None
    starts: frozenset[str] = _UNKNOWN
    ends: frozenset[str] = _UNKNOWN

    def requirement(self) -> Requirement:
        if self.exact is not None:
            return _lit_or(self.exact)
        return _and([self.needs, _lit_or(self.starts), _lit_or(self.ends)])

    @property
    def first(self) -> frozenset[str]:
        return self.exact if self.exact is not None else self.starts

    @property
    def last(self) -> frozenset[str]:
        return self.exact if self.exact is not None else self.ends


_ANYTHING = _Piece(None, None)
_EMPTY = _Piece(frozenset({""}))


def _cross(left: frozenset[str], right: frozenset[str]) -> frozenset[str] | None:
    """Every left string followed by every right one, or None if that is too many."""
    if len(left) * len(right) > _MAX_EXACT:
        return None
    return frozenset(a + b for a in left for b in right)


def _concat(a: _Piece, b: _Piece) -> _Piece:
    """The piece for ``a`` followed by ``b``. A start or end set that no longer fits at the
    outside of the piece moves into what it needs, so nothing known is lost."""
    if a.exact is not None and b.exact is not None:
        joined = _cross(a.exact, b.exact)
        if joined is not None:
            return _Piece(joined)
        return _Piece(None, None, a.exact, b.exact)
    needs = [a.needs, b.needs]
    if a.exact is not None:  # exact, then open: the exact strings lead every match
        starts = _cross(a.exact, b.starts)
        if starts is None:
            starts = a.exact
            needs.append(_lit_or(b.starts))
        return _Piece(None, _and(needs), starts, b.ends)
    if b.exact is not None:  # open, then exact: the exact strings close every match
        ends = _cross(a.ends, b.exact)
        if ends is None:
            ends = b.exact
            needs.append(_lit_or(a.ends))
        return _Piece(None, _and(needs), a.starts, ends)
    joint = _cross(a.ends, b.starts)  # where the two meet, e.g. "safe" + "ly"
    needs += [_lit_or(joint)] if joint is not None else [_lit_or(a.ends), _lit_or(b.starts)]
    return _Piece(None, _and(needs), a.starts, b.ends)


def _union(sets: Iterable[frozenset[str]]) -> frozenset[str]:
    union = frozenset().union(*sets)
    return _UNKNOWN if "" in union or len(union) > _MAX_UNION else union


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
        elif op is _sre.CATEGORY and arg is _sre.CATEGORY_SPACE:
            chars.add(SPACE)  # \s: any whitespace, which folded text holds as SPACE
        else:
            return _ANYTHING  # NEGATE, other categories (\w, \d), wide ranges
        if len(chars) > _MAX_CLASS:
            return _ANYTHING
    folded = {fold(c) for c in chars}
    return _ANYTHING if "" in folded else _Piece(frozenset(folded))


def _sequence(items) -> _Piece:
    piece = _EMPTY
    for op, arg in items:
        piece = _concat(piece, _item(op, arg))
    return piece


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
    # At least once: every match starts as the body starts and ends as it ends.
    return _Piece(None, piece.needs, piece.first, piece.last)


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
        needs = _or([p.requirement() for p in pieces])
        return _Piece(None, needs, _union(p.first for p in pieces), _union(p.last for p in pieces))
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


@lru_cache(maxsize=16)
def _parsed(regex: str, flags: int):
    """The standard library's parse of a regex: both analyses (requirement, match_starts) read
    it, and parsing a rule's large alternations is most of their cost. Only the last few are
    kept: a parse is large, and a rule's patterns are analysed one after another."""
    return _sre_parse.parse(regex, flags)


@lru_cache(maxsize=4096)
def requirement(regex: str, flags: int = 0) -> Requirement:
    """The literals any match of ``regex`` must contain, or None if the analysis finds none."""
    try:
        parsed = _parsed(regex, flags)
    except Exception:  # an invalid or exotic pattern: compiling it reports the error
        return None
    try:
        return _sequence(parsed).requirement()
    except RecursionError:  # pragma: no cover - absurdly nested patterns
        return None


# --- where a match can begin ---------------------------------------------------------------

_MAX_STARTS = 4096  # most strings kept as the possible beginnings of a match


def match_starts(regex: str, flags: int = 0) -> frozenset[str] | None:
    """Strings (case-folded) one of which begins every match of ``regex``; None when the analysis
    cannot say, or a match could be empty. ``(?:very\\s+)?safe`` begins with "very" or "safe":
    a match can then start only where one of them occurs, so the regex need not be tried at every
    other position of a sentence (Python's engine, with IGNORECASE, tries them all)."""
    try:
        parsed = _parsed(regex, flags)
        if parsed.getwidth()[0] == 0:
            return None
        found = _Starts().of(list(parsed))
    except RecursionError:  # pragma: no cover - absurdly nested patterns
        return None
    except Exception:  # an invalid or exotic pattern: compiling it reports the error
        return None
    return None if not found or "" in found else found


_LONG_ENOUGH = 6  # beginnings this long pick out few places; looking further costs more than it gains


class _Starts:
    """Works out prefixes of every match of a parsed sequence. Stopping anywhere is safe (a
    prefix of a beginning is still a beginning), so the walk stops when the beginnings are long
    enough, too many, or too costly to work out (each optional part doubles the ways on)."""

    def __init__(self, budget: int = 500) -> None:
        self.budget = budget

    def of(self, items: list) -> frozenset[str] | None:
        self.budget -= 1
        if self.budget < 0:
            return None
        known = frozenset({""})
        for i, (op, arg) in enumerate(items):
            if op in _ZERO_WIDTH:
                continue
            if min(map(len, known)) >= _LONG_ENOUGH:
                return known
            rest = items[i + 1 :]
            if op is _sre.SUBPATTERN:  # the group's contents, then what follows it
                return _followed(known, self.of(list(arg[-1]) + rest))
            if op is _sre.BRANCH:
                found = [self.of(list(alt) + rest) for alt in arg[1]]
                return _followed(known, None if None in found else frozenset().union(*found))
            if op in _REPEATS and arg[0] == 0:  # optional: it begins the match, or what follows does
                body, after = self.of(list(arg[2]) + rest), self.of(rest)
                return _followed(known, None if body is None or after is None else body | after)
            piece = _item(op, arg)
            if piece.exact is None or "" in piece.exact:
                first = piece.first
                return _followed(known, None if first is _UNKNOWN or "" in first else first)
            joined = _followed(known, piece.exact)
            if joined is known:
                return known
            known = joined
        return known


def _followed(known: frozenset[str], then: frozenset[str] | None) -> frozenset[str]:
    """Each of ``known`` followed by each of ``then``; just ``known`` when ``then`` is unknown or
    the product would be too many strings."""
    if then is None or "" in then or len(known) * len(then) > _MAX_STARTS:
        return known
    return frozenset(a + b for a in known for b in then)


_MAX_DISTRIBUTED = 16  # most clauses an OR may distribute into before it is summarised


_MAX_ALTERNATIVES = 256  # beyond this, a requirement is judged whole (its clauses are weaker)


def alternatives(req: Requirement) -> list[Requirement]:
    """The requirement as alternatives any one of which meets it: the parts of a top-level OR
    (nested ORs flattened), else the requirement itself."""
    if req is None or req[0] != "or":
        return [req]
    out: list[Requirement] = []
    pending = list(req[1])
    while pending:
        part = pending.pop(0)
        if part is not None and part[0] == "or":
            pending[:0] = part[1]
        else:
            out.append(part)
        if len(out) + len(pending) > _MAX_ALTERNATIVES:
            return [req]
    return out


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


# Words that turn up in nearly every paragraph of English: a clause that one of them meets
# picks out almost nothing, so it is the last choice of trigger.
_COMMON_WORDS = frozenset(
    "a about after all also an and any are as at be because been but by can could do does each for "
    "from get had has have he her his how if in into is it its just like may more most no not now of "
    "off on one only or other our out over people so some such than that the their them then there "
    "these they this those to up use used very was we were what when which who will with would you "
    "your".split()
)


def _literal_cost(word: str) -> int:
    """A rough guess at how often a literal turns up: common words most, then short ones."""
    word = word.replace(SPACE, "")  # "is" + SPACE turns up about as often as "is"
    if word.strip(" -") in _COMMON_WORDS:
        return 512
    return 2 ** max(0, 7 - len(word))


def _selectivity(clause: frozenset[str]) -> int:
    """How often a clause is met, roughly: the sum of its literals' guessed frequencies. The
    cheapest clause of a pattern is its trigger."""
    return sum(map(_literal_cost, clause))


def _simplify(found: list[frozenset[str]]) -> tuple[frozenset[str], ...]:
    """Drop clauses implied by a smaller one (a clause that contains another is weaker)."""
    kept: list[frozenset[str]] = []
    for clause in sorted(set(found), key=len):
        if not any(k <= clause for k in kept):
            kept.append(clause)
    return tuple(kept)


def _without_implied(found: tuple[frozenset[str], ...]) -> tuple[frozenset[str], ...]:
    """A requirement's clauses less those another implies: one each of whose literals is
    inside a literal of the other ("n" or "ver" is met wherever "on" or "over" is). The same
    requirement, fewer literals to find: a trie of words such as "o(?:n|ver) to" once left
    "n" among them, a fifth of all the literals found in a corpus. (Done once per pattern, on
    its final clauses: the test costs the product of two clauses' sizes.)"""
    kept = list(found)
    for clause in found:  # one at a time, so of two clauses that imply each other one stays
        if any(k is not clause and _implies(k, clause) for k in kept):
            kept.remove(clause)
    return tuple(kept)


_MAX_IMPLIED = 64  # literals in a clause, for the substring test (it costs their product)


def _implies(strong: frozenset[str], weak: frozenset[str]) -> bool:
    """Does every text meeting ``strong`` meet ``weak``? When each of strong's literals holds
    one of weak's (a subset is the simplest case)."""
    if len(strong) > _MAX_IMPLIED or len(weak) > _MAX_IMPLIED:
        return False
    return all(any(w in s for w in weak) for s in strong)


# --- finding candidates -------------------------------------------------------------------


def _without_trigger(found: tuple[frozenset[str], ...]) -> tuple[frozenset[str], ...]:
    """The clauses of a requirement other than its trigger (its rarest clause, as Prefilter
    picks it): a span holding a trigger word meets the trigger clause already."""
    if not found:
        return ()
    trigger = min(found, key=_selectivity)
    return tuple(clause for clause in found if clause is not trigger)


class Prefilter:
    """For a list of patterns' requirements: which of them could match each span of a text.

    Each pattern is triggered by the literals of its rarest clause. One Aho-Corasick pass over
    the text finds every literal of every span; a span holding a trigger is then judged by
    the pattern's other clauses too. Patterns with no requirement are always candidates.
    Candidates keep the patterns' order. Several prefilters can share that pass
    (LiteralIndex); each then only judges the literals found."""

    # Sets of literals remembered with what they let through (under 0.5 MB). A corpus holds
    # many more different sets, but remembering 16 times as many saved no time (judging is a
    # few set look-ups) and cost 32 MB on a 4 MB file.
    _MAX_JUDGED = 1024

    def __init__(self, requirements: Sequence[Requirement], *, by_alternative: bool = False) -> None:
        # ``by_alternative``: each requirement's alternatives are judged apart, so a word
        # list's "not safe" needs both words, where the clauses of the whole list keep only
        # what every alternative shares. Worth it for context cues (word lists, judged once a
        # block); for claim patterns, judged once a sentence, the many alternatives of their
        # lexicons made judging cost more than it saved.
        self._owner: list[int] = []  # the pattern each alternative belongs to
        self._clauses: list[tuple[frozenset[str], ...]] = []
        always: set[int] = set()
        # One object for equal clauses: many patterns share their lexicons' clauses, and the
        # rule cache then stores (and loads) each once, not 65,000 literals for 900.
        shared: dict[frozenset[str], frozenset[str]] = {}
        for i, req in enumerate(requirements):
            for alternative in alternatives(req) if by_alternative else [req]:
                found = tuple(shared.setdefault(clause, clause) for clause in _without_implied(clauses(alternative)))
                if not found:
                    always.add(i)
                self._owner.append(i)
                self._clauses.append(found)
        self.always = tuple(sorted(always))
        triggered_by: dict[str, set[int]] = {}
        for a, found in enumerate(self._clauses):
            if self._owner[a] in always:
                continue  # a candidate everywhere: no trigger needed
            for word in min(found, key=_selectivity, default=()):
                triggered_by.setdefault(word, set()).add(a)
        self._triggered_by = {word: tuple(sorted(found)) for word, found in triggered_by.items()}
        # What each alternative needs besides its trigger clause (most need nothing more).
        self._others = [_without_trigger(found) for found in self._clauses]
        self.triggers = frozenset(self._triggered_by)
        self.literals = frozenset(w for a, c in enumerate(self._clauses) if self._owner[a] not in always for clause in c for w in clause)
        self._literals = _automaton(self.literals)
        self._judged: dict[frozenset[str], tuple[int, ...]] = {}

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_judged": {}}  # what a run learnt is not kept with the rules

    def candidates(self, text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, ...]] | None:
        """For each [start, end) span of ``text``, the indices of the patterns that could match
        inside it. None when the text cannot be case-folded position for position (run all)."""
        folded = fold(text)
        if len(folded) != len(text):
            return None
        return self.folded_candidates(folded, spans)

    def folded_candidates(self, folded: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, ...]]:
        """candidates() for text already folded in place (``fold(text)`` as long as the text).
        Spans must be in order and not overlap; what lies between them never counts, so
        many blocks can be checked in one call, joined by a separator."""
        out = [self.always] * len(spans)
        if not self.triggers or not spans:
            return out
        triggers = self.triggers
        for i, found in enumerate(literals_by_span(self._literals, folded, spans)):
            if found is not None and not found.isdisjoint(triggers):
                out[i] = self.judge(found)
        return out

    def judge(self, present: frozenset[str] | None) -> tuple[int, ...]:
        """The patterns that could match in a span holding exactly these literals (None: a span
        holding no trigger). Spans often hold the same few of this prefilter's literals ("is",
        "safe"), so each such set is judged once."""
        if present is None or present.isdisjoint(self.triggers):
            return self.always  # the span holds none of this prefilter's triggers (two in five)
        own = present & self.literals  # found with other rules' literals, the whole set is often new
        return remembered(self._judged, own, self._MAX_JUDGED, self._judge)

    def _judge(self, present: frozenset[str]) -> tuple[int, ...]:
        triggered_by, owner, others = self._triggered_by, self._owner, self._others
        keep: set[int] = set()
        for word in present & self.triggers:
            for a in triggered_by[word]:
                for clause in others[a]:
                    if clause.isdisjoint(present):
                        break  # a clause none of whose literals is there
                else:
                    keep.add(owner[a])
        return tuple(sorted({*self.always, *keep})) if keep else self.always


class LiteralIndex:
    """Several prefilters' literals found together, in one pass over each span, where each
    prefilter alone would make its own two passes. The literals found in a span are all of each
    member's literals there, so a member's judge() of them gives the same candidates as its own
    passes; judge_all() gives every member's at once."""

    _MAX_JUDGED = 4096  # sets of literals remembered with every member's candidates

    def __init__(self, prefilters: Iterable[Prefilter]) -> None:
        members = list(prefilters)
        self._slots = {id(p): k for k, p in enumerate(members)}
        self._keep = members  # the ids above stay theirs while the index lives
        self._triggers = frozenset().union(*(p.triggers for p in members))
        self._literals = _automaton(frozenset().union(*(p.literals for p in members)))
        # Each member's alternatives under the words that trigger them, with the member's slot
        # and the pattern they belong to: a span is judged for all members in one walk.
        triggered: dict[str, list[tuple[int, int, tuple[frozenset[str], ...]]]] = {}
        for k, p in enumerate(members):
            for word, found in p._triggered_by.items():
                triggered.setdefault(word, []).extend((k, p._owner[a], p._others[a]) for a in found)
        self._triggered = {word: tuple(found) for word, found in triggered.items()}
        self._always = tuple(p.always for p in members)
        self._judged: dict[frozenset[str], tuple[tuple[int, ...], ...]] = {}

    def covers(self, prefilter: Prefilter) -> bool:
        return id(prefilter) in self._slots

    def slot(self, prefilter: Prefilter) -> int:
        """Where a member's candidates are in what judge_all() gives."""
        return self._slots[id(prefilter)]

    def judge_all(self, present: frozenset[str] | None) -> tuple[tuple[int, ...], ...]:
        """Every member's judge() of a span holding exactly these literals (None: no trigger),
        by slot: one walk over the alternatives the span's triggers name, for all members, where
        each member's own judge() would first take its part of the set and walk its own. (A set
        that comes again, as sentences of a document repeat their words, is judged once.)"""
        if present is None:
            return self._always
        return remembered(self._judged, present, self._MAX_JUDGED, self._judge_all)

    def _judge_all(self, present: frozenset[str]) -> tuple[tuple[int, ...], ...]:
        triggered = self._triggered
        keep: dict[int, set[int]] = {}
        for word in present & self._triggers:
            for k, i, others in triggered[word]:
                for clause in others:
                    if clause.isdisjoint(present):
                        break  # a clause none of whose literals is there
                else:
                    found = keep.get(k)
                    if found is None:
                        keep[k] = {i}
                    else:
                        found.add(i)
        if not keep:
            return self._always
        always = self._always
        return tuple(tuple(sorted({*always[k], *keep[k]})) if k in keep else always[k] for k in range(len(always)))

    def present(self, folded: str, spans: Sequence[tuple[int, int]]) -> list[frozenset[str] | None]:
        """For each span of ``folded`` (see Prefilter.folded_candidates), the literals it holds,
        or None when it holds no trigger. Between them, several rules' triggers turn up in
        nearly every sentence (nine in ten of the NIH corpus), so every span's literals are
        found directly: a first pass for triggers would cost more than it saves."""
        out: list[frozenset[str] | None] = [None] * len(spans)
        if self._literals is None:
            return out
        triggers = self._triggers
        # Sentences holding the same literals share one set: a document keeps its scan.
        seen: dict[frozenset[str], frozenset[str]] = {}
        for i, found in enumerate(literals_by_span(self._literals, folded, spans)):
            if found is not None and not found.isdisjoint(triggers):
                out[i] = seen.setdefault(found, found)
        return out


def remembered(cache: dict, key, limit: int, work):
    """``work(key)``, kept in ``cache``, which starts afresh when it holds ``limit`` answers (a
    long run meets more keys than are worth keeping)."""
    found = cache.get(key)
    if found is None:
        if len(cache) >= limit:
            cache.clear()
        found = cache[key] = work(key)
    return found


def literals_by_span(automaton, folded: str, spans: Sequence[tuple[int, int]]) -> list[frozenset[str] | None]:
    """For each [start, end) span (in order, not overlapping), the literals of ``automaton``
    that occur wholly inside it (None: none do), from one pass over ``folded``: what
    searching each span's slice would give, without a slice and a pass per span."""
    found: list[list[str] | None] = [None] * len(spans)
    if automaton is None or not spans:
        return [None] * len(spans)
    i, count = 0, len(spans)
    start, end = spans[0]
    for last, (back, word) in automaton.iter(folded):  # in the order their ends are reached
        while last >= end:  # the occurrence ends past span i: on to the span it may be in
            i += 1
            if i == count:
                return [frozenset(words) if words else None for words in found]
            start, end = spans[i]
        if last - back >= start:
            words = found[i]
            if words is None:
                found[i] = [word]
            else:
                words.append(word)
    return [frozenset(words) if words else None for words in found]


def _automaton(words: Iterable[str]):
    """An Aho-Corasick automaton reporting, for each word, how far its first character is back
    from its last (its length less one, worked out once) and the word; None for no words."""
    words = sorted(words)
    if not words:
        return None
    import ahocorasick  # lazy: only rules with patterns need it

    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, (len(word) - 1, word))
    automaton.make_automaton()
    return automaton


class LiteralScreen:
    """Could a text hold a match of one pattern? Each clause of the pattern's requirement
    needs one of its literals in the text, so one Aho-Corasick pass per clause, stopping at
    the first literal found, rules most blocks out. Prefilter.candidates gives the same
    answer, but it serves many patterns and spans at once and so gathers the literals it found
    in Python: for one pattern on one block that costs about twice as much."""

    def __init__(self, needs: Requirement) -> None:
        # The rarest clauses first: most texts fail on the first pass.
        found = sorted(_without_implied(clauses(needs)), key=_selectivity)
        self._automata = tuple(_automaton(clause) for clause in found)

    def may_match(self, text: str) -> bool:
        if not self._automata:
            return True
        folded = fold(text)
        if len(folded) != len(text):
            return True  # cannot be folded position for position: let the regex decide
        return self.may_match_folded(folded)

    def may_match_folded(self, folded: str) -> bool:
        """may_match() for text already folded in place (``fold(text)``, as long as the text)."""
        return all(_any_found(automaton, folded) for automaton in self._automata)


def _any_found(automaton, text: str) -> bool:
    for _ in automaton.iter(text):
        return True
    return False


class StartsIndex:
    """Where the matches of each of several patterns could begin (their match_starts), found
    for most of them in one Aho-Corasick pass over the folded text: a rule's candidate patterns
    in a sentence are then tried at their own beginnings, one pass in place of one each. A
    pattern with a beginning of one or two characters ("a", "a" and SPACE) has a pass of its
    own, made only where it is a candidate: in the shared pass those letters would turn up all
    over every sentence. (A pass for each set of such candidates, tried too, built hundreds of
    automata on the corpus: 14 MB more at its peak for no time saved. So did one pass that looked
    for beginnings only where words begin, every pattern's in one automaton: a beginning found
    for patterns not wanted in the sentence cost more than the places it saved.)"""

    _SHORT = 3  # beginnings shorter than this go in a pattern's own pass
    _MAX_PLANS = 4096  # sets of candidate patterns remembered (a rule meets up to 2,000 in the corpus)

    def __init__(self, starts: Sequence[frozenset[str] | None]) -> None:
        shared: dict[str, list[int]] = {}
        self._own: dict[int, StartScanner] = {}
        for i, found in enumerate(starts):
            if not found:
                continue
            if min(map(len, found)) < self._SHORT:
                self._own[i] = StartScanner(found)
                continue
            for word in found:
                shared.setdefault(word, []).append(i)
        self._shared = frozenset(i for found in shared.values() for i in found)
        self._automaton = None
        if shared:
            import ahocorasick  # lazy: only rules with patterns need it

            self._automaton = ahocorasick.Automaton()
            for word in sorted(shared):
                self._automaton.add_word(word, (len(word) - 1, tuple(shared[word])))
            self._automaton.make_automaton()
        self._plans: dict[Collection[int], tuple] = {}

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_plans": {}}  # what a run learnt is not kept with the rules

    def offsets(self, folded: str, wanted: Collection[int]) -> dict[int, list[int]]:
        """For each pattern in ``wanted`` whose beginnings occur in ``folded``, their sorted
        offsets (a pattern absent from the result can begin nowhere)."""
        if not wanted:
            return {}
        own, shared = self._plan(wanted)
        out: dict[int, list[int]] = {}
        for i, scanner in own:
            found = scanner.offsets(folded)
            if found:
                out[i] = found
        if shared is None:
            return out
        found_shared: dict[int, set[int]] = {}
        for last, (back, owners) in self._automaton.iter(folded):
            for i in owners:
                if i in shared:
                    at = found_shared.get(i)
                    if at is None:
                        found_shared[i] = {last - back}
                    else:
                        at.add(last - back)
        out.update((i, sorted(at)) for i, at in found_shared.items())
        return out

    def _plan(self, wanted: Collection[int]) -> tuple[tuple[tuple[int, "StartScanner"], ...], frozenset[int] | None]:
        """The wanted patterns with a pass of their own, and those the shared pass serves (None:
        no shared pass is needed). Sentences ask with the same few sets of candidates (the
        prefilter's judgements), so each set is split once."""
        key = wanted if isinstance(wanted, (tuple, frozenset)) else frozenset(wanted)
        return remembered(self._plans, key, self._MAX_PLANS, self._split)

    def _split(self, wanted: Collection[int]) -> tuple[tuple[tuple[int, "StartScanner"], ...], frozenset[int] | None]:
        own = tuple((i, self._own[i]) for i in sorted(set(wanted)) if i in self._own)
        shared = self._shared.intersection(wanted) if self._automaton is not None else frozenset()
        return own, shared or None


class StartScanner:
    """Where in a text a match of one pattern could begin: the offsets at which one of its
    beginnings (match_starts) occurs, found in one Aho-Corasick pass over the folded text."""

    def __init__(self, starts: Iterable[str]) -> None:
        self._automaton = _automaton(starts)

    def offsets(self, folded: str) -> list[int]:
        """Sorted offsets in ``folded`` (text folded in place) where a match could begin."""
        return sorted({last - back for last, (back, _) in self._automaton.iter(folded)})
