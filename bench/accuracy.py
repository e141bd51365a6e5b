"""Precision and recall of every claim rule on the labeled corpus (tests/corpus/*.yaml),
and false-alarm rates on reputable NIH copy (../shared/corpus/nih).

    python bench/accuracy.py            # table, then the misclassified passages
    python bench/accuracy.py --nih      # also flags per 10,000 words on the NIH corpus
    python bench/accuracy.py --quiet    # table only
    python bench/accuracy.py --fresh dev       # the fresh corpus's development half (tune on it)
    python bench/accuracy.py --fresh locked    # its locked half: scored once, then opened for tuning
    python bench/accuracy.py --third locked    # the third corpus's halves: both scored once, now tuned on
    python bench/accuracy.py --fourth locked   # the fourth corpus's locked half: scored once, recorded
    python bench/accuracy.py --fourth held     # its held half, kept for the next learned model: once

The fresh corpus (tests/corpus-fresh, see its README) was written by writers who never saw the
rules. Its locked half gave the honest numbers once (tests/corpus-fresh/LOCKED-RUNS.md); the
third corpus (tests/corpus-third) then gave them once per half (its SCORED-RUNS.md), and both
are now tuned on. The fourth corpus (tests/corpus-fourth) takes their place: a run on either of
its halves is appended to tests/corpus-fourth/SCORED-RUNS.md, and a second run is refused
unless --rescore says why.

Passages that list their claims (whole articles) are also scored claim by claim: a claim is
caught when its rule flags words overlapping it.
"""

from __future__ import annotations

import argparse
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
from fresh_corpus import CLAIM_RULES, CORPORA  # noqa: E402  (the claim rules, named once for both scripts)

CORPUS = REPO / "tests" / "corpus"
# The halves whose numbers are honest only the first time: each run is recorded, a second refused.
# The fresh corpus's locked half was scored once (2026-12-02) and opened for tuning on 2026-12-03,
# when the third corpus was written to take its place; it is now tuned on like the dev half.
# Both halves of the third corpus were scored once by 2026-12-07 (SCORED-RUNS.md) and are now
# tuned on like the fresh corpus; the fourth took their place.
SCORED_ONCE = {("fourth", "locked"), ("fourth", "held")}
NIH = REPO.parent / "shared" / "corpus" / "nih"


@dataclass
class Passage:
    id: str
    text: str
    labels: frozenset[str]
    file: str
    claims: tuple[tuple[str, str], ...] = ()  # (rule, the claim's words as in the text)
    register: str = ""  # forum, article, leaflet ... (the fresh corpus says; the first does not)


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
            claims = tuple((str(c["rule"]), str(c["text"])) for c in item.get("claims") or [])
            passages.append(Passage(str(item["id"]), str(item["text"]).strip(), frozenset(item.get("labels") or []), path.name, claims, str(item.get("register") or "")))
    return passages


def _offset(text: str, line: int, column: int) -> int:
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    return starts[min(line, len(starts)) - 1] + column - 1


def claim_recall(passages: list[Passage], predictions, rule_ids, title: str = "Claim by claim (passages that list their claims):") -> str:
    """Claim by claim, for passages that list their claims: found / listed, per rule."""
    found: Counter = Counter()
    listed: Counter = Counter()
    misses: list[str] = []
    for p in passages:
        for rule, words in p.claims:
            if rule not in rule_ids:
                continue
            start = p.text.find(words)
            if start < 0:
                misses.append(f"  (claim not found in {p.id}: {words!r})")
                continue
            end = start + len(words)
            listed[rule] += 1
            spans = [(_offset(p.text, f.start.line, f.start.column), _offset(p.text, f.end.line, f.end.column)) for f in predictions[p.id].get(rule, [])]
            if any(s < end and start < e for s, e in spans):
                found[rule] += 1
            else:
                misses.append(f"  MISSED {rule:24} {p.id:8} {words[:120]!r}")
    if not listed:
        return ""
    rows = [title, "| rule | claims | found | recall |", "|---|---|---|---|"]
    for rule in rule_ids:
        if listed[rule]:
            rows.append(f"| `{rule}` | {listed[rule]} | {found[rule]} | {found[rule] / listed[rule]:.3f} |")
    total = sum(listed.values())
    rows.append(f"| all | {total} | {sum(found.values())} | {sum(found.values()) / total:.3f} |")
    return "\n".join(rows + misses)


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


