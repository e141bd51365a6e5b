"""Train the learned claim model: labeled passages -> a weights file (``healthlint train``).

    healthlint train tests/corpus tests/corpus-fresh/dev ... -o healthlint/data/claim-model.npz

Seeded and reproducible: the same passages, seed and settings give the same weights. Steps:
  1. each passage's health-related sentences, labeled per rule (healthlint.learned.labels);
  2. k-fold cross-validation by passage (a passage's sentences stay in one fold): a logistic
     regression per rule on the other folds, then the held-out passages linted with it through
     the same path a run takes (screen, score, context cues), so each passage gets the model's
     out-of-fold score for each rule: its highest uncleared sentence score;
  3. per rule, the lowest threshold whose cross-validated passage precision reaches the target
     (0.90) with at least MIN_HITS passages caught; a rule where none does gets no threshold,
     and the model never flags it;
  4. the final model fitted on every passage, saved with its thresholds and CV numbers.

Needs scikit-learn (training only: ``pip install "healthlint[train]"``); running the model
needs only numpy.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from healthlint.learned.features import DEFAULT_BITS, indices
from healthlint.learned.labels import Passage, careful_rows, load_passages, passage_document, sentence_rows

CLAIM_RULES = ("unhedged-safety-claim", "natural-means-safe", "missing-citation", "opioid-substitution", "unhedged-efficacy-claim")
DEFAULT_C = 8.0
MIN_HITS = 3  # a threshold must catch at least this many passages in cross-validation


class TrainingUnavailable(Exception):
    """scikit-learn (or numpy) is not installed; the message names the install command."""


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"precision": round(self.precision, 3), "recall": round(self.recall, 3), "f1": round(self.f1, 3), "tp": self.tp, "fp": self.fp, "fn": self.fn}


def _libraries():
    try:
        import numpy as np
        import scipy.sparse as sparse
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        raise TrainingUnavailable('training the model needs scikit-learn; install it with: pip install "healthlint[train]"') from None
    return np, sparse, LogisticRegression


def feature_matrix(texts: Sequence[str], bits: int):
    """Rows of hashed features, each present bucket 1/sqrt(count) (as Weights.scores_of reads them)."""
    np, sparse, _ = _libraries()
    data, cols, ptr = [], [], [0]
    for text in texts:
        found = indices(text, bits)
        cols.extend(found)
        data.extend([1.0 / len(found) ** 0.5] * len(found) if found else [])
        ptr.append(len(cols))
    return sparse.csr_matrix((np.array(data, dtype=np.float64), np.array(cols, dtype=np.int64), np.array(ptr, dtype=np.int64)), shape=(len(texts), 1 << bits))


def fit(rows, rules: Sequence[str], bits: int, c: float, seed: int):
    """A logistic regression per rule on the rows that are labeled for it: (matrix, bias)."""
    np, _, LogisticRegression = _libraries()
    x = feature_matrix([r.text for r in rows], bits)
    matrix = np.zeros((1 << bits, len(rules)), dtype=np.float32)
    bias = np.full(len(rules), -10.0, dtype=np.float32)  # a rule without both classes never fires
    for k in range(len(rules)):
        keep = [i for i, r in enumerate(rows) if r.labels[k] is not None]
        y = np.array([rows[i].labels[k] for i in keep])
        if len(set(y.tolist())) < 2:
            continue
        model = LogisticRegression(C=c, solver="liblinear", random_state=seed, max_iter=1000)
        model.fit(x[keep], y)
        matrix[:, k] = model.coef_[0]
        bias[k] = model.intercept_[0]
    return matrix, bias


def passage_scores(passage: Passage, weights, unless) -> dict[str, float]:
    """A passage's score per rule: its highest sentence score that context does not clear
    (0 when every sentence is cleared or none is health-related)."""
    from healthlint.learned.rule import hits

    best = {rule: 0.0 for rule in weights.rules}
    for hit in hits(passage_document(passage), weights, unless, {rule: 0.0 for rule in weights.rules}):
        best[hit.rule] = max(best[hit.rule], hit.score)
    return best


def folds_of(passages: Sequence[Passage], k: int, seed: int) -> list[int]:
    """Each passage's fold, drawn with ``seed``."""
    order = list(range(len(passages)))
    random.Random(seed).shuffle(order)
    fold = [0] * len(passages)
    for n, i in enumerate(order):
        fold[i] = n % k
    return fold


def pick_threshold(scores: Sequence[float], wanted: Sequence[bool], target: float) -> float | None:
    """The lowest threshold whose passages at or above it have precision >= target (and at
    least MIN_HITS true ones); None if no threshold does."""
    pairs = sorted(zip(scores, wanted), key=lambda p: -p[0])
    tp = fp = 0
    best = None
    for n, (score, good) in enumerate(pairs):
        tp += good
        fp += not good
        last_of_score = n + 1 == len(pairs) or pairs[n + 1][0] < score
        if last_of_score and score > 0 and tp >= MIN_HITS and tp / (tp + fp) >= target:
            best = score
    return best


