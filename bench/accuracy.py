"""Precision and recall of every claim rule on the labeled corpus (tests/corpus/*.yaml),
and false-alarm rates on reputable NIH copy (../shared/corpus/nih).

    python bench/accuracy.py            # table, then the misclassified passages
    python bench/accuracy.py --nih      # also flags per 10,000 words on the NIH corpus
    python bench/accuracy.py --quiet    # table only
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from healthlint.engine import lint_source  # noqa: E402
from healthlint.ruleset import load_rules  # noqa: E402
from healthlint.source import from_text, read_source  # noqa: E402

import yaml  # noqa: E402

CORPUS = REPO / "tests" / "corpus"
NIH = REPO.parent / "shared" / "corpus" / "nih"
CLAIM_RULES = (
    "unhedged-safety-claim",
    "natural-means-safe",
    "missing-citation",
    "opioid-substitution",
    "unhedged-efficacy-claim",
)


@dataclass
class Passage:
    id: str
    text: str
    labels: frozenset[str]
    file: str


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

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


def load_corpus(folder: Path = CORPUS) -> list[Passage]:
    passages = []
    for path in sorted(folder.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            passages.append(Passage(str(item["id"]), str(item["text"]).strip(), frozenset(item.get("labels") or []), path.name))
    return passages


def predict(passages: list[Passage], rules) -> dict[str, dict[str, list]]:
    """passage id -> rule id -> findings. Passages are linted as Markdown, one paragraph each."""
    out = {}
    for p in passages:
        findings = lint_source(from_text(p.text, f"{p.id}.md", True), rules).findings
        by_rule = defaultdict(list)
        for f in findings:
            by_rule[f.rule].append(f)
        out[p.id] = by_rule
    return out


def score(passages: list[Passage], predictions, rule_ids) -> dict[str, Score]:
    scores = {r: Score() for r in rule_ids}
    for p in passages:
        for r in rule_ids:
            flagged, wanted = bool(predictions[p.id].get(r)), r in p.labels
            s = scores[r]
            if flagged and wanted:
                s.tp += 1
            elif flagged:
                s.fp += 1
            elif wanted:
                s.fn += 1
            else:
                s.tn += 1
    return scores


def table(scores: dict[str, Score]) -> str:
    rows = ["| rule | precision | recall | F1 | TP | FP | FN |", "|---|---|---|---|---|---|---|"]
    for r, s in scores.items():
        rows.append(f"| `{r}` | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.tp} | {s.fp} | {s.fn} |")
    return "\n".join(rows)


def misclassified(passages, predictions, rule_ids) -> str:
    lines = []
    for p in passages:
        for r in rule_ids:
            flagged = predictions[p.id].get(r, [])
            if bool(flagged) != (r in p.labels):
                kind = "FALSE ALARM" if flagged else "MISSED"
                what = "; ".join(repr(f.text) for f in flagged)
                lines.append(f"{kind:11} {r:24} {p.id:8} {what}\n            {p.text[:300]}")
    return "\n".join(lines)


def nih_rates(rules, folder: Path = NIH) -> tuple[str, list[str]]:
    words = 0
    counts: Counter = Counter()
    samples: list[str] = []
    start = time.perf_counter()
    for path in sorted(folder.rglob("*.md")):
        source = read_source(path)
        words += len(source.text.split())
        for f in lint_source(source, rules).findings:
            counts[f.rule] += 1
            samples.append(f"{f.rule:24} {path.relative_to(folder)}:{f.start.line}: {f.text[:80]!r}")
    seconds = time.perf_counter() - start
    rows = [f"NIH corpus: {words:,} words, {seconds:.1f} s", "| rule | flags | per 10,000 words |", "|---|---|---|"]
    for r in sorted(counts):
        rows.append(f"| `{r}` | {counts[r]} | {counts[r] / words * 10000:.2f} |")
    return "\n".join(rows), samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nih", action="store_true", help="also measure flags per 10,000 words on ../shared/corpus/nih")
    parser.add_argument("--quiet", action="store_true", help="print the tables only")
    parser.add_argument("--samples", type=int, default=0, help="print this many NIH flags")
    args = parser.parse_args()

    ruleset = load_rules()
    claim_rules = [r for r in ruleset.rules if r.info.id in CLAIM_RULES]
    rule_ids = [r for r in CLAIM_RULES if ruleset.get(r)]
    passages = load_corpus()
    predictions = predict(passages, claim_rules)
    negatives = sum(1 for p in passages if not p.labels)
    print(f"Labeled corpus: {len(passages)} passages, {negatives} with no labels")
    print(table(score(passages, predictions, rule_ids)))
    missing = [r for r in CLAIM_RULES if r not in rule_ids]
    if missing:
        print("not implemented yet: " + ", ".join(missing))
    if not args.quiet:
        print()
        print(misclassified(passages, predictions, rule_ids))
    if args.nih:
        if not NIH.is_dir():
            print(f"\n{NIH} not found; skipping the NIH false-alarm check")
        else:
            text, samples = nih_rates(claim_rules)
            print()
            print(text)
            for line in samples[: args.samples]:
                print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
