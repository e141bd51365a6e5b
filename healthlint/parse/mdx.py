"""MDX: Markdown with JSX components and JavaScript, read as Markdown with the code skipped.

What is skipped, before the Markdown parser runs, by blanking it to spaces of the same shape
(line breaks kept, so every prose character keeps its offset, line and column):

- ``import`` and ``export`` statements (ESM): a line starting with either word, after a blank
  line, up to the next blank line at which the statement is complete (brackets closed);
- JSX tags: ``<Callout type="warn">``, ``</Callout>``, ``<Chart data={x} />``, fragments
  ``<>``/``</>``; the text between a component's tags is prose and stays;
- ``{expressions}``, nested braces, strings and template literals included, and
  ``{/* comments */}``. A comment holding a directive (``{/* healthlint-disable rule */}``) is a
  suppression, as an HTML comment is in Markdown (those work in MDX too).

Code is never looked into: fenced code blocks and inline code keep their braces and tags. MDX
has no indented code, so the Markdown parser runs without it: text indented inside a component
(or left indented by blanking) is prose, not code. Something that is not valid MDX (a ``<`` not
starting a tag, an unclosed brace) is left as text rather than guessed at; after an unclosed
brace, later braces are text too, which keeps the scan linear however the file is broken.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from healthlint.parse.blocks import Document, Link, OffsetMap, ProseBlock
from healthlint.parse.frontmatter import DEFAULT_KEYS, find_front_matter
from healthlint.source import SourceText

_ESM = re.compile(r"(?:import|export)[ \t{*\"'\n]")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_TAG_NAME = re.compile(r"[A-Za-z_$][\w$-]*(?:[.:][A-Za-z_$][\w$-]*)*")
_ATTRIBUTE_NAME = re.compile(r"[A-Za-z_$][\w$-]*(?::[A-Za-z_$][\w$-]*)?")
_BLANK_LINE = re.compile(r"\n[ \t]*(?=\n|\Z)")


@dataclass(frozen=True)
class Skipped:
    """What the MDX code in a text is: spans to blank, and comments (offset of the "{", body)."""

    spans: list[tuple[int, int]]
    comments: list[tuple[int, str]]


def parse_mdx(source: SourceText, front_matter_keys: tuple[str, ...] = DEFAULT_KEYS) -> Document:
    from healthlint.parse.markdown import parse_markdown_text, parser_without_indented_code

    skipped = find_code(source.text)
    document = parse_markdown_text(source, blanked(source.text, skipped.spans), front_matter_keys, parser_without_indented_code())
    if skipped.spans:
        document.blocks = [tidied(block, skipped.spans) for block in document.blocks]
    if skipped.comments:
        document.comments = sorted(document.comments + skipped.comments)
    return document


_WHITE = re.compile(r"\s+")


def tidied(block: ProseBlock, spans: list[tuple[int, int]]) -> ProseBlock:
    """The block with the blanks left by skipped code read as the text around them reads: a
    run of white space holding blanks becomes one space, the source's own if it has one (so
    "is {/* note */} safe" reads "is safe"); a run of blanks alone stays one space between two
    words ("a<br />b") and goes entirely next to punctuation ("<b>safe</b>." reads "safe.").
    Each character kept keeps its offset; links and protected spans move with their text."""
    starts = [start for start, _ in spans]

    def blank(offset: int) -> bool:
        at = bisect_right(starts, offset) - 1
        return at >= 0 and offset < spans[at][1]

    text, offsets = block.text, block.offsets
    first, last = offsets[0], offsets[-1]
    nearest = bisect_right(starts, last) - 1  # the last span starting within or before the block
    if nearest < 0 or spans[nearest][1] <= first:  # spans are in order and do not overlap
        return block  # no skipped code inside the block (the usual case: most blocks are plain)
    dropped: list[tuple[int, int]] = []  # [start, end) of block.text to leave out, in order
    for run in _WHITE.finditer(text):
        inside = [blank(offsets[i]) for i in range(run.start(), run.end())]
        if not any(inside):
            continue
        if not all(inside):
            keep = run.start() + inside.index(False)
        elif text[run.start() - 1 : run.start()].isalnum() and text[run.end() : run.end() + 1].isalnum():
            keep = run.start()
        else:
            keep = None
        if keep is None:
            dropped.append((run.start(), run.end()))
        else:
            dropped += [(run.start(), keep), (keep + 1, run.end())]
    dropped = [(a, b) for a, b in dropped if a < b]
    if not dropped:
        return block
    parts, new_offsets, done = [], OffsetMap(), 0
    for start, end in dropped:
        parts.append(text[done:start])
        new_offsets.append_from(offsets, done, start)
        done = end
    parts.append(text[done:])
    new_offsets.append_from(offsets, done, len(text))

    before = [0]  # characters dropped before each dropped range
    for start, end in dropped:
        before.append(before[-1] + end - start)
    dropped_starts = [start for start, _ in dropped]

    def moved(index: int) -> int:
        at = bisect_right(dropped_starts, index - 1) - 1  # the last range starting before index
        if at < 0:
            return index
        start, end = dropped[at]
        return index - before[at] - (min(end, index) - start)

    links = [Link(moved(link.start), moved(link.end), link.target) for link in block.links]
    protected = [(moved(start), moved(end)) for start, end in block.protected]
    # A dropped character's end goes with it; kept ones move with the text.
    kept = lambda index: not any(start <= index < end for start, end in dropped)  # noqa: E731 - tiny local helper
    wide = {moved(index): after for index, after in block.wide.items() if kept(index)}
    return ProseBlock(block.kind, "".join(parts), new_offsets, links, protected, block.in_quote, wide)


def blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span replaced by spaces, its line breaks kept."""
    if not spans:
        return text
    parts, done = [], 0
    for start, end in spans:
        parts.append(text[done:start])
        parts.append(re.sub(r"[^\n]", " ", text[start:end]))
        done = end
    parts.append(text[done:])
    return "".join(parts)


