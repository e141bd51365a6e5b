"""How fast is healthlint, side by side with proselint 0.16? Whole processes, start-up included.

    python bench/speed.py                     # everything: 5 runs a row (takes many minutes)
    python bench/speed.py --quick             # 2 runs a row, smaller pathological inputs
    python bench/speed.py --only corpus       # one section (repeat --only for more)
    python bench/speed.py --no-peer --runs 9  # healthlint alone, 9 runs a row

healthlint runs from this checkout (`python -m healthlint`, PYTHONPATH set to the repository;
if PYTHONDONTWRITEBYTECODE is set, its children run without it and keep their bytecode under
~/.cache/healthlint-bench/pycache, so start-up is what an installed copy pays; each section
starts with one untimed run). Children run in the temporary folder, so nothing they write by
default (a .healthlint_cache, say) lands in the checkout.
proselint 0.16 is a benchmark-only peer, never a dependency of healthlint: the first run creates
a venv for it outside the repository (default ~/.cache/healthlint-bench/proselint-0.16, or
--peer-venv DIR; the folder gets a `.gitignore` of `*`) and pip-installs `proselint==0.16.*`;
later runs reuse it. If that fails, the peer columns say so and healthlint's numbers still print.
proselint 0.16's command line is `proselint check PATH...`; it walks folders itself
(.md, .txt, .markdown, .rtf, .html, .tex) and has no cache and no parallelism.

Every number is a whole process timed from spawn to exit; os.wait4 gives each child's own CPU
time and peak RSS (ru_maxrss of that process tree's largest process, not a sum). Rows that
compare the two tools alternate them, healthlint then proselint, round after round, so drift on
this shared machine hits both; "hl/pl" is the median of the per-round ratios of wall time.
Columns: runs, median and min wall seconds, median CPU seconds (user + sys, steadier than wall
when other work shares the CPU), peak RSS in MB. The load average is printed before and after.

Sections (names for --only):
  single        the seed article, a 10 KB Markdown file (NIH files concatenated to 10 KB) and
                `--version` / `proselint version`: start-up dominated latency
  corpus        the NIH corpus folder (298 files, 4.0 MB) with `check --fail-on never --no-cache
                --jobs 1`, and `--jobs 2`, against proselint on the same folder: seconds and MB/s
  cache         the corpus with a fresh --cache-dir: a cold run fills it, a warm run re-reads it;
                warm as a % of cold
  memory        peak RSS on the whole corpus concatenated into one 4 MB Markdown file, both tools
  lsp           language-server time to first diagnostics: runs bench/lsp_latency.py if present
  pathological  healthlint on the inputs from bench/pathological.py, each at two sizes four times
                apart: net seconds per MB, from CPU time (a process's CPU seconds minus those of a
                one-line file, the start-up; wall time on this shared machine swings with other
                people's work) next to the corpus's net s/MB (goal: at most 3x), and the growth
                factor per doubling of the input (about 2x is linear, about 4x quadratic). Each run
                has a --timeout (default 120 s) and prints "timeout" instead of hanging; a run over
                30 s is not repeated, and the larger size is skipped when the smaller one failed.

`healthlint check` options that this checkout does not have yet (--jobs, --no-cache,
--cache-dir; read from `check --help`) are dropped with a printed note. Generated inputs live in
a temporary folder that is removed at the end. Standard library only.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from pathological import Input, size_label, write_inputs

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED = REPO.parent / "shared"
DEFAULT_SEED = SHARED / "fixtures" / "kratom-article.txt"
DEFAULT_CORPUS = SHARED / "corpus" / "nih"
LSP_SCRIPT = HERE / "lsp_latency.py"

PEER_SPEC = "proselint==0.16.*"
PEER_VERSION_PREFIX = "0.16."
SECTIONS = ("single", "corpus", "cache", "memory", "lsp", "pathological")

MB = 1_000_000
SMALL_MD_BYTES = 10 * 1024
LONG_TIMEOUT = 1800.0  # corpus-sized runs: generous, but never hang forever
PATHOLOGICAL_MAX_RUNS = 3
SLOW_RUN_SECONDS = 30.0  # a pathological input this slow is not repeated
GOAL_TIMES_CORPUS = 3.0

HEALTHLINT_SUFFIXES = {".md", ".markdown", ".txt"}
PROSELINT_SUFFIXES = {".md", ".txt", ".rtf", ".html", ".tex", ".markdown"}


# ---------------------------------------------------------------- running one whole process


@dataclass(frozen=True)
class Sample:
    """One finished (or killed) child process."""

    wall: float
    cpu: float
    peak_mb: float
    exit_code: int | None  # None: killed at the timeout
    stderr: str

    @property
    def timed_out(self) -> bool:
        return self.exit_code is None


@dataclass(frozen=True)
class Command:
    label: str
    argv: list[str]
    env: dict[str, str]
    ok_codes: frozenset[int]
    timeout: float = LONG_TIMEOUT
    is_peer: bool = False
    before: Callable[[], None] | None = None  # run before each timed run, untimed


def maxrss_mb(kilobytes_or_bytes: int) -> float:
    # Linux reports kilobytes, macOS bytes.
    return kilobytes_or_bytes / MB if sys.platform == "darwin" else kilobytes_or_bytes / 1024


def kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)  # the child leads its own group: workers die with it
    except (ProcessLookupError, PermissionError):
        pass


def run_once(command: Command, cwd: Path) -> Sample:
    """Spawn the command, wait for it (or kill it at the timeout), return its own rusage."""
    if command.before:
        command.before()
    killed = threading.Event()

    def on_timeout() -> None:
        killed.set()
        kill_group(proc.pid)

    with tempfile.TemporaryFile() as err:  # a file, not a pipe: a chatty child cannot block
        start = time.perf_counter()
        proc = subprocess.Popen(
            command.argv, cwd=cwd, env=command.env, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=err, start_new_session=True,
        )
        timer = threading.Timer(command.timeout, on_timeout)
        timer.start()
        if hasattr(os, "waitid"):
            # Wait without reaping first, so the timer can never signal a recycled pid.
            os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)
            wall = time.perf_counter() - start
            timer.cancel()
            timer.join()
            _, status, usage = os.wait4(proc.pid, 0)
        else:
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    return Sample(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_mb=maxrss_mb(usage.ru_maxrss),
        exit_code=None if killed.is_set() else proc.returncode,
        stderr=stderr,
    )


def failure(sample: Sample, command: Command) -> str | None:
    """Why this sample does not count, or None if it does."""
    if sample.timed_out:
        return f"timeout (> {command.timeout:g} s)"
    if sample.exit_code not in command.ok_codes:
        last = sample.stderr.strip().splitlines()[-1:] or ["no message"]
        return f"exit {sample.exit_code}: {last[0][:160]}"
    return None


@dataclass
class Series:
    """The samples of one command; a failure stops the series."""

    command: Command
    samples: list[Sample] = field(default_factory=list)
    error: str | None = None

    @property
    def walls(self) -> list[float]:
        return [s.wall for s in self.samples]

    @property
    def short_error(self) -> str:
        """What a table cell says about the failure; the whole message goes under the table."""
        return "timeout" if (self.error or "").startswith("timeout") else "error"


def measure(commands: Sequence[Command], rounds: int, cwd: Path) -> list[Series]:
    """Run every command once per round, in order (A B A B ...), so drift hits all of them."""
    series = [Series(command) for command in commands]
    for _ in range(rounds):
        for item in series:
            if item.error:
                continue
            sample = run_once(item.command, cwd)
            item.error = failure(sample, item.command)
            if not item.error:
                item.samples.append(sample)
    return series


def median_cpu(series: Series) -> float | None:
    return statistics.median(s.cpu for s in series.samples) if series.samples else None


def median_ratio(numerators: list[float], denominators: list[float]) -> float | None:
    pairs = [a / b for a, b in zip(numerators, denominators) if b > 0]
    return statistics.median(pairs) if pairs else None


# ---------------------------------------------------------------- printing


def fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds:.3f}" if seconds < 10 else f"{seconds:.1f}"


def fmt_ratio(ratio: float | None) -> str:
    return "-" if ratio is None else f"{ratio:.2f}x"


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            str(cell).ljust(width) if i == 0 else str(cell).rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths))
        ).rstrip()

    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *(line(r) for r in rows)])


def indent(text: str, by: str = "    ") -> str:
    return "\n".join((by + line).rstrip() for line in text.splitlines())


TIMING_HEADERS = ["command", "runs", "median s", "min s", "cpu s", "peak MB"]


def timing_cells(series: Series) -> list[str]:
    """The TIMING_HEADERS cells after the label; a series that never finished says why in brief."""
    if not series.samples:
        return ["0", series.short_error, "", "", ""]
    samples = series.samples
    runs = f"{len(samples)}" + ("!" if series.error else "")
    return [
        runs,
        fmt_s(statistics.median(series.walls)),
        fmt_s(min(series.walls)),
        fmt_s(statistics.median(s.cpu for s in samples)),
        f"{max(s.peak_mb for s in samples):.0f}",
    ]


def print_errors(series: Sequence[Series]) -> None:
    for item in series:
        if item.error:
            print(f"    ! {item.command.label}: {item.error} (after {len(item.samples)} good runs)")


def heading(title: str) -> None:
    print()
    print(f"== {title}")


# ---------------------------------------------------------------- the two tools


@dataclass(frozen=True)
class Capabilities:
    """Which of the newer `healthlint check` options this checkout has."""

    jobs: bool
    no_cache: bool
    cache_dir: bool

    def notes(self) -> list[str]:
        missing = [name for name, has in (("--jobs", self.jobs), ("--no-cache", self.no_cache),
                                          ("--cache-dir", self.cache_dir)) if not has]
        if not missing:
            return []
        return [f"note: `healthlint check --help` lists no {', '.join(missing)}: those options are dropped"
                " (and the rows that need them are skipped)"]


def has_option(help_text: str, option: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", help_text) is not None


@dataclass
class Healthlint:
    """How to run healthlint from this checkout."""

    env: dict[str, str]
    caps: Capabilities
    throwaway_cache: Path  # HEALTHLINT_CACHE_DIR for runs that must not use a cache

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "healthlint", *args]

    def check(self, paths: Sequence[Path], *, jobs: int | None = 1, cache_dir: Path | None = None,
              timeout: float = LONG_TIMEOUT, label: str | None = None) -> Command:
        """`healthlint check --fail-on never`, cold (--no-cache) unless cache_dir is given."""
        args = ["check", "--fail-on", "never"]
        env = dict(self.env, HEALTHLINT_CACHE_DIR=str(cache_dir or self.throwaway_cache))
        if cache_dir is None and self.caps.no_cache:
            args.append("--no-cache")
        if cache_dir is not None and self.caps.cache_dir:
            args += ["--cache-dir", str(cache_dir)]
        if jobs is not None and self.caps.jobs:
            args += ["--jobs", str(jobs)]
        shown = " ".join(args[3:])  # the options beyond `check --fail-on never`
        return Command(label or f"healthlint check {shown}".rstrip(), self.argv(*args, *map(str, paths)),
                       env, frozenset({0}), timeout)


def healthlint_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    env.pop("HEALTHLINT_CACHE_DIR", None)
    if env.pop("PYTHONDONTWRITEBYTECODE", None):
        # Without bytecode every process would recompile healthlint, which an installed copy
        # never does (proselint's venv has its bytecode from pip). Keep it out of the checkout.
        env.setdefault("PYTHONPYCACHEPREFIX", str(bench_cache() / "pycache"))
    return env


def bytecode_note(env: dict[str, str]) -> str | None:
    if os.environ.get("PYTHONDONTWRITEBYTECODE") and "PYTHONPYCACHEPREFIX" in env:
        return (f"note: PYTHONDONTWRITEBYTECODE is set; healthlint's children run without it and keep their"
                f" bytecode in {env['PYTHONPYCACHEPREFIX']}, as an installed healthlint would have it")
    return None


def detect_capabilities(env: dict[str, str]) -> Capabilities:
    wide = dict(env, COLUMNS="250", NO_COLOR="1", TERM="dumb")  # keep option names unwrapped
    proc = subprocess.run([sys.executable, "-m", "healthlint", "check", "--help"], cwd=REPO, env=wide,
                          capture_output=True, text=True, timeout=120)
    text = proc.stdout + proc.stderr
    return Capabilities(jobs=has_option(text, "--jobs"), no_cache=has_option(text, "--no-cache"),
                        cache_dir=has_option(text, "--cache-dir"))


@dataclass(frozen=True)
class Peer:
    """proselint, installed in its own venv."""

    executable: Path
    version: str

    @property
    def label(self) -> str:
        return f"proselint {self.version}"

    def command(self, *args: str, suffix: str = "", timeout: float = LONG_TIMEOUT) -> Command:
        label = f"{self.label} {args[0]}{suffix}"
        return Command(label, [str(self.executable), *args], peer_env(), frozenset({0, 1}), timeout, is_peer=True)

    def check(self, paths: Sequence[Path], suffix: str = "") -> Command:
        return self.command("check", *map(str, paths), suffix=suffix)


def peer_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return env


def bench_cache() -> Path:
    """Where the peer venv and healthlint's bytecode live between runs: outside the checkout."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "healthlint-bench"


