"""Audit throughput: MB/s and documents/s with 1 and 2 workers, here and on a local Dask cluster,
over several copies of ../shared/corpus/nih (10 by default). Each run starts afresh (--fresh)
in a new output folder, and is timed from the command's start to its end, start-up included.

    python bench/audit.py                 # 10 copies; process pool and Dask, 1 and 2 workers
    python bench/audit.py --copies 2      # quicker
    python bench/audit.py --only dask     # only the Dask runs (or: --only local)

Every run must report the same findings; the script says so, or stops when they differ.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpus" / "nih"


def make_copies(target: Path, copies: int) -> tuple[int, int]:
    """``copies`` copies of the corpus under target/copy-N; returns (files, bytes)."""
    files = size = 0
    for i in range(copies):
        shutil.copytree(CORPUS, target / f"copy-{i:02d}")
    for path in target.rglob("*"):
        if path.is_file():
            files += 1
            size += path.stat().st_size
    return files, size


def run(source: Path, out: Path, options: list[str]) -> tuple[float, dict]:
    command = [sys.executable, "-m", "healthlint", "audit", str(source), "-o", str(out), "--fresh", "-q", *options]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr}")
    return seconds, json.loads((out / "summary.json").read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--only", choices=["local", "dask"])
    args = parser.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"{CORPUS} is not present")
    runs = [("process pool", "local", ["-j", "1"]), ("process pool", "local", ["-j", "2"]),
            ("Dask local cluster", "dask", ["--dask", "local:1"]), ("Dask local cluster", "dask", ["--dask", "local:2"])]
    runs = [r for r in runs if args.only in (None, r[1])]
    with tempfile.TemporaryDirectory(prefix="healthlint-audit-bench-") as tmp:
        source = Path(tmp) / "corpus"
        files, size = make_copies(source, args.copies)
        print(f"{args.copies} copies of the NIH corpus: {files:,} documents, {size / 1e6:.1f} MB")
        print(f"{'runner':<20} {'workers':>7} {'seconds':>8} {'MB/s':>6} {'docs/s':>7}  findings")
        first = None
        for name, _, options in runs:
            seconds, summary = run(source, Path(tmp) / "out", options)
            workers = options[-1].split(":")[-1]
            print(f"{name:<20} {workers:>7} {seconds:>8.1f} {size / 1e6 / seconds:>6.2f} {files / seconds:>7.1f}  {summary['findings']:,}")
            counts = {rule: info["findings"] for rule, info in summary["rules"].items()}
            if first is None:
                first = counts
            elif counts != first:
                sys.exit(f"the findings differ from the first run's: {counts} != {first}")
        print("every run found the same findings per rule")


if __name__ == "__main__":
    main()
