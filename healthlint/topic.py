"""What a claim refers back to: a subject named in the sentences just before it.

Copy names a product or a medicine once, then makes its claim in the next sentence:
"Kratom comes from a tree in Southeast Asia. It is completely safe." / "Tired of your
painkillers? Here is another option." A claim pattern says which of its words refer back (a
``refers:`` part, such as "it" or "this tea"; without one, the whole claim does) and which
lexicons they must refer to (``refers_to:``). The claim stands only if a word of each lexicon is
named in the look-back window:

- the claim's own sentence (a second lexicon, "pain" in "It is an alternative for pain", may
  come after the words that refer back);
- the BACK_SENTENCES sentences before it in the same paragraph;
- the heading just above the paragraph, when the window reaches the paragraph's first sentence.

The window never reaches further: not into an earlier paragraph, and not past that heading (a
heading starts a new subject). Each paragraph's mentions of a lexicon are found once, with one
search of its text, and each question is then a binary search: no rescan per finding.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

BACK_SENTENCES = 2  # how many sentences before the claim's own one it may refer back to


class Searchable(Protocol):
    """A compiled lexicon: what ``finditer`` needs (re.Pattern, lexicon.LazyRegex)."""

    pattern: str

    def finditer(self, text: str): ...


class Spanned(Protocol):
    start: int
    end: int


class HasText(Protocol):
    text: str


@dataclass(frozen=True)
class Window:
    """Where a claim may find what it refers back to: [start, end) of its block's text, and the
    heading block just above it, if the window reaches it."""

    block: int
    start: int
    end: int
    heading: int | None = None


def window(sentences: Sequence[Spanned], s: int, block: int, heading_above: bool) -> Window:
    """The look-back window of a claim in sentence ``s`` of ``block``. ``heading_above``: the
    block just before this one is a heading."""
    first = s - BACK_SENTENCES
    start = sentences[max(first, 0)].start
    heading = block - 1 if first < 0 and heading_above and block > 0 else None
    return Window(block, start, sentences[s].end, heading)


class Mentions:
    """Where one lexicon is named in one block's text, found with one search."""

    def __init__(self, regex: Searchable, text: str) -> None:
        self.starts = [m.start() for m in regex.finditer(text)]

    def any_between(self, start: int, end: int) -> bool:
        """Does a mention start in [start, end)?"""
        i = bisect.bisect_left(self.starts, start)
        return i < len(self.starts) and self.starts[i] < end

    def __bool__(self) -> bool:
        return bool(self.starts)


class Topic:
    """The mentions of lexicons in a document's blocks, found when a claim first asks. Claims are
    checked block by block in order, and a window reaches one block back at most, so only the
    current block's and the one before's are kept: memory stays bounded by two blocks."""

    def __init__(self, blocks: Sequence[HasText]) -> None:
        self._blocks = blocks
        self._found: dict[tuple[str, int], Mentions] = {}
        self._newest = -1

    def mentions(self, regex: Searchable, block: int) -> Mentions:
        if block > self._newest:
            self._newest = block
            self._found = {k: v for k, v in self._found.items() if k[1] >= block - 1}
        key = (regex.pattern, block)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = Mentions(regex, self._blocks[block].text)
        return found

    def named(self, regex: Searchable, where: Window) -> bool:
        """Is the lexicon named in the window?"""
        if self.mentions(regex, where.block).any_between(where.start, where.end):
            return True
        return where.heading is not None and bool(self.mentions(regex, where.heading))
