"""How fast is healthlint? Single-file latency, corpus throughput and peak memory.

    python bench/speed.py                       # defaults: the kratom article and the NIH corpus
    python bench/speed.py --runs 15             # more runs for the latency medians
    python bench/speed.py --file article.md --corpus path/to/folder

It prints:
  (a) latency of one whole process, `python -m healthlint check FILE` (start-up included), as the
      median and minimum of N runs; and the same with `--select missing-citation`, which leaves
      out the reading-level rule (and so the textstat import) to show what that rule costs;
  (b) throughput over a folder (default ../shared/corpus/nih): linting every file in this process
      (rules loaded once, then read_source + lint_source per file), and one CLI process over the
      folder;
  (c) peak resident memory of this process after the in-process run.

Standard library only, plus healthlint itself (this checkout, not an installed copy).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED = REPO.parent / "shared"
DEFAULT_FILE = SHARED / "fixtures" / "kratom-article.txt"
DEFAULT_CORPUS = SHARED / "corpus" / "nih"

sys.path.insert(0, str(REPO))


def _env() -> dict[str, str]:
    """Environment for child processes: import healthlint from this checkout."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return env


def _cli(args: list[str]) -> tuple[float, int, str]:
    """Run `python -m healthlint ARGS` once; wall seconds, exit code, stderr."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "healthlint", *args],
        cwd=REPO,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    return time.perf_counter() - start, proc.returncode, proc.stderr.decode("utf-8", "replace")


def _peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    peak = resource.getrusage(who).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(headers, *rows)]
    def line(cells):
        return "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *(line(r) for r in rows)])


def latency(file: Path, runs: int) -> None:
    print(f"(a) single-file latency, whole process, {runs} runs: {file}")
    if not file.is_file():
        print(f"    skipped: {file} does not exist (give one with --file)")
        return
    rows = []
    for label, extra in (("all rules", []), ("--select missing-citation", ["--select", "missing-citation"])):
        times = []
        for _ in range(runs):
            seconds, code, err = _cli(["check", *extra, str(file)])
            if code not in (0, 1):
                print(f"    healthlint exited {code}: {err.strip()}")
                return
            times.append(seconds)
        rows.append([label, f"{statistics.median(times) * 1000:.0f}", f"{min(times) * 1000:.0f}"])
    baseline = []
    for _ in range(runs):
        seconds, _, _ = _cli(["--version"])
        baseline.append(seconds)
    rows.append(["--version (start-up only)", f"{statistics.median(baseline) * 1000:.0f}", f"{min(baseline) * 1000:.0f}"])
    print(_table(["command", "median ms", "min ms"], rows))
    print()


def throughput(corpus: Path) -> None:
    print(f"(b) throughput over {corpus}")
    if not corpus.is_dir():
        print(f"    skipped: {corpus} does not exist (give a folder with --corpus)")
        return

    from healthlint.discovery import discover
    from healthlint.engine import lint_source
    from healthlint.ruleset import load_rules
    from healthlint.source import InputError, read_source

    rss_before = _peak_rss_mb()
    start = time.perf_counter()
    # The rules a plain `healthlint check` runs: opt-in rules (grammar) stay off.
    rules = [r for r in load_rules().rules if r.info.enabled]
    load_seconds = time.perf_counter() - start
    files = list(discover([str(corpus)]))
    total_bytes = words = findings = checked = 0
    start = time.perf_counter()
    for path in files:
        try:
            source = read_source(path)
        except InputError as exc:
            print(f"    unreadable: {exc}")
            continue
        total_bytes += os.path.getsize(path)
        words += len(source.text.split())
        checked += 1
        findings += len(lint_source(source, rules).findings)
    in_process = time.perf_counter() - start
    rss_after = _peak_rss_mb()

    cli_seconds, code, err = _cli(["check", "--fail-on", "never", str(corpus)])
    if code != 0:
        print(f"    the CLI exited {code}: {err.strip()[:200]}")
    cli_rss = _peak_rss_mb(resource.RUSAGE_CHILDREN)

    mb = total_bytes / 1_000_000
    rows = [
        ["in-process (lint_source)", f"{checked}", f"{words:,}", f"{mb:.2f}", f"{in_process:.2f}",
         f"{mb / in_process:.2f}", f"{words / in_process:,.0f}"],
        ["one CLI process", f"{checked}", f"{words:,}", f"{mb:.2f}", f"{cli_seconds:.2f}",
         f"{mb / cli_seconds:.2f}", f"{words / cli_seconds:,.0f}"],
    ]
    print(_table(["run", "files", "words", "MB", "seconds", "MB/s", "words/s"], rows))
    print(f"    rules loaded once in {load_seconds * 1000:.0f} ms (not in the in-process seconds); {findings} findings")
    print()
    print("(c) peak RSS (resource.getrusage ru_maxrss)")
    print(_table(
        ["process", "peak MB"],
        [
            ["this process, before linting", f"{rss_before:.1f}"],
            ["this process, after the in-process run", f"{rss_after:.1f}"],
            ["largest child (the latency runs and the CLI run)", f"{cli_rss:.1f}"],
        ],
    ))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time healthlint: latency, throughput, memory.")
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help=f"file for the latency runs (default: {DEFAULT_FILE})")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help=f"folder for the throughput run (default: {DEFAULT_CORPUS})")
    parser.add_argument("--runs", type=int, default=7, help="runs per latency measurement (default: 7)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    print(f"healthlint speed, Python {sys.version.split()[0]} on {sys.platform}")
    print()
    latency(args.file.resolve(), args.runs)
    throughput(args.corpus.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
