"""Time every claim-rule pattern and every context cue over the sentences it really runs on.

A rule change or a word-pattern compiler change can make one pattern many times slower without
changing a single finding; whole-corpus timings hide it in the noise. This prints each pattern's
own time over the NIH corpus (only the sentences the prefilter lets it see, as in a real run),
slowest first, with microseconds per sentence, so a regression points at its pattern:

    python bench/patterns.py               # the 25 slowest patterns and cues
    python bench/patterns.py --top 0       # all of them
    python bench/patterns.py --rule unhedged-safety-claim
    python bench/patterns.py --save /tmp/before.json    # then, after a change:
    python bench/patterns.py --compare /tmp/before.json # ratios, largest first

Times are the best of --repeat runs of each pattern over its sentences (CPU time), so the
machine's other work disturbs them little; compare runs made on the same machine.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

NIH = REPO.parent / "shared" / "corpus" / "nih"


def corpus_documents(folder: Path):
    from healthlint.document import AnalyzedDocument
    from healthlint.parse import parse
    from healthlint.source import read_source

    for path in sorted(folder.rglob("*.md")):
        source = read_source(str(path))
        yield AnalyzedDocument(parse(source))


def _best(run, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def claim_pattern_times(docs, rules, repeat: int) -> list[tuple[str, int, float]]:
    """(rule/pattern, sentences it ran on, seconds) for every pattern of every claim rule, run as
    the rule runs it: on the sentences its prefilter lets through, tried where a match can begin."""
    rows = []
    for rule in rules:
        texts: list[list[tuple[str, dict | None]]] = [[] for _ in rule.patterns]
        for doc in docs:
            for run in doc.sentence_runs():
                candidates = rule.prefilter.folded_candidates(run.folded, run.spans) if run.folded is not None else None
                for k, (b, s) in enumerate(run.sentences):
                    indices = range(len(rule.patterns)) if candidates is None else candidates[k]
                    folded = None if run.folded is None else run.folded[run.spans[k][0] : run.spans[k][1]]
                    # Where the candidates could begin, found once per sentence for all of them
                    # (as a real run does), so each pattern's time is its own matching.
                    offsets = None if folded is None else rule.starts.offsets(folded, indices)
                    for i in indices:
                        texts[i].append((doc.sentences[b][s].text, offsets))
        for i, pattern in enumerate(rule.patterns):

            def run(sentences=texts[i], i=i, matches=rule.matches):
                for text, offsets in sentences:
                    for _ in matches(i, text, offsets):
                        pass

            rows.append((f"{rule.info.id}/{pattern.name}", len(texts[i]), _best(run, repeat)))
    return rows


def cue_times(docs, repeat: int) -> list[tuple[str, int, float]]:
    """(context/cue, sentences it could match in, seconds) for every context cue."""
    from healthlint.context import SentenceViews, cues

    loaded = cues()
    texts: dict[str, list[str]] = {r.name: [] for r in loaded.records}
    for doc in docs:
        for b, block in enumerate(doc.blocks):
            sentences = doc.sentences[b]
            if not sentences:
                continue
            views = SentenceViews(block, sentences)
            for i, sentence in enumerate(sentences):
                for record in loaded.records:
                    if views.may_match(i, record):
                        texts[record.name].append(sentence.text)
    rows = []
    for record in loaded.records:
        finditer = record.pattern.compiled.finditer

        def run(sentences=texts[record.name], finditer=finditer):
            for text in sentences:
                for _ in finditer(text):
                    pass

        rows.append((f"context/{record.name}", len(texts[record.name]), _best(run, repeat)))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=NIH, help="folder of Markdown files (default: ../shared/corpus/nih)")
    parser.add_argument("--rule", action="append", help="only this rule's patterns (repeatable); 'context' for the cues")
    parser.add_argument("--top", type=int, default=25, help="print this many rows, slowest first (0: all)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per pattern; the best is kept")
    parser.add_argument("--save", type=Path, help="write the times as JSON, to compare later")
    parser.add_argument("--compare", type=Path, help="a file written by --save: print ratios against it")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"{args.corpus}: no such folder", file=sys.stderr)
        return 2

    from healthlint.kinds.claim import ClaimRule
    from healthlint.ruleset import load_rules

    wanted = set(args.rule or [])
    rules = [r for r in load_rules().rules if isinstance(r, ClaimRule) and r.info.enabled and (not wanted or r.info.id in wanted)]
    docs = list(corpus_documents(args.corpus))
    rows = claim_pattern_times(docs, rules, args.repeat)
    if not wanted or "context" in wanted:
        rows += cue_times(docs, args.repeat)
    rows.sort(key=lambda row: -row[2])
    total = sum(seconds for _, _, seconds in rows)
    print(f"{len(rows)} patterns and cues over {len(docs)} files of {args.corpus}: {total:.2f} s in all")

    if args.save:
        args.save.write_text(json.dumps({name: seconds for name, _, seconds in rows}, indent=1), encoding="utf-8")
        print(f"saved to {args.save}")
    if args.compare:
        before = json.loads(args.compare.read_text(encoding="utf-8"))
        print(f"{'pattern':60s} {'before ms':>10s} {'now ms':>9s} {'ratio':>7s}")
        changes = [(name, before.get(name), seconds) for name, _, seconds in rows]
        changes.sort(key=lambda c: -(c[2] / c[1]) if c[1] else float("-inf"))
        for name, old, now in changes[: args.top or None]:
            ratio = f"{now / old:6.2f}x" if old else "    new"
            print(f"{name:60s} {old * 1000 if old else 0:10.1f} {now * 1000:9.1f} {ratio:>7s}")
        return 0
    print(f"{'pattern':60s} {'sentences':>9s} {'ms':>8s} {'us/sentence':>11s} {'share':>6s}")
    for name, count, seconds in rows[: args.top or None]:
        per = seconds / count * 1e6 if count else 0.0
        print(f"{name:60s} {count:9d} {seconds * 1000:8.1f} {per:11.2f} {seconds / total:6.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
