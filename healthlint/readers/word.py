"""Word documents (.docx), read as prose through python-docx (the "docx" extra).

Each Word paragraph becomes one line of the SourceText, in reading order: the body (headings,
list items, each paragraph of each table cell, and a text box's paragraphs right after the
paragraph it is anchored in), then the footnotes, then the endnotes. So a finding's line is the
paragraph's number in that order, empty paragraphs included, and its column the character
within that paragraph. Tracked changes read as if accepted: inserted text is kept, deleted text
is left out. Headers, footers and the document's own comments are not read.

The walk (word_paragraphs) is shared with `healthlint annotate`, which runs it again on the
document it adds comments to: paragraph N there is line N here, with each run's place in it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from healthlint.formats import Format
from healthlint.parse.blocks import BlockKind, Link
from healthlint.source import InputError, SourceText, size_in_words

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
FOOTNOTES_REL = R_NS + "/footnotes"
ENDNOTES_REL = R_NS + "/endnotes"
# healthlint is installed from its repository, not PyPI; python-docx itself is on PyPI.
INSTALL_HINT = "pip install python-docx (or, in a healthlint checkout, pip install '.[docx]')"
# A .docx is a zip file: its size on disk says little about what it unpacks to. Refuse more than
# this before python-docx unpacks it, so a damaged or hostile file cannot fill the memory.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024


def w(tag: str) -> str:
    """A WordprocessingML tag as lxml spells it."""
    return f"{{{W_NS}}}{tag}"


# What run content other than w:t reads as. Everything else in a run (a picture, a field code,
# a footnote mark, deleted text) is no text. A line break inside a paragraph reads as a space,
# so a paragraph stays one line.
CHARACTER_FOR = {w("tab"): "\t", w("ptab"): "\t", w("br"): " ", w("cr"): " ", w("noBreakHyphen"): "-"}
# Containers whose runs are not read: deleted or moved-away text, properties, and the older
# copy of content Word also stores in a newer form (mc:Fallback beside mc:Choice).
NOT_READ = frozenset({w("del"), w("moveFrom"), w("pPr"), w("rPr"), f"{{{MC_NS}}}Fallback"})
NOTE_MARKS = frozenset({w("footnoteReference"), w("endnoteReference")})
HEADING_STYLE = re.compile(r"^(heading [1-9]|title|subtitle)$")
LAST_OUTLINE_LEVEL = 8  # outline levels 0-8 are headings; 9 is body text


@dataclass(frozen=True)
class RunPiece:
    """A run's text and where it starts in its paragraph's line."""

    run: Any  # the w:r element
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class WordParagraph:
    """One Word paragraph: its element, how it reads (kind) and which runs hold its text."""

    element: Any  # the w:p element
    kind: BlockKind
    story: str  # "body", "footnote" or "endnote"
    note_id: str | None = None  # for a footnote or endnote: its w:id
    pieces: list[RunPiece] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(piece.text for piece in self.pieces)


@dataclass
class WordSource(SourceText):
    """A Word document's text, one paragraph a line, with what each paragraph is. (No element of
    the document is kept, so it can be sent to a worker process.)"""

    paragraph_kinds: tuple[BlockKind, ...] = ()
    paragraph_links: tuple[tuple[Link, ...], ...] = ()

    def structure(self) -> tuple:
        # A link added to words already there, or a paragraph made a heading, changes findings
        # but not the text.
        return (tuple(kind.value for kind in self.paragraph_kinds), self.paragraph_links)


# --- opening -------------------------------------------------------------------------------


def open_document(data: bytes, shown: str) -> Any:
    """A python-docx Document from a file's bytes, or InputError with a message for the writer."""
    try:
        import docx
    except ImportError:
        raise InputError(f"{shown}: reading Word documents needs the python-docx package; install it with: {INSTALL_HINT}") from None
    refuse_oversized(data, shown)
    try:
        return docx.Document(io.BytesIO(data))
    except Exception:  # a damaged file fails in many ways (zip, XML, a missing part): all say the same
        raise InputError(f"{shown}: {why_unreadable(data, shown)}") from None


