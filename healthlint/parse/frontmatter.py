"""Front matter: the YAML (``---``) or TOML (``+++``) block at the top of a Markdown or MDX file.

Most of it is data for the site (dates, tags, layout) and is never prose. The values of a few
keys are copy that readers do see: the page title, and the description shown in search results
and link previews. Those values are read as prose blocks, every character mapped to where it is
written inside the front matter, however the value is written: plain, single- or double-quoted
(with escapes), or a folded (``>``) or literal (``|``) block. Everything else stays skipped, and
front matter that does not parse is skipped whole.

Each decoded value is checked against what the YAML or TOML library itself reads: a value this
module would map differently is pinned to where it starts instead of being mapped wrongly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from healthlint.formats import DEFAULT_FRONT_MATTER_KEYS as DEFAULT_KEYS
from healthlint.parse.blocks import BlockKind, OffsetMap, ProseBlock
from healthlint.parse.urls import protect_urls

# Front matter longer than this is generated data, not copy: its values are not read (the
# pure-Python YAML reader that gives positions would take seconds over megabytes).
MAX_READ = 256 * 1024

_FRONT_MATTER = re.compile(
    r"\A(?:---[ \t]*\n(?P<yaml>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)|\+\+\+[ \t]*\n(?P<toml>.*?)\n\+\+\+[ \t]*(?:\n|\Z))",
    re.S,
)


@dataclass(frozen=True)
class FrontMatter:
    kind: str  # "yaml" or "toml"
    end: int  # the whole block is text[0:end], its fences included
    body_start: int  # the lines between the fences are text[body_start:body_end]
    body_end: int


@dataclass(frozen=True)
class FrontMatterValue:
    """One key's value as prose: ``offsets[i]`` is the source offset of ``text[i]``."""

    key: str
    text: str
    offsets: list[int]


def find_front_matter(text: str) -> FrontMatter | None:
    m = _FRONT_MATTER.match(text)
    if not m:
        return None
    kind = "yaml" if m.group("yaml") is not None else "toml"
    return FrontMatter(kind, m.end(), m.start(kind), m.end(kind))


def front_matter_end(source) -> int:
    """Where a Markdown or MDX source's front matter ends (0 for other formats, or without one)."""
    if not source.is_markdown:
        return 0
    found = find_front_matter(source.text)
    return found.end if found else 0


def front_matter_values(text: str, keys: Iterable[str] = DEFAULT_KEYS) -> list[FrontMatterValue]:
    """The values of ``keys`` (top-level keys, compared without regard to case) in the text's
    front matter, in the order they are written; [] without front matter or when it is broken."""
    found = find_front_matter(text)
    wanted = {key.lower() for key in keys}
    if found is None or not wanted or found.body_end - found.body_start > MAX_READ:
        return []
    body = text[found.body_start : found.body_end] + "\n"  # the newline before the closing fence
    read = _yaml_values if found.kind == "yaml" else _toml_values
    return [
        FrontMatterValue(value.key, value.text, [found.body_start + offset for offset in value.offsets])
        for value in read(body, wanted)
    ]


def front_matter_problem(text: str) -> tuple[int, str] | None:
    """(1-based line in the file, what is wrong) when the text has front matter that does not
    parse, so none of its values can be checked; None otherwise. For a notice to the writer."""
    found = find_front_matter(text)
    if found is None or found.body_end - found.body_start > MAX_READ:
        return None
    body = text[found.body_start : found.body_end] + "\n"
    first_line = text.count("\n", 0, found.body_start) + 1
    if found.kind == "yaml":
        import yaml

        try:
            yaml.compose(body, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError as exc:
            # Where what went wrong began (an opening quote) says more than where it was noticed.
            mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
            said = "; ".join(str(part) for part in (getattr(exc, "context", None), getattr(exc, "problem", None)) if part)
            return (first_line + mark.line if mark is not None else first_line - 1, f"YAML: {said or 'not valid'}")
        except RecursionError:
            return (first_line - 1, "it is nested too deeply")
        return None
    import tomllib

    try:
        tomllib.loads(body)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        reason = re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)", "", str(exc))
        return (first_line - 1 + int(where.group(1)) if where else first_line - 1, f"TOML: {reason[:1].lower() + reason[1:]}")
    except RecursionError:
        return (first_line - 1, "it is nested too deeply")
    return None


