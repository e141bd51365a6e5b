"""The fresh corpus (tests/corpus-fresh): passages written by new writers, split before anyone
labelled them, labelled blind by two labellers against tests/corpus/GUIDE.md.

    python bench/fresh_corpus.py split                  # assign each passage a half: dev or locked
    python bench/fresh_corpus.py agreement A.yaml B.yaml  # how far two labellers agree, rule by rule
    python bench/fresh_corpus.py settle                 # labels/final.yaml from A, B and the settled calls
    python bench/fresh_corpus.py merge FINAL.yaml       # write dev/ and locked/ in the corpus format
    python bench/fresh_corpus.py --corpus third split   # the same for the third corpus (halves: locked, held)

Writers' text lives in tests/corpus-fresh/unlabeled/*.yaml (id, register, topic, text). The
split is made from the ids alone, file by file (so every register is in both halves): ids in
the order of their SHA-256, alternately dev and locked. It is written to split.yaml once and
never redrawn: `split` refuses to change a half already assigned.

A labels file is a list of {id, labels: [rule ids], claims: [{rule, text}], note}: `claims`
quotes the words of each claim, exactly as in the passage, so whole articles can be scored
claim by claim. Standard library and PyYAML only.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
FRESH = HERE.parent / "tests" / "corpus-fresh"
THIRD = HERE.parent / "tests" / "corpus-third"
FOURTH = HERE.parent / "tests" / "corpus-fourth"
UNLABELED = FRESH / "unlabeled"
SPLIT = FRESH / "split.yaml"


@dataclass(frozen=True)
class Corpus:
    """A blind corpus: its folder, and the names of its two halves (the second is scored once)."""

    name: str
    folder: Path
    halves: tuple[str, str]

    @property
    def unlabeled(self) -> Path:
        return self.folder / "unlabeled"

    @property
    def split_file(self) -> Path:
        return self.folder / "split.yaml"

    @property
    def labels(self) -> Path:
        return self.folder / "labels"


# The fresh corpus: a half to tune on, a half scored once. The third corpus, written to be
# locked when the fresh one's locked half was opened for tuning: both halves are scored once,
# "locked" at the end of the accuracy work, "held" kept back for the learned model.
CORPORA = {
    "fresh": Corpus("fresh", FRESH, ("dev", "locked")),
    "third": Corpus("third", THIRD, ("locked", "held")),
    # Written on 2026-12-07, when both halves of the third had been scored once: the next
    # accuracy work scores "locked" once at its end, the next learned model "held".
    "fourth": Corpus("fourth", FOURTH, ("locked", "held")),
}
CLAIM_RULES = (
    "unhedged-safety-claim",
    "natural-means-safe",
    "missing-citation",
    "opioid-substitution",
    "unhedged-efficacy-claim",
)


@dataclass(frozen=True)
class Written:
    """A passage as its writer wrote it."""

    id: str
    register: str
    topic: str
    text: str
    file: str


def load_written(folder: Path = UNLABELED) -> list[Written]:
    passages: list[Written] = []
    seen: set[str] = set()
    for path in sorted(folder.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            pid = str(item["id"])
            if pid in seen:
                raise SystemExit(f"{path}: id {pid} is used twice")
            seen.add(pid)
            passages.append(Written(pid, str(item.get("register", "")), str(item.get("topic", "")), str(item["text"]).strip(), path.name))
    return passages


def draw_split(passages: list[Written], halves_named: tuple[str, str] = ("dev", "locked")) -> dict[str, str]:
    """Each passage's half, from its id alone: within each file, ids in SHA-256 order, alternately."""
    halves: dict[str, str] = {}
    by_file: dict[str, list[str]] = {}
    for p in passages:
        by_file.setdefault(p.file, []).append(p.id)
    for ids in by_file.values():
        for n, pid in enumerate(sorted(ids, key=lambda i: hashlib.sha256(i.encode()).hexdigest())):
            halves[pid] = halves_named[n % 2]
    return halves