def default_peer_venv() -> Path:
    return bench_cache() / "proselint-0.16"


def installed_peer_version(executable: Path) -> str | None:
    if not executable.exists():
        return None
    try:
        proc = subprocess.run([str(executable), "version"], capture_output=True, text=True, timeout=60,
                              env=peer_env())
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r"(\d+\.\d+\.\d+\S*)", proc.stdout + proc.stderr)
    return match.group(1) if match and match.group(1).startswith(PEER_VERSION_PREFIX) else None


def ensure_peer(venv: Path) -> Peer | str:
    """proselint 0.16 from `venv`, creating and installing it the first time; or why not."""
    executable = venv / "bin" / "proselint"
    version = installed_peer_version(executable)
    if version:
        return Peer(executable, version)
    if venv.exists() and any(venv.iterdir()) and not (venv / "pyvenv.cfg").exists():
        return f"{venv} exists and is not a venv; give an empty or new folder with --peer-venv"
    print(f"installing {PEER_SPEC} into {venv} (first run only) ...", flush=True)
    steps = [
        [sys.executable, "-m", "venv", "--clear", str(venv)],
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         PEER_SPEC],
    ]
    for step in steps:
        try:
            proc = subprocess.run(step, capture_output=True, text=True, timeout=900, env=peer_env())
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"`{' '.join(step[:4])}` failed: {exc}"
        if proc.returncode != 0:
            last = (proc.stderr.strip() or proc.stdout.strip()).splitlines()[-1:] or ["no message"]
            return f"`{' '.join(step[:4])} ...` exited {proc.returncode}: {last[0][:200]}"
        if step[2] == "venv":
            (venv / ".gitignore").write_text("# throwaway venv for bench/speed.py\n*\n", encoding="utf-8")
    version = installed_peer_version(executable)
    return Peer(executable, version) if version else f"{executable} does not report a 0.16 version"


