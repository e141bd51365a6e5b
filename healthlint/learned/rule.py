"""The model as a rule: it scores each health-related sentence for the claim rules that run,
and flags a sentence whose score reaches the rule's threshold, unless the engine's context
cues clear it (judged at the sentence's word that most favours the claim, as a pattern's
claim words are). A finding keeps the claim rule's id, severity, message and suggestion, and
says it comes from the model with its score (Finding.model_score).

Its id is ``model``: off by default, on with ``--model`` or ``model: true``. Where a claim rule
itself flags the same words, its finding stands and the model's is dropped (engine.lint_source).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from healthlint.kinds.base import RuleInfo
from healthlint.model import Finding, Severity

MODEL_RULE_ID = "model"

INFO = RuleInfo(
    id=MODEL_RULE_ID,
    kind="model",
    severity=Severity.WARNING,
    summary="A learned second opinion for the claim rules: flags claims worded in ways their word lists do not foresee.",
    description=(
        "A linear classifier over the words and word pieces of each health-related sentence scores it for "
        "unhedged-safety-claim, natural-means-safe, missing-citation, opioid-substitution and "
        "unhedged-efficacy-claim. A sentence whose score reaches the rule's threshold is flagged under that "
        "rule's id, with its message and suggestion, and the score (\"model 0.87\"). The engine's context "
        "cues still clear it: negated, hedged, cited, a question, reported or debunked. Where a claim rule "
        "flags the same words itself, only the rule's finding is shown."
    ),
    why=(
        "Word patterns are precise but foresee only the wordings someone wrote down; promotional copy words "
        "its claims in endless ways (\"kills viruses on contact\", \"a viable and effective recourse\")."
    ),
    better="Read the finding as the claim rule's: the same rewrite applies. A score near the threshold is the model's least certain call.",
    source="built-in (plugin model: healthlint[model])",
    enabled=False,
)


@dataclass(frozen=True)
class Hit:
    """One sentence the model flags for one rule."""

    block: int
    sentence: int
    rule: str
    score: float
    claim: tuple[int, int]  # the strongest word, as offsets into the sentence


def hits(doc, weights, unless: Mapping[str, frozenset[str]], thresholds: Mapping[str, float]) -> Iterator[Hit]:
    """Every (sentence, rule) of the document scoring at least the rule's threshold and not
    cleared by context. Rules missing from ``thresholds`` are not scored."""
    from healthlint.learned.screen import is_health_related

    wanted = [(r, rule, thresholds[rule]) for r, rule in enumerate(weights.rules) if rule in thresholds]
    if not wanted:
        return
    screened = [(b, s) for b in range(len(doc.blocks)) for s, sentence in enumerate(doc.sentences[b]) if is_health_related(sentence.text)]
    # One numpy pass per SCORED_AT_ONCE sentences: per-sentence numpy calls cost more than the sums.
    for start in range(0, len(screened), SCORED_AT_ONCE):
        part = screened[start : start + SCORED_AT_ONCE]
        yield from _judged(doc, weights, unless, wanted, part, weights.scores_many([doc.sentences[b][s].text for b, s in part]))


SCORED_AT_ONCE = 512


def _judged(doc, weights, unless, wanted, where: list[tuple[int, int]], all_scores: list[list[float]]) -> Iterator[Hit]:
    """The hits among scored sentences: at or above the threshold, and not cleared by context."""
    for (b, s), scores in zip(where, all_scores):
        block, sentence = doc.blocks[b], doc.sentences[b][s]
        for r, rule, threshold in wanted:
            if scores[r] < threshold:
                continue
            claim = weights.strongest_word(sentence.text, r)
            if claim is None or block.is_protected(sentence.start + claim[0], sentence.start + claim[1]):
                continue
            if doc.view(b, s).clears(*claim, unless.get(rule, frozenset())):
                continue
            yield Hit(b, s, rule, scores[r], claim)


QUOTE_CHARS = 60


def quote(text: str) -> str:
    """What a model finding's message quotes: the sentence, cut at a word after QUOTE_CHARS."""
    text = " ".join(text.split()).rstrip(".!?")
    if len(text) <= QUOTE_CHARS:
        return text
    cut = text.rfind(" ", 0, QUOTE_CHARS)
    return text[: cut if cut > 0 else QUOTE_CHARS] + " ..."