def refuse_oversized(data: bytes, shown: str) -> None:
    """InputError when the zip says its parts unpack to more than MAX_UNPACKED_BYTES (zipfile
    never unpacks more than a part's stated size, so the statement can be trusted)."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except Exception:  # not a zip at all: opening it says so
        return
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError(
            f"{shown}: unpacks to {size_in_words(unpacked)}, far more than any document's text "
            f"(the limit is {size_in_words(MAX_UNPACKED_BYTES)}), so it was not read"
        )


def why_unreadable(data: bytes, shown: str = "") -> str:
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # the container of .doc files and of password-protected ones
        return (
            "this is an older Word file (.doc) or a password-protected document, which healthlint cannot read; "
            "open it in Word and save it as a Word Document (.docx) without a password"
        )
    if not data.startswith(b"PK") and PurePath(shown).name.startswith("~$"):
        return (
            "this is the small lock file Word keeps beside a document while it is open, not a document; "
            "close the document in Word, or leave ~$ files out of the run"
        )
    if not data.startswith(b"PK"):
        return "this is not a Word document (.docx), though its name says so; healthlint reads .docx files saved by Word, LibreOffice or Google Docs"
    return "this Word document is damaged, or is another kind of file inside; open it in Word, save it again as .docx and try again"


# --- reading ---------------------------------------------------------------------------------


def read_docx(data: bytes, shown: str) -> WordSource:
    """The reader formats.py names for .docx: (bytes, shown path) -> SourceText."""
    document = open_document(data, shown)
    try:
        paragraphs = word_paragraphs(document)
    except Exception:  # a part that is not well-formed XML (footnotes are parsed here)
        raise InputError(f"{shown}: {why_unreadable(data, shown)}") from None
    return WordSource(
        path=shown,
        text="\n".join(paragraph.text for paragraph in paragraphs),
        format=Format.DOCX,
        paragraph_kinds=tuple(paragraph.kind for paragraph in paragraphs),
        paragraph_links=tuple(tuple(paragraph.links) for paragraph in paragraphs),
    )


def word_paragraphs(document: Any) -> list[WordParagraph]:
    """Every paragraph in reading order: body, then footnotes, then endnotes."""
    styles = style_kinds(document.styles.element)
    body_targets = link_targets(document.part)
    found = [read_paragraph(p, styles, body_targets, "body") for p in story_paragraphs(document.element.body)]
    for story, reltype in (("footnote", FOOTNOTES_REL), ("endnote", ENDNOTES_REL)):
        part = related_part(document.part, reltype)
        if part is None:
            continue
        targets = link_targets(part)
        for note in notes_of(part_element(part), story):
            note_id = note.get(w("id"))
            found += [read_paragraph(p, styles, targets, story, note_id) for p in story_paragraphs(note)]
    return found


def story_paragraphs(root: Any) -> Iterator[Any]:
    """The w:p elements under root in document order; a text box's come right after the
    paragraph holding it (they are inside it), and Fallback copies are skipped."""
    fallback = f"{{{MC_NS}}}Fallback"
    for p in root.iter(w("p")):
        if not any(ancestor.tag == fallback for ancestor in p.iterancestors()):
            yield p


def notes_of(root: Any, story: str) -> Iterator[Any]:
    """The real footnotes (or endnotes): not the separator lines Word keeps among them."""
    for note in root.iter(w(story)):
        if note.get(w("type")) in (None, "normal"):
            yield note


def related_part(part: Any, reltype: str) -> Any:
    try:
        return part.part_related_by(reltype)
    except KeyError:
        return None


def part_element(part: Any) -> Any:
    """The XML of a part. python-docx has no class for footnotes or endnotes, so their XML is
    parsed from the part's bytes."""
    element = getattr(part, "element", None)
    if element is None:
        from docx.oxml.parser import parse_xml

        element = parse_xml(part.blob)
    return element


def link_targets(part: Any) -> Callable[[str], str | None]:
    """The web address a hyperlink's relationship id points to (None for a bookmark or unknown id)."""
    rels = part.rels

    def target(rel_id: str) -> str | None:
        rel = rels.get(rel_id)
        return rel.target_ref if rel is not None and rel.is_external else None

    return target


def read_paragraph(p: Any, styles: dict[str, BlockKind], targets: Callable[[str], str | None], story: str, note_id: str | None = None) -> WordParagraph:
    pieces, links = paragraph_pieces(p, targets)
    return WordParagraph(p, paragraph_kind(p, styles), story, note_id, pieces, links)


def paragraph_pieces(p: Any, targets: Callable[[str], str | None] = lambda _: None) -> tuple[list[RunPiece], list[Link]]:
    """The runs that hold a paragraph's text as it reads with tracked changes accepted, and its
    links: hyperlinks to web addresses (as Word writes them, or as HYPERLINK fields), and
    footnote and endnote marks (a mark cites a source, so it counts as a link on the character
    before it)."""
    pieces: list[RunPiece] = []
    links: list[Link] = []
    marks: list[int] = []
    fields = HyperlinkFields()
    offset = 0

    def visit(element: Any) -> None:
        nonlocal offset
        for child in element:
            tag = child.tag
            if tag == w("r"):
                start, items = offset, run_items(child)
                for item, text in items:
                    if item.tag in NOTE_MARKS:
                        marks.append(offset)
                    elif item.tag in FIELD_PARTS:
                        links.extend(fields.step(item, offset))
                    offset += len(text)
                if offset > start:
                    pieces.append(RunPiece(child, start, "".join(text for _, text in items)))
            elif tag in NOT_READ or tag == w("txbxContent") or not is_word_markup(tag):
                continue  # a text box is read as paragraphs of its own; math and XML comments hold no prose
            elif tag in (w("hyperlink"), w("fldSimple")):
                start = offset
                visit(child)
                if tag == w("hyperlink"):
                    target = targets(child.get(f"{{{R_NS}}}id") or "")
                else:
                    target = hyperlink_field_target(child.get(w("instr")) or "")
                if target and offset > start:
                    links.append(Link(start, offset, target))
            else:  # w:ins, w:moveTo, w:smartTag, w:sdt, mc:AlternateContent, ...
                visit(child)

    visit(p)
    for mark in marks:
        if offset:
            end = min(max(mark, 1), offset)
            links.append(Link(end - 1, end, "note"))
    return pieces, links


