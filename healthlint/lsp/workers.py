"""Where checks run: a few workers, so a huge document never blocks the others.

On Linux each check runs in one of a few worker processes forked from the warmed-up server, so a
huge document is checked on its own core while other documents are checked and hover and code
actions are answered; a check that a newer version of its document has superseded is stopped by
ending its process. Elsewhere (no safe fork()) the workers are threads;
``HEALTHLINT_LSP_LINT_IN=thread`` picks them on Linux too, for measuring.

Why worker processes, measured with bench/lsp_latency.py (2 cores, load average about 5): worker
threads alone already keep other documents and hover quick while a huge document is checked (the
GIL switches every 5 ms; didOpen to diagnostics 0.1-0.2 s either way, hover under 20 ms). What
threads cannot do is stop a superseded check: an edit of a 1 MB document during its check took
33 s to its diagnostics on threads (15 s of engine plus the abandoned check running on) against
20 s in processes (18 s of engine), and an abandoned 3 MB check held its thread, the slot for
huge documents and the server's exit for about two minutes. A process costs about 10 ms to fork
from the warm server and about 10 ms more per check (pickling over a pipe).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import signal
import sys
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection, Pipe
from typing import Any, Protocol

from healthlint.lsp.checker import Checker, LintJob, Outcome, failure

log = logging.getLogger("healthlint.lsp")

# Workers that check documents side by side. Two keep one free for ordinary documents while a
# huge one is being checked; more than four would only cost memory (each is a ~100 MB process).
LINT_WORKERS = max(2, min(4, os.cpu_count() or 2))
LINT_IN_ENV = "HEALTHLINT_LSP_LINT_IN"  # "process" or "thread"
_PR_SET_PDEATHSIG = 1


def lint_in_processes() -> bool:
    """Worker processes on Linux, where fork() is cheap and safe for what the workers do; threads
    elsewhere (macOS frameworks are not fork-safe, Windows has no fork), or when asked."""
    if os.environ.get(LINT_IN_ENV, "").strip().lower() == "thread":
        return False
    return hasattr(os, "fork") and sys.platform.startswith("linux")


class Worker(Protocol):
    pid: int | None

    @property
    def alive(self) -> bool: ...

    async def run(self, job: LintJob) -> Outcome | None:
        """The outcome, or None if the check was stopped."""

    def stop(self) -> bool:
        """End the check in progress; whether it could be."""

    def close(self) -> None: ...


class ThreadWorker:
    """Checks on a thread of the server. It cannot be stopped mid-check: a superseded check runs
    to its end and its result is dropped. (Stopping it would need a cancellation point in
    ``engine.lint_source``, between rules.)"""

    pid = None
    alive = True

    def __init__(self, checker: Checker) -> None:
        self.checker = checker
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="healthlint-lint")

    async def run(self, job: LintJob) -> Outcome | None:
        return await asyncio.get_running_loop().run_in_executor(self.executor, self.checker.check, job)

    def stop(self) -> bool:
        return False

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)


class ProcessWorker:
    """A forked copy of the warmed-up server that checks one document at a time, sent over a
    pipe. Stopping it ends the process, and with it a check that would otherwise run for minutes."""

    def __init__(self, pid: int, conn: Connection, io: ThreadPoolExecutor) -> None:
        self.pid = pid
        self.conn = conn
        self.io = io  # threads that wait for the pipe, off the event loop
        self.lock = threading.Lock()  # never signal a process id after it has been reaped
        self.killed = False
        self.reaped = False

    @classmethod
    def fork(cls, checker: Checker, io: ThreadPoolExecutor, siblings: list[Connection], libc: Any) -> ProcessWorker:
        """Fork from the event loop's thread, the only one that writes to the client; the child
        never touches the parent's streams and leaves with os._exit(), so nothing the parent
        had buffered is written twice."""
        parent_end, child_end = Pipe()
        server = os.getpid()
        pid = os.fork()
        if pid == 0:  # the worker
            code = 1
            try:
                parent_end.close()
                for conn in siblings:
                    conn.close()
                _leave_the_editor(server, libc)
                _serve(child_end, checker)
                code = 0
            finally:
                os._exit(code)
        child_end.close()
        return cls(pid, parent_end, io)

    @property
    def alive(self) -> bool:
        return not (self.killed or self.reaped)

    async def run(self, job: LintJob) -> Outcome | None:
        return await asyncio.get_running_loop().run_in_executor(self.io, self._exchange, job)

    def _exchange(self, job: LintJob) -> Outcome | None:
        try:
            self.conn.send(job)
            return self.conn.recv()
        except (EOFError, OSError):
            status = self._reap()  # ended: stopped by us, or it crashed
        except Exception as exc:  # an outcome that would not unpickle: do not trust this worker again
            log.exception("reading the result for %s failed", job.uri)
            self.stop()
            self._reap()
            return Outcome([], {}, failure(job, exc))
        if self.killed:
            return None
        how = f"exit code {os.waitstatus_to_exitcode(status)}" if status is not None else "it vanished"
        return Outcome([], {}, f"checking {job.name} stopped unexpectedly ({how}); please report this with the document")

    def _reap(self) -> int | None:
        with self.lock:
            if self.reaped:
                return None
            try:
                _, status = os.waitpid(self.pid, 0)
            except ChildProcessError:
                status = None
            self.reaped = True
        self.conn.close()
        return status

    def stop(self) -> bool:
        with self.lock:
            if self.reaped or self.killed:
                return False
            self.killed = True
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                return False
            return True

    def close(self) -> None:
        if self.stop():
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(self.pid, os.WNOHANG)


def _leave_the_editor(server: int, libc: Any) -> None:
    """In a new worker: die with the server, and let go of the editor's pipes (an orphaned
    worker holding them would keep the editor waiting)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    with contextlib.suppress(ValueError, OSError):
        signal.set_wakeup_fd(-1)
    if libc is not None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != server:
        os._exit(0)  # the server is already gone
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.close(devnull)
    gc.freeze()  # the inherited objects are never garbage here: keep collections off their pages


