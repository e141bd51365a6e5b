"""Plain text: each non-blank line is a block; a short line with no closing punctuation is a heading."""

from __future__ import annotations

import re

from healthlint.parse.blocks import BlockKind, Document, OffsetMap, ProseBlock
from healthlint.parse.urls import protect_urls
from healthlint.source import SourceText

# Suppression directives ("healthlint-disable ...") stand on lines of their own and are not prose.
_DIRECTIVE = re.compile(r"^healthlint-(?:disable-next-line|disable-file|disable|enable)\b", re.IGNORECASE)
_LIST_MARKER = re.compile(r"^(\s*)([-*+\u2022\u2013]|\d{1,3}[.)])\s+")
_CLOSING = ".!?:;\"'\u201d\u2019)]"
HEADING_MAX_WORDS = 14


def looks_like_heading(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and stripped[-1] not in _CLOSING and len(stripped.split()) <= HEADING_MAX_WORDS


def parse_plaintext(source: SourceText) -> Document:
    blocks: list[ProseBlock] = []
    text, starts = source.text, source.line_starts
    for index, offset in enumerate(starts):
        end = starts[index + 1] - 1 if index + 1 < len(starts) else len(text)
        line = text[offset:end]  # one line at a time: no list of every line
        stripped = line.strip()
        if stripped and not _DIRECTIVE.match(stripped):
            marker = _LIST_MARKER.match(line)
            start = marker.end() if marker else len(line) - len(line.lstrip())
            body = line[start:].rstrip()
            if marker:
                kind = BlockKind.LIST_ITEM
            elif looks_like_heading(body):
                kind = BlockKind.HEADING
            else:
                kind = BlockKind.PARAGRAPH
            block = ProseBlock(kind, body, OffsetMap.contiguous(offset + start, len(body)))
            block.protected.extend(protect_urls(body))
            blocks.append(block)
    return Document(source, blocks)
