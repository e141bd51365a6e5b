"""Labeled passages -> labeled sentences, the rows the model learns from.

A labels file (the format of tests/corpus/*.yaml) is a YAML list of passages:

    - id: p-001                       # unique within the files given
      text: "Kratom is safe. Ask your doctor first."
      labels: [unhedged-safety-claim] # the claim rules the passage should be flagged for ([]: none)
      claims:                         # optional: each claim's words, exactly as in the text
        - {rule: unhedged-safety-claim, text: Kratom is safe}

A sentence is a positive for a rule when one of the passage's claims for that rule overlaps it,
or when the passage has one health-related sentence and that rule's label. It is a negative for
every rule the passage is not labeled with. A labeled passage of several sentences with no
claims listed says which passage, not which sentence: its sentences teach nothing about that rule.

Careful copy (``negatives``: files a health editor would pass, such as NIH pages) adds weak
negatives: each of its health-related sentences that no claim rule flags is a negative for
every rule. Labeled passages are short; without long careful pages the model learns that a
long, dense health sentence is a claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from healthlint.yamlfile import DataError


@dataclass(frozen=True)
class Passage:
    id: str
    text: str
    labels: frozenset[str]
    claims: tuple[tuple[str, str], ...] = ()  # (rule, the claim's words as in the text)


@dataclass(frozen=True)
class LabeledSentence:
    passage: str
    text: str
    labels: tuple[int | None, ...]  # per rule: 1 claim, 0 none, None unknown


def load_passages(paths: list[Path]) -> list[Passage]:
    """Every passage in the files (or in the .yaml files of the folders) given, in order."""
    import yaml

    files: list[Path] = []
    for path in map(Path, paths):
        files.extend(sorted(path.glob("*.yaml")) if path.is_dir() else [path])
    passages: list[Passage] = []
    for path in files:
        try:
            items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise DataError(path, None, f"could not be read as a labels file: {exc}") from None
        if not isinstance(items, list):
            raise DataError(path, None, "a labels file is a list of passages, each with 'id', 'text' and 'labels'")
        seen: set[str] = set()
        for n, item in enumerate(items, 1):
            if not isinstance(item, dict) or not isinstance(item.get("text"), str) or "id" not in item:
                raise DataError(path, None, f"passage {n} needs an 'id' and a 'text'")
            pid = str(item["id"])
            if pid in seen:
                raise DataError(path, None, f"passage id '{pid}' is given twice in this file")
            seen.add(pid)
            claims = item.get("claims") or []
            if not isinstance(claims, list) or not all(isinstance(c, dict) and "rule" in c and "text" in c for c in claims):
                raise DataError(path, None, f"passage '{pid}': each claim is {{rule: RULE, text: the claim's words}}")
            labels = item.get("labels") or []
            if not isinstance(labels, list):
                raise DataError(path, None, f"passage '{pid}': 'labels' is a list of rule ids")
            passages.append(Passage(f"{path}:{pid}", str(item["text"]).strip(), frozenset(map(str, labels)), tuple((str(c["rule"]), str(c["text"])) for c in claims)))
    return passages


def passage_document(passage: Passage):
    """The passage as the engine reads it: Markdown, as bench/accuracy.py lints passages."""
    from healthlint.document import AnalyzedDocument
    from healthlint.parse import parse
    from healthlint.source import from_text

    return AnalyzedDocument(parse(from_text(passage.text, f"{passage.id}.md", True)))


def sentence_rows(passage: Passage, rules: tuple[str, ...]) -> list[LabeledSentence]:
    """The passage's health-related sentences, each labeled for every rule."""
    from healthlint.learned.screen import is_health_related

    doc = passage_document(passage)
    found = []  # (sentence text, its [start, end) in the passage text or None)
    cursor = 0
    for b, block in enumerate(doc.blocks):
        for sentence in doc.sentences[b]:
            if not is_health_related(sentence.text):
                continue
            at = passage.text.find(sentence.text, cursor)
            if at >= 0:
                cursor = at + len(sentence.text)
            found.append((sentence.text, (at, at + len(sentence.text)) if at >= 0 else None))
    claim_spans: dict[str, list[tuple[int, int]]] = {}
    for rule, words in passage.claims:
        at = passage.text.find(words)
        if at >= 0:
            claim_spans.setdefault(rule, []).append((at, at + len(words)))
    rows = []
    for text, span in found:
        labels: list[int | None] = []
        for rule in rules:
            if rule not in passage.labels:
                labels.append(0)
            elif rule in claim_spans:
                labels.append(None if span is None else int(any(s < span[1] and span[0] < e for s, e in claim_spans[rule])))
            else:
                labels.append(1 if len(found) == 1 else None)
        rows.append(LabeledSentence(passage.id, text, tuple(labels)))
    return rows


def careful_rows(paths: list[Path], rules: tuple[str, ...], claim_rules: list) -> list[LabeledSentence]:
    """Weak negatives from careful copy: every health-related sentence of the files (or of the
    Markdown, text and HTML files under the folders) that ``claim_rules`` do not flag."""
    from healthlint.document import AnalyzedDocument
    from healthlint.engine import lint_source
    from healthlint.learned.screen import is_health_related
    from healthlint.parse import parse
    from healthlint.source import read_source

    files: list[Path] = []
    for path in map(Path, paths):
        files.extend(sorted(p for p in path.rglob("*") if p.suffix in (".md", ".txt", ".html")) if path.is_dir() else [path])
    rows = []
    for path in files:
        source = read_source(path)
        flagged = [f.span for f in lint_source(source, claim_rules).findings]
        doc = AnalyzedDocument(parse(source))
        for b, block in enumerate(doc.blocks):
            for sentence in doc.sentences[b]:
                if not is_health_related(sentence.text):
                    continue
                start, end = block.source_span(sentence.start, sentence.end)
                if any(s < end and start < e for s, e in flagged):
                    continue
                rows.append(LabeledSentence(str(path), sentence.text, (0,) * len(rules)))
    return rows
