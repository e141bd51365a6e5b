"""Word documents: each line is one Word paragraph, and the reader has said what it is.

A dedicated parser rather than the plain-text one, because Word knows what plain text must
guess: a heading is a heading by its style (even one ending in "?"), a list item carries no
"-" in its text, and a table cell is a table cell (readability leaves cells out). Hyperlinks
and footnote marks the reader found become links, so they count as citations.
"""

from __future__ import annotations

import re

from healthlint.parse.blocks import Document, Link, OffsetMap, ProseBlock
from healthlint.parse.plaintext import parse_plaintext
from healthlint.parse.urls import protect_urls
from healthlint.source import SourceText

# Suppression directives ("healthlint-disable ...") written as paragraphs of their own are not
# prose (the same test as for plain text).
DIRECTIVE = re.compile(r"^healthlint-(?:disable-next-line|disable-file|disable|enable)\b", re.IGNORECASE)


def parse_docx(source: SourceText) -> Document:
    kinds = getattr(source, "paragraph_kinds", ())
    starts = source.line_starts
    if len(kinds) != len(starts):  # text that did not come from the Word reader
        return parse_plaintext(source)
    links = getattr(source, "paragraph_links", ()) or ((),) * len(starts)
    blocks: list[ProseBlock] = []
    text = source.text
    for index, offset in enumerate(starts):
        end = starts[index + 1] - 1 if index + 1 < len(starts) else len(text)
        line = text[offset:end]
        body = line.strip()
        if not body or DIRECTIVE.match(body):
            continue
        lead = len(line) - len(line.lstrip())
        block = ProseBlock(kinds[index], body, OffsetMap.contiguous(offset + lead, len(body)))
        block.links.extend(shifted_links(links[index], lead, len(body)))
        block.protected.extend(protect_urls(body))
        blocks.append(block)
    return Document(source, blocks)


def shifted_links(links: tuple[Link, ...], lead: int, length: int) -> list[Link]:
    """Links on the line, as offsets into the stripped block text (clipped to it)."""
    kept = []
    for link in links:
        start, end = max(link.start - lead, 0), min(link.end - lead, length)
        if start < end:
            kept.append(Link(start, end, link.target))
    return kept
