"""`healthlint annotate`: a copy of a Word document with a Word comment on each finding.

The copy is built from the document's bytes in memory; the original file is never opened for
writing. Each comment is anchored to exactly the flagged words: the runs holding them are split
at the finding's first character and just after its last, and each part keeps the run's
formatting. python-docx adds comments to the body only, so a finding in a footnote or endnote
is anchored to that note's mark in the body and quotes the flagged words.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from healthlint.model import Finding
from healthlint.readers.word import WordParagraph, open_document, paragraph_pieces, run_items, w, word_paragraphs

AUTHOR, INITIALS = "healthlint", "HL"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


@dataclass
class Annotated:
    data: bytes  # the annotated copy, a complete .docx
    comments: int
    not_anchored: list[Finding] = field(default_factory=list)  # findings no run could hold


def annotate_docx(data: bytes, shown: str, findings: Sequence[Finding]) -> Annotated:
    """The document with one comment per finding. ``findings`` come from linting the same bytes
    (healthlint.readers.word.read_docx), so a finding's line is the paragraph to anchor in."""
    from docx.text.run import Run

    document = open_document(data, shown)
    paragraphs = word_paragraphs(document)
    added, missed = 0, []
    for finding in findings:
        anchor = anchor_runs(document, paragraphs, finding)
        if anchor is None:
            missed.append(finding)
            continue
        first, last = anchor
        story = paragraphs[finding.start.line - 1].story
        document.add_comment([Run(first, document), Run(last, document)], comment_text(finding, story), AUTHOR, INITIALS)
        added += 1
    buffer = io.BytesIO()
    document.save(buffer)
    return Annotated(buffer.getvalue(), added, missed)


def comment_text(finding: Finding, story: str) -> str:
    """Rule id and message, then the suggestion as a paragraph of its own."""
    where = "" if story == "body" else f'In the {story} marked here, "{finding.text}": '
    text = f"{where}{finding.message} ({finding.rule})"
    if finding.suggestion:
        text += f"\nSuggestion: {finding.suggestion}"
    return text


def anchor_runs(document: Any, paragraphs: list[WordParagraph], finding: Finding) -> tuple[Any, Any] | None:
    """The first and last run (w:r elements) of the flagged words, split out of their runs."""
    index = finding.start.line - 1
    if not 0 <= index < len(paragraphs):
        return None
    paragraph = paragraphs[index]
    if paragraph.story != "body":
        mark = note_mark(document, paragraph)
        return None if mark is None else (mark, mark)
    start = finding.start.column - 1
    end = finding.end.column - 1 if finding.end.line == finding.start.line else len(paragraph.text)
    return flagged_runs(paragraph.element, start, end)


def flagged_runs(p: Any, start: int, end: int) -> tuple[Any, Any] | None:
    """Split runs so that a run starts at ``start`` and one ends at ``end`` (offsets into the
    paragraph's text), and return the first and last run between them."""
    if end <= start:
        return None
    for offset in (start, end):
        split_run_at(p, offset)
    pieces, _ = paragraph_pieces(p)
    inside = [piece.run for piece in pieces if start <= piece.start and piece.end <= end]
    return (inside[0], inside[-1]) if inside else None


def split_run_at(p: Any, offset: int) -> None:
    pieces, _ = paragraph_pieces(p)
    for piece in pieces:
        if piece.start < offset < piece.end:
            split_run(piece.run, offset - piece.start)
            return


def split_run(r: Any, at: int) -> Any:
    """Split run ``r`` after its first ``at`` characters: what follows moves to a new run placed
    right after it, with a copy of its formatting. Content is moved, not copied, so a picture or
    text box stays the same element (and a footnote mark stays one mark)."""
    from copy import deepcopy

    from docx.oxml.parser import OxmlElement

    right = OxmlElement("w:r", attrs=dict(r.attrib))
    properties = r.find(w("rPr"))
    if properties is not None:
        right.append(deepcopy(properties))
    position = 0
    for child, text in run_items(r):
        start, end = position, position + len(text)
        position = end
        if start < at < end:  # the w:t the split falls in: its tail goes to the new run
            tail = OxmlElement("w:t")
            tail.text, child.text = child.text[at - start :], child.text[: at - start]
            for part in (child, tail):
                part.set(XML_SPACE, "preserve")
            right.append(tail)
        elif start >= at:
            right.append(child)  # lxml moves the element
    r.addnext(right)
    return right


def note_mark(document: Any, paragraph: WordParagraph) -> Any:
    """The run in the body holding the footnote or endnote mark of ``paragraph``'s note."""
    for reference in document.element.body.iter(w(f"{paragraph.story}Reference")):
        if reference.get(w("id")) == paragraph.note_id:
            return reference.getparent()
    return None
