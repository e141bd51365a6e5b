"""Stage 2: parse a source into prose blocks, with the parser its format names."""

from __future__ import annotations

from healthlint.formats import load, spec
from healthlint.parse.blocks import BlockKind, Document, Link, OffsetMap, ProseBlock
from healthlint.source import SourceText


def parse(source: SourceText) -> Document:
    return load(spec(source.format).parser)(source)


__all__ = ["BlockKind", "Document", "Link", "OffsetMap", "ProseBlock", "parse"]
