"""Markdown through markdown-it-py: prose blocks whose every character maps back to the source.

markdown-it gives each block a line map but no columns, and inline tokens carry no
positions at all. We recover them by aligning each block's inline content with its source
lines, then walking the inline tokens along that content with a cursor. Code, HTML, front
matter, images and link targets never become prose.

Memory stays proportional to the largest block, not the document: block tokens are taken
from markdown-it's block parser as each top-level block completes, and each block's inline
tokens are parsed, turned into a ProseBlock and dropped before the next block. Link
reference definitions, which may come after their use, are collected in a first block pass.
Offsets are kept as runs (OffsetMap) and aligned a run of plain text at a time.

Most prose has no inline markup at all: such content's inline tokens (a text token per line,
line breaks between) are made directly, without markdown-it's inline parser, and a block that
is a single text token is mapped in one piece without aligning it.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import NamedTuple

from healthlint.parse.blocks import BlockBuilder, BlockKind, Document, Link, OffsetMap, ProseBlock, protected_urls
from healthlint.parse.frontmatter import DEFAULT_KEYS, find_front_matter, front_matter_blocks
from healthlint.parse.urls import protect_urls
from healthlint.source import SourceText

_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_HTML_COMMENT = re.compile(r"<!--(.*?)-->", re.S)


def _new_parser():
    from markdown_it import MarkdownIt  # lazy: plain-text runs never pay for it

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


@lru_cache(maxsize=1)
def _parser():
    return _new_parser()


@lru_cache(maxsize=1)
def parser_without_indented_code():
    """The same parser without indented code blocks, which MDX does not have: there, text
    indented inside a component is prose."""
    return _new_parser().disable("code")


def parser():
    """The markdown-it parser healthlint reads Markdown with (shared, made once)."""
    return _parser()


# Plain-text fast path. Of the inline rules below, only "text" and "newline" fire on content
# with none of the _MARKUP characters: escape "\\", backticks "`", strikethrough "~", emphasis
# "*" "_", link "[", image "![", autolink and html_inline "<", entity "&". Such content's
# tokens are known without running markdown-it (_plain_children), as long as the parser runs
# exactly these rules (_runs_known_rules).
_KNOWN_INLINE_RULES = ("text", "newline", "escape", "backticks", "strikethrough", "emphasis", "link", "image", "autolink", "html_inline", "entity")
_KNOWN_INLINE_RULES2 = ("balance_pairs", "strikethrough", "emphasis", "fragments_join")
_KNOWN_CORE_RULES = ("normalize", "block", "inline", "text_join")
_MARKUP = re.compile(r"[\\`~*_\[<&]")


class _PlainToken(NamedTuple):
    """A text or line break token of plain content, read like markdown-it's Token."""

    type: str
    content: str = ""


def _runs_known_rules(md) -> bool:
    """Whether md runs exactly the core and inline rules the fast path was written against (a
    plugin or another markdown-it version could fire on plain text: then always parse)."""
    return (
        tuple(md.inline.ruler.get_active_rules()) == _KNOWN_INLINE_RULES
        and tuple(md.inline.ruler2.get_active_rules()) == _KNOWN_INLINE_RULES2
        and tuple(md.core.ruler.get_active_rules()) == _KNOWN_CORE_RULES
    )


@lru_cache(maxsize=1)
def _plain_is_known() -> bool:
    return _runs_known_rules(_parser())


def _plain_children(content: str) -> list[_PlainToken] | None:
    """The inline tokens of content with no inline markup, as markdown-it's text and newline
    rules make them (None when content has markup): a text token per line, without the spaces
    and tabs that start a continuation line or the spaces that end a line; a hard break after
    two or more such spaces, else a soft break."""
    if _MARKUP.search(content) or not _plain_is_known():
        return None
    if "\n" not in content:
        return [_PlainToken("text", content)] if content else []
    children: list[_PlainToken] = []
    lines = content.split("\n")
    last = len(lines) - 1
    for i, line in enumerate(lines):
        if i:
            line = line.lstrip(" \t")
        hard = False
        if i < last:
            trimmed = line.rstrip(" ")
            hard = len(line) - len(trimmed) >= 2
            line = trimmed
        if line:
            children.append(_PlainToken("text", line))
        if i < last:
            children.append(_PlainToken("hardbreak" if hard else "softbreak"))
    return children


def inline_children(content: str, env: dict) -> list:
    """Inline tokens of one block's inline content, as a whole-document parse would give them
    (``env`` carries the document's link reference definitions)."""
    plain = _plain_children(content)
    if plain is not None:
        return plain
    return _parser().parseInline(content, env)[0].children or []


class _TokenReleased(AttributeError):
    """markdown-it looked back at a block token we had already handed on and released."""