def counts_at(scores, wanted, threshold: float | None) -> Counts:
    out = Counts()
    for score, good in zip(scores, wanted):
        flagged = threshold is not None and score >= threshold
        out.tp += flagged and good
        out.fp += flagged and not good
        out.fn += (not flagged) and good
    return out


def careful_negatives(paths: Sequence[Path]) -> list:
    """Weak negatives from careful copy (labels.careful_rows), judged against the built-in claim rules."""
    if not paths:
        return []
    from healthlint.ruleset import load_rules

    ruleset = load_rules(plugins=False)
    return careful_rows(list(paths), CLAIM_RULES, [r for r in ruleset.rules if r.info.id in CLAIM_RULES])


def default_unless() -> dict[str, frozenset[str]]:
    """Each claim rule's own context flags, from the built-in rules."""
    from healthlint.ruleset import load_rules

    ruleset = load_rules(plugins=False)
    return {rule: getattr(ruleset.get(rule), "unless", frozenset()) for rule in CLAIM_RULES if ruleset.get(rule)}


@dataclass
class CrossValidation:
    """Out-of-fold passage scores, the thresholds picked from them, and the counts at those."""

    passages: list[Passage]
    scores: list[dict[str, float]]  # per passage: its out-of-fold score for each rule
    thresholds: list[float | None]  # per rule, in CLAIM_RULES order
    report: dict[str, dict]  # per rule: threshold, precision, recall, F1, TP, FP, FN


def cross_validate(
    passages: Sequence[Passage],
    *,
    folds: int = 5,
    seed: int = 0,
    c: float = DEFAULT_C,
    bits: int = DEFAULT_BITS,
    target: float = 0.90,
    say: Callable[[str], None] = print,
    extra_rows: Sequence = (),
) -> tuple[CrossValidation, list]:
    """k-fold cross-validation by passage; also returns every passage's labeled sentences.
    ``extra_rows`` (weak negatives from careful copy) join every fold's training rows; only
    labeled passages are scored."""
    from healthlint.learned.weights import Weights

    rules = CLAIM_RULES
    unless = default_unless()
    rows_of = [sentence_rows(p, rules) for p in passages]
    k_folds = folds if len(passages) >= folds else 1
    fold = folds_of(passages, k_folds, seed)
    oof = [dict.fromkeys(rules, 0.0) for _ in passages]
    for f in range(k_folds):
        train_rows = [r for i, rows in enumerate(rows_of) if fold[i] != f or k_folds == 1 for r in rows]
        matrix, bias = fit(train_rows + list(extra_rows), rules, bits, c, seed)
        weights = Weights(rules, (0.0,) * len(rules), bits, matrix, bias)
        for i, p in enumerate(passages):
            if fold[i] == f:
                oof[i] = passage_scores(p, weights, unless)
        say(f"fold {f + 1}/{k_folds} done")
    thresholds: list[float | None] = []
    report = {}
    for rule in rules:
        scores = [o[rule] for o in oof]
        wanted = [rule in p.labels for p in passages]
        t = pick_threshold(scores, wanted, target)
        thresholds.append(None if t is None else float(t))  # unrounded: rounding down would let in passages below it
        report[rule] = {"threshold": thresholds[-1], **counts_at(scores, wanted, thresholds[-1]).as_dict()}
    return CrossValidation(list(passages), oof, thresholds, report), rows_of


def train(
    paths: Sequence[Path],
    output: Path,
    *,
    folds: int = 5,
    seed: int = 0,
    c: float = DEFAULT_C,
    bits: int = DEFAULT_BITS,
    target: float = 0.90,
    say: Callable[[str], None] = print,
    careful: Sequence[Path] = (),
) -> dict:
    """Cross-validate, pick thresholds, fit on every passage (and the careful copy's sentences,
    as negatives) and save. Returns the saved metadata."""
    from healthlint.learned.weights import save_weights

    _libraries()
    passages = load_passages(list(paths))
    if not passages:
        raise ValueError("no labeled passages found in the files given")
    negatives = careful_negatives(careful)
    cv, rows_of = cross_validate(passages, folds=folds, seed=seed, c=c, bits=bits, target=target, say=say, extra_rows=negatives)
    matrix, bias = fit([r for rows in rows_of for r in rows] + negatives, CLAIM_RULES, bits, c, seed)
    meta = {
        "trained_on": [str(p) for p in paths],
        "careful_copy": [str(p) for p in careful],
        "careful_sentences": len(negatives),
        "passages": len(passages),
        "sentences": sum(len(rows) for rows in rows_of),
        "seed": seed,
        "folds": folds if len(passages) >= folds else 1,
        "c": c,
        "target_precision": target,
        "cv": cv.report,
    }
    save_weights(Path(output), CLAIM_RULES, cv.thresholds, bits, matrix, bias, meta)
    return meta
