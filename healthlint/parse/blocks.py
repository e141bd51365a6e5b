"""Prose blocks: the text rules read, with a map from every character back to the source."""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from itertools import chain, repeat

from healthlint.source import SourceText


class BlockKind(str, Enum):
    PARAGRAPH = "paragraph"
    HEADING = "heading"
    LIST_ITEM = "list_item"
    TABLE_CELL = "table_cell"


class OffsetMap(Sequence[int]):
    """The source offset of each prose character, stored as runs instead of one int per character.

    A run starts at a prose index and either counts up from a source offset (step 1: plain text
    copied from the source) or repeats one offset (step 0: text pinned to one place). A
    paragraph of plain text is a single run, so the map grows with markup, not with text.
    It reads like the list of offsets it replaces: ``m[i]``, ``m[-1]``, ``len(m)``, iteration,
    slicing, and ``==`` against any sequence of ints.
    """

    # One flat array of (first prose index, source offset * 2 + step) per run, runs in order:
    # a single small object per block.
    __slots__ = ("_runs", "_length")

    def __init__(self) -> None:
        self._runs = array("q")
        self._length = 0

    @classmethod
    def contiguous(cls, source_start: int, length: int) -> OffsetMap:
        offsets = cls()
        offsets.append_run(source_start, length)
        return offsets

    @classmethod
    def from_offsets(cls, offsets: Iterable[int]) -> OffsetMap:
        compact = cls()
        for offset in offsets:
            compact.append_run(offset, 1)
        return compact

    @property
    def run_count(self) -> int:
        return len(self._runs) // 2

    def runs(self) -> Iterator[tuple[int, int, int, int]]:
        """(first prose index, length, first source offset, step) of each run."""
        runs = self._runs
        count = len(runs) // 2
        for r in range(count):
            start, code = runs[2 * r], runs[2 * r + 1]
            end = runs[2 * r + 2] if r + 1 < count else self._length
            yield start, end - start, code >> 1, code & 1

    # --- building ---------------------------------------------------------------------------

    def append_run(self, source_start: int, length: int, step: int = 1) -> None:
        """Append ``length`` characters mapped to source_start, source_start + step, ..."""
        if length <= 0:
            return
        runs = self._runs
        if runs:
            last_length = self._length - runs[-2]
            last_base, last_step = runs[-1] >> 1, runs[-1] & 1
            either = last_length == 1  # a single character fits both kinds of run
            if (step == 1 or length == 1) and (last_step == 1 or either) and source_start == last_base + last_length:
                runs[-1] = last_base * 2 + 1
                self._length += length
                return
            if (step == 0 or length == 1) and (last_step == 0 or either) and source_start == last_base:
                runs[-1] = last_base * 2
                self._length += length
                return
        runs.append(self._length)
        runs.append(source_start * 2 + (0 if step == 0 else 1))
        self._length += length

    def append_from(self, other: OffsetMap, start: int, end: int) -> None:
        """Append the offsets of other[start:end] (start and end within other)."""
        if end <= start:
            return
        runs, count = other._runs, len(other._runs) // 2
        r = other._run_at(start)
        pos = start
        while pos < end:
            run_start, code = runs[2 * r], runs[2 * r + 1]
            run_end = runs[2 * r + 2] if r + 1 < count else other._length
            piece_end = min(run_end, end)
            step = code & 1
            self.append_run((code >> 1) + step * (pos - run_start), piece_end - pos, step)
            pos = piece_end
            r += 1

    def sliced(self, start: int, end: int) -> OffsetMap:
        part = OffsetMap()
        part.append_from(self, max(0, start), min(end, self._length))
        return part

    # --- reading ----------------------------------------------------------------------------

    def _run_at(self, index: int) -> int:
        """The run holding prose index ``index`` (a binary search over run starts)."""
        runs = self._runs
        low, high = 0, len(runs) // 2
        while high - low > 1:
            middle = (low + high) // 2
            if runs[2 * middle] <= index:
                low = middle
            else:
                high = middle
        return low

    def __len__(self) -> int:
        return self._length

    def source(self, index: int) -> int:
        """The source offset of prose index ``index`` (0 <= index < len): ``m[index]`` without
        the checks a sequence's indexing needs, for the positions of findings."""
        runs = self._runs
        r = 0 if len(runs) == 2 else self._run_at(index)  # most blocks are one run of plain text
        code = runs[2 * r + 1]
        return (code >> 1) + (code & 1) * (index - runs[2 * r])

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            start, stop, stride = index.indices(self._length)
            if stride == 1:
                return self.sliced(start, stop)
            return [self[i] for i in range(start, stop, stride)]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("prose offset out of range")
        r = self._run_at(index)
        code = self._runs[2 * r + 1]
        return (code >> 1) + (code & 1) * (index - self._runs[2 * r])

    def __iter__(self) -> Iterator[int]:
        return chain.from_iterable(
            range(base, base + length) if step else repeat(base, length) for _, length, base, step in self.runs()
        )

    def __eq__(self, other: object) -> bool:
        if isinstance(other, OffsetMap):
            if self._length == other._length and self._runs == other._runs:
                return True
        elif not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(other) == self._length and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]  # it changes while a block is built

    def __repr__(self) -> str:
        runs = ", ".join(f"{start}+{length}:{base}{'..' if step else '='}" for start, length, base, step in self.runs())
        return f"OffsetMap([{runs}])"


