"""The blind corpora (tests/corpus-fresh, -third, -fourth): each split was drawn from the ids
before labelling and is never redrawn; every passage has a half; the halves, once merged, hold
exactly the writers' passages. (Their scores are not tested here: locked halves are scored once,
by hand.)"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import fresh_corpus  # noqa: E402
from fresh_corpus import CORPORA, Written, draw_split, kappa, load_written  # noqa: E402

BLIND = pytest.mark.parametrize("corpus", list(CORPORA.values()), ids=list(CORPORA))


@BLIND
def test_every_written_passage_has_a_half_and_the_halves_are_even_per_file(corpus):
    passages = load_written(corpus.unlabeled)
    halves = yaml.safe_load(corpus.split_file.read_text(encoding="utf-8"))
    assert passages, corpus.unlabeled
    assert {p.id for p in passages} <= set(halves), "run `python bench/fresh_corpus.py split` for new passages"
    first, second = corpus.halves
    for name in {p.file for p in passages}:
        counts = Counter(halves[p.id] for p in passages if p.file == name)
        assert abs(counts[first] - counts[second]) <= 1, (name, counts)


@BLIND
def test_the_split_comes_from_the_ids_alone(corpus):
    # Redrawing from the ids gives the recorded halves: nobody chose which passage went where.
    passages = load_written(corpus.unlabeled)
    halves = yaml.safe_load(corpus.split_file.read_text(encoding="utf-8"))
    drawn = draw_split(passages, corpus.halves)
    assert all(halves[pid] == half for pid, half in drawn.items())


def test_draw_split_alternates_in_hash_order_within_each_file():
    passages = [Written(f"x-{n:03}", "", "", "text", "x.yaml") for n in range(10)] + [Written("y-001", "", "", "text", "y.yaml")]
    halves = draw_split(passages)
    assert Counter(h for pid, h in halves.items() if pid.startswith("x-")) == {"dev": 5, "locked": 5}
    assert halves["y-001"] == "dev"  # the first of its file
    assert draw_split(list(reversed(passages))) == halves  # the order of writing does not matter


def test_kappa():
    assert kappa(10, 0, 0, 10) == 1.0
    assert kappa(5, 5, 5, 5) == 0.0
    assert kappa(20, 2, 3, 75) == pytest.approx(0.857, abs=0.001)


@BLIND
def test_the_merged_halves_hold_exactly_the_written_passages(corpus):
    if not (corpus.labels / "final.yaml").exists():
        pytest.skip(f"{corpus.name}: written and split, not labelled yet (no {corpus.labels.name}/final.yaml)")
    halves = yaml.safe_load(corpus.split_file.read_text(encoding="utf-8"))
    written = {p.id: p for p in load_written(corpus.unlabeled)}
    seen = {}
    for half in corpus.halves:
        for path in sorted((corpus.folder / half).glob("*.yaml")):
            for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
                seen[item["id"]] = half
                assert item["text"].strip() == written[item["id"]].text
                assert set(item["labels"]) <= set(fresh_corpus.CLAIM_RULES)
                assert {c["rule"] for c in item.get("claims", [])} <= set(item["labels"])
                assert all(c["text"] in item["text"] for c in item.get("claims", [])), item["id"]  # quoted exactly
    assert seen == {pid: halves[pid] for pid in written}