def _serve(conn: Connection, checker: Checker) -> None:
    checker.lock = threading.Lock()  # a fresh one: the inherited lock's state belongs to the server's threads
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        conn.send(checker.check(job))


def _load_libc() -> Any:
    """libc, for prctl(PR_SET_PDEATHSIG); loaded once, before forking."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None)
    except (ImportError, OSError):
        return None


class WorkerPool:
    """Idle workers, handed to checks in the order they asked. Started once the rules are warm,
    so every worker begins warm and a check that arrives during the warm-up waits for it."""

    def __init__(self, checker: Checker, io: ThreadPoolExecutor, size: int, in_processes: bool) -> None:
        self.checker = checker
        self.io = io
        self.size = size
        self.in_processes = in_processes
        self.libc = _load_libc() if in_processes else None
        self.idle: asyncio.Queue[Worker] = asyncio.Queue()
        self.workers: list[Worker] = []
        self.started = False
        self.closed = False

    def start(self) -> None:
        if self.started or self.closed:
            return
        self.started = True
        for _ in range(self.size):
            self._add()

    def _add(self) -> None:
        worker = self._new_worker()
        self.workers.append(worker)
        self.idle.put_nowait(worker)

    def _new_worker(self) -> Worker:
        if self.in_processes:
            siblings = [w.conn for w in self.workers if isinstance(w, ProcessWorker) and not w.conn.closed]
            try:
                with warnings.catch_warnings():
                    # Python 3.12+ warns that fork() with threads may deadlock the child: a worker
                    # only reads its pipe and runs the engine on objects no other thread holds.
                    warnings.simplefilter("ignore", DeprecationWarning)
                    return ProcessWorker.fork(self.checker, self.io, siblings, self.libc)
            except OSError as exc:
                log.warning("could not start a worker process (%s); checking on a thread instead", exc)
        return ThreadWorker(self.checker)

    async def acquire(self) -> Worker:
        return await self.idle.get()

    def release(self, worker: Worker) -> None:
        if worker.alive:
            self.idle.put_nowait(worker)
            return
        with contextlib.suppress(ValueError):
            self.workers.remove(worker)
        if not self.closed:
            self._add()  # a fresh fork of the server, warm again

    def close(self) -> None:
        self.closed = True
        for worker in self.workers:
            worker.close()