# ---------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Corpus:
    folder: Path
    files: list[Path]  # what healthlint checks in the folder
    peer_file_count: int  # what proselint checks in the folder

    @property
    def bytes(self) -> int:
        return sum(path.stat().st_size for path in self.files)

    @property
    def mb(self) -> float:
        return self.bytes / MB


def walk_files(folder: Path, suffixes: set[str], *, skip_hidden: bool) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        if skip_hidden:
            dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += [Path(root, f) for f in files if Path(f).suffix in suffixes]
    return sorted(found)


def load_corpus(folder: Path) -> Corpus:
    return Corpus(folder, walk_files(folder, HEALTHLINT_SUFFIXES, skip_hidden=True),
                  len(walk_files(folder, PROSELINT_SUFFIXES, skip_hidden=False)))


def concatenated(files: Sequence[Path], limit: int | None = None) -> str:
    """The files joined by blank lines; with `limit`, cut at the last paragraph break before it."""
    text = "\n\n".join(path.read_text(encoding="utf-8").strip() for path in files) + "\n"
    if limit is None or len(text.encode("utf-8")) <= limit:
        return text
    cut = text.encode("utf-8")[:limit].decode("utf-8", "ignore")
    return cut[: cut.rfind("\n\n")].rstrip() + "\n" if "\n\n" in cut else cut