def split(args: argparse.Namespace) -> int:
    corpus = CORPORA[args.corpus]
    passages = load_written(corpus.unlabeled)
    drawn = draw_split(passages, corpus.halves)
    split_file = corpus.split_file
    existing = yaml.safe_load(split_file.read_text(encoding="utf-8")) if split_file.exists() else {}
    drawn.update(existing)  # a half once given is kept; only new passages are drawn
    split_file.write_text("# Drawn by bench/fresh_corpus.py split before any passage was labelled; never redrawn.\n"
                          + yaml.safe_dump(dict(sorted(drawn.items())), sort_keys=False), encoding="utf-8")
    counts = Counter(drawn.values())
    first, second = corpus.halves
    print(f"{len(drawn)} passages: {counts[first]} {first}, {counts[second]} {second} -> {split_file}")
    return 0


def load_labels(path: Path) -> dict[str, dict]:
    out = {}
    for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        labels = item.get("labels") or []
        unknown = [r for r in labels if r not in CLAIM_RULES]
        if unknown:
            raise SystemExit(f"{path}: {item['id']}: unknown label {unknown[0]!r}")
        out[str(item["id"])] = {"labels": sorted(set(labels)), "claims": item.get("claims") or [], "note": item.get("note", "")}
    return out


def kappa(both: int, a_only: int, b_only: int, neither: int) -> float:
    """Cohen's kappa for two raters and one yes/no label."""
    n = both + a_only + b_only + neither
    if not n:
        return 1.0
    observed = (both + neither) / n
    a_yes, b_yes = (both + a_only) / n, (both + b_only) / n
    expected = a_yes * b_yes + (1 - a_yes) * (1 - b_yes)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def agreement(args: argparse.Namespace) -> int:
    a, b = load_labels(Path(args.a)), load_labels(Path(args.b))
    ids = sorted(set(a) & set(b))
    missing = sorted(set(a) ^ set(b))
    print(f"{len(ids)} passages labelled by both" + (f"; {len(missing)} by one only: {', '.join(missing[:10])}" if missing else ""))
    print("| rule | both | A only | B only | neither | agreement | Cohen's kappa |")
    print("|---|---|---|---|---|---|---|")
    disagreements = []
    for rule in CLAIM_RULES:
        cells = Counter()
        for pid in ids:
            in_a, in_b = rule in a[pid]["labels"], rule in b[pid]["labels"]
            cells[(in_a, in_b)] += 1
            if in_a != in_b:
                disagreements.append((pid, rule, "A" if in_a else "B"))
        both, a_only, b_only, neither = cells[(True, True)], cells[(True, False)], cells[(False, True)], cells[(False, False)]
        print(f"| `{rule}` | {both} | {a_only} | {b_only} | {neither} | {(both + neither) / max(len(ids), 1):.3f} | {kappa(both, a_only, b_only, neither):.3f} |")
    exact = sum(1 for pid in ids if a[pid]["labels"] == b[pid]["labels"])
    print(f"\nsame label set on {exact} of {len(ids)} passages; {len(disagreements)} rule-level disagreements")
    if args.list:
        for pid, rule, who in disagreements:
            print(f"  {pid:10} {rule:24} only {who}")
    return 0




def _sentence_of(text: str, words: str) -> tuple[int, int]:
    """The sentence (or line) holding the first occurrence of ``words``."""
    at = max(text.find(words), 0)
    start = max(text.rfind(stop, 0, at) for stop in (". ", "! ", "? ", "\n")) + 1
    ends = [i for i in (text.find(stop, at + len(words)) for stop in (". ", "! ", "? ", "\n")) if i >= 0]
    return start, min(ends, default=len(text))


def _union_of_claims(text: str, a: list[dict], b: list[dict], labels: list[str]) -> list[dict]:
    """Both labellers' claims for the settled labels; a claim of B's in a sentence where A has a
    claim of the same rule is the same claim and is not listed twice."""
    kept = [c for c in a if c["rule"] in labels]
    seen = {(c["rule"], _sentence_of(text, c["text"])) for c in kept}
    for c in b:
        key = (c["rule"], _sentence_of(text, c["text"]))
        if c["rule"] in labels and key not in seen:
            kept.append(c)
            seen.add(key)
    return kept


