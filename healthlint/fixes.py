"""Apply fixes: plain-word swaps when safe, claim rewrites only with --unsafe-fixes.

Edits touch only the flagged prose (never code, front matter or URLs: rules make no fix where
the flagged span holds markup). Overlapping edits are resolved deterministically: earliest
start first, then the rule id; a later overlapping edit waits for the next pass. Passes repeat
until nothing changes, so a second run makes no further change. ``encoded`` gives the bytes that
keep the file's line endings line by line (CRLF, LF or a lone CR, mixed as they were), its BOM,
encoding and byte order; the command line writes them with healthlint.atomicfile.write_atomic.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from healthlint.model import Edit, Finding
from healthlint.source import SourceText, from_text

MAX_PASSES = 10


def choose_edits(findings: list[Finding], unsafe: bool) -> list[Edit]:
    """Non-overlapping edits from the findings' fixes, in a stable order."""
    candidates = []
    for f in findings:
        if f.fix and (f.fix.is_safe or unsafe):
            for edit in f.fix.edits:
                candidates.append((edit.start, edit.end, f.rule, edit))
    chosen: list[Edit] = []
    for start, end, _rule, edit in sorted(candidates, key=lambda c: (c[0], c[1], c[2])):
        if any(start < e.end and e.start < end or (start == end == e.start) for e in chosen):
            continue
        if chosen and chosen[-1] == edit:
            continue
        chosen.append(edit)
    return chosen


def apply_edits(text: str, edits: list[Edit]) -> str:
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.replacement + text[edit.end :]
    return text


@dataclass
class FixResult:
    source: SourceText  # the original
    fixed_text: str  # newline-normalised
    applied: int

    @property
    def changed(self) -> bool:
        return self.fixed_text != self.source.text


def fix_source(source: SourceText, lint: Callable[[SourceText], list[Finding]], unsafe: bool) -> FixResult:
    """Apply fixes until none apply (or MAX_PASSES)."""
    current, applied = source, 0
    for _ in range(MAX_PASSES):
        edits = choose_edits(lint(current), unsafe)
        if not edits:
            break
        text = apply_edits(current.text, edits)
        if text == current.text:
            break
        applied += len(edits)
        current = from_text(text, source.path, source.format)
    return FixResult(source, current.text, applied)


# A BOM, and the codec that reads what follows it.
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Layout:
    """How a file stores its text: BOM bytes, codec, and each line break as it is written."""

    bom: bytes
    codec: str
    breaks: tuple[str, ...]  # the original's line breaks, in order ("\r\n", "\r" or "\n")
    newline: str  # for a line break a fix adds


def layout_of(data: bytes, source: SourceText) -> Layout | None:
    """The layout of ``data``, the file's bytes, if they hold exactly the text that was linted."""
    bom, codec = next(((b, c) for b, c in _BOMS if data.startswith(b)), (b"", "utf-8"))
    try:
        raw = data[len(bom) :].decode(codec)
    except UnicodeDecodeError:
        return None
    if codec != "utf-8" and raw.startswith("\ufeff"):
        raw = raw[1:]
    if _LINE_BREAK.sub("\n", raw) != source.text:
        return None
    return Layout(bom, codec, tuple(_LINE_BREAK.findall(raw)), source.newline)


def recorded_layout(source: SourceText) -> Layout:
    """The layout as the source recorded it: one line ending for every line."""
    if source.encoding == "utf-8":
        return Layout(b"\xef\xbb\xbf" if source.had_bom else b"", "utf-8", (), source.newline)
    return Layout(b"", source.encoding, (), source.newline)  # Python's "utf-16" writes its own BOM


def file_layout(source: SourceText) -> Layout:
    """The layout of the file on disk. SourceText keeps one line ending and no byte order, so
    the file is read again; if it no longer holds the text that was linted, what the source
    recorded is used."""
    try:
        found = layout_of(Path(source.path).read_bytes(), source)
    except OSError:
        found = None
    return found or recorded_layout(source)


def with_breaks(original: str, fixed: str, layout: Layout) -> str:
    """``fixed`` (line breaks "\n") with each line ending as the original's line it comes from."""
    if not layout.breaks:
        return fixed if layout.newline == "\n" else fixed.replace("\n", layout.newline)
    lines = fixed.split("\n")
    if len(lines) - 1 == len(layout.breaks):  # the usual case: no fix joined or split a line
        ends = list(layout.breaks)
    else:
        ends = _matched_breaks(original.split("\n"), lines, layout)
    out = [line + end for line, end in zip(lines, ends)]
    out.append(lines[-1])
    return "".join(out)


def _matched_breaks(old: list[str], new: list[str], layout: Layout) -> list[str]:
    """A line break for each new line but the last: the break of the old line it matches or
    replaces (lines joined into one end as the last of them did); a line the fix added takes
    the break of the line before it."""
    breaks = layout.breaks

    def break_of(i: int) -> str:
        return breaks[i] if 0 <= i < len(breaks) else (breaks[-1] if i >= len(breaks) else layout.newline)

    ends: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        for j in range(j1, j2):
            if tag == "insert":
                ends.append(break_of(i1 - 1))
            else:
                ends.append(break_of(i2 - 1 if j == j2 - 1 else min(i1 + j - j1, i2 - 1)))
    return ends[: len(new) - 1]


def encoded(source: SourceText, text: str, layout: Layout | None = None) -> bytes:
    """The fixed text as the file stores it: each line's ending, the BOM, encoding and byte
    order as they were."""
    layout = layout or file_layout(source)
    return layout.bom + with_breaks(source.text, text, layout).encode(layout.codec)


def unified_diff(result: FixResult) -> str:
    old = result.source.text.splitlines(keepends=True)
    new = result.fixed_text.splitlines(keepends=True)
    if old and not old[-1].endswith("\n"):
        old[-1] += "\n\\ No newline at end of file\n"
    if new and not new[-1].endswith("\n"):
        new[-1] += "\n\\ No newline at end of file\n"
    path = result.source.path
    return "".join(difflib.unified_diff(old, new, f"a/{path}", f"b/{path}"))