# ---------------------------------------------------------------- the sections


@dataclass
class Bench:
    healthlint: Healthlint
    peer: Peer | None
    peer_problem: str | None
    corpus: Corpus
    seed: Path
    work: Path  # temporary folder for generated inputs and caches
    runs: int
    quick: bool
    timeout: float
    # Filled in by sections, reused by later ones.
    corpus_cpu: float | None = None  # healthlint --jobs 1, median CPU seconds
    peer_corpus_seconds: float | None = None  # proselint, median wall

    @property
    def one_line_file(self) -> Path:
        path = self.work / "one-line.md"
        if not path.exists():
            path.write_text("Kratom is a plant.\n", encoding="utf-8")
        return path

    def warm_up(self) -> None:
        """One untimed run, so a section's first sample does not pay for recompiling bytecode
        (other people edit this checkout) or a cold disk cache."""
        run_once(self.healthlint.check([self.one_line_file], jobs=1), self.work)

    def peer_row(self, make: Callable[[Peer], Command]) -> list[Command]:
        return [make(self.peer)] if self.peer else []

    def peer_missing_note(self) -> None:
        if self.peer_problem:
            print(f"    proselint unavailable: {self.peer_problem}")


def compare_rows(series: list[Series], extra: Callable[[Series], list[str]] | None = None) -> list[list[str]]:
    """Timing rows; healthlint rows get hl/pl against the proselint series (the last, if any)."""
    peer = next((s for s in series if s.command.is_peer), None)
    rows = []
    for item in series:
        ratio = None
        if peer and item is not peer and item.samples and peer.samples:
            ratio = median_ratio(item.walls, peer.walls)
        cells = [item.command.label, *timing_cells(item)]
        if extra:
            cells += extra(item)
        rows.append([*cells, "" if item is peer else fmt_ratio(ratio)])
    return rows


