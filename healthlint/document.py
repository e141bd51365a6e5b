"""A parsed document ready for rules: blocks, their sentences, and lazily built context."""

from __future__ import annotations

from functools import cached_property

from healthlint.context import SentenceView
from healthlint.model import Finding, Severity
from healthlint.parse import Document, ProseBlock
from healthlint.sentences import Sentence, split_sentences


class AnalyzedDocument:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.source = document.source
        self.blocks: list[ProseBlock] = document.blocks
        self._views: dict[tuple[int, int], SentenceView] = {}

    @cached_property
    def sentences(self) -> list[list[Sentence]]:
        return [split_sentences(block.text) for block in self.blocks]

    def view(self, block_index: int, sentence_index: int) -> SentenceView:
        key = (block_index, sentence_index)
        if key not in self._views:
            self._views[key] = SentenceView(self.blocks[block_index], self.sentences[block_index], sentence_index)
        return self._views[key]

    def finding(
        self,
        block: ProseBlock,
        start: int,
        end: int,
        *,
        rule: str,
        severity: Severity,
        message: str,
        suggestion: str | None,
    ) -> Finding:
        """A finding for the prose slice block.text[start:end], placed exactly in the source."""
        src_start, src_end = block.source_span(start, end)
        return Finding(
            path=self.source.path,
            start=self.source.position(src_start),
            end=self.source.position(src_end),
            rule=rule,
            severity=severity,
            message=message,
            suggestion=suggestion,
            text=self.source.text[src_start:src_end],
            span=(src_start, src_end),
        )
