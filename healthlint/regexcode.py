"""Compiled regular expressions that can be kept between runs.

Python compiles a regex in two pure-Python steps (parse, then generate the matcher's program)
and hands the program to the C matcher. The rules' patterns are large alternations, and those
two steps cost about two seconds for the built-in rules, far more than linting an article. The
program is a plain list of integers, so we keep it with the cached rule set
(healthlint.rulecache) and give it straight to the matcher next time: the same regex, built in
a fraction of a millisecond.

This uses CPython's own regex compiler modules (``re._parser``, ``re._compiler``, ``_sre``),
which are internal. Everything here is checked and guarded: a program is only ever reused by
the exact Python build that made it, it must give back a regex with the same pattern, flags and
groups, and if any of this machinery is missing or behaves differently, patterns are compiled
the ordinary way.
"""

from __future__ import annotations

import array
import re
import sys
from dataclasses import dataclass

try:
    import _sre

    try:
        from re import _compiler as _sre_compile, _parser as _sre_parse  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_compile as _sre_compile  # type: ignore[no-redef]
        import sre_parse as _sre_parse  # type: ignore[no-redef]
    _AVAILABLE = hasattr(_sre, "compile") and hasattr(_sre_compile, "_code") and _sre.CODESIZE == 4
except Exception:  # pragma: no cover - another Python implementation
    _AVAILABLE = False

# The program belongs to this exact interpreter build.
_BUILD = f"{sys.implementation.name}-{sys.version}-{getattr(_sre, 'MAGIC', 0) if _AVAILABLE else 0}"


@dataclass(frozen=True)
class Program:
    """A regex's compiled matcher program, as the C matcher takes it."""

    pattern: str
    flags: int
    code: array.array
    groups: int
    groupindex: dict
    indexgroup: tuple
    build: str = _BUILD


def compile_with_program(pattern: str, flags: int) -> tuple[re.Pattern, Program | None]:
    """Compile ``pattern`` (raising re.error as re.compile does) and return its program too."""
    if not _AVAILABLE:
        return re.compile(pattern, flags), None
    try:
        parsed = _sre_parse.parse(pattern, flags)
        code = _sre_compile._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        program = Program(pattern, flags | parsed.state.flags, array.array("I", code), parsed.state.groups - 1, groupindex, tuple(indexgroup))
        compiled = _from(program)
    except re.error:
        raise
    except Exception:  # the internals differ from what we expect: compile the ordinary way
        return re.compile(pattern, flags), None
    if compiled is None:
        return re.compile(pattern, flags), None
    return compiled, program


def from_program(program: Program, pattern: str, flags: int) -> re.Pattern | None:
    """The regex for a kept program, or None if it was made for another pattern or Python."""
    if not _AVAILABLE or program.build != _BUILD or program.pattern != pattern:
        return None
    try:
        return _from(program, flags)
    except Exception:
        return None


def _from(program: Program, flags: int | None = None) -> re.Pattern | None:
    compiled = _sre.compile(
        program.pattern, program.flags, program.code.tolist(), program.groups, program.groupindex, program.indexgroup
    )
    if compiled.pattern != program.pattern or (flags is not None and compiled.flags & flags != flags):
        return None
    return compiled


# --- patterns that can backtrack for minutes -----------------------------------------------------
#
# For `healthlint test-rules`: a repeat whose body can match the same text in many ways makes
# Python's engine try every way before it gives up on a line: "(a+)+$" or "(a|aa)+$" on forty
# a's and a "!" takes minutes. Custom patterns run with a time limit (healthlint.lexicon.
# LimitedRegex); this says which ones to rewrite, before a long line trips it.

NESTED_REPEAT = "a repeat inside a repeat, like (a+)+"
OVERLAPPING_CHOICES = "choices inside a repeat that can match the same text, like (a|aa)+"


def backtracking_risks(pattern: str, flags: int = 0) -> list[str]:
    """Why ``pattern`` may backtrack without end (NESTED_REPEAT, OVERLAPPING_CHOICES), or []."""
    if not _AVAILABLE:
        return []
    try:
        parsed = _sre_parse.parse(pattern, flags)
    except Exception:  # an invalid pattern: compiling it reports that
        return []
    found: list[str] = []
    _walk(list(parsed), found, bool(flags & re.IGNORECASE))
    return sorted(set(found), key=(NESTED_REPEAT, OVERLAPPING_CHOICES).index)