def settle(args: argparse.Namespace) -> int:
    """final.yaml: what both labellers gave, and for each disagreement the call in settled.yaml
    ({id, rule, flag: true|false, why}); a disagreement with no call there is an error."""
    corpus = CORPORA[args.corpus]
    labels_folder = corpus.labels
    settled_file, final_file = labels_folder / "settled.yaml", labels_folder / "final.yaml"
    a = {k: v for path in sorted(labels_folder.glob("a-*.yaml")) for k, v in load_labels(path).items()}
    b = {k: v for path in sorted(labels_folder.glob("b-*.yaml")) for k, v in load_labels(path).items()}
    texts = {p.id: p.text for p in load_written(corpus.unlabeled)}
    calls = {(str(c["id"]), str(c["rule"])): bool(c["flag"]) for c in (yaml.safe_load(settled_file.read_text(encoding="utf-8")) if settled_file.exists() else []) or []}
    final, unsettled = [], []
    for pid in sorted(set(a) & set(b)):
        labels = []
        for rule in CLAIM_RULES:
            in_a, in_b = rule in a[pid]["labels"], rule in b[pid]["labels"]
            if in_a == in_b:
                keep = in_a
            elif (pid, rule) in calls:
                keep = calls[(pid, rule)]
            else:
                unsettled.append(f"{pid} {rule} (only {'A' if in_a else 'B'})")
                continue
            if keep:
                labels.append(rule)
        final.append({"id": pid, "labels": labels, "claims": _union_of_claims(texts[pid], a[pid]["claims"], b[pid]["claims"], labels)})
    if unsettled:
        print(f"{len(unsettled)} disagreements have no call in {settled_file.relative_to(corpus.folder.parent.parent)}:")
        for line in unsettled:
            print("  " + line)
        return 1
    final_file.write_text("# Written by bench/fresh_corpus.py settle: labeller A and B where they agree, settled.yaml where not.\n"
                     + yaml.safe_dump(final, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
    print(f"{len(final)} passages settled -> {final_file}")
    return 0


def merge(args: argparse.Namespace) -> int:
    """<half>/<file>.yaml for each half: the writers' passages with the settled labels."""
    corpus = CORPORA[args.corpus]
    passages = load_written(corpus.unlabeled)
    final = load_labels(Path(args.final))
    halves = yaml.safe_load(corpus.split_file.read_text(encoding="utf-8"))
    unlabelled = [p.id for p in passages if p.id not in final]
    if unlabelled:
        raise SystemExit(f"no settled labels for {len(unlabelled)} passages, e.g. {unlabelled[0]}")
    for half in corpus.halves:
        folder = corpus.folder / half
        folder.mkdir(exist_ok=True)
        for name in sorted({p.file for p in passages}):
            items = []
            for p in passages:
                if p.file != name or halves[p.id] != half:
                    continue
                item = {"id": p.id, "labels": final[p.id]["labels"], "register": p.register, "topic": p.topic, "text": p.text + "\n"}
                if final[p.id]["claims"]:
                    item["claims"] = final[p.id]["claims"]
                if final[p.id]["note"]:
                    item["note"] = final[p.id]["note"]
                items.append(item)
            (folder / name).write_text(yaml.safe_dump(items, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
    counts = Counter(halves[p.id] for p in passages)
    first, second = corpus.halves
    print(f"wrote {counts[first]} {first} and {counts[second]} {second} passages under {corpus.folder}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="fresh",
                        help="which blind corpus: fresh (tests/corpus-fresh) or third (tests/corpus-third)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("split", help="assign each passage a half").set_defaults(run=split)
    p = sub.add_parser("agreement", help="agreement between two labellers")
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--list", action="store_true", help="list every disagreement")
    p.set_defaults(run=agreement)
    sub.add_parser("settle", help="labels/final.yaml from both labellers and the settled calls").set_defaults(run=settle)
    p = sub.add_parser("merge", help="write each half's folder from the settled labels")
    p.add_argument("final")
    p.set_defaults(run=merge)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
