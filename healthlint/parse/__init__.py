"""Stage 2: parse a source into prose blocks, with the parser its format names."""

from __future__ import annotations

from healthlint.formats import MARKDOWN_FORMATS, load, spec
from healthlint.parse.blocks import BlockKind, Document, Link, OffsetMap, ProseBlock
from healthlint.source import SourceText


def parse(source: SourceText, *, front_matter_keys: tuple[str, ...] | None = None) -> Document:
    """``front_matter_keys``: whose front matter values Markdown and MDX read as prose (None:
    the default ones); other formats have no front matter."""
    parser = load(spec(source.format).parser)
    if front_matter_keys is None or source.format not in MARKDOWN_FORMATS:
        return parser(source)
    return parser(source, tuple(front_matter_keys))


__all__ = ["BlockKind", "Document", "Link", "OffsetMap", "ProseBlock", "parse"]
