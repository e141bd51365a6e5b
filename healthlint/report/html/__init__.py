"""The HTML report (`healthlint report`): one self-contained page a writer or reviewer opens in a
browser, with the copy itself, each finding highlighted where it stands, filters, and for a
folder an overview. ``documents`` gathers what the page needs; ``page`` writes it."""

from healthlint.report.html.documents import DocumentReport, document_report, document_reports
from healthlint.report.html.page import GENERATOR, is_healthlint_report, render, written_by_healthlint

__all__ = ["DocumentReport", "document_reports", "GENERATOR", "document_report", "is_healthlint_report", "render", "written_by_healthlint"]
