"""The metric kind: document measures with a threshold. The measures are coded here;
their targets, messages and audiences come from the rule's YAML ``options``."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from healthlint.kinds.base import Kind, RuleInfo
from healthlint.model import Finding
from healthlint.parse import ProseBlock
from healthlint.parse.prose import PROSE_KINDS, sentence_text
from healthlint.yamlfile import DataError, LineDict

# The keys a metric rule may have besides COMMON_KEYS.
RULE_KEYS = frozenset({"metric", "options", "message", "suggestion"})


@dataclass(frozen=True)
class _Hard:
    block: ProseBlock
    grade: float
    words_per_sentence: float
    long_word_share: float
    line: int


class ReadingLevelRule:
    """Flags a document whose grade level is above the audience's target."""

    # Options a configuration file may set: name -> (attribute, type).
    OPTIONS = {
        "audience": ("audience", str),
        "min_words": ("min_words", int),
        "far_above": ("far_above", (int, float)),
        "hardest_paragraphs": ("show", int),
    }

    def __init__(self, info: RuleInfo, options: Mapping, message: str, suggestion: str) -> None:
        self.info = info
        self.audiences: dict[str, float | None] = dict(options["audiences"])
        self.audience = str(options["audience"])
        self.min_words = int(options["min_words"])
        self.long_sentence = int(options["long_sentence_words"])
        self.show = int(options["hardest_paragraphs"])
        self.far_above = float(options["far_above"])
        self.paragraph_message = str(options["paragraph_message"])
        self.message = message
        self.suggestion = suggestion

    @property
    def target(self) -> float | None:
        return self.audiences.get(self.audience)

    def aimed_at(self, audience: str | None = None, grade: float | None = None) -> "ReadingLevelRule":
        """The same rule aimed at another audience (``--audience``), and/or with the grade its
        audience is aimed at changed (a configuration's ``grade-target``). The rule itself when
        nothing changes; ValueError for an audience its file does not name."""
        audience = self.audience if audience is None else audience
        if audience != self.audience and audience not in self.audiences:
            raise ValueError(f"'{audience}' is not one of {', '.join(self.audiences)}")
        if audience == self.audience and grade is None:
            return self
        changed = copy.copy(self)
        changed.audience = audience
        if grade is not None:
            changed.audiences = {**self.audiences, audience: float(grade)}
        return changed

    def option_choices(self, option: str) -> tuple[str, ...] | None:
        """The values a configuration may give an option, when only some will do: the audiences
        this rule's file names. None: any value of the option's type."""
        return tuple(self.audiences) if option == "audience" else None

    def check(self, doc) -> Iterator[Finding]:
        from healthlint.readability import Scores, count, joined

        target = self.target
        if target is None:
            return
        # Each prose block counted once; the document's counts are theirs added up, the same
        # as textstat's on prose_text(doc.blocks) (healthlint.readability.Counts).
        counts = [count(sentence_text(b)) if b.kind in PROSE_KINDS else None for b in doc.blocks]
        whole = joined([c for c in counts if c is not None])
        if not whole.characters:  # prose_text(doc.blocks) is empty
            return
        overall = Scores.of(whole)
        if overall.words < self.min_words or overall.flesch_kincaid_grade <= target:
            return
        hard = self._hardest(doc, target, counts)
        first = next((b for b in doc.blocks if b.kind in PROSE_KINDS), None)
        if first is None:
            return
        worst = hard[0] if hard else None
        places = {id(b): i for i, b in enumerate(doc.blocks)}  # by identity: equal cells are different blocks
        reasons = "; ".join(self._reason(h) for h in hard[: self.show]) or "no single paragraph stands out"
        values = {
            "grade": f"{overall.flesch_kincaid_grade:.1f}",
            "smog": f"{overall.smog:.1f}",
            "target": f"{target:g}",
            "audience": self.audience,
            "hardest": reasons,
            "sentence_words": f"{overall.words_per_sentence:.0f}",
            "long_words": f"{overall.long_word_share:.0%}",
            **self._longest(doc, worst.block if worst else first, places),
        }
        # The document as a whole: reported at its first paragraph.
        from dataclasses import replace

        yield replace(self._finding(doc, first, self.message, self.suggestion, values), key="document")
        # Each paragraph far above the target, with its own reasons.
        for h in hard:
            if h.grade >= target + self.far_above:
                para = {**values, "grade": f"{h.grade:.1f}", "reasons": self._reason(h, with_line=False), **self._longest(doc, h.block, places)}
                yield self._finding(doc, h.block, self.paragraph_message, self.suggestion, para)

    def _finding(self, doc, block, message: str, suggestion: str, values: dict) -> Finding:
        return doc.finding(
            block,
            0,
            len(block.text),
            rule=self.info.id,
            severity=self.info.severity,
            message=message.format(**values),
            suggestion=suggestion.format(**values),
        )

    @staticmethod
    def _reason(h: "_Hard", with_line: bool = True) -> str:
        where = f"line {h.line} (grade {h.grade:.1f}: " if with_line else "("
        return f"{where}{h.words_per_sentence:.0f} words a sentence, {h.long_word_share:.0%} long words)"

    @staticmethod
    def _longest(doc, block, places: dict[int, int]) -> dict:
        longest = max(doc.sentences[places[id(block)]], key=lambda s: len(s.text.split()))
        return {
            "longest_start": " ".join(longest.text.split()[:6]) + " ...",
            "longest_words": str(len(longest.text.split())),
            "line": str(doc.source.position(block.offsets[0]).line),
        }

    def _hardest(self, doc, target: float, counts: list) -> list[_Hard]:
        """Paragraphs above target, hardest first, from each block's counts (None for a block
        that is not prose). Ranked by grade alone; the details that the message reports are
        worked out only for the few it names."""
        from healthlint.readability import Scores

        graded = []
        for block, block_counts in zip(doc.blocks, counts):
            if block_counts is not None and block_counts.tokens >= 20:  # len(block.text.split()) >= 20
                value = block_counts.flesch_kincaid_grade
                if value > target:
                    graded.append((value, block, block_counts))
        graded.sort(key=lambda graded_block: -graded_block[0])
        hardest = []
        for value, block, block_counts in graded[: max(1, self.show)]:
            s = Scores.of(block_counts, with_smog=False)
            line = doc.source.position(block.offsets[0]).line
            hardest.append(_Hard(block, value, s.words_per_sentence, s.long_word_share, line))
        return hardest