def front_matter_blocks(text: str, keys: Iterable[str] = DEFAULT_KEYS) -> list[ProseBlock]:
    """Prose blocks for the front matter values of ``keys``: a title reads as a heading (it is
    the page's heading), any other value as a paragraph."""
    blocks = []
    for value in front_matter_values(text, keys):
        # Line breaks inside a value read as spaces, as a soft line break does in Markdown.
        prose = value.text.replace("\n", " ")
        lead = len(prose) - len(prose.lstrip())
        stripped = prose.strip()
        if not stripped:
            continue
        kind = BlockKind.HEADING if value.key.lower().endswith("title") else BlockKind.PARAGRAPH
        offsets = OffsetMap.from_offsets(value.offsets[lead : lead + len(stripped)])
        block = ProseBlock(kind, stripped, offsets)
        block.protected.extend(protect_urls(stripped))
        blocks.append(block)
    return blocks


# --- YAML ------------------------------------------------------------------------------------


def _yaml_values(body: str, wanted: set[str]) -> list[FrontMatterValue]:
    import yaml  # lazy: only files with front matter need it

    try:
        # libyaml, where PyYAML has it, refuses broken YAML at once; the pure-Python reader,
        # whose marks give the positions, can take seconds to find some of it broken.
        fast = getattr(yaml, "CSafeLoader", None)
        if fast is not None:
            yaml.compose(body, Loader=fast)
        root = yaml.compose(body, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return []  # broken front matter is skipped, as it always was
    if not isinstance(root, yaml.MappingNode):
        return []
    values = []
    for key_node, value_node in root.value:
        if not (isinstance(key_node, yaml.ScalarNode) and isinstance(value_node, yaml.ScalarNode)):
            continue
        if str(key_node.value).lower() not in wanted or value_node.tag != "tag:yaml.org,2002:str":
            continue  # a number, date, yes/no or null is not prose
        if value_node.start_mark.index < key_node.end_mark.index:
            continue  # an alias (*name): its text is written, and checked, where its anchor is
        chars = _yaml_scalar(body, value_node, key_node.start_mark.column)
        if "".join(char for char, _ in chars) != value_node.value:
            chars = [(char, value_node.start_mark.index) for char in value_node.value]  # pinned where it starts, not mapped wrongly
        values.append(FrontMatterValue(str(key_node.value), value_node.value, [offset for _, offset in chars]))
    return values


Chars = list[tuple[str, int]]  # decoded characters, each with its offset in the body


_PROPERTY = re.compile(r"(?:[&!][^ \t\n]*[ \t]+)+")  # an anchor (&name) or a tag (!!str) before a value


def _yaml_scalar(body: str, node, parent_indent: int) -> Chars:
    start, end = node.start_mark.index, node.end_mark.index
    properties = _PROPERTY.match(body, start, end)
    if properties:
        start = properties.end()
    if node.style in ("|", ">"):
        return _block_scalar(body, start, parent_indent)
    if node.style == "'":
        return _fold(_single_quoted_units(body, start + 1, end - 1))
    if node.style == '"':
        return _fold(_double_quoted_units(body, start + 1, end - 1))
    return _fold(_plain_units(body, start, end))


# A flow scalar (plain or quoted) is read as units: a character kept as it is ("text"), white
# space that line folding may drop ("space"), a line break ("break"), or a line break escaped
# with a backslash ("joined", double quotes only). _fold then applies YAML's line folding.
Unit = tuple[str, str, int]  # (kind, character, offset)


def _plain_units(body: str, start: int, end: int) -> list[Unit]:
    units = []
    for i in range(start, end):
        char = body[i]
        kind = "break" if char == "\n" else "space" if char in " \t" else "text"
        units.append((kind, char, i))
    return units


def _single_quoted_units(body: str, start: int, end: int) -> list[Unit]:
    units, i = [], start
    while i < end:
        char = body[i]
        if char == "'" and body.startswith("''", i):
            units.append(("text", "'", i))
            i += 2
            continue
        kind = "break" if char == "\n" else "space" if char in " \t" else "text"
        units.append((kind, char, i))
        i += 1
    return units


_YAML_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r",
    "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}
_YAML_HEX = {"x": 2, "u": 4, "U": 8}


def _double_quoted_units(body: str, start: int, end: int) -> list[Unit]:
    units, i = [], start
    while i < end:
        char = body[i]
        if char == "\\" and i + 1 < end:
            code = body[i + 1]
            if code == "\n":
                units.append(("joined", "", i))
                i += 2
                continue
            if code in _YAML_ESCAPES:
                units.append(("text", _YAML_ESCAPES[code], i))
                i += 2
                continue
            width = _YAML_HEX.get(code)
            digits = body[i + 2 : i + 2 + width] if width else ""
            if width and len(digits) == width and all(d in "0123456789abcdefABCDEF" for d in digits):
                units.append(("text", chr(int(digits, 16)), i))
                i += 2 + width
                continue
        kind = "break" if char == "\n" else "space" if char in " \t" else "text"
        units.append((kind, char, i))
        i += 1
    return units


def _fold(units: list[Unit]) -> Chars:
    """YAML's folding of a flow scalar's lines: white space around line breaks is dropped; one
    line break reads as a space and each further one, between blank lines, as a line break; an
    escaped line break joins the lines. A kept space or line break sits where the break is."""
    lines: list[list[Unit]] = [[]]
    joins: list[Unit] = []  # the break (or escaped break) after each line but the last
    for unit in units:
        if unit[0] in ("break", "joined"):
            joins.append(unit)
            lines.append([])
        else:
            lines[-1].append(unit)
    last = len(lines) - 1
    for n, line in enumerate(lines):
        if n > 0:
            while line and line[0][0] == "space":
                line.pop(0)
        if n < last and joins[n][0] == "break":
            while line and line[-1][0] == "space":
                line.pop()
    out: Chars = []
    n = 0
    while n <= last:
        out.extend((char, offset) for _, char, offset in lines[n])
        if n == last:
            break
        if joins[n][0] == "joined":
            n += 1
            continue
        following = n + 1  # the blank lines after this one become line breaks of their own
        while following < last and not lines[following] and joins[following][0] == "break":
            following += 1
        if following == n + 1:
            out.append((" ", joins[n][2]))
        else:
            out.extend(("\n", joins[k][2]) for k in range(n + 1, following))
        n = following
    return out


_BLOCK_HEADER = re.compile(r"[|>](?:([+-])([1-9])?|([1-9])([+-])?)?[ \t]*(?:#[^\n]*)?(?:\n|\Z)")


def _block_scalar(body: str, start: int, parent_indent: int) -> Chars:
    """A literal (|) or folded (>) block scalar, read as PyYAML's scanner reads it (chomping and
    indentation indicators included)."""
    header = _BLOCK_HEADER.match(body, start)
    if not header:
        return []
    folded = body[start] == ">"
    chomp_sign = header.group(1) or header.group(4)
    chomping = None if chomp_sign is None else chomp_sign == "+"  # None clip, True keep, False strip
    increment = header.group(2) or header.group(3)
    pos = header.end()
    out: Chars = []
    min_indent = max(parent_indent + 1, 1)
    if increment:
        indent = parent_indent + int(increment)
        breaks, pos = _block_breaks(body, pos, indent)
    else:
        breaks, pos, widest = _block_indentation(body, pos)
        indent = max(min_indent, widest)
    line_break: tuple[str, int] | None = None
    while _column(body, pos) == indent and pos < len(body):
        out.extend(breaks)
        leading_non_space = body[pos] not in " \t"
        line_end = body.find("\n", pos)
        line_end = len(body) if line_end == -1 else line_end
        out.extend((body[i], i) for i in range(pos, line_end))
        line_break = ("\n", line_end) if line_end < len(body) else None
        pos = line_end + 1 if line_break else line_end
        breaks, pos = _block_breaks(body, pos, indent)
        if _column(body, pos) == indent and pos < len(body):
            if folded and line_break and leading_non_space and body[pos] not in " \t":
                if not breaks:
                    out.append((" ", line_break[1]))
            elif line_break:
                out.append(line_break)
        else:
            break
    if chomping is not False and line_break:
        out.append(line_break)
    if chomping is True:
        out.extend(breaks)
    return out


def _column(body: str, pos: int) -> int:
    return pos - (body.rfind("\n", 0, pos) + 1)


def _block_indentation(body: str, pos: int) -> tuple[Chars, int, int]:
    """Blank lines before a block's first line, where its first line starts, and the widest
    indentation seen (the block's own, when no indicator gives it)."""
    breaks: Chars = []
    widest = 0
    while pos < len(body) and body[pos] in " \n":
        if body[pos] == " ":
            pos += 1
        else:
            breaks.append(("\n", pos))
            pos += 1
        widest = max(widest, _column(body, pos))
    return breaks, pos, widest


def _block_breaks(body: str, pos: int, indent: int) -> tuple[Chars, int]:
    """The line breaks of blank lines ahead (each line's indentation up to ``indent`` skipped)."""
    breaks: Chars = []
    while _column(body, pos) < indent and body.startswith(" ", pos):
        pos += 1
    while body.startswith("\n", pos):
        breaks.append(("\n", pos))
        pos += 1
        while _column(body, pos) < indent and body.startswith(" ", pos):
            pos += 1
    return breaks, pos


# --- TOML ------------------------------------------------------------------------------------

# A top-level `key = ` (bare or quoted key) at the start of a line; dotted keys are not top level.
_TOML_KEY = re.compile(r"""^[ \t]*(?:(?P<bare>[A-Za-z0-9_-]+)|"(?P<basic>[^"\\\n]*)"|'(?P<literal>[^'\n]*)')[ \t]*=[ \t]*""", re.M)
_TOML_TABLE = re.compile(r"^[ \t]*\[", re.M)
_TOML_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def _toml_values(body: str, wanted: set[str]) -> list[FrontMatterValue]:
    import tomllib

    try:
        data = tomllib.loads(body)
    except (tomllib.TOMLDecodeError, RecursionError):
        return []  # broken front matter is skipped, as it always was
    table = _TOML_TABLE.search(body)
    top_end = table.start() if table else len(body)  # keys after a [table] header are not top level
    values = []
    inside_string_until = 0  # a "key = " line inside a multi-line string is not a key
    for m in _TOML_KEY.finditer(body, 0, top_end):
        if m.start() < inside_string_until:
            continue
        key = m.group("bare") or m.group("basic") or m.group("literal") or ""
        read = _toml_string(body, m.end())
        if read is not None:
            inside_string_until = read[1]
        expected = data.get(key)
        if key.lower() not in wanted or not isinstance(expected, str):
            continue
        chars = read[0] if read is not None else None
        if chars is None or "".join(char for char, _ in chars) != expected:
            chars = [(char, m.end()) for char in expected]  # pinned where it starts, not mapped wrongly
        values.append(FrontMatterValue(key, expected, [offset for _, offset in chars]))
    return values


def _toml_string(body: str, start: int) -> tuple[Chars, int] | None:
    """A TOML string value starting at ``start``, decoded with offsets, and where it ends; None
    if it is not one."""
    for quote in ('"""', "'''", '"', "'"):
        if body.startswith(quote, start):
            break
    else:
        return None
    pos = start + len(quote)
    multiline = len(quote) == 3
    if multiline and body.startswith("\n", pos):
        pos += 1  # a newline right after the opening quotes is not part of the string
    basic = quote[0] == '"'
    out: Chars = []
    while pos < len(body):
        if body.startswith(quote, pos):
            # Up to two quotes right before the closing ones belong to a multi-line string.
            while multiline and body.startswith(quote[0], pos + 3):
                out.append((quote[0], pos))
                pos += 1
            return out, pos + len(quote)
        char = body[pos]
        if char == "\n" and not multiline:
            return None
        if basic and char == "\\":
            decoded = _toml_escape(body, pos, multiline)
            if decoded is None:
                return None
            text, next_pos = decoded
            out.extend((c, pos) for c in text)
            pos = next_pos
            continue
        out.append((char, pos))
        pos += 1
    return None


def _toml_escape(body: str, pos: int, multiline: bool) -> tuple[str, int] | None:
    """The text an escape at ``pos`` stands for and where the string goes on."""
    code = body[pos + 1 : pos + 2]
    if code in _TOML_ESCAPES:
        return _TOML_ESCAPES[code], pos + 2
    width = {"u": 4, "U": 8}.get(code)
    if width:
        digits = body[pos + 2 : pos + 2 + width]
        if len(digits) == width and all(d in "0123456789abcdefABCDEF" for d in digits):
            return chr(int(digits, 16)), pos + 2 + width
        return None
    if multiline:  # a backslash ending a line drops the line break and the white space after it
        rest = pos + 1
        while rest < len(body) and body[rest] in " \t":
            rest += 1
        if body.startswith("\n", rest):
            while rest < len(body) and body[rest] in " \t\n":
                rest += 1
            return "", rest
    return None