# Character sets are judged on a sample of characters: enough to tell letters from spaces,
# digits and punctuation, which is what decides whether a repeat can split text two ways.
_SAMPLE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 \t\n.,;:!?'\"()[]{}<>/\\|-_+*=&%$#@~^`" + "\u00e9\u00c9\u2019\u2018\u2010\u2011\u2013\u2014\u00a0")
_CATEGORIES = {
    "CATEGORY_DIGIT": str.isdigit,
    "CATEGORY_WORD": lambda c: c.isalnum() or c == "_",
    "CATEGORY_SPACE": str.isspace,
    "CATEGORY_LINEBREAK": lambda c: c == "\n",
}


def _group_fold(av, fold: bool) -> bool:
    """Case folding inside a group, which may turn it on or off: "(?-i:[A-Z][a-z]+)"."""
    add, delete = (av[1], av[2]) if len(av) == 4 else (0, 0)
    if delete & re.IGNORECASE:
        return False
    return fold or bool(add & re.IGNORECASE)


def _folded(chars: frozenset, fold: bool) -> frozenset:
    return frozenset(c.lower() for c in chars) if fold else chars


def _in_set(items: list, c: str) -> bool:
    """Does the character class (an IN item's contents) match character ``c``?"""
    negate, hit = False, False
    for op, av in items:
        if op is _sre_parse.NEGATE:
            negate = True
        elif op is _sre_parse.LITERAL:
            hit = hit or chr(av) == c
        elif op is _sre_parse.RANGE:
            hit = hit or av[0] <= ord(c) <= av[1]
        elif op is _sre_parse.CATEGORY:
            name = str(av)
            test = _CATEGORIES.get(name.replace("CATEGORY_NOT_", "CATEGORY_").replace("CATEGORY_UNI_", "CATEGORY_"))
            matched = True if test is None else test(c)
            hit = hit or (not matched if "_NOT_" in name else matched)
        else:  # anything unforeseen: assume it matches, so the check errs towards a warning
            hit = True
    return hit != negate


def _char_set(op, av, fold: bool) -> frozenset | None:
    """The sample characters one single-character item matches; None if it is not one."""
    if op is _sre_parse.LITERAL:
        return _folded(frozenset({chr(av)}), fold)
    if op is _sre_parse.NOT_LITERAL:
        return _folded(_SAMPLE - {chr(av)}, fold)
    if op is _sre_parse.ANY:
        return _folded(_SAMPLE, fold)
    if op is _sre_parse.IN:
        return _folded(frozenset(c for c in _SAMPLE if _in_set(list(av), c)), fold)
    return None


def _first(items: list, fold: bool) -> tuple[frozenset, bool]:
    """(the characters a match of this sequence can start with, can it match nothing?)."""
    chars: frozenset = frozenset()
    for op, av in items:
        first, empty = _first_of(op, av, fold)
        chars |= first
        if not empty:
            return chars, False
    return chars, True


def _first_of(op, av, fold: bool) -> tuple[frozenset, bool]:
    single = _char_set(op, av, fold)
    if single is not None:
        return single, False
    if op is _sre_parse.SUBPATTERN:
        return _first(list(av[-1]), _group_fold(av, fold))
    if op is _sre_parse.BRANCH:
        results = [_first(list(b), fold) for b in av[1]]
        return frozenset().union(*(r[0] for r in results)), any(r[1] for r in results)
    if op in _REPEAT_OPS:
        first, empty = _first(list(av[2]), fold)
        return first, empty or av[0] == 0
    if op is _sre_parse.GROUPREF_EXISTS:
        results = [_first(list(b), fold) if b is not None else (frozenset(), True) for b in av[1:]]
        return frozenset().union(*(r[0] for r in results)), any(r[1] for r in results)
    if op in (_sre_parse.AT, _sre_parse.ASSERT, _sre_parse.ASSERT_NOT):
        return frozenset(), True  # anchors and lookarounds consume nothing
    if op is getattr(_sre_parse, "ATOMIC_GROUP", None):
        return _first(list(av), fold)
    return _folded(_SAMPLE, fold), True  # back-references and the unforeseen: anything


def _all_chars(items: list, fold: bool) -> frozenset:
    """Every character any part of this sequence can match (lookarounds left out)."""
    chars: frozenset = frozenset()
    for op, av in items:
        single = _char_set(op, av, fold)
        if single is not None:
            chars |= single
        elif op not in (_sre_parse.ASSERT, _sre_parse.ASSERT_NOT):
            inner = _group_fold(av, fold) if op is _sre_parse.SUBPATTERN else fold
            for child in _children(op, av):
                chars |= _all_chars(child, inner)
            if op is _sre_parse.GROUPREF:
                chars |= _folded(_SAMPLE, fold)
    return chars


