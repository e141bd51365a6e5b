"""HTML pages: the text a reader sees, as prose blocks whose every character maps to the source.

A small tokenizer that follows the HTML standard's tokenizing rules (tags, attributes, comments,
raw text, character references) reads the page once, start to end. Python's html.parser was
the first choice, but on Python 3.11 it rescans the rest of the page at each malformed tag
("<a " repeated 10,000 times takes 10 s) and tree-sitter's HTML grammar recovers from such
input no faster, so neither is linear on the malformed pages this stage must survive. Here
every step consumes at least one character and each search for a terminator ("-->",
"</script", ">") is made once, so a page is read in time proportional to its length.

Tree building is the standard's, simplified: a stack of open elements, the implied end tags
that matter for prose (a new <li> or <p> closes the open one), end tags that close only what
they may, stray end tags ignored. What becomes prose:

- Text outside script, style, template, noscript, textarea, select, iframe, svg and math,
  outside comments and elements marked ``hidden`` or styled ``display: none``. White space
  collapses as a browser shows it; a character reference (``&amp;``, ``&#8217;``) is one prose
  character at the reference's "&".
- Blocks break at block-level tags (p, h1-h6, li, td, th, div, section, ...) and at two <br> in
  a row; one <br> reads as a space. h1-h6 and <title> are headings, li/dt/dd list items, td/th
  table cells; text in <blockquote> is in a quote.
- <a href> text is a Link (a citation for its sentence, as in Markdown); <cite> text is a Link
  whose target is its own text (it names its source). <q> text is shown in quotation marks, as a
  browser shows it, each mapped to its tag's "<". <code>, <kbd> and <samp> are protected
  spans; <pre> is skipped, as a Markdown code block is.
- alt (images) and title attributes are their own short blocks, at the value's exact place;
  they are read as table cells are: checked for claims, left out of reading level.
- Comments are collected for suppression directives (``<!-- healthlint-disable ... -->``).
"""

from __future__ import annotations

import html
import re
from html.entities import html5 as _NAMED

from healthlint.parse.blocks import BlockBuilder, BlockKind, Document, Link, ProseBlock, protected_urls
from healthlint.parse.urls import protect_urls
from healthlint.source import SourceText

_WS = "\t\n\f\r "
_TAG_NAME = re.compile(r"[A-Za-z][^\t\n\f\r />]*")
_SEPARATORS = re.compile(r"[\t\n\f\r /]*")
_ATTRIBUTE = re.compile(
    r"""(?P<name>[^\t\n\f\r />][^\t\n\f\r />=]*)"""
    r"""(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"(?P<dq>[^"]*)"?|'(?P<sq>[^']*)'?|(?P<uq>[^\t\n\f\r >]*)))?"""
)
# In text: runs of white space that a browser collapses or shows as a space, and "&".
_TEXT_SPECIAL = re.compile(r"[\t\n\f\r ]{2,}|[\t\n\f\r]|&")
_REFERENCE = re.compile(r"&(?:#[xX](?P<hex>[0-9a-fA-F]+);?|#(?P<dec>[0-9]+);?|(?P<name>[A-Za-z][A-Za-z0-9]*)(?P<semi>;?))")
_LONGEST_NAME = max(len(name) for name in _NAMED)