def find_code(text: str) -> Skipped:
    """The ESM, JSX tags and expressions of an MDX text, in order."""
    return _Scanner(text).run()


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.spans: list[tuple[int, int]] = []
        self.comments: list[tuple[int, str]] = []
        self.braces_broken = False  # an unclosed "{" was seen: later ones are read as text
        self.esm_broken = False  # a statement never closed: later ones end at a blank line
        self._paragraph = (-1, -1)  # (from, blank line): no blank line between the two

    def run(self) -> Skipped:
        text = self.text
        front = find_front_matter(text)
        pos = front.end if front else 0
        after_blank = True  # the previous line was blank (or this is the first line)
        fence: str | None = None  # the fence of the code block we are in
        line_start = True
        while pos < len(text):
            if line_start:
                line_end = _line_end(text, pos)
                line = text[pos:line_end]
                if fence is not None:
                    if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                        fence = None
                    pos = line_end + 1
                    continue
                if not line.strip():
                    after_blank = True
                    pos = line_end + 1
                    continue
                opened = _FENCE.match(line)
                if opened:
                    fence = opened.group(1)
                    after_blank = False
                    pos = line_end + 1
                    continue
                if after_blank and _ESM.match(text, pos):
                    end = self.esm_end(pos)
                    self.spans.append((pos, end))
                    pos = end  # at the line break that ends it, or the end of the text
                    line_start, after_blank = False, False
                    continue
                line_start, after_blank = False, False
            char = text[pos]
            if char == "\n":
                line_start = True
                pos += 1
            elif char == "\\":
                pos += 2 if text[pos + 1 : pos + 2] != "\n" else 1
            elif char == "`":
                pos = _past_code_span(text, pos, self.paragraph_end(pos))
            elif char == "{":
                pos = self.expression(pos)
            elif char == "<":
                pos = self.tag(pos)
            else:
                pos += 1
        return Skipped(self.spans, self.comments)

    def paragraph_end(self, pos: int) -> int:
        """Where the next blank line (or the end of the text) is, from ``pos``. The scan only
        moves forward, so one search serves every position up to the blank line it found."""
        start, blank = self._paragraph
        if not start <= pos <= blank:
            found = _BLANK_LINE.search(self.text, pos)
            self._paragraph = (pos, found.start() if found else len(self.text))
        return self._paragraph[1]

    def expression(self, start: int) -> int:
        end = None if self.braces_broken else _js_close(self.text, start + 1)
        if end is None:
            self.braces_broken = True
            return start + 1
        self.spans.append((start, end))
        inner = self.text[start + 1 : end - 1].strip()
        if inner.startswith("/*") and inner.endswith("*/") and len(inner) >= 4:
            self.comments.append((start, inner[2:-2]))
        return end

    def tag(self, start: int) -> int:
        text = self.text
        if text.startswith("<!--", start):  # an HTML comment: the Markdown parser reads it
            close = text.find("-->", start + 4)
            return len(text) if close == -1 else close + 3
        end = self.tag_end(start)
        if end is None:
            return start + 1
        self.spans.append((start, end))
        return end

    def tag_end(self, start: int) -> int | None:
        """Where a JSX tag starting at ``start`` ends (after its ">"), or None if it is no tag.
        A tag may run over lines but not over a blank line."""
        text = self.text
        limit = self.paragraph_end(start)
        pos = start + 1
        if text.startswith(">", pos):
            return pos + 1  # <>
        closing = text.startswith("/", pos)
        if closing:
            pos = _skip_space(text, pos + 1, limit)
            if text.startswith(">", pos):
                return pos + 1  # </>
        name = _TAG_NAME.match(text, pos, limit)
        if not name:
            return None
        pos = name.end()
        while True:
            gap = _skip_space(text, pos, limit)
            if gap >= limit:
                return None
            char = text[gap]
            if char == ">":
                return gap + 1
            if closing:
                return None
            if char == "/":
                gap = _skip_space(text, gap + 1, limit)
                return gap + 1 if text.startswith(">", gap) and gap < limit else None
            if gap == pos:
                return None  # attributes are set apart by white space
            if char == "{":  # {...props}
                pos = None if self.braces_broken else _js_close(text, gap + 1, limit)
                if pos is None:
                    self.braces_broken = True
                    return None
                continue
            attribute = _ATTRIBUTE_NAME.match(text, gap, limit)
            if not attribute:
                return None
            pos = attribute.end()
            equals = _skip_space(text, pos, limit)
            if not text.startswith("=", equals):
                continue  # a boolean attribute
            value = _skip_space(text, equals + 1, limit)
            quote = text[value : value + 1]
            if quote in ('"', "'"):
                close = text.find(quote, value + 1, limit)
                if close == -1:
                    return None
                pos = close + 1
            elif quote == "{":
                pos = None if self.braces_broken else _js_close(text, value + 1, limit)
                if pos is None:
                    self.braces_broken = True
                    return None
            else:
                return None

    def esm_end(self, start: int) -> int:
        """Where an import or export statement starting at ``start`` ends: at the first blank
        line at which its brackets and strings are all closed (at the first blank line when they
        never are, and at the end of the text when no blank line follows). After one that never
        closes, later ones end at the first blank line."""
        text = self.text
        end = -1 if self.esm_broken else _js_scan(text, start, len(text), inside_brace=False)
        if end == -1:
            self.esm_broken = True  # reading on to the end each time would be quadratic
            end = self.paragraph_end(start)
        return end - 1 if end == len(text) and text.endswith("\n") else end


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end == -1 else end


