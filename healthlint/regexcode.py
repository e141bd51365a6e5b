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
    _walk(list(parsed), found, bool(flags & re.IGNORECASE), inside_repeat=False)
    return sorted(set(found), key=(NESTED_REPEAT, OVERLAPPING_CHOICES).index)


def _repeats(op, av) -> bool:
    """Is this a repeat that may match its body more than once?"""
    return op in (_sre_parse.MAX_REPEAT, _sre_parse.MIN_REPEAT) and av[1] > 1


def _unbounded(op, av) -> bool:
    """A repeat with no upper count ("+", "*", "{2,}"). A bounded outer repeat, such as the
    word gaps "(?:\\w+\\s+){0,3}" the built-in rules use, tries a bounded number of splits."""
    return op in (_sre_parse.MAX_REPEAT, _sre_parse.MIN_REPEAT) and av[1] == _sre_parse.MAXREPEAT


def _children(op, av) -> list[list]:
    """The sub-sequences of one parsed item (groups, repeats, choices, conditionals)."""
    if op in (_sre_parse.MAX_REPEAT, _sre_parse.MIN_REPEAT, getattr(_sre_parse, "POSSESSIVE_REPEAT", None)):
        return [list(av[2])]
    if op is _sre_parse.SUBPATTERN:
        return [list(av[-1])]
    if op is _sre_parse.BRANCH:
        return [list(b) for b in av[1]]
    if op is getattr(_sre_parse, "ATOMIC_GROUP", None):
        return []  # an atomic group never backtracks into itself
    if op is _sre_parse.GROUPREF_EXISTS:
        return [list(b) for b in av[1:] if b is not None]
    return []  # literals, sets, anchors; lookarounds are short and left alone


def _walk(items: list, found: list[str], fold: bool, inside_repeat: bool) -> None:
    for op, av in items:
        if inside_repeat and _repeats(op, av):
            found.append(NESTED_REPEAT)
        if inside_repeat and op is _sre_parse.BRANCH and _choices_overlap([list(b) for b in av[1]], fold):
            found.append(OVERLAPPING_CHOICES)
        for child in _children(op, av):
            _walk(child, found, fold, inside_repeat or _unbounded(op, av))


def _choices_overlap(branches: list[list], fold: bool) -> bool:
    """Can two choices start the same way (or one be empty)? Then a repeat of them can split
    the same text in many ways."""
    starts = [_first(b, fold) for b in branches]
    if any(s is None for s in starts):
        return True
    return len(starts) != len(set(starts))


def _first(items: list, fold: bool):
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
        return _first(list(av[-1]), fold)
    if op in (_sre_parse.MAX_REPEAT, _sre_parse.MIN_REPEAT) and av[0] >= 1:
        return _first(list(av[2]), fold)
    return None