class _Released:
    """Stands where a handed-on token was, so a look-back cannot go unnoticed. (An
    AttributeError, so ``getattr(x, name, default)`` and ``hasattr`` still work on it.)"""

    __slots__ = ()

    def __getattr__(self, name: str):
        raise _TokenReleased(name)

    def __setattr__(self, name: str, value) -> None:
        raise _TokenReleased(name)


_RELEASED = _Released()


class _TokenStream(list):
    """The token list markdown-it's block parser appends to. When a new top-level block starts,
    the tokens before it are final: they go to ``consume`` and are released, so the whole
    document's tokens are never alive at once. A top-level table is released a row at a time.
    (Block rules only look back within the block they are building: a list marks its own
    paragraphs tight; a table keeps its own tokens in variables, not by index.)"""

    def __init__(self, consume) -> None:
        super().__init__()
        self.consume = consume
        self.handed = 0  # tokens before this index were consumed and released

    def append(self, token) -> None:
        level = token.level
        if (level == 0 and token.nesting >= 0) or (level == 2 and token.type == "tr_open"):
            self.flush()
        super().append(token)

    def flush(self) -> None:
        for index in range(self.handed, len(self)):
            token = self[index]
            self[index] = _RELEASED
            self.consume(token)
        self.handed = len(self)


def blank_front_matter(text: str) -> str:
    """Replace YAML/TOML front matter with blanks of the same shape, keeping every offset."""
    found = find_front_matter(text)
    if found is None:
        return text
    blanked = re.sub(r"[^\n]", " ", text[: found.end])
    return blanked + text[found.end :]


class _AlignError(Exception):
    pass


def _entity_at(content: str, amp: int) -> tuple[str, int] | None:
    """The text an entity at content[amp] ("&amp;") decodes to and where it ends; None when no
    entity starts there, or one Markdown leaves as written ("&nosuch;")."""
    m = _ENTITY.match(content, amp)
    if m is None:
        return None
    decoded = html.unescape(m.group())
    return None if decoded == m.group() else (decoded, m.end())


def _common_prefix_length(text: str, i: int, content: str, pos: int) -> int:
    """How many characters of text[i:] and content[pos:] agree, compared in chunks (galloping)."""
    limit = min(len(text) - i, len(content) - pos)
    if limit <= 0 or text[i] != content[pos]:
        return 0
    if content.startswith(text[i : i + limit], pos):
        return limit
    good, step = 1, 1  # text[i : i + good] matches; text[i : i + limit] does not
    bad = limit
    while good + step < limit:
        if content.startswith(text[i + good : i + good + step], pos + good):
            good += step
            step *= 2
        else:
            bad = good + step
            break
    while bad - good > 1:
        mid = (good + bad) // 2
        if content.startswith(text[i + good : i + mid], pos + good):
            good = mid
        else:
            bad = mid
    return good


class _Inline:
    """Walks one inline token's children along its source, feeding a BlockBuilder."""

    def __init__(self, content: str, offsets: OffsetMap, builder: BlockBuilder) -> None:
        self.content = content
        self.offsets = offsets  # source offset of each content character
        self.pos = 0
        self.out = builder

    def _next_match(self, char: str, pos: int) -> tuple[int, int]:
        """Where ``char`` is next written at or after pos, as itself or as the first character
        of an entity, skipping markup in between: (content index, position after it)."""
        content = self.content
        while True:
            amp = content.find("&", pos)
            hit = content.find(char, pos, amp if amp != -1 else len(content))
            if hit != -1:
                return hit, hit + 1
            if amp == -1:
                raise _AlignError(char)
            decoded = _entity_at(content, amp)
            if decoded is not None and decoded[0].startswith(char):
                return amp, decoded[1]  # "&amp;" for "&" too
            if char == "&":
                return amp, amp + 1
            pos = amp + 1

    def _align(self, text: str) -> list[tuple[int, int, int]]:
        """Runs (content index, length, content index after it) of the characters of ``text``,
        skipping markup in between (emphasis markers, link brackets, escaping backslashes); an
        entity stands for the first character it decodes to, and its run ends after it."""
        content, pos, runs = self.content, self.pos, []
        i = 0
        while i < len(text):
            same = _common_prefix_length(text, i, content, pos)
            amp = content.find("&", pos, pos + same) if same else -1
            if amp != -1 and _entity_at(content, amp) is not None:
                same = amp - pos  # "&amp;" read as a literal "&": the entity is aligned on its own
            if same:
                runs.append((pos, same, pos + same))
                i += same
                pos += same
                continue
            found, pos = self._next_match(text[i], pos)
            runs.append((found, 1, pos))
            i += 1
        self.pos = pos
        return runs

    def text(self, text: str) -> tuple[int, int]:
        start = len(self.out)
        try:
            runs = self._align(text)
        except _AlignError:
            # Never crash on odd markup: pin the text to where we are.
            anchor = self.offsets[min(self.pos, len(self.offsets) - 1)]
            self.out.add_run(text, anchor, step=0)
        else:
            done = 0
            for index, length, after in runs:
                if after - index > length:  # an entity ("&amp;"): a finding ending on it ends after it
                    self.out.add_reference(text[done : done + length], self.offsets[index], self.offsets[after - 1] + 1)
                else:
                    self.out.add_mapped(text[done : done + length], self.offsets, index)
                done += length
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
        self.out.add_mapped(self.content[body:end].replace("\n", " "), self.offsets, body)
        self.out.protected.append((first, len(self.out)))
        self.pos = end + len(markup)


