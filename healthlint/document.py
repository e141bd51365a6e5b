"""A parsed document ready for rules: blocks, their sentences, and lazily built context."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from healthlint.context import SentenceView, SentenceViews
from healthlint.lazyattr import lazy_attribute
from healthlint.model import Edit, Finding, Fix, Severity
from healthlint.parse import Document, ProseBlock
from healthlint.prefilter import LiteralIndex, Prefilter, fold
from healthlint.sentences import Sentence, split_sentences

_CHUNK_CHARS = 1 << 16  # blocks are joined into runs of about this size for literal search
# The literal scan shared by rules is kept for documents up to this size: its folded text and
# each sentence's set of literals cost about 20 bytes per character of the document.
_SCAN_KEPT_CHARS = 1 << 20


@dataclass(frozen=True)
class SentenceRun:
    """Consecutive blocks' sentences in one case-folded string, so a literal search is one
    call for many short blocks. ``folded`` is None for a block that cannot be folded in place
    (every pattern must run there); it then holds that block alone."""

    folded: str | None
    spans: list[tuple[int, int]]  # each sentence's [start, end) in ``folded``
    sentences: list[tuple[int, int]]  # each sentence's (block index, sentence index)


# A run of sentences with the literals each holds (None: no trigger), or None for the whole run
# when it cannot be folded in place (every pattern must run there).
ScannedRun = tuple[SentenceRun, list[frozenset[str] | None] | None]


class AnalyzedDocument:
    def __init__(self, document: Document, literal_index: LiteralIndex | None = None) -> None:
        self.document = document
        self.source = document.source
        self.blocks: list[ProseBlock] = document.blocks
        self._views: dict[int, SentenceViews] = {}  # by block, built when a rule first asks
        self.literal_index = literal_index  # the rules' literals, found once for all of them
        self._scanned: list[ScannedRun] | None = None
        self._judged: list[tuple[SentenceRun, list[tuple[tuple[int, ...], ...]] | None]] | None = None

    @lazy_attribute
    def sentences(self) -> list[list[Sentence]]:
        return [split_sentences(block.text) for block in self.blocks]

    def sentence_runs(self) -> Iterator[SentenceRun]:
        """Every sentence, in order, in runs of folded text (made afresh on each call, so memory
        stays bounded by the run size, not the document)."""
        parts: list[str] = []
        spans: list[tuple[int, int]] = []
        where: list[tuple[int, int]] = []
        size = 0
        for b, block in enumerate(self.blocks):
            sentences = self.sentences[b]
            if not sentences:
                continue
            folded = fold(block.text)
            if len(folded) != len(block.text):
                if where:
                    yield SentenceRun("\0".join(parts), spans, where)
                    parts, spans, where, size = [], [], [], 0
                yield SentenceRun(None, [(s.start, s.end) for s in sentences], [(b, i) for i in range(len(sentences))])
                continue
            spans += [(size + s.start, size + s.end) for s in sentences]
            where += [(b, i) for i in range(len(sentences))]
            parts.append(folded)
            size += len(folded) + 1  # and the separator
            if size >= _CHUNK_CHARS:
                yield SentenceRun("\0".join(parts), spans, where)
                parts, spans, where, size = [], [], [], 0
        if where:
            yield SentenceRun("\0".join(parts), spans, where)

    def literal_scan(self, prefilter: Prefilter) -> list[ScannedRun] | None:
        """Every sentence run with the literals its sentences hold, found once for every rule
        whose prefilter the document's literal index covers; None for a prefilter it does not
        cover, or in a document too long to keep its scan (each rule then searches a run at a
        time itself, so memory stays bounded by the run)."""
        index = self.literal_index
        if index is None or not index.covers(prefilter) or len(self.source.text) > _SCAN_KEPT_CHARS:
            return None
        if self._scanned is None:
            self._scanned = [(run, None if run.folded is None else index.present(run.folded, run.spans)) for run in self.sentence_runs()]
        return self._scanned

    def candidate_scan(self, prefilter: Prefilter) -> Iterator[tuple[SentenceRun, list[tuple[int, ...]] | None]]:
        """literal_scan() judged: each run with, for each sentence, the patterns of ``prefilter``
        that could match in it (None: every pattern, for a run that cannot be folded in place).
        Every covered prefilter's candidates are judged together, once per document (the caller
        has checked literal_scan() is not None)."""
        if self._judged is None:
            judge_all = self.literal_index.judge_all
            self._judged = [(run, None if present is None else [judge_all(p) for p in present]) for run, present in self.literal_scan(prefilter)]
        slot = self.literal_index.slot(prefilter)
        for run, judged in self._judged:
            yield run, None if judged is None else [found[slot] for found in judged]

    def views(self, block_index: int) -> SentenceViews:
        """The sentence views of one block, made when first asked for."""
        if block_index not in self._views:
            self._views[block_index] = SentenceViews(self.blocks[block_index], self.sentences[block_index])
        return self._views[block_index]

    def view(self, block_index: int, sentence_index: int) -> SentenceView:
        return self.views(block_index).view(sentence_index)

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
        replacement: str | None = None,
        applicability: str = "unsafe",
        replace_span: tuple[int, int] | None = None,
        fix_description: str | None = None,
    ) -> Finding:
        """A finding for the prose slice block.text[start:end], placed exactly in the source.

        ``replacement`` (with ``applicability``) makes a fix that replaces the prose slice
        ``replace_span`` (default: the flagged slice) with that text."""
        src_start, src_end = block.source_span(start, end)
        fix = None
        if replacement is not None:
            fix = self.fix_for(block, replace_span or (start, end), replacement, applicability, fix_description or suggestion or "")
        start_at, end_at = self.source.span_positions(src_start, src_end)
        return Finding(
            path=self.source.path,
            start=start_at,
            end=end_at,
            rule=rule,
            severity=severity,
            message=message,
            suggestion=suggestion,
            text=self.source.text[src_start:src_end],
            span=(src_start, src_end),
            fix=fix,
        )

    def fix_for(self, block: ProseBlock, span: tuple[int, int], replacement: str, applicability: str, description: str) -> Fix | None:
        """A fix replacing a prose slice, or None where the slice is not plain source text
        (markup inside it, or it runs across lines): fixes never touch what they do not flag.
        Nor front matter, whose title and description are checked but are YAML or TOML: a
        rewrite could break its quoting."""
        start, end = span
        src_start, src_end = block.source_span(start, end)
        original = self.source.text[src_start:src_end]
        if original != block.text[start:end] or "\n" in original or src_start < self.front_matter_end:
            return None
        return Fix((Edit(src_start, src_end, replacement),), applicability, description)

    @lazy_attribute
    def front_matter_end(self) -> int:
        """Where the front matter of a Markdown or MDX file ends (0 without one)."""
        from healthlint.parse.frontmatter import front_matter_end

        return front_matter_end(self.source)
