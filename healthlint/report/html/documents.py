"""What the page shows of one document: its text, its findings and its reading grades."""

from __future__ import annotations

import re
from dataclasses import dataclass

from healthlint.model import Finding, Severity
from healthlint.readability import SectionGrade


@dataclass(frozen=True)
class DocumentReport:
    path: str  # as the user named it
    text: str  # the decoded source the findings' spans point into
    findings: list[Finding]
    whole: SectionGrade | None  # the document's grade; None without running prose
    sections: list[SectionGrade]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)


def document_report(source, findings: list[Finding]) -> DocumentReport:
    """Parse the source again for its sections' grades (the findings came from a worker or the cache)."""
    from healthlint.document import AnalyzedDocument
    from healthlint.parse import parse
    from healthlint.readability import section_grades

    whole, sections = section_grades(AnalyzedDocument(parse(source)))
    ordered = sorted(findings, key=lambda f: (f.span, f.rule))
    return DocumentReport(source.path, source.text, ordered, whole, sections)


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def utf16_offsets(text: str):
    """A function from offsets in ``text`` (code points, as Python counts) to offsets in the
    browser's strings (UTF-16 units, where an emoji counts two)."""
    astral = [m.start() for m in _ASTRAL.finditer(text)]
    if not astral:
        return lambda offset: offset
    import bisect

    return lambda offset: offset + bisect.bisect_left(astral, offset)