def section_single(bench: Bench) -> None:
    small_md = bench.work / "nih-10k.md"
    small_md.write_text(concatenated(bench.corpus.files, SMALL_MD_BYTES), encoding="utf-8")
    heading(f"single files, whole process, {bench.runs} rounds alternating healthlint and proselint")
    bench.peer_missing_note()
    hl = bench.healthlint
    cases = [
        (f"seed article ({bench.seed.name}, {bench.seed.stat().st_size / 1024:.1f} KB)",
         [hl.check([bench.seed], jobs=None),
          *bench.peer_row(lambda p: p.check([bench.seed]))]),
        (f"10 KB Markdown ({small_md.stat().st_size:,} bytes of NIH files)",
         [hl.check([small_md], jobs=None),
          *bench.peer_row(lambda p: p.check([small_md]))]),
        ("start-up only",
         [Command("healthlint --version", hl.argv("--version"), hl.env, frozenset({0})),
          *bench.peer_row(lambda p: p.command("version"))]),
    ]
    for title, commands in cases:
        series = measure(commands, bench.runs, bench.work)
        print(f"  {title}")
        print(indent(table([*TIMING_HEADERS, "hl/pl"], compare_rows(series))))
        print_errors(series)


def section_corpus(bench: Bench) -> None:
    corpus, hl = bench.corpus, bench.healthlint
    heading(f"corpus: {corpus.folder} ({len(corpus.files)} files, {corpus.mb:.2f} MB), "
            f"{bench.runs} rounds alternating")
    bench.peer_missing_note()
    if corpus.peer_file_count != len(corpus.files):
        print(f"    note: proselint checks {corpus.peer_file_count} files in this folder, healthlint {len(corpus.files)}")
    commands = [hl.check([corpus.folder], jobs=1)]
    if hl.caps.jobs:
        commands.append(hl.check([corpus.folder], jobs=2))
    else:
        print("    note: no --jobs option yet: the --jobs 2 row is skipped")
    commands += bench.peer_row(lambda p: p.check([corpus.folder], suffix=" (folder)"))
    series = measure(commands, bench.runs, bench.work)

    def throughput(item: Series) -> list[str]:
        return [f"{corpus.mb / statistics.median(item.walls):.3f}" if item.samples else "-"]

    print(indent(table([*TIMING_HEADERS, "MB/s", "hl/pl"], compare_rows(series, throughput))))
    print_errors(series)
    if series[0].samples:
        bench.corpus_cpu = median_cpu(series[0])
    if bench.peer and series[-1].samples:
        bench.peer_corpus_seconds = statistics.median(series[-1].walls)


