"""Stage 1: read a file into text, with a line index for exact positions.

Line endings are normalised to "\n" for the parsers. Columns are unaffected by that
(a "\r" only ever sits at the end of a line), so positions computed on the normalised
text are exact in the original file. A leading BOM is dropped: editors do not count it.
"""

from __future__ import annotations

import bisect
import sys
from array import array
from dataclasses import dataclass, field
from pathlib import Path

from healthlint.model import Position

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd", ".mdx"})


class InputError(Exception):
    """A file that cannot be linted, with a message meant for the person who ran the command."""


@dataclass
class SourceText:
    path: str
    text: str  # decoded, BOM removed, line endings normalised to "\n"
    is_markdown: bool
    newline: str = "\n"  # the file's own line ending, kept for fixes
    had_bom: bool = False
    encoding: str = "utf-8"
    # Offset of each line's first character: a compact array, not a list of int objects.
    _line_starts: array = field(default_factory=lambda: array("q"), repr=False)

    def __post_init__(self) -> None:
        starts = array("q", [0])
        find = self.text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._line_starts = starts

    @property
    def line_starts(self) -> array:
        """Offset of the first character of each line (0-based line index); read only."""
        return self._line_starts

    def position(self, offset: int) -> Position:
        """1-based line and column of a character offset into ``text``."""
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return Position(line + 1, offset - self._line_starts[line] + 1)

    def line_text(self, line: int) -> str:
        start = self._line_starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start:] if end == -1 else self.text[start:end]


def decode(data: bytes, path: str) -> tuple[str, str, bool]:
    """Decode bytes as UTF-8 (with or without BOM) or UTF-16 with BOM; refuse binary data."""
    if data.startswith(b"\xef\xbb\xbf"):
        encoding, body, bom = "utf-8", data[3:], True
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding, body, bom = "utf-16", data, True
    else:
        encoding, body, bom = "utf-8", data, False
    if encoding == "utf-8" and b"\x00" in body[:8192]:
        raise InputError(f"{path}: this looks like a binary file, not text; healthlint reads Markdown and plain text")
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: byte {exc.start + (3 if bom and encoding == 'utf-8' else 0)} is not valid {encoding.upper()}; "
            "save the file as UTF-8 and try again"
        ) from None
    if encoding == "utf-16" and text.startswith("\ufeff"):
        text = text[1:]
    return text, encoding, bom


def detect_newline(text: str) -> str:
    i = text.find("\n")
    return "\r\n" if i > 0 and text[i - 1] == "\r" else "\n"


def from_text(text: str, path: str, is_markdown: bool | None = None, *, encoding: str = "utf-8", bom: bool = False) -> SourceText:
    if text.startswith("\ufeff"):
        text, bom = text[1:], True
    newline = detect_newline(text)
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    if is_markdown is None:
        is_markdown = Path(path).suffix.lower() in MARKDOWN_SUFFIXES
    return SourceText(path=path, text=normalised, is_markdown=is_markdown, newline=newline, had_bom=bom, encoding=encoding)


def read_source(path: str | Path, *, display_path: str | None = None, is_markdown: bool | None = None) -> SourceText:
    """Read one file (or "-" for standard input) into a SourceText, or raise InputError."""
    shown = display_path or str(path)
    if str(path) == "-":
        data = sys.stdin.buffer.read()
    else:
        p = Path(path)
        if not p.exists():
            raise InputError(f"{shown}: no such file or folder")
        if p.is_dir():
            raise InputError(f"{shown}: is a folder; healthlint checks the files inside it when given the folder")
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise InputError(f"{shown}: cannot be read ({exc.strerror or exc})") from None
    text, encoding, bom = decode(data, shown)
    if is_markdown is None:
        is_markdown = Path(shown).suffix.lower() in MARKDOWN_SUFFIXES
    return from_text(text, shown, is_markdown, encoding=encoding, bom=bom)