class ModelRule:
    """The rule ``model``. Its weights load when it first checks a document, so listing rules
    or explaining one never imports numpy."""

    info = INFO
    turn_on = "--model (or model: true in the configuration)"

    def __init__(self, weights_path: str | Path | None = None) -> None:
        self.weights_path = weights_path
        self.claim_rules: dict = {}  # rule id -> the ClaimRule the model seconds (set by alongside)
        self._weights = None

    @property
    def weights(self):
        if self._weights is None:
            from healthlint.learned.weights import load_weights

            self._weights = load_weights(self.weights_path)
        return self._weights

    def with_weights(self, path: str | Path | None) -> "ModelRule":
        """The rule with another weights file (a team's own, from `healthlint train`)."""
        changed = copy.copy(self)
        changed.weights_path, changed._weights = path, None
        return changed

    def explain_sections(self) -> list[tuple[str, str]]:
        """For `healthlint explain model`: what the weights were trained on, their accuracy, and
        how to retrain them (read from the weights file; numpy is needed to read it)."""
        from healthlint.learned.weights import ModelUnavailable

        retrain = (
            "Label your own passages in the format of tests/corpus/*.yaml (see the README: id, text, labels, "
            "and optionally claims quoting each claim's words), then run: healthlint train LABELS... -o "
            "our-model.npz (needs pip install \"healthlint[train]\"), and check with --model --model-weights "
            "our-model.npz or model-weights: our-model.npz in the configuration."
        )
        try:
            meta = self.weights.meta
        except ModelUnavailable as exc:
            return [("Trained on", str(exc)), ("Retrain it", retrain)]
        trained = f"{meta.get('passages')} labeled passages ({meta.get('sentences')} health-related sentences) from: {', '.join(meta.get('trained_on', []))}."
        if meta.get("careful_sentences"):
            trained += f" As making no claim: {meta['careful_sentences']} sentences of careful copy that no claim rule flags ({', '.join(meta.get('careful_copy', []))})."
        rows = []
        for rule, row in meta.get("cv", {}).items():
            if row.get("threshold") is None:
                rows.append(f"{rule}: off (no threshold reached precision {meta.get('target_precision', 0.9):.2f}).")
            else:
                rows.append(f"{rule}: threshold {row['threshold']:.2f}, precision {row['precision']:.2f}, recall {row['recall']:.2f}, F1 {row['f1']:.2f}.")
        accuracy = (
            f"Passage by passage, {meta.get('folds')}-fold cross-validation on the passages above, the model alone:\n\n" + "\n\n".join(rows)
            + "\n\nWith the rules, and on passages kept out of training (the third corpus's held half, scored once): see the README, \"A learned second opinion\"."
        )
        return [("Trained on", trained), ("Measured accuracy", accuracy), ("Retrain it", retrain)]

    def using(self, weights) -> "ModelRule":
        """The rule with weights already in memory (bench/train_model.py, before saving them)."""
        changed = copy.copy(self)
        changed._weights = weights
        return changed

    def alongside(self, rules) -> "ModelRule":
        """The rule seconding those of ``rules`` it has weights for: a claim rule left out of
        the run (--select, --ignore) gets no findings from the model either."""
        changed = copy.copy(self)
        changed.claim_rules = {r.info.id: r for r in rules if hasattr(r, "second_opinion")}
        return changed

    def check(self, doc) -> Iterator[Finding]:
        if not self.claim_rules:  # seconding no rule of this run: nothing to do, nothing to load
            return
        weights = self.weights
        thresholds = {rule: t for rule, t in zip(weights.rules, weights.thresholds) if t is not None and rule in self.claim_rules}
        unless = {rule: self.claim_rules[rule].unless for rule in thresholds}
        for hit in hits(doc, weights, unless, thresholds):
            claim_rule = self.claim_rules[hit.rule]
            block, sentence = doc.blocks[hit.block], doc.sentences[hit.block][hit.sentence]
            start, end = sentence.start, sentence.end
            message, suggestion = claim_rule.second_opinion(doc, hit.block, sentence, start + hit.claim[0], quote(sentence.text))
            finding = doc.finding(block, start, end, rule=hit.rule, severity=claim_rule.info.severity, message=message, suggestion=suggestion)
            yield replace(finding, model_score=round(hit.score, 2))