def section_cache(bench: Bench) -> None:
    corpus, hl = bench.corpus, bench.healthlint
    heading(f"warm cache: the corpus again with the cache a cold run filled, {bench.runs} rounds")
    if not (hl.caps.cache_dir or hl.caps.no_cache):
        print("    skipped: `healthlint check --help` lists neither --cache-dir nor --no-cache, so there is no cache yet")
        return
    if not hl.caps.cache_dir:
        print("    note: no --cache-dir option: the cache folder is given with HEALTHLINT_CACHE_DIR")
    cache_dir = bench.work / "cache"
    cold = hl.check([corpus.folder], jobs=1, cache_dir=cache_dir, label="cold: empty cache (fills it)")
    cold = replace(cold, before=lambda: shutil.rmtree(cache_dir, ignore_errors=True))
    warm = hl.check([corpus.folder], jobs=1, cache_dir=cache_dir, label="warm: the same cache")
    series = measure([cold, warm], bench.runs, bench.work)
    rows = [[item.command.label, *timing_cells(item)] for item in series]
    print(indent(table(TIMING_HEADERS, rows)))
    print_errors(series)
    if all(item.samples for item in series):
        shares = [warm / cold for warm, cold in zip(series[1].walls, series[0].walls)]
        print(f"    warm run = {statistics.median(shares) * 100:.1f}% of the cold run (median of per-round"
              f" ratios; per round: {', '.join(f'{x * 100:.0f}%' for x in shares)})")
        if max(shares) > 0.5:
            print("    (a warm run above 50% probably missed the cache: the cache is keyed on healthlint's"
                  " code, so an edit to the checkout between the two runs empties it)")
        if bench.peer_corpus_seconds:
            print(f"    warm run / proselint's corpus median: "
                  f"{statistics.median(series[1].walls) / bench.peer_corpus_seconds:.2f}x")


def section_memory(bench: Bench) -> None:
    big = bench.work / "nih-corpus.md"
    big.write_text(concatenated(bench.corpus.files), encoding="utf-8")
    mb = big.stat().st_size / MB
    heading(f"peak memory: the whole corpus as one Markdown file ({mb:.2f} MB), one run each")
    bench.peer_missing_note()
    commands = [bench.healthlint.check([big], jobs=1, label="healthlint check (one file)"),
                *bench.peer_row(lambda p: p.check([big], suffix=" (one file)"))]
    series = measure(commands, 1, bench.work)
    rows = []
    for item in series:
        sample = item.samples[0] if item.samples else None
        rows.append([item.command.label,
                     f"{sample.peak_mb:.0f}" if sample else item.short_error,
                     fmt_s(sample.wall) if sample else "-",
                     fmt_s(sample.cpu) if sample else "-",
                     f"{mb / sample.wall:.3f}" if sample else "-"])
    print(indent(table(["command", "peak MB", "wall s", "cpu s", "MB/s"], rows)))
    print_errors(series)
    if len(series) == 2 and all(item.samples for item in series):
        hl_peak, pl_peak = (item.samples[0].peak_mb for item in series)
        print(f"    peak RSS healthlint / proselint: {hl_peak / pl_peak:.2f}x")


def section_lsp(bench: Bench) -> None:
    heading("language server: time to first diagnostics")
    if not LSP_SCRIPT.exists():
        print(f"    missing: {LSP_SCRIPT.relative_to(REPO)} does not exist yet, so nothing is measured")
        return
    args = [sys.executable, str(LSP_SCRIPT)]
    try:
        help_text = subprocess.run([*args, "--help"], capture_output=True, text=True, cwd=REPO,
                                   env=bench.healthlint.env, timeout=60).stdout
    except subprocess.TimeoutExpired:
        help_text = ""
    if has_option(help_text, "--runs"):
        args += ["--runs", str(bench.runs)]
    print(f"    $ python {' '.join([str(LSP_SCRIPT.relative_to(REPO)), *args[2:]])}")
    try:
        proc = subprocess.run(args, capture_output=True, text=True, cwd=REPO, env=bench.healthlint.env,
                              timeout=LONG_TIMEOUT)
    except subprocess.TimeoutExpired:
        print(f"    timeout (> {LONG_TIMEOUT:g} s)")
        return
    print(indent(proc.stdout.rstrip()) if proc.stdout.strip() else "    (no output)")
    if proc.returncode != 0:
        print(f"    exited {proc.returncode}: {proc.stderr.strip()[-400:]}")


