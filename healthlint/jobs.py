"""Lint many files on all cores, with results in exactly the order one process gives.

The parent reads every file and resolves its rules first (so every message about a file comes
out in discovery order, whatever the number of jobs); this module only turns those tasks into
findings. On Linux the workers are forked after the parent has compiled the rules, so they share
them copy-on-write instead of compiling them again; elsewhere each worker builds its own.

A bug in a rule or plugin becomes an error for that one file, never a hang or a traceback, and
Ctrl-C stops the workers at once.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

# multiprocessing and concurrent.futures are imported where workers start: a run served
# from the cache, or a single file, never needs them.
if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from healthlint.model import Finding
    from healthlint.settings import CommandLine, Resolved, Resolver
    from healthlint.source import SourceText

# Below this much text (about half a second of linting) one process is quicker than starting
# workers and sending them the files.
MIN_PARALLEL_CHARS = 64 * 1024

WORKER_STOPPED = "not checked: a worker process stopped unexpectedly (out of memory, or a crash in a rule or plugin)"


def available_cores() -> int:
    """The cores this process may run on (its affinity mask, where the platform has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def worker_count(requested: int | None) -> int:
    """--jobs N: None or 0 mean every available core."""
    return requested if requested else available_cores()


class RuleSource:
    """The rules for each path, resolved on first need (a run whose files are all cached never
    compiles a rule). Workers get it by fork, with everything the parent compiled; pickled for
    a spawned worker, it keeps only the command line and resolves again there."""

    def __init__(self, cli: CommandLine) -> None:
        self.cli = cli
        self._resolver: Resolver | None = None

    @property
    def resolver(self) -> Resolver:
        if self._resolver is None:
            from healthlint.settings import Resolver

            self._resolver = Resolver(self.cli)
        return self._resolver

    def resolve(self, path: Path | None) -> Resolved:
        return self.resolver.resolve(path)

    def __getstate__(self) -> dict:
        return {"cli": self.cli, "_resolver": None}


@dataclass(frozen=True)
class Task:
    """One file to lint: the path its rules are resolved for (None for standard input)."""

    path: Path | None
    source: SourceText
    in_parent: bool = False  # its rules must run in this process (grammar: one notice, one client)


@dataclass(frozen=True)
class Outcome:
    findings: list[Finding] | None  # None when the file could not be checked
    error: str | None = None


def lint_tasks(
    tasks: list[Task],
    rules: RuleSource,
    *,
    jobs: int,
    report_unused_suppressions: bool = False,
    start_method: str | None = None,
    on_done: Callable[[], None] | None = None,
) -> list[Outcome]:
    """An Outcome per task, in the tasks' order. Workers start only when there is enough work.
    ``on_done`` is called in this process as each file is finished (for a progress bar)."""
    with _fewer_collections():
        return _lint_tasks(tasks, rules, jobs=jobs, report_unused_suppressions=report_unused_suppressions, start_method=start_method, on_done=on_done)


# Allocations between two collections of the youngest generation during a run (Python's
# default is 700). Linting makes many small objects that live as long as their document, and
# a collection every 700 of them cost 12-14% of the time; cycles (a sentence view and its
# siblings) are still collected, a little later.
BATCH_GC_THRESHOLD = 20_000


@contextmanager
def _fewer_collections() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(BATCH_GC_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _lint_tasks(
    tasks: list[Task], rules: RuleSource, *, jobs: int, report_unused_suppressions: bool, start_method: str | None, on_done: Callable[[], None] | None
) -> list[Outcome]:
    done = on_done or (lambda: None)

    def here(task: Task) -> Outcome:
        outcome = lint_guarded(task, rules, report_unused_suppressions)
        done()
        return outcome

    pooled = [i for i, task in enumerate(tasks) if not task.in_parent]
    if jobs <= 1 or len(pooled) < 2 or sum(len(tasks[i].source.text) for i in pooled) < MIN_PARALLEL_CHARS:
        return [here(task) for task in tasks]
    outcomes: dict[int, Outcome] = {}
    # Lint the smallest file here first: it loads what rules build on first use (textstat's
    # dictionary, parsers), so the forked workers inherit it instead of each loading it.
    first = min(pooled, key=lambda i: len(tasks[i].source.text))
    outcomes[first] = here(tasks[first])
    rest = [i for i in pooled if i != first]
    in_parent = [i for i, task in enumerate(tasks) if task.in_parent]

    def run_in_parent() -> None:
        for i in in_parent:
            outcomes[i] = here(tasks[i])

    outcomes.update(_run_pool(tasks, rest, rules, report_unused_suppressions, jobs, start_method, run_in_parent, done))
    return [outcomes[i] for i in range(len(tasks))]


def lint_guarded(task: Task, rules: RuleSource, report_unused_suppressions: bool) -> Outcome:
    """Lint one file; an exception (a bug in a rule or plugin) becomes that file's error."""
    from healthlint import engine

    try:
        resolved = rules.resolve(task.path)
        found = engine.lint_source(
            task.source, resolved.rules, report_unused_suppressions=report_unused_suppressions, front_matter_keys=resolved.front_matter_keys
        )
        return Outcome(list(found.findings))
    except Exception as exc:  # noqa: BLE001 - any bug in a rule must stay one file's error
        return Outcome(None, describe_failure(exc))


def describe_failure(exc: BaseException, *, located: bool = True) -> str:
    """"internal error ...: ValueError: ... (in claim.py:120, check)": enough to report the bug.
    An exception sent back from a worker carries no frames of its own (located=False)."""
    where = ""
    frames = traceback.extract_tb(exc.__traceback__) if located else []
    if frames:
        last = frames[-1]
        where = f" (in {Path(last.filename).name}:{last.lineno}, {last.name})"
    return f"internal error while checking this file: {type(exc).__name__}: {exc}{where}; this is a bug in healthlint or a plugin, please report it"


# --- the worker side ---------------------------------------------------------------------------

# Set once in each worker process by _start_worker; the parent never uses them.
_worker_rules: RuleSource | None = None
_worker_report_unused = False


def _start_worker(rules: RuleSource, report_unused_suppressions: bool) -> None:
    # Ctrl-C reaches every process in the terminal's process group; the parent alone decides
    # what happens, so workers never print a KeyboardInterrupt traceback of their own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.set_threshold(BATCH_GC_THRESHOLD, *gc.get_threshold()[1:])  # a spawned worker starts with the default
    global _worker_rules, _worker_report_unused
    _worker_rules, _worker_report_unused = rules, report_unused_suppressions


def _work(task: Task) -> Outcome:
    assert _worker_rules is not None, "worker not started"
    return lint_guarded(task, _worker_rules, _worker_report_unused)


# --- the parent side ---------------------------------------------------------------------------


def _context(start_method: str | None):
    import multiprocessing

    if start_method:
        return multiprocessing.get_context(start_method)
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()  # spawn on macOS and Windows: each worker loads the rules


def _run_pool(
    tasks: list[Task],
    indices: list[int],
    rules: RuleSource,
    report_unused_suppressions: bool,
    jobs: int,
    start_method: str | None,
    meanwhile: Callable[[], None],
    done: Callable[[], None] = lambda: None,
) -> dict[int, Outcome]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    outcomes: dict[int, Outcome] = {}
    if not indices:
        meanwhile()
        return outcomes
    before = set(multiprocessing.active_children())
    executor = ProcessPoolExecutor(
        max_workers=min(jobs, len(indices)),
        mp_context=_context(start_method),
        initializer=_start_worker,
        initargs=(rules, report_unused_suppressions),
    )
    # Workers are forked at the first submit. Freezing keeps the collector from touching (and
    # so copying) every object they inherit.
    gc.freeze()
    try:
        # Largest first, so no worker is left with a big file at the end.
        ordered = sorted(indices, key=lambda i: -len(tasks[i].source.text))
        futures: dict[Future, int] = {executor.submit(_work, tasks[i]): i for i in ordered}
    except OSError:  # no processes to be had (a limit on processes or memory): lint here
        _stop(executor, set(multiprocessing.active_children()) - before)
        meanwhile()
        fallback = {}
        for i in indices:
            fallback[i] = lint_guarded(tasks[i], rules, report_unused_suppressions)
            done()
        return fallback
    finally:
        gc.unfreeze()
    workers = set(multiprocessing.active_children()) - before
    try:
        meanwhile()
        for future in as_completed(futures):
            outcomes[futures[future]] = _outcome_of(future)
            done()
    except BaseException:
        _stop(executor, workers)
        raise
    executor.shutdown(wait=True)
    return outcomes


def _outcome_of(future: Future) -> Outcome:
    from concurrent.futures.process import BrokenProcessPool

    try:
        return future.result()
    except BrokenProcessPool:
        return Outcome(None, WORKER_STOPPED)
    except Exception as exc:  # noqa: BLE001 - e.g. findings a plugin made that cannot be sent back
        return Outcome(None, describe_failure(exc, located=False))


def _stop(executor: ProcessPoolExecutor, workers: set) -> None:
    """Stop now (Ctrl-C): drop the queued files and end the workers mid-file."""
    executor.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        if process.is_alive():
            process.terminate()
    for process in workers:
        process.join(timeout=2)