FIELD_PARTS = frozenset({w("fldChar"), w("instrText")})
# A HYPERLINK field to a web address; with \l it points to a place in the document instead.
HYPERLINK_FIELD = re.compile(r'^\s*HYPERLINK\s+"([^"]+)"', re.IGNORECASE)


def hyperlink_field_target(instruction: str) -> str | None:
    found = HYPERLINK_FIELD.match(instruction)
    return found.group(1) if found else None


class HyperlinkFields:
    """Word's complex fields within a paragraph (begin, instruction, separate, shown text, end),
    nested as they may be; a HYPERLINK field's shown text is a link."""

    def __init__(self) -> None:
        self.open: list[list] = []  # [instruction so far, where its shown text starts]

    def step(self, item: Any, offset: int) -> list[Link]:
        if item.tag == w("instrText"):
            if self.open:
                self.open[-1][0] += item.text or ""
            return []
        kind = item.get(w("fldCharType"))
        if kind == "begin":
            self.open.append(["", None])
        elif kind == "separate" and self.open:
            self.open[-1][1] = offset
        elif kind == "end" and self.open:
            instruction, start = self.open.pop()
            target = hyperlink_field_target(instruction)
            if target and start is not None and offset > start:
                return [Link(start, offset, target)]
        return []


def is_word_markup(tag: Any) -> bool:
    return isinstance(tag, str) and tag.startswith((f"{{{W_NS}}}", f"{{{MC_NS}}}"))


def run_items(r: Any) -> list[tuple[Any, str]]:
    """Each piece of a run's content with the text it reads as ("" for a picture or a mark)."""
    items = []
    for child in r:
        if child.tag == w("rPr"):
            continue
        if child.tag == w("t"):
            text = (child.text or "").replace("\r", " ").replace("\n", " ")
        else:
            text = CHARACTER_FOR.get(child.tag, "")
        items.append((child, text))
    return items


# --- what a paragraph is -----------------------------------------------------------------------


def paragraph_kind(p: Any, styles: dict[str, BlockKind]) -> BlockKind:
    """A table cell's paragraph is a table cell; otherwise its own formatting or its style says
    whether it is a heading or a list item."""
    for ancestor in p.iterancestors():
        if ancestor.tag == w("tc"):
            return BlockKind.TABLE_CELL
        if ancestor.tag == w("txbxContent"):
            break
    properties = p.find(w("pPr"))
    if properties is not None:
        if is_heading_level(properties):
            return BlockKind.HEADING
        style = properties.find(w("pStyle"))
        style_kind = styles.get(style.get(w("val"))) if style is not None else None
        if style_kind is BlockKind.HEADING:
            return style_kind
        if is_numbered(properties) or style_kind is BlockKind.LIST_ITEM:
            return BlockKind.LIST_ITEM
    return BlockKind.PARAGRAPH


def is_heading_level(properties: Any) -> bool:
    level = properties.find(w("outlineLvl"))
    try:
        return level is not None and int(level.get(w("val"), "9")) <= LAST_OUTLINE_LEVEL
    except ValueError:
        return False


def is_numbered(properties: Any) -> bool:
    numbering = properties.find(w("numPr"))
    if numbering is None:
        return False
    number_id = numbering.find(w("numId"))
    return number_id is None or number_id.get(w("val")) != "0"  # numId 0 takes numbering off


def style_kinds(styles_element: Any) -> dict[str, BlockKind]:
    """Paragraph styles that make a heading (Heading 1-9, Title, an outline level) or a list item
    (numbered, or a List style), following each style's basedOn chain."""
    own: dict[str, tuple[BlockKind | None, str | None]] = {}
    for style in styles_element.iter(w("style")):
        style_id = style.get(w("styleId"))
        if style_id is None or style.get(w("type"), "paragraph") != "paragraph":
            continue
        name_element = style.find(w("name"))
        name = (name_element.get(w("val"), "") if name_element is not None else "").strip().lower()
        properties = style.find(w("pPr"))
        kind = None
        if HEADING_STYLE.match(name) or (properties is not None and is_heading_level(properties)):
            kind = BlockKind.HEADING
        elif name.startswith("list") or (properties is not None and is_numbered(properties)):
            kind = BlockKind.LIST_ITEM
        based_on = style.find(w("basedOn"))
        own[style_id] = (kind, based_on.get(w("val")) if based_on is not None else None)
    kinds: dict[str, BlockKind] = {}
    for style_id in own:
        seen, current = set(), style_id
        while current in own and current not in seen:  # a loop of basedOn ends here
            seen.add(current)
            kind, current = own[current]
            if kind is not None:
                kinds[style_id] = kind
                break
    return kinds