@dataclass(frozen=True)
class Point:
    """One pathological input at one size, and its runs."""

    item: Input
    series: Series | None  # None: not run (the smaller size already failed)

    @property
    def cpu(self) -> float | None:
        return median_cpu(self.series) if self.series else None

    @property
    def mb(self) -> float:
        return self.item.actual_bytes / MB


def net_seconds_per_mb(cpu: float | None, mb: float, startup: float) -> float | None:
    return None if cpu is None else max(cpu - startup, 0.0) / mb


def growth_per_doubling(small: Point, large: Point, startup: float) -> float | None:
    """(net large / net small) ** (1 / doublings): 2 for linear time, 4 for quadratic."""
    if small.cpu is None or large.cpu is None:
        return None
    net_small, net_large = small.cpu - startup, large.cpu - startup
    if net_small <= 0 or net_large <= 0:
        return None
    return (net_large / net_small) ** (1 / math.log2(large.mb / small.mb))


def pathological_runs(bench: Bench) -> int:
    return 1 if bench.quick else min(bench.runs, PATHOLOGICAL_MAX_RUNS)


def measure_point(bench: Bench, item: Input, runs: int) -> Series:
    """Up to `runs` runs; a run slower than SLOW_RUN_SECONDS is not repeated."""
    command = bench.healthlint.check([item.path], jobs=1, timeout=bench.timeout, label=item.path.name)
    series = Series(command)
    for _ in range(runs):
        sample = run_once(command, bench.work)
        series.error = failure(sample, command)
        if series.error:
            break
        series.samples.append(sample)
        if sample.wall > SLOW_RUN_SECONDS:
            break
    return series


def section_pathological(bench: Bench) -> None:
    hl = bench.healthlint
    runs = pathological_runs(bench)
    heading(f"pathological inputs (healthlint alone; up to {runs} runs each, timeout {bench.timeout:g} s)")
    startup = measure([hl.check([bench.one_line_file], jobs=1)], max(runs, 3), bench.work)[0]
    if not startup.samples:
        print(f"    healthlint fails on a one-line file: {startup.error}")
        return
    startup_cpu = median_cpu(startup) or 0.0
    if bench.corpus_cpu is None:
        print("    (the corpus section did not run: one corpus run for the reference s/MB)")
        reference = measure([hl.check([bench.corpus.folder], jobs=1)], 1, bench.work)[0]
        bench.corpus_cpu = median_cpu(reference)
        print_errors([reference])
    corpus_rate = net_seconds_per_mb(bench.corpus_cpu, bench.corpus.mb, startup_cpu)
    # CPU seconds, not wall: other work on this shared machine can double a wall time, not a CPU time.
    print(f"    net s/MB = (CPU seconds - {fmt_s(startup_cpu)} s, the CPU start-up of a one-line file) / MB")
    print(f"    corpus (--jobs 1): {fmt_s(corpus_rate)} net s/MB; goal: every input at most "
          f"{GOAL_TIMES_CORPUS:g}x that")

    inputs = write_inputs(bench.work / "pathological", bench.corpus.folder, quick=bench.quick)
    rows, points = [], []
    for small_item, large_item in zip(inputs[::2], inputs[1::2]):
        small = Point(small_item, measure_point(bench, small_item, runs))
        large = Point(large_item, measure_point(bench, large_item, runs) if small.cpu is not None else None)
        growth = growth_per_doubling(small, large, startup_cpu)
        points += [small, large]
        rows.append(pathological_row(small, corpus_rate, startup_cpu, None))
        rows.append(pathological_row(large, corpus_rate, startup_cpu, growth))
    print(indent(table(["input", "size", "runs", "median s", "cpu s", "peak MB", "net s/MB", "x corpus",
                        "goal", "per doubling"], rows)))
    print_errors([point.series for point in points if point.series])
    print("    per doubling: how much the net CPU time grows when the input doubles (~2x linear, ~4x quadratic);")
    print("    skipped: the smaller size already failed")


