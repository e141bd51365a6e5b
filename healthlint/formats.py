"""The file formats healthlint reads, and how a file's name says which one it is.

Each format names the parser that turns it into prose blocks (stage 2) and, for formats that are
not text (Word documents), the reader that turns its bytes into a SourceText (stage 1). Both are
given as "module:function" and imported only when a file of that format is read, so a run over
Markdown never imports an HTML or Word library.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from importlib import import_module
from pathlib import PurePath
from typing import Any


class Format(str, Enum):
    MARKDOWN = "markdown"
    MDX = "mdx"
    TEXT = "text"
    HTML = "html"
    DOCX = "docx"


@dataclass(frozen=True)
class FormatSpec:
    format: Format
    parser: str  # "module:function" taking a SourceText, returning a parse.Document
    reader: str | None = None  # "module:function" taking (bytes, shown path); None: decoded as text
    html_comments: bool = False  # suppression directives are written as <!-- healthlint-... -->
    fixable: bool = True  # --fix may rewrite such a file in place
    described: str = ""  # in words, for messages

    @property
    def binary(self) -> bool:
        return self.reader is not None


SPECS: dict[Format, FormatSpec] = {
    Format.MARKDOWN: FormatSpec(Format.MARKDOWN, "healthlint.parse.markdown:parse_markdown", html_comments=True, described="Markdown"),
    Format.MDX: FormatSpec(Format.MDX, "healthlint.parse.mdx:parse_mdx", html_comments=True, described="MDX"),
    Format.TEXT: FormatSpec(Format.TEXT, "healthlint.parse.plaintext:parse_plaintext", described="plain text"),
    Format.HTML: FormatSpec(Format.HTML, "healthlint.parse.html:parse_html", html_comments=True, described="HTML"),
    Format.DOCX: FormatSpec(Format.DOCX, "healthlint.parse.docx:parse_docx", reader="healthlint.readers.word:read_docx", fixable=False, described="a Word document"),
}

# Which suffix is which format when the configuration says nothing else (`formats:` adds to it).
DEFAULT_SUFFIXES: dict[str, Format] = {
    ".md": Format.MARKDOWN,
    ".markdown": Format.MARKDOWN,
    ".mdown": Format.MARKDOWN,
    ".mkd": Format.MARKDOWN,
    ".mdx": Format.MDX,
    ".txt": Format.TEXT,
    ".text": Format.TEXT,
    ".html": Format.HTML,
    ".htm": Format.HTML,
    ".xhtml": Format.HTML,
    ".docx": Format.DOCX,
}
MARKDOWN_FORMATS = frozenset({Format.MARKDOWN, Format.MDX})
# The front matter keys whose values are read as prose by default (`front-matter-keys` changes
# them). Kept here, not in parse.frontmatter, so reading settings does not import a parser.
DEFAULT_FRONT_MATTER_KEYS: tuple[str, ...] = ("title", "description", "summary")


def spec(fmt: Format) -> FormatSpec:
    return SPECS[fmt]


def parse_format(name: str) -> Format:
    """A format from its name as written in configuration ("markdown", "html", ...)."""
    try:
        return Format(name.strip().lower())
    except ValueError:
        known = ", ".join(f.value for f in Format)
        raise ValueError(f'"{name}" is not a format healthlint reads; use one of: {known}') from None


def format_for(path: str | PurePath, extra: Mapping[str, Format] | None = None) -> Format | None:
    """The format a file's name says it is, or None when healthlint does not read such files.
    ``extra`` (suffix -> format, from configuration) wins over the defaults."""
    suffix = PurePath(path).suffix.lower()
    if extra and suffix in extra:
        return extra[suffix]
    return DEFAULT_SUFFIXES.get(suffix)


def load(target: str) -> Any:
    """Import a "module:function" named by a FormatSpec."""
    module, _, name = target.partition(":")
    return getattr(import_module(module), name)