_REPEAT_OPS = tuple(
    op for op in (_sre_parse.MAX_REPEAT, _sre_parse.MIN_REPEAT, getattr(_sre_parse, "POSSESSIVE_REPEAT", None)) if op is not None
) if _AVAILABLE else ()


def _repeats(op, av) -> bool:
    """Is this a backtracking repeat that may match its body more than once?"""
    return op in (_sre_parse.MAX_REPEAT, _sre_parse.MIN_REPEAT) and av[1] > 1


def _unbounded(op, av) -> bool:
    """A repeat with no upper count ("+", "*", "{2,}"). A bounded outer repeat, such as the
    word gaps "(?:\\w+\\s+){0,3}" the built-in rules use, tries a bounded number of splits."""
    return op in (_sre_parse.MAX_REPEAT, _sre_parse.MIN_REPEAT) and av[1] == _sre_parse.MAXREPEAT


def _children(op, av) -> list[list]:
    """The sub-sequences of one parsed item (groups, repeats, choices, conditionals)."""
    if op in _REPEAT_OPS:
        return [list(av[2])]
    if op is _sre_parse.SUBPATTERN:
        return [list(av[-1])]
    if op is _sre_parse.BRANCH:
        return [list(b) for b in av[1]]
    if op is getattr(_sre_parse, "ATOMIC_GROUP", None):
        return [list(av)]
    if op is _sre_parse.GROUPREF_EXISTS:
        return [list(b) for b in av[1:] if b is not None]
    return []  # literals, sets, anchors; lookarounds are short and left alone


def _walk(items: list, found: list[str], fold: bool) -> None:
    """Look inside every unbounded repeat for ways its body can split the same text twice."""
    for op, av in items:
        if _unbounded(op, av):
            body = list(av[2])
            _ambiguous(body, _first(body, fold)[0], found, fold)
        if op is getattr(_sre_parse, "ATOMIC_GROUP", None) or op is getattr(_sre_parse, "POSSESSIVE_REPEAT", None):
            continue  # never backtracks into itself
        inner = _group_fold(av, fold) if op is _sre_parse.SUBPATTERN else fold
        for child in _children(op, av):
            _walk(child, found, inner)


def _ambiguous(seq: list, next_round: frozenset, found: list[str], fold: bool) -> None:
    """Inside one round of an unbounded repeat (``seq``, followed by the next round, which starts
    with ``next_round``): does an inner repeat compete with what follows it for the same
    characters ("(a+)+", "(\\w+\\s?)+"), or do two choices start alike ("(a|aa)+")? Then
    the text can be split between rounds in exponentially many ways. "([A-Z][a-z]+)+" cannot:
    each round must begin with a capital the inner repeat never takes."""
    for index, (op, av) in enumerate(seq):
        rest = seq[index + 1 :]
        if op is getattr(_sre_parse, "ATOMIC_GROUP", None) or op is getattr(_sre_parse, "POSSESSIVE_REPEAT", None):
            continue
        if op is _sre_parse.SUBPATTERN:
            # (the rest of the round keeps the outer folding; judged with the group's, a
            # slight over-warning at most)
            _ambiguous(list(av[-1]) + rest, next_round, found, _group_fold(av, fold))
        elif op is _sre_parse.BRANCH:
            branches = [list(b) for b in av[1]]
            if _choices_overlap(branches, fold):
                found.append(OVERLAPPING_CHOICES)
            for branch in branches:
                _ambiguous(branch + rest, next_round, found, fold)
        elif _repeats(op, av):
            follow, empty = _first(rest, fold)
            if empty:
                follow |= next_round
            if _all_chars(list(av[2]), fold) & follow:
                found.append(NESTED_REPEAT)


def _choices_overlap(branches: list[list], fold: bool) -> bool:
    """Can two choices start the same way (or one be empty)? Then a repeat of them can split
    the same text in many ways."""
    starts = [_start_token(b, fold) for b in branches]
    if any(s is None for s in starts):
        return True
    return len(starts) != len(set(starts))


def _start_token(items: list, fold: bool):
    """What a sequence starts with (a literal, or the set's description), or None when it
    may match nothing or anything."""
    if not items:
        return None
    op, av = items[0]
    if op is _sre_parse.LITERAL:
        return chr(av).lower() if fold else chr(av)
    if op in (_sre_parse.IN, _sre_parse.NOT_LITERAL):
        return repr(av)
    if op is _sre_parse.SUBPATTERN:
        return _start_token(list(av[-1]), fold)
    if op in (_sre_parse.MAX_REPEAT, _sre_parse.MIN_REPEAT) and av[0] >= 1:
        return _start_token(list(av[2]), fold)
    return None
