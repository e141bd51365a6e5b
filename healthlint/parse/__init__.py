"""Stage 2: parse a source into prose blocks (Markdown or plain text)."""

from __future__ import annotations

from healthlint.parse.blocks import BlockKind, Document, Link, OffsetMap, ProseBlock
from healthlint.source import SourceText


def parse(source: SourceText) -> Document:
    if source.is_markdown:
        from healthlint.parse.markdown import parse_markdown

        return parse_markdown(source)
    from healthlint.parse.plaintext import parse_plaintext

    return parse_plaintext(source)


__all__ = ["BlockKind", "Document", "Link", "OffsetMap", "ProseBlock", "parse"]
