"""Save or compare every finding on the seed, the labeled corpus and the NIH corpus.

Before changing the engine or a rule, save a snapshot; after, compare:

    python bench/parity.py save /tmp/before.jsonl
    ... change things ...
    python bench/parity.py compare /tmp/before.jsonl
    python bench/parity.py compare /tmp/before.jsonl --rule unhedged-safety-claim   # one rule

Each line of a snapshot is one finding as JSON: the JSON report's fields plus its fix (edits and
applicability), so a change to a rewrite counts as a difference too. ``compare`` prints every
finding that appeared or disappeared, grouped by rule, and exits 1 when there is any.
Default rules only (what a plain ``healthlint check`` runs).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

SEED = REPO.parent / "shared" / "fixtures" / "kratom-article.txt"
NIH = REPO.parent / "shared" / "corpus" / "nih"
CORPUS = REPO / "tests" / "corpus"


def _record(corpus: str, finding) -> str:
    from healthlint.report.json import as_dict

    row = {"corpus": corpus, **as_dict(finding)}
    row["path"] = _portable(row["path"])
    if finding.fix is not None:
        row["fix"] = {
            "applicability": finding.fix.applicability,
            "edits": [[e.start, e.end, e.replacement] for e in finding.fix.edits],
        }
    return json.dumps(row, ensure_ascii=False, sort_keys=True)


def _portable(path: str) -> str:
    """The path from the corpus folder on, so snapshots compare across checkouts."""
    marker = "corpus/nih/"
    return path[path.index(marker):] if marker in path else Path(path).name


def _normalised(line: str) -> str:
    row = json.loads(line)
    row["path"] = _portable(row["path"])
    return json.dumps(row, ensure_ascii=False, sort_keys=True)


def snapshot(only: set[str] | None = None) -> list[str]:
    import yaml

    from healthlint.engine import lint_source
    from healthlint.ruleset import load_rules
    from healthlint.source import from_text, read_source

    rules = [r for r in load_rules().rules if r.info.enabled and (not only or r.info.id in only)]
    rows: list[str] = []
    if SEED.is_file():
        rows += [_record("seed", f) for f in lint_source(read_source(SEED), rules).findings]
    for path in sorted(CORPUS.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            source = from_text(str(item["text"]).strip(), f"{item['id']}.md", True)
            rows += [_record("labeled", f) for f in lint_source(source, rules).findings]
    if NIH.is_dir():
        for path in sorted(NIH.rglob("*.md")):
            rows += [_record("nih", f) for f in lint_source(read_source(path), rules).findings]
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("save", "compare"))
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("--rule", action="append", metavar="ID", help="only this rule (repeatable): quicker, for work on one rule")
    args = parser.parse_args(argv)
    only = set(args.rule or ())
    rows = snapshot(only)
    if args.action == "save":
        args.snapshot.write_text("\n".join(rows) + "\n", encoding="utf-8")
        print(f"saved {len(rows)} findings to {args.snapshot}")
        return 0
    lines = [line for line in args.snapshot.read_text(encoding="utf-8").splitlines() if line]
    before = Counter(_normalised(line) for line in lines if not only or json.loads(line)["rule"] in only)
    after = Counter(rows)
    gone, new = before - after, after - before
    print(f"before: {sum(before.values())} findings; after: {len(rows)}; "
          f"{sum(gone.values())} gone, {sum(new.values())} new")
    for label, rows_ in (("gone", gone), ("new", new)):
        for line in sorted(rows_.elements()):
            row = json.loads(line)
            print(f"  {label}: {row['corpus']} {row['rule']} {row['path']}:{row['line']}:{row['column']} {row['text'][:70]!r}")
    return 1 if gone or new else 0


if __name__ == "__main__":
    raise SystemExit(main())
