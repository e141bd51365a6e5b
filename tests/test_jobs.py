"""`healthlint check --jobs N`: the same report, byte for byte, as one process; errors name the file.

The CLI runs in this process (conftest.invoke). Workers are forked from it, so a function
patched here is patched in the workers too: that is how these tests see which process linted
a file, and make a rule fail. MIN_PARALLEL_CHARS is lowered so a few small files are enough
to start workers.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, invoke, write

from healthlint import engine, jobs

C = "Our CBD gummies have zero side effects.\n"  # unhedged-safety-claim (warning)
O = "Kratom offers a natural alternative to opioids.\n"  # opioid-substitution (error)
LONG = "The clinic, which opened in 2019 and which serves patients from across the county and beyond, offers care that many people in the area have come to rely on every single day.\n"
CLEAN = "Kratom is a plant from Southeast Asia.\n"

needs_fork = pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(), reason="workers are forked only where fork exists")


@pytest.fixture
def small_work_is_enough(monkeypatch):
    monkeypatch.setattr(jobs, "MIN_PARALLEL_CHARS", 1)


@pytest.fixture
def linted_by(monkeypatch, tmp_path):
    """Record which process linted which file (one line per lint, appended by any process)."""
    log = tmp_path / "linted.log"
    real = engine.lint_source

    def recording(source, rules, **kwargs):
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} {source.path}\n")
        return real(source, rules, **kwargs)

    monkeypatch.setattr(engine, "lint_source", recording)

    def read() -> list[tuple[int, str]]:
        if not log.exists():
            return []
        return [(int(pid), path) for pid, path in (line.split(" ", 1) for line in log.read_text(encoding="utf-8").splitlines())]

    return read


def make_folder(root: Path) -> Path:
    """Several files with findings, a clean one, an empty one and one that is not UTF-8."""
    docs = root / "docs"
    write(docs / "a.txt", C + LONG)
    write(docs / "b.md", "# Kratom\n\n" + O + "\n" + C)
    write(docs / "c.txt", CLEAN)
    write(docs / "d" / "e.txt", LONG + O)
    write(docs / "d" / "empty.md", "")
    (docs / "d" / "f.txt").write_bytes(b"Caf\xe9 " + C.encode())
    write(docs / "g.md", "Research suggests kratom is safe.\n\n" + C * 3)
    return docs


def check(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return invoke("check", "--no-cache", *args, cwd=cwd)


# --- the same output as one process ------------------------------------------------------------


@needs_fork
@pytest.mark.parametrize("output_format", ["text", "json", "sarif"])
def test_two_jobs_print_exactly_what_one_job_prints(tmp_path, small_work_is_enough, linted_by, output_format):
    make_folder(tmp_path)
    one = check("--jobs", "1", "--format", output_format, "docs", cwd=tmp_path)
    assert {pid for pid, _ in linted_by()} == {os.getpid()}
    two = check("--jobs", "2", "--format", output_format, "docs", cwd=tmp_path)
    assert (two.returncode, two.stdout, two.stderr) == (one.returncode, one.stdout, one.stderr)
    assert one.returncode == 2  # the file that is not UTF-8
    assert one.stderr == (
        "healthlint: docs/d/empty.md: the file is empty; there is nothing to check\n"
        "healthlint: docs/d/f.txt: byte 3 is not valid UTF-8; save the file as UTF-8 and try again\n"
    )
    # The second run really used workers: other processes linted files.
    second = linted_by()[5:]
    assert len(second) == 5 and any(pid != os.getpid() for pid, _ in second)


@needs_fork
def test_findings_keep_discovery_order_and_per_file_order(tmp_path, small_work_is_enough):
    make_folder(tmp_path)
    result = check("--jobs", "2", "--format", "json", "docs", cwd=tmp_path)
    rows = [(f["path"], f["line"], f["column"], f["rule"]) for f in json.loads(result.stdout)]
    files = list(dict.fromkeys(path for path, *_ in rows))
    assert files == ["docs/a.txt", "docs/b.md", "docs/g.md", "docs/d/e.txt"]
    assert rows == sorted(rows, key=lambda r: (files.index(r[0]), r[1], r[2], r[3]))


@needs_fork
@pytest.mark.parametrize(
    "files, expected",
    [({"a.txt": C, "b.txt": CLEAN}, 1), ({"a.txt": CLEAN, "b.txt": CLEAN}, 0), ({"a.txt": O, "b.txt": b"\x00\x01binary"}, 2)],
)
def test_exit_codes_match_one_job(tmp_path, small_work_is_enough, files, expected):
    for name, content in files.items():
        (tmp_path / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    results = [check("--jobs", n, ".", cwd=tmp_path) for n in ("1", "2")]
    assert [r.returncode for r in results] == [expected, expected]
    assert results[0].stdout == results[1].stdout and results[0].stderr == results[1].stderr


@needs_fork
def test_fail_on_from_each_files_configuration_holds_with_workers(tmp_path, small_work_is_enough):
    write(tmp_path / "strict" / ".healthlint.yaml", "fail-on: info\n")
    write(tmp_path / "strict" / "a.txt", LONG)  # an info only
    write(tmp_path / "lax" / ".healthlint.yaml", "fail-on: never\n")
    write(tmp_path / "lax" / "b.txt", O)
    assert check("--jobs", "2", "lax", cwd=tmp_path).returncode == 0
    assert check("--jobs", "2", "strict", "lax", cwd=tmp_path).returncode == 1


@needs_fork
def test_baseline_and_excluded_paths_work_with_workers(tmp_path, small_work_is_enough):
    docs = make_folder(tmp_path)
    write(tmp_path / ".healthlint.yaml", "exclude: ['docs/d/**']\n")
    written = check("--jobs", "2", "--write-baseline", "base.json", "docs", cwd=tmp_path)
    assert written.returncode == 0
    write(docs / "new.txt", O)
    one = check("--jobs", "1", "--baseline", "base.json", "docs", cwd=tmp_path)
    two = check("--jobs", "2", "--baseline", "base.json", "docs", cwd=tmp_path)
    assert (two.returncode, two.stdout, two.stderr) == (one.returncode, one.stdout, one.stderr)
    assert [line.split(":")[0] for line in one.stdout.splitlines() if ": error " in line or ": warning " in line] == ["docs/new.txt"]
    assert "docs/d/" not in one.stdout + one.stderr


@needs_fork
def test_fix_is_applied_in_the_parent_and_gives_the_same_result(tmp_path, small_work_is_enough):
    text = "The drug is an analgesic that can harm the hepatic system.\n" * 3
    for copy in ("one", "two"):
        for name in ("a.txt", "b.txt", "c.md"):
            write(tmp_path / copy / name, text)
    one = check("--jobs", "1", "--fix", ".", cwd=tmp_path / "one")
    two = check("--jobs", "2", "--fix", ".", cwd=tmp_path / "two")
    assert (two.returncode, two.stdout, two.stderr) == (one.returncode, one.stdout, one.stderr)
    assert one.stderr.count("applied") == 3
    for name in ("a.txt", "b.txt", "c.md"):
        fixed = (tmp_path / "two" / name).read_text(encoding="utf-8")
        assert fixed == (tmp_path / "one" / name).read_text(encoding="utf-8") != text
        assert "painkiller" in fixed


@needs_fork
def test_grammar_runs_in_the_parent_so_its_notice_is_printed_once(tmp_path, small_work_is_enough, linted_by):
    with socket.socket() as sock:  # a port where nothing listens: refused at once
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    for name in ("a.txt", "b.txt", "c.txt"):
        write(tmp_path / name, C + "Take teh pill.\n")
    one = check("--jobs", "1", "--languagetool-url", url, ".", cwd=tmp_path)
    two = check("--jobs", "2", "--languagetool-url", url, ".", cwd=tmp_path)
    assert (two.returncode, two.stdout, two.stderr) == (one.returncode, one.stdout, one.stderr)
    assert one.stderr.count("healthlint: grammar: no LanguageTool server answered") == 1
    assert {pid for pid, _ in linted_by()} == {os.getpid()}


# --- when workers start ------------------------------------------------------------------------


def test_one_file_is_linted_in_this_process(tmp_path, small_work_is_enough, linted_by):
    write(tmp_path / "a.txt", C)
    assert check("--jobs", "2", "a.txt", cwd=tmp_path).returncode == 1
    assert linted_by() == [(os.getpid(), "a.txt")]


def test_little_text_is_linted_in_this_process(tmp_path, linted_by):
    for name in ("a.txt", "b.txt", "c.txt"):
        write(tmp_path / name, C)
    assert check("--jobs", "2", ".", cwd=tmp_path).returncode == 1
    assert {pid for pid, _ in linted_by()} == {os.getpid()}
    assert len(linted_by()) == 3


def test_default_is_every_available_core():
    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert jobs.available_cores() == expected
    assert jobs.worker_count(None) == expected
    assert jobs.worker_count(0) == expected
    assert jobs.worker_count(3) == 3


@pytest.mark.parametrize("value", ["-1", "two", ""])
def test_a_bad_jobs_value_is_a_usage_error(tmp_path, value):
    write(tmp_path / "a.txt", CLEAN)
    result = check("--jobs", value, "a.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert "Invalid value for '--jobs' / '-j'" in result.stderr
    assert result.stdout == ""


def test_zero_jobs_means_every_core_and_short_option(tmp_path):
    write(tmp_path / "a.txt", C)
    assert check("-j", "0", "a.txt", cwd=tmp_path).returncode == 1


# --- failures ----------------------------------------------------------------------------------


@pytest.fixture
def broken_on(monkeypatch):
    """Make linting one named file fail: raise, or end the process that lints it."""
    real = engine.lint_source
    parent = os.getpid()

    def arm(name: str, how: str) -> None:
        def failing(source, rules, **kwargs):
            if source.path.endswith(name):
                if how == "exit" and os.getpid() != parent:
                    os._exit(3)
                raise RuntimeError("rule exploded")
            return real(source, rules, **kwargs)

        monkeypatch.setattr(engine, "lint_source", failing)

    return arm


@needs_fork
@pytest.mark.parametrize("n", ["1", "2"])
def test_a_rule_that_raises_is_reported_for_its_file_and_the_others_are_checked(tmp_path, small_work_is_enough, broken_on, n):
    make_folder(tmp_path)
    broken_on("b.md", "raise")
    result = check("--jobs", n, "docs", cwd=tmp_path)
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if "internal error" in line]
    assert len(errors) == 1
    assert errors[0].startswith("healthlint: docs/b.md: internal error while checking this file: RuntimeError: rule exploded (in test_jobs.py:")
    assert "docs/a.txt:1:22: warning unhedged-safety-claim" in result.stdout
    assert "docs/b.md:" not in result.stdout


@needs_fork
def test_the_error_is_the_same_with_one_and_two_jobs(tmp_path, small_work_is_enough, broken_on):
    make_folder(tmp_path)
    broken_on("e.txt", "raise")
    one = check("--jobs", "1", "docs", cwd=tmp_path)
    two = check("--jobs", "2", "docs", cwd=tmp_path)
    assert (two.returncode, two.stdout, two.stderr) == (one.returncode, one.stdout, one.stderr)


@needs_fork
def test_a_worker_that_dies_does_not_hang_the_run(tmp_path, small_work_is_enough, broken_on):
    make_folder(tmp_path)
    broken_on("e.txt", "exit")
    started = time.monotonic()
    result = check("--jobs", "2", "docs", cwd=tmp_path)
    assert time.monotonic() - started < 60
    assert result.returncode == 2
    assert f"healthlint: docs/d/e.txt: {jobs.WORKER_STOPPED}\n" in result.stderr
    assert result.stdout.endswith("could not be checked (see the messages above).\n")  # the report is still printed


@needs_fork
def test_when_no_process_can_be_started_the_files_are_linted_here(tmp_path, small_work_is_enough, linted_by, monkeypatch):
    make_folder(tmp_path)
    one = check("--jobs", "1", "docs", cwd=tmp_path)

    def no_fork():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    two = check("--jobs", "2", "docs", cwd=tmp_path)
    assert (two.returncode, two.stdout, two.stderr) == (one.returncode, one.stdout, one.stderr)
    assert {pid for pid, _ in linted_by()} == {os.getpid()} and len(linted_by()) == 10


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc to see the workers")
def test_ctrl_c_stops_the_workers_mid_file(tmp_path):
    """A real process in its own process group, interrupted as a terminal would (SIGINT to all).
    Each worker is busy with a file that takes many seconds: only stopping them mid-file ends
    the run within the few seconds allowed."""
    paragraph = LONG.strip() + " " + C + "\n"
    for name in ("big-1.txt", "big-2.txt"):
        write(tmp_path / name, paragraph * 8000)
    write(tmp_path / "small.txt", C)
    proc = subprocess.Popen(
        [sys.executable, "-m", "healthlint", "check", "--no-cache", "--jobs", "2", "."],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        # A run started in the background (`cmd &` in a script) inherits SIGINT ignored, and
        # Python then never raises KeyboardInterrupt: give the child a terminal's default.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
        deadline = time.monotonic() + 120
        while proc.poll() is None and len(children.read_text().split()) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        workers = [int(pid) for pid in children.read_text().split()]
        assert proc.poll() is None and len(workers) == 2
        time.sleep(1)  # well into their files
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=5)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert (proc.returncode, out, err.decode()) == (130, b"", "healthlint: interrupted\n")
    assert not [pid for pid in workers if _still_our_worker(pid, proc.pid)]


def _still_our_worker(pid: int, parent: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False  # gone
    return f"PPid:\t{parent}\n" in status and "zombie" not in status


# --- the spawn fallback ------------------------------------------------------------------------


def test_spawned_workers_build_their_own_rules_and_agree(tmp_path, monkeypatch):
    """Where fork is missing (macOS, Windows) workers are spawned and resolve the rules again."""
    from healthlint.settings import CommandLine
    from healthlint.source import from_text

    monkeypatch.setattr(jobs, "MIN_PARALLEL_CHARS", 1)
    monkeypatch.chdir(tmp_path)
    texts = {"a.txt": C + LONG, "b.md": "# Kratom\n\n" + O, "c.txt": CLEAN}
    tasks = [jobs.Task(Path(name), from_text(text, name)) for name, text in texts.items()]
    rules = jobs.RuleSource(CommandLine(isolated=True))
    here = jobs.lint_tasks(tasks, rules, jobs=1)
    spawned = jobs.lint_tasks(tasks, rules, jobs=2, start_method="spawn")
    assert [o.error for o in spawned] == [None, None, None]
    assert spawned == here
    assert [[f.rule for f in o.findings] for o in here] == [["unhedged-safety-claim", "long-sentence"], ["opioid-substitution"], []]