def _record_run(results: str, by_claim: str, why: str | None, runs_file: Path, half: str, corpus: str) -> None:
    """Append a scored-once half's tables to its runs file, with the date and the commit."""
    import datetime
    import subprocess

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "healthlint", "rules"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    heading = f"## {half} half, {datetime.date.today().isoformat()}, commit {commit or 'unknown'}{' (with uncommitted rule or engine changes)' if dirty else ''}"
    lines = [heading, ""] + ([f"Scored again because: {why}", ""] if why else []) + [results, ""] + ([by_claim, ""] if by_claim else [])
    new = not runs_file.exists()
    with runs_file.open("a", encoding="utf-8") as out:
        if new:
            out.write(f"# Runs on the halves of the {corpus} corpus that are scored once\n\n"
                      f"Appended by `bench/accuracy.py --{corpus} HALF`. The first run of each half is the honest one.\n\n")
        out.write("\n".join(lines) + "\n")


def _scored_before(runs_file: Path, half: str) -> bool:
    """Has this half a recorded run?"""
    if not runs_file.exists():
        return False
    return f"## {half} half, " in runs_file.read_text(encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nih", action="store_true", help="also measure flags per 10,000 words on ../shared/corpus/nih")
    parser.add_argument("--quiet", action="store_true", help="print the tables only")
    parser.add_argument("--samples", type=int, default=0, help="print this many NIH flags")
    parser.add_argument("--fresh", choices=CORPORA["fresh"].halves, help="score a half of the fresh corpus instead")
    parser.add_argument("--third", choices=CORPORA["third"].halves, help="score a half of the third corpus instead")
    parser.add_argument("--fourth", choices=CORPORA["fourth"].halves, help="score a half of the fourth corpus instead")
    parser.add_argument("--rescore", metavar="WHY", help="score a half that is scored once again, saying why (recorded)")
    args = parser.parse_args()
    chosen = [(name, getattr(args, name)) for name in ("fresh", "third", "fourth") if getattr(args, name)]
    if len(chosen) > 1:
        parser.error("give one of --fresh, --third and --fourth")
    blind, half = chosen[0] if chosen else (None, None)
    once = (blind, half) in SCORED_ONCE
    runs_file = CORPORA[blind or "third"].folder / "SCORED-RUNS.md"
    if once and _scored_before(runs_file, half) and not args.rescore:
        print(f"The {half} half has been scored already (see {runs_file.relative_to(REPO)}).\n"
              "Its numbers are honest only the first time; to score it again, give --rescore \"why\".")
        return 2

    ruleset = load_rules()
    claim_rules = [r for r in ruleset.rules if r.info.id in CLAIM_RULES]
    rule_ids = [r for r in CLAIM_RULES if ruleset.get(r)]
    folder = CORPORA[blind].folder / half if blind else CORPUS
    passages = load_corpus(folder)
    if not passages:
        print(f"{folder.relative_to(REPO)}: no passages")
        return 2
    predictions = predict(passages, claim_rules)
    negatives = sum(1 for p in passages if not p.labels)
    name = f"{blind.capitalize()} corpus, {half} half" if blind else "Labeled corpus"
    print(f"{name}: {len(passages)} passages, {negatives} with no labels")
    results = table(score(passages, predictions, rule_ids))
    print(results)
    by_claim = claim_recall(passages, predictions, rule_ids)
    if by_claim:
        print()
        print(by_claim.split("\n  ")[0] if args.quiet else by_claim)
    # Whole promotional articles, on their own: the copy an editor reads end to end.
    articles = [p for p in passages if p.register == "article" or p.file == "articles.yaml"]
    in_articles = claim_recall(articles, predictions, rule_ids, f"Whole articles only ({len(articles)} articles, claim by claim):") if articles else ""
    if in_articles:
        print()
        print(in_articles.split("\n  ")[0])
        by_claim = by_claim.split("\n  ")[0] + "\n\n" + in_articles
    if once:
        _record_run(results, by_claim.split("\n  ")[0], args.rescore, runs_file, half, blind)  # the tables, not the misses
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
