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
