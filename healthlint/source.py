"""Stage 1: read a file into text, with a line index for exact positions.

Line endings are normalised to "\n" for the parsers. Columns are unaffected by that
(a "\r" only ever sits at the end of a line), so positions computed on the normalised
text are exact in the original file. A leading BOM is dropped: editors do not count it.
"""

from __future__ import annotations

import bisect
import os
import stat
import sys
from array import array
from dataclasses import dataclass, field
from pathlib import Path

from healthlint.formats import MARKDOWN_FORMATS, Format, format_for, load, spec
from healthlint.model import Position

# Larger files are refused rather than read: health copy is never this long, and a device or a
# runaway generated file would otherwise be read without end. `max-file-size` / --max-file-size.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


class InputError(Exception):
    """A file that cannot be linted, with a message meant for the person who ran the command."""


@dataclass
class SourceText:
    path: str
    text: str  # decoded, BOM removed, line endings normalised to "\n"
    format: Format
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
    def is_markdown(self) -> bool:
        """Markdown or MDX: read by the Markdown parser, directives in HTML comments."""
        return self.format in MARKDOWN_FORMATS

    def structure(self) -> tuple:
        """What a parser reads from this source besides its text (a Word document's paragraph
        styles and links), so a result cache can tell two sources with the same text apart."""
        return ()

    @property
    def line_starts(self) -> array:
        """Offset of the first character of each line (0-based line index); read only."""
        return self._line_starts

    def position(self, offset: int) -> Position:
        """1-based line and column of a character offset into ``text``."""
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return Position(line + 1, offset - self._line_starts[line] + 1)

    def span_positions(self, start: int, end: int) -> tuple[Position, Position]:
        """position(start) and position(end): one search when end is on start's line, as
        nearly every finding's is."""
        starts = self._line_starts
        line = bisect.bisect_right(starts, start) - 1
        first = Position(line + 1, start - starts[line] + 1)
        if end < start or (line + 1 < len(starts) and end >= starts[line + 1]):
            return first, self.position(end)
        return first, Position(line + 1, end - starts[line] + 1)

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
    if encoding == "utf-8" and b"\x00" in body:  # the whole file: a NUL may sit past any head
        raise InputError(f"{path}: this looks like a binary file, not text; healthlint reads Markdown, MDX, HTML, plain text and Word documents (.docx)")
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


def resolve_format(fmt: Format | bool | None, path: str) -> Format:
    """The format to read ``path`` as: the one given, else the one its name says, else plain
    text (a file named on the command line is read whatever its suffix). True and False
    stand for Markdown and plain text, as this argument once was ``is_markdown``."""
    if isinstance(fmt, Format):
        return fmt
    if fmt is True:
        return Format.MARKDOWN
    if fmt is False:
        return Format.TEXT
    return format_for(path) or Format.TEXT


def from_text(text: str, path: str, fmt: Format | bool | None = None, *, encoding: str = "utf-8", bom: bool = False) -> SourceText:
    if text.startswith("\ufeff"):
        text, bom = text[1:], True
    newline = detect_newline(text)
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(path=path, text=normalised, format=resolve_format(fmt, path), newline=newline, had_bom=bom, encoding=encoding)


def special_kind(mode: int) -> str | None:
    """What a file that is not a regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def size_in_words(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB" if size >= 1024 * 1024 else f"{size} bytes"


def _read_bounded(stream, limit: int, shown: str) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(
            f"{shown}: larger than the limit of {size_in_words(limit)}, so it was not read; "
            "raise it with --max-file-size or max-file-size in .healthlint.yaml if this really is one document"
        )
    return data


def read_source(
    path: str | Path, *, display_path: str | None = None, fmt: Format | bool | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> SourceText:
    """Read one file (or "-" for standard input) into a SourceText, or raise InputError.
    Only regular files are opened (a FIFO would block, a device never end), and at most
    ``max_bytes`` are read."""
    shown = display_path or str(path)
    if str(path) == "-":
        data = _read_bounded(sys.stdin.buffer, max_bytes, shown)
    else:
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            raise InputError(f"{shown}: no such file or folder") from None
        except OSError as exc:
            raise InputError(f"{shown}: cannot be read ({exc.strerror or exc}); check that you may open it and the folders above it") from None
        kind = special_kind(mode)
        if kind == "a folder":
            raise InputError(f"{shown}: is a folder; healthlint checks the files inside it when given the folder")
        if kind is not None:
            raise InputError(f"{shown}: is {kind}, not a file; healthlint reads only regular files")
        try:
            # O_NONBLOCK: if the path was swapped for a FIFO since stat, opening must not wait.
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with open(fd, "rb") as stream:
                if special_kind(os.fstat(stream.fileno()).st_mode) is not None:
                    raise InputError(f"{shown}: is not a regular file; healthlint reads only regular files")
                data = _read_bounded(stream, max_bytes, shown)
        except OSError as exc:
            raise InputError(f"{shown}: cannot be read ({exc.strerror or exc})") from None
    fmt = resolve_format(fmt, shown)
    reader = spec(fmt).reader
    if reader is not None:  # not text (a Word document): its own reader makes the SourceText
        return load(reader)(data, shown)
    text, encoding, bom = decode(data, shown)
    return from_text(text, shown, fmt, encoding=encoding, bom=bom)
