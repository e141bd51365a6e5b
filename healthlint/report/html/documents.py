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


def _grades(source) -> tuple[SectionGrade | None, list[SectionGrade]]:
    """The document's and its sections' grades, parsing the source again (its findings came
    from a worker or the cache, without the parsed document)."""
    from healthlint.document import AnalyzedDocument
    from healthlint.parse import parse
    from healthlint.readability import section_grades

    return section_grades(AnalyzedDocument(parse(source)))


def document_report(source, findings: list[Finding], grades=None) -> DocumentReport:
    whole, sections = grades if grades is not None else _grades(source)
    ordered = sorted(findings, key=lambda f: (f.span, f.rule))
    return DocumentReport(source.path, source.text, ordered, whole, sections)


_PARALLEL_FROM = 16  # files: fewer are quicker in this process than starting workers


def document_reports(checked: list[tuple[object, list[Finding]]], jobs: int) -> list[DocumentReport]:
    """Each (source, findings) as a DocumentReport, in order. Parsing again for the grades is
    most of a report's own time, so a folder's files are parsed in ``jobs`` processes (forked,
    on Linux; elsewhere here)."""
    import multiprocessing
    import sys

    sources = [source for source, _ in checked]
    grades = None
    if jobs > 1 and len(sources) >= _PARALLEL_FROM and sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        from concurrent.futures import ProcessPoolExecutor

        try:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
                grades = list(pool.map(_grades, sources, chunksize=8))
        except OSError:  # no processes to be had: parse here
            grades = None
    if grades is None:
        grades = [_grades(source) for source in sources]
    return [document_report(source, findings, g) for (source, findings), g in zip(checked, grades)]


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def utf16_offsets(text: str):
    """A function from offsets in ``text`` (code points, as Python counts) to offsets in the
    browser's strings (UTF-16 units, where an emoji counts two)."""
    astral = [m.start() for m in _ASTRAL.finditer(text)]
    if not astral:
        return lambda offset: offset
    import bisect

    return lambda offset: offset + bisect.bisect_left(astral, offset)