_SENTENCE_WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024f][\w'\u2019-]*")


class LongSentenceRule:
    """Flags sentences over a word limit, with a rewrite that splits them."""

    OPTIONS = {"max_words": ("max_words", int)}

    def __init__(self, info: RuleInfo, options: Mapping, message: str, suggestion: str) -> None:
        self.info = info
        self.max_words = int(options["max_words"])
        self.message = message
        self.suggestion = suggestion

    def check(self, doc) -> Iterator[Finding]:
        from healthlint.splitting import propose_split

        for b, block in enumerate(doc.blocks):
            if block.kind not in PROSE_KINDS:
                continue
            for sentence in doc.sentences[b]:
                # Words are at least one character apart, so n words need 2n - 1 characters: a
                # shorter sentence cannot be over the limit, and its words need not be counted.
                if len(sentence.text) <= 2 * self.max_words:
                    continue
                words = len(_SENTENCE_WORD.findall(sentence.text))
                if words <= self.max_words:
                    continue
                split = propose_split(sentence.text)
                rewrite = f'Split it: "{split.text}"' if split else "Split it into shorter sentences, one idea each."
                values = {"words": words, "max_words": self.max_words, "rewrite": rewrite}
                yield doc.finding(
                    block,
                    sentence.start,
                    sentence.end,
                    rule=self.info.id,
                    severity=self.info.severity,
                    message=self.message.format(**values),
                    suggestion=self.suggestion.format(**values),
                    replacement=split.text if split else None,
                    applicability="unsafe",
                    fix_description="Split the sentence in two",
                )


METRICS = {
    "reading-level": (
        ReadingLevelRule,
        {
            "audience": str,
            "audiences": dict,
            "min_words": int,
            "long_sentence_words": int,
            "hardest_paragraphs": int,
            "far_above": (int, float),
            "paragraph_message": str,
        },
    ),
    "long-sentence": (LongSentenceRule, {"max_words": int}),
}


def build_metric_rule(info: RuleInfo, data: LineDict, lexicons: Mapping, path: str):
    metric = data.get("metric", info.id)
    if metric not in METRICS:
        raise DataError(path, data.line_of("metric"), f"unknown metric '{metric}'; known: {', '.join(METRICS)}")
    rule_class, option_types = METRICS[metric]
    options = data.get("options") or {}
    for key, value in options.items():
        expected = option_types.get(key)
        if expected is None:
            raise DataError(path, options.line_of(key), f"unknown option '{key}'; known: {', '.join(option_types)}")
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
            names = " or ".join(t.__name__ for t in (expected if isinstance(expected, tuple) else (expected,)))
            raise DataError(path, options.line_of(key), f"option '{key}' must be a {names}")
    missing = set(option_types) - set(options)
    if missing:
        raise DataError(path, data.line_of("options") if "options" in data else data.line, f"missing option '{sorted(missing)[0]}'")
    if "audience" in option_types and options["audience"] not in options["audiences"]:
        raise DataError(path, options.line_of("audience"), f"audience '{options['audience']}' is not one of the 'audiences'")
    for key in ("message", "suggestion"):
        if not isinstance(data.get(key), str):
            raise DataError(path, data.line, f"a metric rule needs a '{key}'")
    return rule_class(info, options, data["message"], data["suggestion"])


METRIC_KIND = Kind(build_metric_rule, RULE_KEYS)