def _skip_space(text: str, pos: int, limit: int) -> int:
    while pos < limit and text[pos] in " \t\n":
        pos += 1
    return pos


def _past_code_span(text: str, start: int, limit: int) -> int:
    """After an inline code span opened at ``start`` (its backticks closed by as many before
    ``limit``, the paragraph's end), or after the backticks when they open none."""
    run = start
    while run < len(text) and text[run] == "`":
        run += 1
    ticks = run - start
    pos = run
    while True:
        found = text.find("`" * ticks, pos, limit)
        if found == -1:
            return run
        after = found + ticks
        if after < len(text) and text[after] == "`":  # a longer run closes nothing
            while after < len(text) and text[after] == "`":
                after += 1
            pos = after
            continue
        if found > 0 and text[found - 1] == "`":
            pos = after
            continue
        return after


def _js_close(text: str, pos: int, limit: int | None = None) -> int | None:
    """After the "}" that closes a "{" just before ``pos``, reading JavaScript: nested braces,
    strings, template literals (with ${...}) and comments. None when it is not closed."""
    end = _js_scan(text, pos, len(text) if limit is None else limit, inside_brace=True)
    return end if end >= 0 else None


def _js_scan(text: str, pos: int, end: int, *, inside_brace: bool) -> int:
    """Read JavaScript from ``pos``. Inside a "{": the position after the "}" closing it.
    Otherwise (a statement): the first blank line at which every bracket, string and comment
    opened is closed, or ``end`` if all is closed there. -1 when neither is found."""
    stack: list[str] = ["{"] if inside_brace else []  # open brackets, and "`" for a template
    unclosed: dict[str, int] = {}  # quote -> end of a line on which it was seen not to close
    while pos < end:
        char = text[pos]
        if stack and stack[-1] == "`":
            if char == "\\":
                pos += 2
            elif char == "`":
                stack.pop()
                pos += 1
            elif text.startswith("${", pos):
                stack.append("{")
                pos += 2
            else:
                pos += 1
            continue
        if char == "\n" and not inside_brace and not stack and _BLANK_LINE.match(text, pos):
            return pos
        if char in "\"'":
            pos = _past_string(text, pos, end, unclosed)
        elif char == "`":
            stack.append("`")
            pos += 1
        elif text.startswith("//", pos):
            newline = text.find("\n", pos, end)
            pos = end if newline == -1 else newline
        elif text.startswith("/*", pos):
            close = text.find("*/", pos + 2, end)
            if close == -1:
                return -1
            pos = close + 2
        elif char in "{([":
            stack.append(char)
            pos += 1
        elif char in "})]":
            if stack:
                stack.pop()
            pos += 1
            if inside_brace and not stack:
                return pos
        else:
            pos += 1
    return -1 if inside_brace or stack else end


def _past_string(text: str, start: int, end: int, unclosed: dict[str, int]) -> int:
    """After a quoted JavaScript string starting at ``start``. A quote that does not close on
    its line starts no string (JavaScript strings do not run over lines): it is an apostrophe
    in JSX text, say, and reading goes on after it. ``unclosed`` remembers such lines, so that
    each is read once however many quotes it holds."""
    quote, pos = text[start], start + 1
    if unclosed.get(quote, -1) > start:
        return start + 1
    while pos < end:
        char = text[pos]
        if char == "\\":
            pos += 2
        elif char == quote:
            return pos + 1
        elif char == "\n":
            break
        else:
            pos += 1
    unclosed[quote] = pos
    return start + 1
