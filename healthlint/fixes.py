"""Apply fixes: plain-word swaps when safe, claim rewrites only with --unsafe-fixes.

Edits touch only the flagged prose (never code, front matter or URLs: rules make no fix where
the flagged span holds markup). Overlapping edits are resolved deterministically: earliest
start first, then the rule id; a later overlapping edit waits for the next pass. Passes repeat
until nothing changes, so a second run makes no further change. ``encoded`` gives the bytes that
keep a file's line endings, BOM and encoding; the command line writes them with
healthlint.atomicfile.write_atomic.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass

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
        current = from_text(text, source.path, source.is_markdown)
    return FixResult(source, current.text, applied)


def encoded(source: SourceText, text: str) -> bytes:
    """The fixed text as the file stores it: same line endings, BOM and encoding."""
    if source.newline != "\n":
        text = text.replace("\n", source.newline)
    data = text.encode(source.encoding)
    if source.had_bom and source.encoding == "utf-8":
        data = b"\xef\xbb\xbf" + data
    return data


def unified_diff(result: FixResult) -> str:
    old = result.source.text.splitlines(keepends=True)
    new = result.fixed_text.splitlines(keepends=True)
    if old and not old[-1].endswith("\n"):
        old[-1] += "\n\\ No newline at end of file\n"
    if new and not new[-1].endswith("\n"):
        new[-1] += "\n\\ No newline at end of file\n"
    path = result.source.path
    return "".join(difflib.unified_diff(old, new, f"a/{path}", f"b/{path}"))
