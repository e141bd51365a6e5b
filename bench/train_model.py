"""Train the learned claim model that healthlint ships (healthlint/data/claim-model.npz), and
print its cross-validated accuracy next to the rules' on the same passages.

    python bench/train_model.py                  # cross-validate, print the tables, save the weights
    python bench/train_model.py --no-save        # the tables only
    python bench/train_model.py --c 2 --bits 17  # try other settings (the README records the comparison)

Trained on the labeled passages that are open for tuning only: the first corpus, both halves of
the fresh corpus, and the third corpus's locked half (scored once, then opened). Never the third
corpus's held half: the lead scores it once with `bench/accuracy.py --third held --model`.
Half the NIH corpus (../shared/corpus/nih, files picked by the hash of their path) is careful
copy: its health-related sentences that no claim rule flags are weak negatives. The other half
measures the model's flags per 10,000 words on careful copy it never saw.
Seeded (folds and solver): the same passages and settings give the same weights.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from accuracy import four_way  # noqa: E402
from healthlint.engine import lint_source  # noqa: E402
from healthlint.learned.features import DEFAULT_BITS  # noqa: E402
from healthlint.learned.rule import ModelRule  # noqa: E402
from healthlint.learned.train import CLAIM_RULES, DEFAULT_C, careful_negatives, cross_validate, fit  # noqa: E402
from healthlint.learned.labels import load_passages  # noqa: E402
from healthlint.learned.weights import DEFAULT_WEIGHTS, Weights, save_weights  # noqa: E402
from healthlint.ruleset import load_rules  # noqa: E402
from healthlint.source import from_text  # noqa: E402

TRAINING = ["tests/corpus", "tests/corpus-fresh/dev", "tests/corpus-fresh/locked", "tests/corpus-third/locked"]
NIH = REPO.parent / "shared" / "corpus" / "nih"


def nih_halves() -> tuple[list[Path], list[Path]]:
    """The NIH corpus's files in two halves by the SHA-256 of their path in it: the first is
    careful copy to train on (weak negatives), the second measures the model's flags."""
    import hashlib

    files = sorted(NIH.rglob("*.md"))
    first = [f for f in files if hashlib.sha256(f.relative_to(NIH).as_posix().encode()).digest()[0] % 2 == 0]
    return first, [f for f in files if f not in first]


def nih_rates(files: list[Path], claim_rules, model_rule) -> str:
    """Flags per 10,000 words on careful copy the model never saw: rules alone, and the model's own."""
    from collections import Counter

    from healthlint.source import read_source

    words, rules_count, model_count = 0, Counter(), Counter()
    for path in files:
        source = read_source(path)
        words += len(source.text.split())
        for f in lint_source(source, claim_rules).findings:
            rules_count[f.rule] += 1
        for f in lint_source(source, [model_rule]).findings:
            model_count[f.rule] += 1
    rows = [f"NIH held-out half ({len(files)} files, {words:,} words), flags per 10,000 words:",
            "| rule | rules | model alone |", "|---|---|---|"]
    for r in CLAIM_RULES:
        rows.append(f"| `{r}` | {rules_count[r] / words * 1e4:.2f} | {model_count[r] / words * 1e4:.2f} |")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--c", type=float, default=DEFAULT_C, help="inverse regularisation strength")
    parser.add_argument("--bits", type=int, default=DEFAULT_BITS, help="feature buckets: 2**bits")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--no-save", action="store_true", help="print the tables; do not write the weights")
    parser.add_argument("--no-careful", action="store_true", help="train without the NIH half as careful copy (for comparison)")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_WEIGHTS)
    args = parser.parse_args()
    started = time.perf_counter()
    passages = load_passages([REPO / t for t in TRAINING])
    careful, measured = nih_halves() if NIH.is_dir() and not args.no_careful else ([], [])
    negatives = careful_negatives(careful)
    cv, rows_of = cross_validate(passages, folds=args.folds, seed=args.seed, c=args.c, bits=args.bits, say=lambda m: print(m, file=sys.stderr), extra_rows=negatives)
    ruleset = load_rules(plugins=False)
    claim_rules = [r for r in ruleset.rules if r.info.id in CLAIM_RULES]
    rule_flags, model_flags = {}, {}
    for p, scores in zip(passages, cv.scores):
        fired = {f.rule for f in lint_source(from_text(p.text, "passage.md", True), claim_rules).findings}
        rule_flags[p.id] = {r: r in fired for r in CLAIM_RULES}
        model_flags[p.id] = {r: t is not None and scores[r] >= t for r, t in zip(CLAIM_RULES, cv.thresholds)}
    print(f"Cross-validated ({cv_folds(args, passages)} folds by passage, seed {args.seed}, C {args.c}, 2^{args.bits} buckets): "
          f"{len(passages)} passages, {sum(map(len, rows_of))} health-related sentences, "
          f"{len(negatives)} careful-copy sentences from {len(careful)} NIH files as negatives")
    print("| rule | threshold |\n|---|---|\n" + "\n".join(f"| `{r}` | {t} |" for r, t in zip(CLAIM_RULES, cv.thresholds)))
    print()
    print(four_way(cv.passages, rule_flags, model_flags, CLAIM_RULES))
    matrix, bias = fit([r for rows in rows_of for r in rows] + negatives, CLAIM_RULES, args.bits, args.c, args.seed)
    weights = Weights(CLAIM_RULES, tuple(cv.thresholds), args.bits, matrix, bias)
    if measured:
        model_rule = ModelRule().using(weights).alongside(claim_rules)
        print()
        print(nih_rates(measured, claim_rules, model_rule))
    if not args.no_save:
        meta = {"trained_on": TRAINING, "careful_copy": ["../shared/corpus/nih (the half bench/train_model.py picks)"] if careful else [],
                "careful_sentences": len(negatives), "passages": len(passages), "sentences": sum(map(len, rows_of)), "seed": args.seed,
                "folds": cv_folds(args, passages), "c": args.c, "target_precision": 0.90, "cv": cv.report}
        save_weights(args.output, CLAIM_RULES, cv.thresholds, args.bits, matrix, bias, meta)
        print(f"\nwrote {args.output} ({args.output.stat().st_size / 1e6:.2f} MB)")
    print(f"{time.perf_counter() - started:.0f} s")
    return 0


def cv_folds(args, passages) -> int:
    return args.folds if len(passages) >= args.folds else 1


if __name__ == "__main__":
    raise SystemExit(main())
