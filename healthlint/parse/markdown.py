"""Markdown through markdown-it-py: prose blocks whose every character maps back to the source.

markdown-it gives each block a line map but no columns, and inline tokens carry no
positions at all. We recover them by aligning each block's inline content with its source
lines, then walking the inline tokens along that content with a cursor. Code, HTML, front
matter, images and link targets never become prose.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from healthlint.parse.blocks import BlockBuilder, BlockKind, Document, Link, ProseBlock
from healthlint.parse.urls import protect_urls
from healthlint.source import SourceText

_FRONT_MATTER = re.compile(r"\A(?:---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)|\+\+\+[ \t]*\n.*?\n\+\+\+[ \t]*(?:\n|\Z))", re.S)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_HTML_COMMENT = re.compile(r"<!--(.*?)-->", re.S)


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt  # lazy: plain-text runs never pay for it

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def blank_front_matter(text: str) -> str:
    """Replace YAML/TOML front matter with blanks of the same shape, keeping every offset."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return text
    blanked = re.sub(r"[^\n]", " ", m.group())
    return blanked + text[m.end():]


class _AlignError(Exception):
    pass


class _Inline:
    """Walks one inline token's children along its source, feeding a BlockBuilder."""

    def __init__(self, content: str, offsets: list[int], builder: BlockBuilder) -> None:
        self.content = content
        self.offsets = offsets  # source offset of each content character
        self.pos = 0
        self.out = builder

    def _align(self, text: str) -> list[int]:
        """Content indices of each character of ``text``, skipping markup in between."""
        content, pos, found = self.content, self.pos, []
        for char in text:
            while True:
                if pos >= len(content):
                    raise _AlignError(text)
                here = content[pos]
                if here == char:
                    found.append(pos)
                    pos += 1
                    break
                if here == "\\" and content[pos + 1 : pos + 2] == char:
                    found.append(pos + 1)
                    pos += 2
                    break
                if here == "&":
                    m = _ENTITY.match(content, pos)
                    if m and html.unescape(m.group()).startswith(char):
                        found.append(pos)
                        pos = m.end()
                        break
                pos += 1  # emphasis markers, link brackets and other markup
        self.pos = pos
        return found

    def text(self, text: str) -> tuple[int, int]:
        start = len(self.out)
        try:
            indices = self._align(text)
            self.out.add(text, [self.offsets[i] for i in indices])
        except _AlignError:
            # Never crash on odd markup: pin the text to where we are.
            anchor = self.offsets[min(self.pos, len(self.offsets) - 1)]
            self.out.add(text, [anchor] * len(text))
        return start, len(self.out)

    def line_break(self) -> None:
        newline = self.content.find("\n", self.pos)
        if newline == -1:
            return
        self.out.add_char(" ", self.offsets[newline])
        self.pos = newline + 1

    def skip_past(self, opener: str) -> None:
        found = self.content.find(opener, self.pos)
        if found != -1:
            self.pos = found + len(opener)

    def skip_target(self) -> None:
        """After a link's text (or inside an image's alt text): skip to the matching "]", then
        past "(target)" or "[ref]". Brackets nest, as CommonMark allows in link text."""
        content = self.content
        pos, depth = self.pos, 1
        while pos < len(content):
            char = content[pos]
            if char == "\\":
                pos += 2
                continue
            if char == "[":
                depth += 1
            elif char == "]":
                depth -= 1
                if depth == 0:
                    break
            pos += 1
        if pos >= len(content):
            return
        pos += 1
        if content[pos : pos + 1] == "(":
            depth = 0
            while pos < len(content):
                if content[pos] == "\\":
                    pos += 2
                    continue
                if content[pos] == "(":
                    depth += 1
                elif content[pos] == ")":
                    depth -= 1
                    if depth == 0:
                        pos += 1
                        break
                pos += 1
        elif content[pos : pos + 1] == "[":
            end = content.find("]", pos)
            pos = end + 1 if end != -1 else pos
        self.pos = pos

    def code(self, markup: str) -> None:
        start = self.content.find(markup, self.pos)
        if start == -1:
            return
        body = start + len(markup)
        end = self.content.find(markup, body)
        if end == -1:
            return
        first = len(self.out)
        for i in range(body, end):
            char = self.content[i]
            self.out.add_char(" " if char == "\n" else char, self.offsets[i])
        self.out.protected.append((first, len(self.out)))
        self.pos = end + len(markup)