class _Lines:
    """Lines of the text by index, sliced on demand (the last one is kept: table cells of one
    row ask for the same line many times)."""

    def __init__(self, text: str, starts) -> None:
        self.text = text
        self.starts = starts
        self.count = len(starts)
        self._cached = (-1, "")

    def __getitem__(self, index: int) -> str:
        if self._cached[0] != index:
            end = self.starts[index + 1] - 1 if index + 1 < self.count else len(self.text)
            self._cached = (index, self.text[self.starts[index] : end])
        return self._cached[1]


def _append_clamped(offsets: OffsetMap, base: int, length: int, limit: int) -> None:
    """Offsets min(base + j, limit) for j in range(length): a run, then ``limit`` repeated."""
    counted = max(0, min(length, limit - base + 1))
    offsets.append_run(base, counted)
    if counted < length:
        offsets.append_run(limit, length - counted, step=0)


def _content_offsets(content: str, lines: _Lines, first_line: int) -> OffsetMap:
    """Source offset of every character of a block's inline content (lines are suffixes of source lines)."""
    offsets = OffsetMap()
    parts = content.split("\n")
    for i, part in enumerate(parts):
        index = min(first_line + i, lines.count - 1)
        line = lines[index]
        line_start = lines.starts[index]
        trimmed = line.rstrip()
        part_trimmed = part.rstrip()
        if part_trimmed and trimmed.endswith(part_trimmed):
            column = len(trimmed) - len(part_trimmed)
        else:
            found = line.find(part_trimmed) if part_trimmed else -1
            column = found if found != -1 else len(line) - len(line.lstrip())
        _append_clamped(offsets, line_start + column, len(part), line_start + len(line))
        if i + 1 < len(parts):
            offsets.append_run(line_start + len(line), 1)  # the "\n" between content lines
    return offsets


def _find_cell(line: str, content: str, start: int) -> int:
    """Where a cell's text is written on its row at or after start (-1 if nowhere): each "|"
    in the text may be written "\\|"."""
    pieces = content.split("|")
    first = pieces[0]
    candidate = line.find(first, start)
    while candidate != -1:
        pos = candidate + len(first)
        for piece in pieces[1:]:
            if line.startswith("\\|", pos):
                pos += 2
            elif line.startswith("|", pos):
                pos += 1
            else:
                break
            if not line.startswith(piece, pos):
                break
            pos += len(piece)
        else:
            return candidate
        candidate = line.find(first, candidate + 1)
    return -1


def _cell_offsets(content: str, row: int, lines: _Lines, cursor: dict[int, int]) -> OffsetMap:
    """Offsets of a table cell's text on its row; a "|" in the cell is written "\\|" in the source."""
    line = lines[row]
    line_start = lines.starts[row]
    start = cursor.get(row, 0)
    found = _find_cell(line, content, start) if content else -1
    offsets = OffsetMap()
    if found == -1:
        _append_clamped(offsets, line_start + start, len(content), line_start + len(line))
        return offsets
    pos = found
    pieces = content.split("|")
    for n, piece in enumerate(pieces):
        if n:
            if line[pos] == "\\":
                pos += 1
            offsets.append_run(line_start + pos, 1)
            pos += 1
        offsets.append_run(line_start + pos, len(piece))
        pos += len(piece)
    cursor[row] = pos
    return offsets


# The block tokens other than inline ones that take() reads.
_STRUCTURE = frozenset(
    ("blockquote_open", "blockquote_close", "list_item_open", "list_item_close", "heading_open", "th_open", "td_open", "html_block")
)