def pathological_row(point: Point, corpus_rate: float | None, startup_cpu: float,
                     growth: float | None) -> list[str]:
    name = point.item.pathology.name
    size = size_label(point.item.size)
    if point.series is None:
        return [name, size, "0", "skipped", "", "", "", "", "", ""]
    if point.cpu is None:
        return [name, size, "0", point.series.short_error, "", "", "", "", "", ""]
    samples = point.series.samples
    rate = net_seconds_per_mb(point.cpu, point.mb, startup_cpu)
    times = rate / corpus_rate if rate is not None and corpus_rate else None
    goal = "" if times is None else ("ok" if times <= GOAL_TIMES_CORPUS else "OVER")
    return [name, size, f"{len(samples)}", fmt_s(statistics.median(point.series.walls)), fmt_s(point.cpu),
            f"{max(s.peak_mb for s in samples):.0f}", fmt_s(rate), fmt_ratio(times), goal,
            fmt_ratio(growth) if growth is not None else ""]


SECTION_FUNCTIONS: dict[str, Callable[[Bench], None]] = {
    "single": section_single,
    "corpus": section_corpus,
    "cache": section_cache,
    "memory": section_memory,
    "lsp": section_lsp,
    "pathological": section_pathological,
}


# ---------------------------------------------------------------- main


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def healthlint_version(env: dict[str, str]) -> str:
    proc = subprocess.run([sys.executable, "-m", "healthlint", "--version"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    return (proc.stdout.strip() or proc.stderr.strip()).splitlines()[-1] if proc.returncode == 0 else "unknown"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="healthlint's speed, side by side with proselint 0.16.")
    parser.add_argument("--runs", type=int, metavar="N", help="rounds per row (default 5; 2 with --quick)")
    parser.add_argument("--quick", action="store_true", help="fewer runs and smaller pathological inputs")
    parser.add_argument("--only", action="append", choices=SECTIONS, metavar="NAME",
                        help=f"run only this section (repeatable): {', '.join(SECTIONS)}")
    parser.add_argument("--no-peer", action="store_true", help="skip proselint")
    parser.add_argument("--peer-venv", type=Path, default=default_peer_venv(), metavar="DIR",
                        help="venv for proselint 0.16, created on first use (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=120.0, metavar="SECONDS",
                        help="seconds before a pathological run is killed (default: %(default)s)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, metavar="DIR", help="corpus folder (default: %(default)s)")
    parser.add_argument("--file", type=Path, default=DEFAULT_SEED, metavar="FILE", help="seed article (default: %(default)s)")
    args = parser.parse_args(argv)
    args.runs = args.runs if args.runs is not None else (2 if args.quick else 5)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if not args.corpus.is_dir():
        parser.error(f"{args.corpus}: no such folder (give the NIH corpus with --corpus)")
    if not args.file.is_file():
        parser.error(f"{args.file}: no such file (give the seed article with --file)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    env = healthlint_env()
    caps = detect_capabilities(env)
    peer: Peer | None = None
    peer_problem = None
    if not args.no_peer:
        found = ensure_peer(args.peer_venv.expanduser().resolve())
        peer, peer_problem = (found, None) if isinstance(found, Peer) else (None, found)

    print(f"healthlint speed: {healthlint_version(env)} from {REPO}, Python {sys.version.split()[0]} "
          f"on {sys.platform}, {os.cpu_count()} CPUs")
    if peer:
        print(f"peer: {peer.label} ({peer.executable})")
    else:
        print(f"peer: {'skipped (--no-peer)' if args.no_peer else 'proselint unavailable: ' + str(peer_problem)}")
    for note in [bytecode_note(env), *caps.notes()]:
        if note:
            print(note)
    print(f"runs per row: {args.runs}{' (--quick)' if args.quick else ''}; load average at start: {load_average()}")

    with tempfile.TemporaryDirectory(prefix="healthlint-speed-") as work:
        bench = Bench(
            healthlint=Healthlint(env, caps, Path(work) / "unused-cache"),
            peer=peer, peer_problem=peer_problem,
            corpus=load_corpus(args.corpus.resolve()), seed=args.file.resolve(), work=Path(work),
            runs=args.runs, quick=args.quick, timeout=args.timeout,
        )
        started = time.perf_counter()
        for name in SECTIONS:
            if not args.only or name in args.only:
                bench.warm_up()
                SECTION_FUNCTIONS[name](bench)
    print()
    print(f"done in {time.perf_counter() - started:.0f} s; load average at end: {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