@dataclass(frozen=True)
class Link:
    """A link whose visible text is prose; its target is a citation, never prose."""

    start: int  # offsets into ProseBlock.text
    end: int
    target: str


@dataclass(slots=True)
class ProseBlock:
    """One paragraph, heading, list item or table cell as prose.

    ``offsets[i]`` is the source offset of ``text[i]``; characters that stand for markup
    (a soft line break read as a space) map to the source character they replace. It is an
    OffsetMap; a plain list of ints is accepted too and compacted.
    ``protected`` are spans of ``text`` no rule may flag (inline code, bare URLs).
    ``wide`` gives, for the few characters written in the source as more than one character
    (a character reference such as ``&amp;``), the source offset just after them, so a finding
    that ends on one ends after the whole reference.
    """

    kind: BlockKind
    text: str
    offsets: OffsetMap
    links: list[Link] = field(default_factory=list)
    protected: list[tuple[int, int]] = field(default_factory=list)
    in_quote: bool = False
    wide: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.offsets, OffsetMap):
            self.offsets = OffsetMap.from_offsets(self.offsets)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Source offsets [start, end) of the prose slice text[start:end]."""
        last = end - 1
        after = self.wide.get(last) if self.wide else None
        offsets = self.offsets
        if not 0 <= start <= last < len(offsets):
            # an empty slice, a negative index or one out of range: read as a sequence reads it
            return offsets[start], after if after is not None else offsets[last] + 1
        return offsets.source(start), after if after is not None else offsets.source(last) + 1

    def is_protected(self, start: int, end: int) -> bool:
        return any(start < p_end and p_start < end for p_start, p_end in self.protected)


@dataclass
class Document:
    source: SourceText
    blocks: list[ProseBlock]
    # Source offsets of HTML comments, for inline suppressions.
    comments: list[tuple[int, str]] = field(default_factory=list)


class BlockBuilder:
    """Accumulates prose text together with its source offsets, a run at a time."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.offsets = OffsetMap()
        self.links: list[Link] = []
        self.protected: list[tuple[int, int]] = []
        self.wide: dict[int, int] = {}  # see ProseBlock.wide

    @classmethod
    def of_mapped(cls, text: str, offsets: OffsetMap) -> BlockBuilder:
        """A builder holding text whose characters sit where ``offsets`` say, one offset per
        character. It takes the map over instead of copying it (the copy would be run for run
        the same): the caller must not change the map afterwards."""
        builder = cls()
        if text:
            builder.parts.append(text)
            builder.offsets = offsets
        return builder

    def __len__(self) -> int:
        return len(self.offsets)

    def last_char(self) -> str:
        return self.parts[-1][-1] if self.parts else ""

    def add_run(self, text: str, source_start: int, step: int = 1) -> None:
        """Text whose characters sit at source_start, source_start + step, ..."""
        if text:
            self.parts.append(text)
            self.offsets.append_run(source_start, len(text), step)

    def add_mapped(self, text: str, offsets: OffsetMap, start: int) -> None:
        """Text whose characters sit where offsets[start : start + len(text)] say."""
        if text:
            self.parts.append(text)
            self.offsets.append_from(offsets, start, start + len(text))

    def add_char(self, char: str, offset: int) -> None:
        self.add_run(char, offset)

    def add_reference(self, text: str, source_start: int, source_end: int) -> None:
        """The characters a reference such as "&amp;" stands for: each sits at its "&", and a
        finding ending on one ends at ``source_end``, after the whole reference."""
        if text:
            first = len(self.offsets)
            self.add_run(text, source_start, 0)
            for index in range(first, first + len(text)):
                self.wide[index] = source_end

    def build(self, kind: BlockKind, in_quote: bool = False) -> ProseBlock | None:
        """The block of the text so far (None if it is blank). The block takes the offsets over
        when nothing is trimmed: add nothing after building."""
        text = "".join(self.parts)
        # Trim surrounding white space so blocks start at a word; keep offsets aligned.
        lead = len(text) - len(text.lstrip())
        text_stripped = text.strip()
        if not text_stripped:
            return None
        if len(text_stripped) == len(text):
            offsets = self.offsets  # a copy of all of it would be run for run the same
        else:
            offsets = self.offsets.sliced(lead, lead + len(text_stripped))
        shift = lambda a, b: (a - lead, b - lead)  # noqa: E731 - tiny local helper
        links = [Link(*shift(l.start, l.end), l.target) for l in self.links]
        protected = [shift(a, b) for a, b in self.protected]
        wide = {i - lead: after for i, after in self.wide.items() if lead <= i < lead + len(text_stripped)}
        return ProseBlock(kind, text_stripped, offsets, links, protected, in_quote, wide)


def protected_urls(block: ProseBlock, urls: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The URL spans that overlap none of the block's protected spans (linear, not urls x spans)."""
    if not urls:
        return []
    spans = sorted(block.protected)
    starts = [start for start, _ in spans]
    reach: list[int] = []  # reach[k]: the largest end among spans[:k + 1]
    for _, end in spans:
        reach.append(max(end, reach[-1]) if reach else end)
    kept = []
    for start, end in urls:
        before = bisect_right(starts, end - 1)  # spans starting before the URL ends
        if not (before and reach[before - 1] > start):
            kept.append((start, end))
    return kept