class _Blocks:
    """Turns block tokens, in order, into prose blocks and comments."""

    def __init__(self, text: str, lines: _Lines, env: dict) -> None:
        self.text = text
        self.lines = lines
        self.env = env
        self.blocks: list[ProseBlock] = []
        self.comments: list[tuple[int, str]] = []
        self.quote_depth = 0
        self.list_depth = 0
        self.kind = BlockKind.PARAGRAPH
        self.row_cursor: dict[int, int] = {}

    def take(self, token) -> None:
        ttype = token.type
        if ttype == "inline":  # most tokens are inline, paragraph_open or paragraph_close
            if token.map:
                self._inline(token)
        elif ttype in _STRUCTURE:
            if ttype == "blockquote_open":
                self.quote_depth += 1
            elif ttype == "blockquote_close":
                self.quote_depth -= 1
            elif ttype == "list_item_open":
                self.list_depth += 1
            elif ttype == "list_item_close":
                self.list_depth -= 1
            elif ttype == "heading_open":
                self.kind = BlockKind.HEADING
            elif ttype in ("th_open", "td_open"):
                self.kind = BlockKind.TABLE_CELL
            elif ttype == "html_block" and token.map:
                lines, text = self.lines, self.text
                base = lines.starts[token.map[0]]
                block_src = text[base : lines.starts[token.map[1]] if token.map[1] < lines.count else len(text)]
                self.comments.extend((base + m.start(), m.group(1)) for m in _HTML_COMMENT.finditer(block_src))

    def _inline(self, token) -> None:
        kind = self.kind
        if kind is BlockKind.TABLE_CELL:
            offsets = _cell_offsets(token.content, token.map[0], self.lines, self.row_cursor)
        else:
            offsets = _content_offsets(token.content, self.lines, token.map[0])
        if kind is BlockKind.PARAGRAPH and self.list_depth:
            kind = BlockKind.LIST_ITEM
        children = inline_children(token.content, self.env)
        block = _inline_block(token.content, children, offsets, kind, self.quote_depth > 0, self.comments)
        if block:
            self.blocks.append(block)
        self.kind = BlockKind.PARAGRAPH


def _normalized(text: str, env: dict) -> str:
    """The text as markdown-it's core rules hand it to the block parser."""
    from markdown_it.rules_core import StateCore, normalize

    if "\r" not in text and "\0" not in text:
        return text  # nothing to change: spare a copy of the whole text
    state = StateCore(text, _parser(), env)
    normalize(state)
    return state.src


def parse_markdown(source: SourceText, front_matter_keys: tuple[str, ...] = DEFAULT_KEYS) -> Document:
    """Prose blocks of a Markdown file; the front matter values of ``front_matter_keys`` come first."""
    return parse_markdown_text(source, source.text, front_matter_keys)


def parse_markdown_text(source: SourceText, text: str, front_matter_keys: tuple[str, ...] = DEFAULT_KEYS, md=None) -> Document:
    """Like parse_markdown, reading ``text``: the source's text with parts blanked to spaces of
    the same shape (so every offset still holds), as the MDX parser does with code. ``md``: a
    markdown-it parser other than the usual one."""
    front = front_matter_blocks(source.text, front_matter_keys) if front_matter_keys and text.startswith(("---", "+++")) else []
    text = blank_front_matter(text)
    lines = _Lines(text, source.line_starts)  # blanking keeps every line where it was
    md = md or _parser()
    env: dict = {}
    src = _normalized(text, env)
    try:
        if "]:" in src:
            # A link may use a reference defined further down: collect the definitions first.
            md.block.parse(src, md, env, _TokenStream(lambda token: None))
        found = _Blocks(text, lines, env)
        stream = _TokenStream(found.take)
        md.block.parse(src, md, env, stream)
        stream.flush()
    except _TokenReleased:
        # This markdown-it looks back further than a block: keep every token, as it expects.
        found = _Blocks(text, lines, env)
        tokens: list = []
        md.block.parse(src, md, env, tokens)
        for token in tokens:
            found.take(token)
    return Document(source, front + found.blocks if front else found.blocks, found.comments)


def _inline_block(content: str, children: list, offsets: OffsetMap, kind: BlockKind, in_quote: bool, comments) -> ProseBlock | None:
    if len(children) == 1 and children[0].type == "text" and children[0].content == content:
        # All of the content is one text token (plain text): it aligns with itself, so the
        # walker would map all of it in one piece.
        builder = BlockBuilder.of_mapped(content, offsets)
        children = ()
    else:
        builder = BlockBuilder()
    walker = _Inline(content, offsets, builder)
    link_stack: list[tuple[int, str, bool]] = []
    for child in children:
        ctype = child.type
        if ctype == "text":
            walker.text(child.content)
        elif ctype in ("softbreak", "hardbreak"):
            walker.line_break()
        elif ctype == "code_inline":
            walker.code(child.markup)
        elif ctype == "html_inline":
            found = content.find(child.content, walker.pos)
            if found != -1:
                if child.content.startswith("<!--") and offsets:
                    comments.append((offsets[found], child.content[4:-3]))
                elif len(builder) and not builder.last_char().isspace():
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
        block.protected.extend(protected_urls(block, protect_urls(block.text)))
    return block