# Elements whose content is raw text, never markup, and never shown as prose.
_RAW_TEXT = frozenset({"script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "plaintext"})
# Elements whose content is parsed but not shown (or not copy: form controls' options).
_HIDDEN = frozenset({"template", "select", "datalist", "pre"})
_FOREIGN = frozenset({"svg", "math"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "keygen"})
_CODE = frozenset({"code", "kbd", "samp", "tt"})
_KINDS = {
    **{f"h{level}": BlockKind.HEADING for level in range(1, 7)},
    "li": BlockKind.LIST_ITEM,
    "dt": BlockKind.LIST_ITEM,
    "dd": BlockKind.LIST_ITEM,
    "td": BlockKind.TABLE_CELL,
    "th": BlockKind.TABLE_CELL,
    "caption": BlockKind.TABLE_CELL,
}
# Tags that start or end a block: the browser's block-level elements, and table parts.
_BLOCK = frozenset(
    """address article aside blockquote body caption center dd details dialog dir div dl dt
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li listing
    main menu nav ol p pre section summary table tbody td tfoot th thead title tr ul legend
    option optgroup select textarea""".split()
)
# A start tag of one of these closes an open <p> (the standard's list, less rarities).
_CLOSES_P = frozenset(
    """address article aside blockquote center details dialog dir div dl fieldset figcaption
    figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr listing main menu nav ol p pre section
    summary table ul""".split()
)
_SHELTERS_P = frozenset({"applet", "button", "caption", "html", "marquee", "object", "table", "td", "th", "template"})
_HEADINGS = frozenset(f"h{level}" for level in range(1, 7))
# start tag -> (the open elements it closes, the elements that shelter them from it)
_IMPLIED_CLOSE = {
    "li": (("li",), ("ul", "ol", "menu")),
    "dt": (("dt", "dd"), ("dl",)),
    "dd": (("dt", "dd"), ("dl",)),
    "td": (("td", "th"), ("tr", "table")),
    "th": (("td", "th"), ("tr", "table")),
    "tr": (("tr",), ("table", "tbody", "thead", "tfoot")),
    "tbody": (("tbody", "thead", "tfoot"), ("table",)),
    "thead": (("tbody", "thead", "tfoot"), ("table",)),
    "tfoot": (("tbody", "thead", "tfoot"), ("table",)),
    "option": (("option",), ("select", "datalist")),
    "a": (("a",), ("td", "th", "table", "caption", "template")),
}
# Elements an end tag of another element may not close across (the standard's "special"
# elements, in short): "</b>" inside a <div> opened after the <b> leaves the <div> open.
_SPECIAL = _BLOCK | frozenset({"applet", "button", "marquee", "object", "template", "iframe", "head"})
# Elements an end tag of a block element may not close across (the standard's scope markers).
_SCOPE = frozenset({"applet", "caption", "html", "marquee", "object", "table", "td", "th", "template"})
# HTML start tags that end svg or math content when the page forgot to close it.
_BREAKS_FOREIGN = frozenset(
    """b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i
    img li listing menu meta nobr ol p pre ruby s small span strong strike sub sup table tt u
    ul var""".split()
)
# End tags of table parts close across the parts inside them, but not across a table inside.
_END_BARRIERS = {
    "li": ("ul", "ol", *_SCOPE),  # "</li>" does not close across a list opened inside the item
    "table": ("template", "object", "applet", "marquee"),
    **{part: ("table", "template", "object", "applet", "marquee") for part in ("td", "th", "caption", "tr", "tbody", "thead", "tfoot")},
}
_INTEGRATION = frozenset({"foreignobject", "desc", "title", "annotation-xml"})
# title= on these is not a tooltip (a style sheet's name, a link's).
_NO_TOOLTIP = frozenset({"link", "meta", "style", "script", "base", "html", "head", "title"})
_KEPT_ATTRIBUTES = frozenset({"href", "alt", "title", "hidden", "type", "style"})
# An inline style that hides the element (a CMS's hidden teaser or keyword block).
_HIDING_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_MAX_DIGITS = 8  # a longer number is no character; int() of a huge one would also be slow


class _Target:
    """Where a link points; one per <a href> or <cite>, so two links side by side stay two."""

    __slots__ = ("href", "is_cite")

    def __init__(self, href: str, is_cite: bool = False) -> None:
        self.href = href
        self.is_cite = is_cite


class _Open:
    """One open element and what it means for the text inside it (inherited from its parent)."""

    __slots__ = ("name", "kind", "quote", "skip", "protect", "link", "foreign", "html_inside")

    def __init__(
        self, name: str, kind: BlockKind, quote: bool, skip: bool, protect: bool, link: _Target | None, foreign: bool, html_inside: bool = False
    ) -> None:
        self.name = name
        self.kind = kind
        self.quote = quote
        self.skip = skip
        self.protect = protect
        self.link = link
        self.foreign = foreign
        self.html_inside = html_inside  # within an svg <foreignObject> (or the like): HTML there is no way out


_ROOT = _Open("#document", BlockKind.PARAGRAPH, False, False, False, None, False)


class _Prose:
    """The block being written: its text, offsets, links and protected spans."""

    def __init__(self, kind: BlockKind = BlockKind.PARAGRAPH, quote: bool = False) -> None:
        self.builder = BlockBuilder()
        self.kind = kind
        self.quote = quote
        self.link_targets: list[_Target] = []  # the target of each of builder.links

    def empty(self) -> bool:
        return not len(self.builder)

    def ends_in_space(self) -> bool:
        return self.builder.last_char() == " "

    def add(self, text: str, offset: int, step: int, context: _Open, source_end: int | None = None) -> None:
        """``source_end``: the text is one character reference that ends there (see ProseBlock.wide)."""
        builder = self.builder
        if not len(builder):
            self.kind, self.quote = context.kind, context.quote
        start = len(builder)
        if source_end is None:
            builder.add_run(text, offset, step)
        else:
            builder.add_reference(text, offset, source_end)
        end = len(builder)
        if context.protect:
            spans = builder.protected
            if spans and spans[-1][1] == start:
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
        target = context.link
        if target is not None:
            links = builder.links
            if links and self.link_targets[-1] is target and links[-1].end == start:
                links[-1] = Link(links[-1].start, end, target.href)
            else:
                links.append(Link(start, end, target.href))
                self.link_targets.append(target)

    def build(self) -> ProseBlock | None:
        block = self.builder.build(self.kind, self.quote)
        if block is None:
            return None
        links = []
        for link, target in zip(block.links, self.link_targets):
            start, end = max(0, link.start), min(len(block.text), link.end)  # white space trimmed off
            if start < end:
                # A <cite> names its source: its link's target is its own text.
                links.append(Link(start, end, block.text[start:end] if target.is_cite else link.target))
        block.links = links
        block.protected = [(max(0, a), min(len(block.text), b)) for a, b in block.protected if min(len(block.text), b) > max(0, a)]
        block.protected.extend(protected_urls(block, protect_urls(block.text)))
        return block


def decode_reference(text: str, start: int, end: int, in_attribute: bool = False) -> tuple[str, int] | None:
    """The characters the reference at text[start] ("&...") stands for and where it ends, or None
    when this "&" starts no reference (it is then an ordinary character)."""
    m = _REFERENCE.match(text, start, end)
    if not m:
        return None
    if m.group("name") is None:
        hex_digits, digits = m.group("hex"), m.group("dec")
        significant = (hex_digits or digits).lstrip("0") or "0"
        if len(significant) > _MAX_DIGITS:
            return "\ufffd", m.end()
        # html.unescape knows the standard's replacements (&#150; is an en dash, &#0; is U+FFFD).
        return html.unescape(f"&#{'x' if hex_digits else ''}{significant};"), m.end()
    name = m.group("name")
    if m.group("semi") and name + ";" in _NAMED:
        return _NAMED[name + ";"], m.end()
    # Old pages write some references without ";" ("&amp", "&copy2024"): the longest such name.
    for length in range(min(len(name), _LONGEST_NAME), 1, -1):
        if name[:length] in _NAMED:
            after = start + 1 + length
            if in_attribute and after < end and (text[after] == "=" or text[after].isalnum()):
                return None  # "?a=1&copy=2" in a URL is no reference
            return _NAMED[name[:length]], after
    return None


class _Reader:
    def __init__(self, source: SourceText) -> None:
        self.text = source.text
        self.blocks: list[ProseBlock] = []
        self.comments: list[tuple[int, str]] = []
        self.stack: list[_Open] = [_ROOT]
        self.where: dict[str, list[int]] = {}  # element name -> stack indices where it is open
        self.special: list[int] = []  # stack indices of the open _SPECIAL elements
        self.scope: list[int] = []  # stack indices of the open _SCOPE elements
        self.foreign_roots: list[int] = []  # stack indices of the open svg and math elements
        self.prose = _Prose()
        self.after_break = False  # a <br> came last (white space and inline tags aside)
        self.raw_end: dict[str, re.Pattern] = {}

    # --- the block being written -------------------------------------------------------------

    def flush(self) -> None:
        block = self.prose.build()
        if block is not None:
            self.blocks.append(block)
        self.prose = _Prose()
        self.after_break = False

    def add_text(self, prose: _Prose, start: int, end: int, context: _Open, in_attribute: bool = False) -> None:
        """Source text[start:end] as a browser shows it: white space collapsed, references decoded."""
        text = self.text
        pos = start
        while pos < end:
            m = _TEXT_SPECIAL.search(text, pos, end)
            stop = m.start() if m else end
            if stop > pos:
                if text[pos] == " " and (prose.empty() or prose.ends_in_space()):
                    pos += 1
                if stop > pos:
                    prose.add(text[pos:stop], pos, 1, context)
                    if prose is self.prose:
                        self.after_break = False
            if not m:
                break
            if text[stop] == "&":
                decoded = decode_reference(text, stop, end, in_attribute)
                if decoded is None:
                    prose.add("&", stop, 1, context)
                    pos = stop + 1
                elif decoded[0].strip(_WS):
                    prose.add(decoded[0], stop, 0, context, source_end=decoded[1])
                    pos = decoded[1]
                else:  # "&#32;" or "&#10;" is white space like any other, and collapses
                    if not prose.empty() and not prose.ends_in_space():
                        prose.add(" ", stop, 1, context)
                    pos = decoded[1]
                if prose is self.prose:
                    self.after_break = False
            else:
                if not prose.empty() and not prose.ends_in_space():
                    prose.add(" ", stop, 1, context)
                pos = m.end()

    def line_break(self, offset: int) -> None:
        """One <br> reads as a space; two in a row end the paragraph."""
        if self.after_break:
            self.flush()
        elif not self.prose.empty() and not self.prose.ends_in_space():
            self.prose.add(" ", offset, 1, self.stack[-1])
        self.after_break = True

    def attribute_block(self, start: int, end: int) -> None:
        """alt and title text: a short block of its own at the value's place."""
        prose = _Prose()
        self.add_text(prose, start, end, _ATTRIBUTE_CONTEXT, in_attribute=True)
        block = prose.build()
        if block is not None:
            self.blocks.append(block)

    # --- the stack of open elements ------------------------------------------------------------

    def push(self, name: str, attributes: dict[str, tuple[int, int]], foreign: bool = False) -> None:
        parent = self.stack[-1]
        link = parent.link
        if name == "a" and "href" in attributes:
            link = _Target(self.unescape(attributes["href"]).strip())
        elif name == "cite":
            link = _Target("", is_cite=True)
        entry = _Open(
            name,
            _KINDS.get(name, parent.kind),
            parent.quote or name == "blockquote",
            parent.skip or foreign or self.hidden(attributes) or name in _HIDDEN,
            parent.protect or name in _CODE,
            link,
            foreign,
            parent.html_inside or (parent.foreign and parent.name in _INTEGRATION),
        )
        index = len(self.stack)
        self.stack.append(entry)
        self.where.setdefault(name, []).append(index)
        if not foreign:
            if name in _SPECIAL:
                self.special.append(index)
            if name in _SCOPE:
                self.scope.append(index)
        if name in _FOREIGN and not parent.foreign:
            self.foreign_roots.append(index)

    def pop_to(self, index: int) -> None:
        """Close the element at stack index ``index`` and every element opened inside it."""
        stack = self.stack
        while len(stack) > index:
            top = len(stack) - 1
            entry = stack.pop()
            self.where[entry.name].pop()
            for indices in (self.special, self.scope, self.foreign_roots):
                if indices and indices[-1] == top:
                    indices.pop()

    def innermost(self, names) -> int:
        """Stack index of the innermost open element among ``names`` (0: none)."""
        best = 0
        for name in names:
            indices = self.where.get(name)
            if indices:
                best = max(best, indices[-1])
        return best

    def close_implied(self, name: str) -> None:
        implied = _IMPLIED_CLOSE.get(name)
        if implied:
            closed, shelters = implied
            index = self.innermost(closed)
            if index and index > self.innermost(shelters):
                self.pop_to(index)
        if name in _CLOSES_P:
            index = self.innermost(("p",))
            if index and index > self.innermost(_SHELTERS_P):
                self.pop_to(index)
        if name in _HEADINGS and self.stack[-1].name in _HEADINGS:
            self.pop_to(len(self.stack) - 1)

    def hidden(self, attributes: dict[str, tuple[int, int]]) -> bool:
        """Is the element hidden from readers (the hidden attribute, or an inline style)?"""
        if "hidden" in attributes and self.value(attributes["hidden"]).strip().lower() != "until-found":
            return True
        return "style" in attributes and _HIDING_STYLE.search(self.value(attributes["style"])) is not None

    def value(self, span: tuple[int, int]) -> str:
        return self.text[span[0] : span[1]]

    def unescape(self, span: tuple[int, int]) -> str:
        """An attribute's value with its references decoded."""
        text, (pos, end) = self.text, span
        parts = []
        while pos < end:
            amp = text.find("&", pos, end)
            if amp == -1:
                parts.append(text[pos:end])
                break
            parts.append(text[pos:amp])
            decoded = decode_reference(text, amp, end, in_attribute=True)
            parts.append("&" if decoded is None else decoded[0])
            pos = amp + 1 if decoded is None else decoded[1]
        return "".join(parts)

    # --- tags ----------------------------------------------------------------------------------

    def start_tag(self, name: str, attributes: dict[str, tuple[int, int]], self_closing: bool, tag_start: int, tag_end: int) -> int:
        """Act on a start tag; the position to read on from."""
        top = self.stack[-1]
        if top.foreign:
            if name not in _BREAKS_FOREIGN or top.name in _INTEGRATION or top.html_inside:
                if not self_closing:
                    self.push(name, attributes, foreign=True)
                return tag_end
            self.pop_to(self.foreign_roots[0])  # the page forgot to close its svg or math
        if name in _FOREIGN:
            if not self_closing:
                self.push(name, attributes, foreign=True)
            return tag_end
        self.close_implied(name)
        if name in _BLOCK:
            self.flush()
        context = self.stack[-1]
        if not context.skip and not self.hidden(attributes):
            if "alt" in attributes and (name in ("img", "area") or (name == "input" and self.value(attributes.get("type", (0, 0))).strip().lower() == "image")):
                self.attribute_block(*attributes["alt"])
            if "title" in attributes and name not in _NO_TOOLTIP:
                self.attribute_block(*attributes["title"])
        if name == "br":
            if not context.skip:
                self.line_break(tag_start)
            return tag_end
        if name in _VOID:
            return tag_end
        if name in _RAW_TEXT:
            return self.raw_text_end(name, tag_end)
        if name == "title":
            return self.title(tag_end)
        self.push(name, attributes)
        if name == "q" and not context.skip:
            # A browser shows <q> in quotation marks, and a claim in quotes may be one reported.
            self.add_mark("\u201c", tag_start)
        return tag_end

    def add_mark(self, mark: str, offset: int) -> None:
        """A character the browser shows for a tag, mapped to the tag's "<"."""
        self.prose.add(mark, offset, 1, self.stack[-1])
        self.after_break = False

    def end_tag(self, name: str, tag_start: int) -> None:
        if name == "br":  # "</br>" is read as "<br>"
            if not self.stack[-1].skip:
                self.line_break(tag_start)
            return
        indices = self.where.get(name)
        if indices and self.stack[-1].foreign:
            self.pop_to(indices[-1])  # in svg or math an end tag closes what it names
            return
        if not indices:
            if name == "p":  # a stray </p> still ends the paragraph
                self.flush()
            return
        if name in _END_BARRIERS:
            barrier = self.innermost(_END_BARRIERS[name])
        else:
            markers = self.scope if name in _SPECIAL else self.special
            barrier = markers[-1] if markers else 0
        if barrier > indices[-1]:
            return  # it cannot close across that element: ignored, as a browser does
        if name in _BLOCK:
            self.flush()
        if name == "q" and not self.stack[indices[-1]].skip:
            self.add_mark("\u201d", tag_start)
        self.pop_to(indices[-1])

    def raw_text_end(self, name: str, pos: int) -> int:
        """Skip raw text (a script, a style sheet): to its end tag, or the end of the page."""
        if name == "plaintext":  # no end tag ends it
            return len(self.text)
        pattern = self.raw_end.get(name)
        if pattern is None:
            pattern = self.raw_end[name] = re.compile(rf"</{re.escape(name)}(?=[\t\n\f\r />])", re.IGNORECASE)
        m = pattern.search(self.text, pos)
        return m.start() if m else len(self.text)

    def title(self, pos: int) -> int:
        """The page's <title>: a heading block of its own (its text has no tags, only references)."""
        end = self.raw_text_end("title", pos)
        self.flush()
        if not self.stack[-1].skip:
            self.add_text(self.prose, pos, end, _TITLE_CONTEXT)
            self.flush()
        return end

    # --- the tokenizer -------------------------------------------------------------------------

    def attributes(self, pos: int, keep: bool) -> tuple[dict[str, tuple[int, int]], int, bool] | None:
        """The attributes from ``pos`` to the tag's ">": the kept ones (name -> value span), the
        position after ">", and whether the tag closed itself ("/>"). None: the page ends first."""
        text, n = self.text, len(self.text)
        found: dict[str, tuple[int, int]] = {}
        while True:
            separated = pos
            pos = _SEPARATORS.match(text, pos).end()
            if pos >= n:
                return None
            if text[pos] == ">":
                return found, pos + 1, pos > separated and text[pos - 1] == "/"
            m = _ATTRIBUTE.match(text, pos)
            pos = m.end()
            if keep:
                name = m.group("name").lower()
                if name in _KEPT_ATTRIBUTES and name not in found:
                    for group in ("dq", "sq", "uq"):
                        if m.group(group) is not None:
                            found[name] = m.span(group)
                            break
                    else:
                        found[name] = (pos, pos)

    def markup(self, lt: int) -> int:
        """Read the markup starting with the "<" at ``lt``; the position after it."""
        text, n = self.text, len(self.text)
        after = text[lt + 1 : lt + 2]
        if after.isascii() and after.isalpha():
            name_match = _TAG_NAME.match(text, lt + 1)
            parsed = self.attributes(name_match.end(), keep=True)
            if parsed is None:
                return n  # a tag the page never closes: a browser drops it
            attributes, end, self_closing = parsed
            return self.start_tag(name_match.group().lower(), attributes, self_closing, lt, end)
        if after == "/":
            name_match = _TAG_NAME.match(text, lt + 2)
            if name_match:
                parsed = self.attributes(name_match.end(), keep=False)
                if parsed is None:
                    return n
                self.end_tag(name_match.group().lower(), lt)
                return parsed[1]
            if text.startswith(">", lt + 2):
                return lt + 3  # "</>" is nothing
            if lt + 2 >= n:  # "</" at the very end: two characters of text
                if not self.stack[-1].skip:
                    self.add_text(self.prose, lt, n, self.stack[-1])
                return n
            return self.bogus_comment(lt + 2)
        if after == "!":
            if text.startswith("<!--", lt):
                return self.comment(lt)
            if self.stack[-1].foreign and text.startswith("<![CDATA[", lt):
                close = text.find("]]>", lt + 9)
                return n if close == -1 else close + 3
            return self.bogus_comment(lt + 2)
        if after == "?":
            return self.bogus_comment(lt + 1)
        if not self.stack[-1].skip:
            self.add_text(self.prose, lt, lt + 1, self.stack[-1])  # a "<" that opens nothing
        return lt + 1

    def bogus_comment(self, pos: int) -> int:
        """A doctype, "<?xml ...>" or the like: to the next ">"."""
        close = self.text.find(">", pos)
        return len(self.text) if close == -1 else close + 1

    def comment(self, lt: int) -> int:
        text = self.text
        body = lt + 4
        if text.startswith(">", body):
            close, end = body, body + 1  # "<!-->"
        elif text.startswith("->", body):
            close, end = body, body + 2  # "<!--->"
        else:
            close = text.find("-->", body)
            if close == -1:
                close = end = len(text)  # never closed: a comment to the end of the page
            else:
                end = close + 3
        self.comments.append((lt, text[body:close]))
        return end

    def run(self) -> None:
        text, n = self.text, len(self.text)
        pos = 0
        while pos < n:
            lt = text.find("<", pos)
            if lt == -1:
                lt = n
            if lt > pos and not self.stack[-1].skip:
                self.add_text(self.prose, pos, lt, self.stack[-1])
            if lt >= n:
                break
            pos = self.markup(lt)
        self.flush()
        self.blocks.sort(key=lambda block: block.offsets[0])  # alt and title blocks among the rest


_ATTRIBUTE_CONTEXT = _Open("#attribute", BlockKind.TABLE_CELL, False, False, False, None, False)
_TITLE_CONTEXT = _Open("title", BlockKind.HEADING, False, False, False, None, False)


def parse_html(source: SourceText) -> Document:
    reader = _Reader(source)
    reader.run()
    return Document(source, reader.blocks, reader.comments)
