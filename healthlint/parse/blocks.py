"""Prose blocks: the text rules read, with a map from every character back to the source."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from healthlint.source import SourceText


class BlockKind(str, Enum):
    PARAGRAPH = "paragraph"
    HEADING = "heading"
    LIST_ITEM = "list_item"
    TABLE_CELL = "table_cell"


@dataclass(frozen=True)
class Link:
    """A link whose visible text is prose; its target is a citation, never prose."""

    start: int  # offsets into ProseBlock.text
    end: int
    target: str


@dataclass
class ProseBlock:
    """One paragraph, heading, list item or table cell as prose.

    ``offsets[i]`` is the source offset of ``text[i]``; characters that stand for markup
    (a soft line break read as a space) map to the source character they replace.
    ``protected`` are spans of ``text`` no rule may flag (inline code, bare URLs).
    """

    kind: BlockKind
    text: str
    offsets: list[int]
    links: list[Link] = field(default_factory=list)
    protected: list[tuple[int, int]] = field(default_factory=list)
    in_quote: bool = False

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Source offsets [start, end) of the prose slice text[start:end]."""
        return self.offsets[start], self.offsets[end - 1] + 1

    def is_protected(self, start: int, end: int) -> bool:
        return any(start < p_end and p_start < end for p_start, p_end in self.protected)


@dataclass
class Document:
    source: SourceText
    blocks: list[ProseBlock]
    # Source offsets of HTML comments, for inline suppressions.
    comments: list[tuple[int, str]] = field(default_factory=list)


class BlockBuilder:
    """Accumulates prose text together with its source offsets."""

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.offsets: list[int] = []
        self.links: list[Link] = []
        self.protected: list[tuple[int, int]] = []

    def __len__(self) -> int:
        return len(self.chars)

    def add(self, text: str, offsets: list[int]) -> None:
        self.chars.extend(text)
        self.offsets.extend(offsets)

    def add_char(self, char: str, offset: int) -> None:
        self.chars.append(char)
        self.offsets.append(offset)

    def build(self, kind: BlockKind, in_quote: bool = False) -> ProseBlock | None:
        text = "".join(self.chars)
        # Trim surrounding white space so blocks start at a word; keep offsets aligned.
        lead = len(text) - len(text.lstrip())
        text_stripped = text.strip()
        if not text_stripped:
            return None
        offsets = self.offsets[lead : lead + len(text_stripped)]
        shift = lambda a, b: (a - lead, b - lead)  # noqa: E731 - tiny local helper
        links = [Link(*shift(l.start, l.end), l.target) for l in self.links]
        protected = [shift(a, b) for a, b in self.protected]
        return ProseBlock(kind, text_stripped, offsets, links, protected, in_quote)
