"""Accuracy on the labeled corpus (tests/corpus): every claim rule must keep precision 0.90 and
recall 0.85. Run `python bench/accuracy.py` for the full table and the misclassified passages."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from accuracy import load_corpus, predict, score  # noqa: E402

PRECISION_FLOOR = 0.90
RECALL_FLOOR = 0.85
RECALL_FLOORS = dict.fromkeys(
    ["unhedged-safety-claim", "natural-means-safe", "missing-citation", "opioid-substitution", "unhedged-efficacy-claim"],
    RECALL_FLOOR,
)


@pytest.fixture(scope="module")
def scores(ruleset):
    passages = load_corpus()
    rules = [r for r in ruleset.rules if r.info.id in RECALL_FLOORS]
    return score(passages, predict(passages, rules), list(RECALL_FLOORS))


def test_corpus_has_the_size_and_mix_the_guide_promises():
    passages = load_corpus()
    assert len(passages) >= 500
    assert sum(1 for p in passages if not p.labels) >= 200
    assert len({p.id for p in passages}) == len(passages)


@pytest.mark.parametrize("rule", list(RECALL_FLOORS))
def test_rule_precision_and_recall_stay_above_floor(scores, rule):
    s = scores[rule]
    assert s.precision >= PRECISION_FLOOR, f"{rule}: precision {s.precision:.3f} (TP {s.tp}, FP {s.fp})"
    assert s.recall >= RECALL_FLOORS[rule], f"{rule}: recall {s.recall:.3f} (TP {s.tp}, FN {s.fn})"