def _content_offsets(content: str, line_starts: list[int], lines: list[str], first_line: int) -> list[int]:
    """Source offset of every character of a block's inline content (lines are suffixes of source lines)."""
    offsets: list[int] = []
    for i, part in enumerate(content.split("\n")):
        index = first_line + i
        if index >= len(lines):
            index = len(lines) - 1
        line = lines[index]
        trimmed = line.rstrip()
        part_trimmed = part.rstrip()
        if part_trimmed and trimmed.endswith(part_trimmed):
            column = len(trimmed) - len(part_trimmed)
        else:
            found = line.find(part_trimmed) if part_trimmed else -1
            column = found if found != -1 else len(line) - len(line.lstrip())
        base = line_starts[index] + column
        offsets.extend(min(base + j, line_starts[index] + len(line)) for j in range(len(part)))
        offsets.append(line_starts[index] + len(line))  # the "\n" between content lines
    return offsets[:-1] if offsets else offsets


def parse_markdown(source: SourceText) -> Document:
    text = blank_front_matter(source.text)
    lines = text.split("\n")
    line_starts = [0]
    for line in lines[:-1]:
        line_starts.append(line_starts[-1] + len(line) + 1)

    blocks: list[ProseBlock] = []
    comments: list[tuple[int, str]] = []
    quote_depth = 0
    list_depth = 0
    kind = BlockKind.PARAGRAPH
    row_cursor: dict[int, int] = {}

    for token in _parser().parse(text):
        ttype = token.type
        if ttype == "blockquote_open":
            quote_depth += 1
        elif ttype == "blockquote_close":
            quote_depth -= 1
        elif ttype == "list_item_open":
            list_depth += 1
        elif ttype == "list_item_close":
            list_depth -= 1
        elif ttype == "heading_open":
            kind = BlockKind.HEADING
        elif ttype in ("th_open", "td_open"):
            kind = BlockKind.TABLE_CELL
        elif ttype == "html_block" and token.map:
            base = line_starts[token.map[0]]
            block_src = text[base : line_starts[token.map[1]] if token.map[1] < len(line_starts) else len(text)]
            comments.extend((base + m.start(), m.group(1)) for m in _HTML_COMMENT.finditer(block_src))
        elif ttype == "inline" and token.map:
            if kind is BlockKind.TABLE_CELL:
                offsets = _cell_offsets(token.content, token.map[0], lines, line_starts, row_cursor)
            else:
                offsets = _content_offsets(token.content, line_starts, lines, token.map[0])
            if kind is BlockKind.PARAGRAPH and list_depth:
                kind = BlockKind.LIST_ITEM
            block = _inline_block(token, offsets, kind, quote_depth > 0, comments)
            if block:
                blocks.append(block)
            kind = BlockKind.PARAGRAPH
    return Document(source, blocks, comments)


def _cell_offsets(content: str, row: int, lines: list[str], line_starts: list[int], cursor: dict[int, int]) -> list[int]:
    """Offsets of a table cell's text on its row; a "|" in the cell is written "\\|" in the source."""
    line = lines[row]
    pattern = "".join(r"\\?\|" if char == "|" else re.escape(char) for char in content)
    m = re.compile(pattern).search(line, cursor.get(row, 0)) if content else None
    if not m:
        start = cursor.get(row, 0)
        return [line_starts[row] + min(start + j, len(line)) for j in range(len(content))]
    offsets, pos = [], m.start()
    for char in content:
        if char == "|" and line[pos] == "\\":
            pos += 1
        offsets.append(line_starts[row] + pos)
        pos += 1
    cursor[row] = m.end()
    return offsets


def _inline_block(token, offsets: list[int], kind: BlockKind, in_quote: bool, comments) -> ProseBlock | None:
    builder = BlockBuilder()
    walker = _Inline(token.content, offsets, builder)
    link_stack: list[tuple[int, str, bool]] = []
    for child in token.children or []:
        ctype = child.type
        if ctype == "text":
            walker.text(child.content)
        elif ctype in ("softbreak", "hardbreak"):
            walker.line_break()
        elif ctype == "code_inline":
            walker.code(child.markup)
        elif ctype == "html_inline":
            found = token.content.find(child.content, walker.pos)
            if found != -1:
                if child.content.startswith("<!--") and offsets:
                    comments.append((offsets[found], child.content[4:-3]))
                elif len(builder) and not builder.chars[-1].isspace():
                    builder.add_char(" ", offsets[found])  # "a<br>b" reads as two words
                walker.pos = found + len(child.content)
        elif ctype == "image":
            walker.skip_past("![")
            walker.skip_target()
        elif ctype == "link_open":
            autolink = child.markup == "autolink"
            walker.skip_past("<" if autolink else "[")
            link_stack.append((len(builder), str(child.attrs.get("href", "")), autolink))
        elif ctype == "link_close" and link_stack:
            start, href, autolink = link_stack.pop()
            if autolink:
                builder.protected.append((start, len(builder)))
                walker.skip_past(">")
            else:
                walker.skip_target()
            builder.links.append(Link(start, len(builder), href))
    block = builder.build(kind, in_quote)
    if block:
        block.protected.extend(p for p in protect_urls(block.text) if not block.is_protected(*p))
    return block
