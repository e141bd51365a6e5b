"""A document's running prose: its paragraphs and list items, each ending as a sentence.

What readability measures read (healthlint.readability) and what the reading-level rule counts
(healthlint.kinds.metric): both take the prose from here, so neither needs the other.
"""

from __future__ import annotations

from collections.abc import Iterable

from healthlint.parse.blocks import BlockKind, ProseBlock

PROSE_KINDS = (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM)


def prose_text(blocks: Iterable[ProseBlock]) -> str:
    """The document's running prose as textstat should read it: headings and table cells left out,
    each block ending as a sentence so list items are not run together."""
    return "\n\n".join(sentence_text(block) for block in blocks if block.kind in PROSE_KINDS)


def sentence_text(block: ProseBlock) -> str:
    """One prose block's text, ending as a sentence: prose_text([block])."""
    text = block.text.strip()
    return text if text[-1:] in ".!?" else text + "."
