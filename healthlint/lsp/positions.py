"""Positions: healthlint's (1-based lines, characters) and the editor's (0-based lines, code units).

healthlint counts 1-based lines and characters (code points) on newline-normalised text. LSP
counts 0-based lines and, unless the client negotiated otherwise, UTF-16 code units. Both split
lines at "\\n", "\\r\\n" and "\\r", so lines match one to one; only the column needs converting,
on the line's own text.
"""

from __future__ import annotations

import re

from lsprotocol import types

from healthlint.model import Position
from healthlint.source import SourceText

_NEWLINE = re.compile("\n")


def code_units(text: str, encoding: str = types.PositionEncodingKind.Utf16) -> int:
    """How many code units ``text`` takes in the negotiated position encoding."""
    if encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def chars_for_units(line: str, units: int, encoding: str = types.PositionEncodingKind.Utf16) -> int:
    """The character index in ``line`` at ``units`` code units (clamped; never inside a character)."""
    if units <= 0:
        return 0
    if encoding == types.PositionEncodingKind.Utf32:
        return min(units, len(line))
    counted = 0
    for index, char in enumerate(line):
        if counted >= units:
            return index
        counted += code_units(char, encoding)
    return len(line)


class LineMap:
    """Converts between healthlint's positions (1-based, characters, on ``source.text``) and LSP's
    (0-based, code units, on the document as the editor holds it)."""

    def __init__(self, source: SourceText, encoding: str, bom: bool | None = None) -> None:
        self.source = source
        self.encoding = encoding
        # The editor's text starts with U+FEFF, which from_text() dropped but the editor counts.
        self.bom = source.had_bom if bom is None else bom
        self.starts = [0] + [m.end() for m in _NEWLINE.finditer(source.text)]

    def line_text(self, line: int) -> str:
        """Text of a 1-based line, without its line ending ("" past the end)."""
        if line < 1 or line > len(self.starts):
            return ""
        start = self.starts[line - 1]
        end = self.source.text.find("\n", start)
        return self.source.text[start:] if end == -1 else self.source.text[start:end]

    def to_lsp(self, position: Position) -> types.Position:
        line = max(1, position.line)
        units = code_units(self.line_text(line)[: max(0, position.column - 1)], self.encoding)
        if self.bom and line == 1:
            units += 1
        return types.Position(line=line - 1, character=units)

    def range_of(self, start: Position, end: Position) -> types.Range:
        return types.Range(start=self.to_lsp(start), end=self.to_lsp(end))

    def offset_to_lsp(self, offset: int) -> types.Position:
        return self.to_lsp(self.source.position(max(0, min(offset, len(self.source.text)))))

    def offset(self, position: Position) -> int:
        """Offset into ``source.text`` of a healthlint position."""
        line = min(max(1, position.line), len(self.starts))
        return self.starts[line - 1] + min(max(0, position.column - 1), len(self.line_text(line)))

    def from_lsp(self, position: types.Position) -> int:
        """Offset into ``source.text`` of an LSP position (clamped to the document)."""
        if position.line >= len(self.starts):
            return len(self.source.text)
        line = max(0, position.line)
        units = position.character - (1 if self.bom and line == 0 else 0)
        return self.starts[line] + chars_for_units(self.line_text(line + 1), units, self.encoding)
