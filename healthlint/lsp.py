"""The editor language server: ``healthlint lsp`` speaks the Language Server Protocol over stdio.

What it offers an editor:

- diagnostics for Markdown and plain-text documents, on open, on change (debounced) and on save;
- quick fixes for findings that carry a fix, and "Disable RULE for this line" for every finding;
- hover documentation (what the rule finds, why it matters, what to write instead);
- configuration from the nearest ``.healthlint.yaml`` / ``healthlint.yaml`` / ``pyproject.toml``,
  reloaded when one of them changes or the client's settings change.

Speed: the rules are loaded and compiled while the client is still starting (on ``initialize``),
and checking never runs on the event loop. On Linux each check runs in one of a few worker
processes forked from the warmed-up server, so a huge document is checked on its own core while
other documents are checked and hover and code actions are answered; a check that a newer version
of its document has superseded is stopped by ending its process. Elsewhere (no safe fork()) the
workers are threads; ``HEALTHLINT_LSP_LINT_IN=thread`` picks them on Linux too, for measuring.
Results for a document version that has since been replaced are never published. See
``bench/lsp_latency.py`` for the numbers behind these choices.

Positions: healthlint counts 1-based lines and characters (code points) on newline-normalised
text. LSP counts 0-based lines and, unless the client negotiated otherwise, UTF-16 code units.
Both split lines at "\\n", "\\r\\n" and "\\r", so lines match one to one; only the column needs
converting, on the line's own text. All pygls imports live in this module, so importing
``healthlint`` (and running ``healthlint check``) is not slowed down by the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import re
import signal
import sys
import threading
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, Pipe
from pathlib import Path, PurePosixPath
from typing import Any, Protocol
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from healthlint import __version__
from healthlint.model import Finding, Position, Severity
from healthlint.source import MARKDOWN_SUFFIXES, SourceText, from_text

log = logging.getLogger("healthlint.lsp")

SOURCE = "healthlint"
CONFIG_FILE_NAMES = frozenset({".healthlint.yaml", "healthlint.yaml", "pyproject.toml"})
DEFAULT_DEBOUNCE = 0.3
WATCHER_ID = "healthlint-config-files"
# Workers that check documents side by side. Two keep one free for ordinary documents while a
# huge one is being checked; more than four would only cost memory (each is a ~100 MB process).
LINT_WORKERS = max(2, min(4, os.cpu_count() or 2))
# Documents this long (characters; ~30,000 words, far beyond any article) are "huge": they may
# occupy all workers but one, and a superseded check of one is stopped at once.
LARGE_DOCUMENT = 200_000
# A superseded check of an ordinary document is stopped only if it is still running this long
# after it started: ending a worker process throws away the patterns it compiled for earlier
# documents, which costs more than letting a check that is nearly done finish (its result is
# dropped either way).
STOP_AFTER = 0.5
# How long a hover or code action waits for the check of the document's newest version before
# answering from the last finished one.
REQUEST_WAIT = 0.5
LINT_IN_ENV = "HEALTHLINT_LSP_LINT_IN"  # "process" or "thread"
# Enough prose to reach every stage once: Markdown and text parsing, sentences, context, the
# claim patterns, the plain-language list and textstat's pronouncing dictionary.
WARM_UP_TEXT = (
    "# Kratom\n\n"
    "Kratom is a natural herb. Studies suggest it is generally safe and has no side effects, so it "
    "is a natural alternative to opioids that people utilize for hepatic health.\n"
)

_MARKDOWN_LANGUAGES = frozenset({"markdown", "mdx", "rmd", "quarto", "pandoc"})
# Documents a client may send that are code or data, not copy: never linted.
_CODE_LANGUAGES = frozenset(
    {
        "bat", "c", "clojure", "coffeescript", "cpp", "csharp", "css", "dart", "dockerfile", "elixir",
        "erlang", "fsharp", "go", "graphql", "groovy", "haskell", "html", "ini", "java", "javascript",
        "javascriptreact", "json", "jsonc", "julia", "kotlin", "less", "lua", "makefile", "objective-c",
        "perl", "php", "powershell", "properties", "python", "r", "ruby", "rust", "scala", "scss", "sh",
        "shellscript", "sql", "swift", "toml", "typescript", "typescriptreact", "vue", "xml", "yaml", "zig",
    }
)
_CODE_SUFFIXES = frozenset(
    {".py", ".js", ".ts", ".json", ".yaml", ".yml", ".toml", ".html", ".css", ".xml", ".ini", ".cfg", ".sh", ".lock"}
)
_LSP_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
# The rule list of a disable-next-line directive, to extend it instead of stacking a second one.
_RULE_LIST = r"healthlint-disable-next-line(?P<rules>(?:[ \t]*,?[ \t]*[a-z][a-z0-9/-]*(?<!-))+)"
_NEXT_LINE_MARKDOWN = re.compile(r"<!--\s*" + _RULE_LIST, re.IGNORECASE)
_NEXT_LINE_TEXT = re.compile(r"^\s*" + _RULE_LIST, re.IGNORECASE)
_QUOTE_PREFIX = re.compile(r"^[ \t]*(?:>[ \t]?)*")
_CLI_OPTION = re.compile(r"--(select|ignore|extend-select)\b")
_SETTING_NAMES = {"select": "select", "ignore": "ignore", "extend-select": "extendSelect"}
_NEWLINE = re.compile("\n")


# --- positions ------------------------------------------------------------------------------------


def code_units(text: str, encoding: str = types.PositionEncodingKind.Utf16) -> int:
    """How many code units ``text`` takes in the negotiated position encoding."""
    if encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def chars_for_units(line: str, units: int, encoding: str = types.PositionEncodingKind.Utf16) -> int:
    """The character index in ``line`` at ``units`` code units (clamped; never inside a character)."""
    if units <= 0:
        return 0
    if encoding == types.PositionEncodingKind.Utf32:
        return min(units, len(line))
    counted = 0
    for index, char in enumerate(line):
        if counted >= units:
            return index
        counted += code_units(char, encoding)
    return len(line)


class LineMap:
    """Converts between healthlint's positions (1-based, characters, on ``source.text``) and LSP's
    (0-based, code units, on the document as the editor holds it)."""

    def __init__(self, source: SourceText, encoding: str, bom: bool = False) -> None:
        self.source = source
        self.encoding = encoding
        self.bom = bom  # the editor's text starts with U+FEFF, which from_text() dropped
        self.starts = [0] + [m.end() for m in _NEWLINE.finditer(source.text)]

    @property
    def line_count(self) -> int:
        return len(self.starts)

    def line_text(self, line: int) -> str:
        """Text of a 1-based line, without its line ending ("" past the end)."""
        if line < 1 or line > len(self.starts):
            return ""
        start = self.starts[line - 1]
        end = self.source.text.find("\n", start)
        return self.source.text[start:] if end == -1 else self.source.text[start:end]

    def to_lsp(self, position: Position) -> types.Position:
        line = max(1, position.line)
        text = self.line_text(line)
        units = code_units(text[: max(0, position.column - 1)], self.encoding)
        if self.bom and line == 1:
            units += 1
        return types.Position(line=line - 1, character=units)

    def range_of(self, start: Position, end: Position) -> types.Range:
        return types.Range(start=self.to_lsp(start), end=self.to_lsp(end))

    def offset_to_lsp(self, offset: int) -> types.Position:
        return self.to_lsp(self.source.position(max(0, min(offset, len(self.source.text)))))

    def offset(self, position: Position) -> int:
        """Offset into ``source.text`` of a healthlint position."""
        line = min(max(1, position.line), len(self.starts))
        return self.starts[line - 1] + min(max(0, position.column - 1), len(self.line_text(line)))

    def from_lsp(self, position: types.Position) -> int:
        """Offset into ``source.text`` of an LSP position (clamped to the document)."""
        if position.line >= len(self.starts):
            return len(self.source.text)
        line = max(0, position.line)
        text = self.line_text(line + 1)
        units = position.character - (1 if self.bom and line == 0 else 0)
        return self.starts[line] + chars_for_units(text, units, self.encoding)


# --- settings ---------------------------------------------------------------------------------------


@dataclass
class Options:
    """Settings from the client (initializationOptions or workspace/didChangeConfiguration), under
    a "healthlint" key or at the top level. Each maps to the ``healthlint check`` option of that name."""

    config: str | None = None
    isolated: bool = False
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    audience: str | None = None
    languagetool_url: str | None = None
    debounce: float = DEFAULT_DEBOUNCE

    KEYS = frozenset(
        {
            "config", "configFile", "config_file", "isolated", "select", "ignore", "extendSelect", "extend-select",
            "extend_select", "audience", "languagetoolUrl", "languagetool-url", "languagetool_url", "debounce",
        }
    )

    @classmethod
    def given(cls, value: Any) -> bool:
        """Whether client settings say anything about healthlint (many clients send {} or only
        other tools' sections, which must not wipe the initialization options)."""
        return isinstance(value, dict) and (isinstance(value.get("healthlint"), dict) or bool(cls.KEYS & set(value)))

    @classmethod
    def parse(cls, value: Any, base: "Options | None" = None) -> "Options":
        base = base or cls()
        if not isinstance(value, dict):
            return base
        if isinstance(value.get("healthlint"), dict):
            value = value["healthlint"]

        def get(*names):
            for name in names:
                if name in value:
                    return value[name]
            return None

        def ids(raw) -> list[str] | None:
            if raw is None:
                return None
            if isinstance(raw, str):
                raw = raw.split(",")
            if not isinstance(raw, list):
                return None
            return [str(part).strip() for part in raw if str(part).strip()]

        config = get("config", "configFile", "config_file")
        select = ids(get("select"))
        debounce = get("debounce")
        audience = get("audience")
        url = get("languagetoolUrl", "languagetool-url", "languagetool_url")
        return cls(
            config=str(config) if config else None,
            isolated=bool(get("isolated") or False),
            select=select if select else None,
            ignore=ids(get("ignore")) or [],
            extend_select=ids(get("extendSelect", "extend-select", "extend_select")) or [],
            audience=str(audience) if audience in ("patient", "public", "professional") else None,
            languagetool_url=str(url) if url else None,
            debounce=float(debounce) if _is_number(debounce) and 0 <= debounce <= 10 else base.debounce,
        )


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# --- state ------------------------------------------------------------------------------------------


@dataclass
class LintJob:
    """What a worker needs to check one version of one document (pickled to worker processes)."""

    uri: str
    version: int | None
    generation: int
    text: str
    markdown: bool
    path: Path | None
    options: Options
    root: Path | None

    @property
    def name(self) -> str:
        return str(self.path) if self.path else self.uri


@dataclass
class Outcome:
    """What a worker sends back: the findings, or an error meant for the person editing."""

    findings: list[Finding]
    rules: dict[str, Any]  # rule id -> RuleInfo, for hover
    error: str | None = None
    seconds: float = 0.0  # resolving settings and running the engine, in the worker


@dataclass
class Running:
    """A check in flight for one document (one version, one configuration)."""

    job: LintJob
    task: asyncio.Task
    stopping: bool = False  # superseded: cancelled once, its result will be dropped


@dataclass
class OpenDocument:
    uri: str
    language_id: str
    markdown: bool
    path: Path | None
    task: asyncio.Task | None = None  # the debounce before the next check
    running: Running | None = None


@dataclass
class Linted:
    """One lint of one version of one document."""

    uri: str
    version: int | None
    generation: int
    text: str
    lines: LineMap
    findings: list[Finding]
    rules: dict[str, Any]  # rule id -> RuleInfo, for hover
    error: str | None = None
    diagnostics: list[types.Diagnostic] = field(default_factory=list)

    def range_of(self, finding: Finding) -> types.Range:
        return self.lines.range_of(finding.start, finding.end)


def uri_to_path(uri: str) -> Path | None:
    """The file behind a file: URI, or None (untitled buffers and other schemes)."""
    if urlparse(uri).scheme != "file":
        return None
    fs_path = to_fs_path(uri)
    return Path(fs_path) if fs_path else None


def _suffix(uri: str) -> str:
    return PurePosixPath(unquote(urlparse(uri).path)).suffix.lower()


def is_markdown(uri: str, language_id: str | None) -> bool:
    return (language_id or "").lower() in _MARKDOWN_LANGUAGES or _suffix(uri) in MARKDOWN_SUFFIXES


def is_prose(uri: str, language_id: str | None) -> bool:
    """Markdown and text are linted; code and data files a client happens to send are not."""
    if is_markdown(uri, language_id):
        return True
    if (language_id or "").lower() in _CODE_LANGUAGES:
        return False
    return _suffix(uri) not in _CODE_SUFFIXES


def _paragraphs(text: str) -> str:
    return "\n\n".join(" ".join(p.split()) for p in text.strip().split("\n\n") if p.strip())


def rule_markdown(info, finding: Finding | None = None) -> str:
    """A rule's documentation for a hover: summary, why it matters, what to write instead."""
    severity = finding.severity.value if finding else info.severity.value
    parts = [f"**{info.id}** ({severity}) · healthlint", _paragraphs(info.summary)]
    if finding is not None and finding.suggestion:
        parts.append(f"**Suggestion:** {' '.join(finding.suggestion.split())}")
    if info.why:
        parts.append("#### Why it matters\n\n" + _paragraphs(info.why))
    if info.better:
        parts.append("#### Write instead\n\n" + _paragraphs(info.better))
    parts.append(f"`healthlint explain {info.id}` has examples.")
    return "\n\n".join(parts)


# --- checking, in a worker --------------------------------------------------------------------------


class Checker:
    """Resolves each document's settings and runs the engine. The server warms one up; each worker
    process is a fork of the server and so starts with a warm copy of it (its compiled rules and
    cached configuration), which it keeps between documents. Worker threads share the server's."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # worker threads share the resolver's caches
        self.generation = 0  # the server's configuration generation these caches belong to
        self.resolver = None
        self.resolved_for: tuple | None = None  # (options, root) of self.resolver

    def resolver_for(self, generation: int, options: Options, root: Path | None):
        from healthlint.config import find_config_file
        from healthlint.ruleset import folder_rules
        from healthlint.settings import CommandLine, Resolver

        # A configuration file changed: forget every cached file and rule folder. (A check from
        # an older generation is superseded and its result dropped, so it may use the newer ones.)
        if generation > self.generation:
            find_config_file.cache_clear()
            folder_rules.cache_clear()
            self.generation = generation
            self.forget()
        if self.resolver is not None and self.resolved_for == (options, root):
            return self.resolver
        config = None
        if options.config:
            config = Path(options.config).expanduser()
            if not config.is_absolute() and root is not None:
                config = root / config
        cli = CommandLine(
            select=options.select,
            extend_select=list(options.extend_select),
            ignore=list(options.ignore),
            audience=options.audience,
            languagetool_url=options.languagetool_url,
            config=config,
            isolated=options.isolated,
        )
        self.resolver, self.resolved_for = Resolver(cli), (options, root)
        return self.resolver

    def forget(self) -> None:
        """Start from scratch next time (after a configuration error)."""
        self.resolver, self.resolved_for = None, None

    def warm_up(self, generation: int, options: Options, root: Path | None) -> None:
        """Load and compile the built-in rules, then the workspace's own settings and rule folders."""
        from healthlint.engine import lint_source
        from healthlint.ruleset import load_rules

        builtin = [r for r in load_rules(()).rules if r.info.enabled and r.info.kind != "grammar"]
        for name in ("warm-up.md", "warm-up.txt"):
            lint_source(from_text(WARM_UP_TEXT, name), builtin)
        with self.lock:
            rules = self.resolver_for(generation, options, root).resolve(root / "warm-up.md" if root else None).rules
        # Never the grammar rule: it would call a LanguageTool server for a document nobody opened.
        lint_source(from_text(WARM_UP_TEXT, "warm-up.md"), [r for r in rules if r.info.kind != "grammar"])

    def check(self, job: LintJob) -> Outcome:
        from healthlint.engine import lint_source
        from healthlint.yamlfile import DataError

        started = time.perf_counter()
        findings: list[Finding] = []
        rules: dict[str, Any] = {}
        error = None
        try:
            with self.lock:
                resolver = self.resolver_for(job.generation, job.options, job.root)
                resolved = None if job.path is not None and resolver.excluded(job.path, True) else resolver.resolve(job.path)
            if resolved is not None:
                rules = {rule.info.id: rule.info for rule in resolved.rules}
                source = from_text(job.text, job.name, job.markdown)
                if source.text.strip():
                    findings = lint_source(source, resolved.rules).findings
        except (DataError, ValueError, OSError) as exc:
            self.forget()
            # Rule ids from the editor's settings are checked as if given on the command line.
            error = _CLI_OPTION.sub(lambda m: f"the '{_SETTING_NAMES[m.group(1)]}' setting", str(exc))
        except Exception as exc:  # a bug in a rule or plugin: report it, keep serving
            log.exception("checking %s failed", job.uri)
            error = f"checking {job.name} failed ({type(exc).__name__}: {exc}); please report this with the document"
        return Outcome(findings, rules, error, time.perf_counter() - started)


class Worker(Protocol):
    pid: int | None

    @property
    def alive(self) -> bool: ...

    async def run(self, job: LintJob) -> Outcome | None: ...

    def stop(self) -> bool: ...

    def close(self) -> None: ...


class ThreadWorker:
    """Checks on a thread of the server. It cannot be stopped mid-check: a superseded check runs
    to its end and its result is dropped. (Stopping it would need a cancellation point in
    ``engine.lint_source``, between rules.)"""

    pid = None

    def __init__(self, checker: Checker) -> None:
        self.checker = checker
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="healthlint-lint")

    @property
    def alive(self) -> bool:
        return True

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
    def fork(cls, checker: Checker, io: ThreadPoolExecutor, siblings: list[Connection], libc: Any) -> "ProcessWorker":
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
            return Outcome([], {}, f"checking {job.name} failed ({type(exc).__name__}: {exc}); please report this with the document")
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


_PR_SET_PDEATHSIG = 1


def load_libc() -> Any:
    """libc, for prctl(PR_SET_PDEATHSIG); loaded once, before forking."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None)
    except (ImportError, OSError):
        return None


# Why worker processes, measured with bench/lsp_latency.py (2 cores, load average about 5):
# worker threads alone already keep other documents and hover quick while a huge document is
# checked (the GIL switches every 5 ms; didOpen to diagnostics 0.1-0.2 s either way, hover under
# 20 ms). What threads cannot do is stop a superseded check: an edit of a 1 MB document during its
# check took 33 s to its diagnostics on threads (15 s of engine plus the abandoned check running
# on) against 20 s in processes (18 s of engine), and an abandoned 3 MB check held its thread,
# the slot for huge documents and the server's exit for about two minutes. A process costs about
# 10 ms to fork from the warm server and about 10 ms more per check (pickling over a pipe).
def lint_in_processes() -> bool:
    """Worker processes on Linux, where fork() is cheap and safe for what the workers do; threads
    elsewhere (macOS frameworks are not fork-safe, Windows has no fork), or when asked."""
    choice = os.environ.get(LINT_IN_ENV, "").strip().lower()
    if choice == "thread":
        return False
    return hasattr(os, "fork") and sys.platform.startswith("linux")


class WorkerPool:
    """Idle workers, handed to checks in the order they asked. Started once the rules are warm,
    so every worker begins warm and a check that arrives during the warm-up waits for it."""

    def __init__(self, make: Callable[[], Worker], size: int) -> None:
        self.make = make
        self.size = size
        self.idle: asyncio.Queue = asyncio.Queue()
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
        worker = self.make()
        self.workers.append(worker)
        self.idle.put_nowait(worker)

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


# --- the server -------------------------------------------------------------------------------------


class HealthlintServer(LanguageServer):
    def __init__(self) -> None:
        # Full sync: documents are articles, small enough to resend, and the server then never
        # depends on applying incremental edits to lines split differently from the editor's.
        super().__init__("healthlint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.options = Options()
        self.documents: dict[str, OpenDocument] = {}
        self.results: dict[str, Linted] = {}  # uri -> the last published check
        self.generation = 0  # bumped on every configuration reload
        self.shown_errors: set[str] = set()
        self.checker = Checker()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="healthlint-warm-up")
        # Threads that wait on worker pipes and turn findings into diagnostics, off the event loop.
        self.io = ThreadPoolExecutor(max_workers=LINT_WORKERS + 2, thread_name_prefix="healthlint-io")
        self.processes = lint_in_processes()
        self.libc = load_libc() if self.processes else None
        self.pool = WorkerPool(self._new_worker, LINT_WORKERS)
        self.large_permits = asyncio.Semaphore(max(1, LINT_WORKERS - 1))
        self.warming: asyncio.Future | None = None
        self._root: Path | None = None

    # --- helpers on the event loop ---

    @property
    def encoding(self) -> str:
        return self.workspace.position_encoding or types.PositionEncodingKind.Utf16

    @property
    def versioned_edits(self) -> bool:
        workspace = self.client_capabilities.workspace
        return bool(workspace and workspace.workspace_edit and workspace.workspace_edit.document_changes)

    def _document(self, uri: str):
        return self.workspace.text_documents.get(unquote(uri))

    def trace(self, message: str) -> None:
        """A $/logTrace line, for clients that asked for a trace ("messages" or "verbose")."""
        if self.protocol.trace not in (None, types.TraceValue.Off):
            self.log_trace(types.LogTraceParams(message=f"healthlint: {message}"))

    def start_warm_up(self) -> None:
        """Warm up on the worker thread; the workers start when it is done (see WorkerPool)."""
        if self.warming is not None:
            return
        self.warming = asyncio.get_running_loop().run_in_executor(self.executor, self.warm_up)
        self.warming.add_done_callback(self._warmed)

    def _warmed(self, future: asyncio.Future) -> None:
        seconds = None if future.cancelled() or future.exception() else future.result()
        self.pool.start()
        where = f"{LINT_WORKERS} worker processes" if self.processes else f"{LINT_WORKERS} worker threads"
        took = f" in {seconds:.2f} s" if seconds is not None else ""
        message = f"healthlint: rules ready{took}; checking in {where}"
        self.window_log_message(types.LogMessageParams(type=types.MessageType.Log, message=message))

    def _new_worker(self) -> Worker:
        if self.processes:
            siblings = [w.conn for w in self.pool.workers if isinstance(w, ProcessWorker) and not w.conn.closed]
            try:
                with warnings.catch_warnings():
                    # Python 3.12+ warns that fork() with threads may deadlock the child: a worker
                    # only reads its pipe and runs the engine on objects no other thread holds.
                    warnings.simplefilter("ignore", DeprecationWarning)
                    return ProcessWorker.fork(self.checker, self.io, siblings, self.libc)
            except OSError as exc:
                log.warning("could not start a worker process (%s); checking on a thread instead", exc)
        return ThreadWorker(self.checker)

    def open_document(self, item: types.TextDocumentItem) -> None:
        uri = item.uri
        if not is_prose(uri, item.language_id):
            return
        self.documents[uri] = OpenDocument(uri, item.language_id, is_markdown(uri, item.language_id), uri_to_path(uri))
        self.schedule(uri, delay=0)

    def changed(self, uri: str, version: int | None) -> None:
        state = self.documents.get(uri)
        if state is not None:
            self._supersede(state)
            self.schedule(uri, delay=self.options.debounce)

    def close_document(self, uri: str) -> None:
        state = self.documents.pop(uri, None)
        self.results.pop(uri, None)
        if state is not None:
            if state.task:
                state.task.cancel()
            self._supersede(state)
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def _supersede(self, state: OpenDocument) -> None:
        """A newer version or configuration replaces the check in flight: drop it, stop its work."""
        running = state.running
        if running is not None and not running.stopping and not running.task.done():
            running.stopping = True
            running.task.cancel()

    def schedule(self, uri: str, delay: float) -> None:
        """(Re)start the lint of a document, after ``delay`` seconds of quiet."""
        state = self.documents.get(uri)
        if state is None:
            return
        if state.task and not state.task.done():
            state.task.cancel()
        state.task = asyncio.ensure_future(self._lint_later(uri, delay))

    async def _lint_later(self, uri: str, delay: float) -> None:
        try:
            if delay:
                await asyncio.sleep(delay)
            await self.current(uri)
        except asyncio.CancelledError:
            pass
        except Exception:  # a bug must not take the server down; say so in the client's log
            log.exception("linting %s failed", uri)

    async def current(self, uri: str, attempts: int = 3) -> Linted | None:
        """The lint of the document's newest version, linting it now if needed (and publishing)."""
        for _ in range(attempts):
            result = await self._lint_now(uri)
            if result is not None:
                return result
            if uri not in self.documents:
                return None
        return None

    async def answer_from(self, uri: str) -> Linted | None:
        """What a hover or code action answers from: the newest version's check if it finishes
        within REQUEST_WAIT, else the last finished one (a huge document's check can take minutes)."""
        try:
            result = await asyncio.wait_for(self.current(uri), REQUEST_WAIT)
        except asyncio.TimeoutError:
            result = None
        return result if result is not None else self.results.get(uri)

    def _is_current(self, uri: str, version: int | None, generation: int, text: str) -> bool:
        document = self._document(uri)
        return (
            uri in self.documents
            and document is not None
            and document.version == version
            and self.generation == generation
            and document.source == text
        )

    async def _lint_now(self, uri: str) -> Linted | None:
        state = self.documents.get(uri)
        document = self._document(uri)
        if state is None or document is None:
            return None
        version, text, generation = document.version, document.source, self.generation
        cached = self.results.get(uri)
        if cached and self._is_current(uri, cached.version, cached.generation, cached.text):
            return cached
        running = state.running
        shared = running is not None and not running.stopping and not running.task.done()
        if not (shared and self._is_current(uri, running.job.version, running.job.generation, running.job.text)):
            # One check per version: a hover or code action waiting for it shares it.
            self._supersede(state)
            self.start_warm_up()  # normally long started, by initialize
            job = LintJob(uri, version, generation, text, state.markdown, state.path, self.options, self._root)
            running = state.running = Running(job, asyncio.ensure_future(self._run_job(job)))
        # Shielded: a newer keystroke cancels the waiting task, not the shared check (which
        # returns None if superseded).
        try:
            return await asyncio.shield(running.task)
        except asyncio.CancelledError:
            if running.task.cancelled():
                return None  # superseded before it even began; the caller looks again
            raise

    async def _run_job(self, job: LintJob) -> Linted | None:
        """Check, then publish if the document has not moved on. Returns None when superseded."""
        started = time.perf_counter()
        try:
            outcome = await self._check(job)
            if outcome is None or not self._is_current(job.uri, job.version, job.generation, job.text):
                return None
            result = await asyncio.get_running_loop().run_in_executor(self.io, self._build, job, outcome)
        except asyncio.CancelledError:
            return None
        if not self._is_current(job.uri, job.version, job.generation, job.text):
            return None
        self.results[job.uri] = result
        self._publish(result)
        self.trace(
            f"checked {job.uri} version {job.version}: {len(result.findings)} findings, "
            f"{outcome.seconds:.3f} s in the engine, {time.perf_counter() - started:.3f} s in all"
        )
        return result

    async def _check(self, job: LintJob) -> Outcome | None:
        large = len(job.text) >= LARGE_DOCUMENT
        async with self.large_permits if large else contextlib.nullcontext():
            worker = await self.pool.acquire()
            try:
                if not self._is_current(job.uri, job.version, job.generation, job.text):
                    return None
                where = f"process {worker.pid}" if worker.pid else "a thread"
                self.trace(f"checking {job.uri} version {job.version} ({len(job.text)} characters) in {where}")
                started = time.perf_counter()
                run = asyncio.ensure_future(worker.run(job))
                try:
                    return await asyncio.shield(run)
                except asyncio.CancelledError:
                    await self._stop(job, worker, run, time.perf_counter() - started, large)
                    raise
            finally:
                self.pool.release(worker)

    async def _stop(self, job: LintJob, worker: Worker, run: asyncio.Future, elapsed: float, large: bool) -> None:
        """The check was superseded; its result will be dropped. End its work, unless it is an
        ordinary document's check that finishes within STOP_AFTER (see there)."""
        if not large and elapsed < STOP_AFTER:
            done, _ = await asyncio.wait({run}, timeout=STOP_AFTER - elapsed)
            if done:
                return
        if worker.stop():
            self.trace(f"stopped checking {job.uri} version {job.version}: ended process {worker.pid}")
        else:
            self.trace(f"superseded check of {job.uri} version {job.version} runs on; its result will be dropped")
        await asyncio.wait({run})  # the worker is free (or replaced) only once it has let go

    def _build(self, job: LintJob, outcome: Outcome) -> Linted:
        """Map the findings to the editor's positions (on an io thread: a huge document has
        tens of thousands)."""
        source = from_text(job.text, job.name, job.markdown)
        lines = LineMap(source, self.encoding, bom=job.text.startswith("\ufeff"))
        result = Linted(job.uri, job.version, job.generation, job.text, lines, outcome.findings, outcome.rules, outcome.error)
        result.diagnostics = [self._diagnostic(result, f) for f in result.findings]
        return result

    def _publish(self, result: Linted) -> None:
        if result.error and result.error not in self.shown_errors:
            self.shown_errors.add(result.error)
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=f"healthlint: {result.error}"))
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=result.uri, version=result.version, diagnostics=result.diagnostics)
        )

    @staticmethod
    def _diagnostic(result: Linted, finding: Finding) -> types.Diagnostic:
        message = finding.message
        if finding.suggestion:
            message += f"\nSuggestion: {finding.suggestion}"
        return types.Diagnostic(
            range=result.range_of(finding),
            severity=_LSP_SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning),
            code=finding.rule,
            source=SOURCE,
            message=message,
        )

    async def reload(self) -> None:
        """Configuration changed: every worker forgets its cached configs and rule sets (they
        see the new generation), and every open document is checked again."""
        self.generation += 1
        self.shown_errors.clear()
        for state in self.documents.values():
            self._supersede(state)
        for uri in list(self.documents):
            self.schedule(uri, delay=0)

    def close_workers(self) -> None:
        self.pool.close()
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.io.shutdown(wait=False, cancel_futures=True)

    # --- on the warm-up thread ---

    def warm_up(self) -> float | None:
        """Load the built-in rules and the parsers before the first document arrives; returns
        how long it took."""
        started = time.perf_counter()
        try:
            self.checker.warm_up(self.generation, self.options, self._root)
        except Exception:  # warming up is an optimisation only; a broken config is reported on the first check
            log.debug("warm-up failed", exc_info=True)
            return None
        return time.perf_counter() - started

    # --- features ---

    def code_actions(self, result: Linted, params: types.CodeActionParams) -> list[types.CodeAction]:
        only = params.context.only
        quickfix = types.CodeActionKind.QuickFix
        if only and not any(kind == quickfix or quickfix.value.startswith(f"{kind}.") for kind in only):
            return []
        lines = result.lines
        start = lines.from_lsp(params.range.start)
        end = lines.from_lsp(params.range.end)
        hits = []
        for finding, diagnostic in zip(result.findings, result.diagnostics):
            f_start, f_end = lines.offset(finding.start), lines.offset(finding.end)
            if f_start <= end and start <= f_end:
                hits.append((f_end - f_start, finding, diagnostic))
        hits.sort(key=lambda hit: hit[0])  # the narrowest finding first
        supports_versioned = self.versioned_edits
        fixes: list[tuple[int, types.CodeAction]] = []
        disables: list[types.CodeAction] = []
        seen_disables: set[tuple[str, int]] = set()
        for _, finding, diagnostic in hits:
            related = [diagnostic] if diagnostic is not None else None
            if finding.fix is not None and finding.fix.edits:
                edits = [
                    types.TextEdit(
                        range=types.Range(start=lines.offset_to_lsp(e.start), end=lines.offset_to_lsp(e.end)),
                        new_text=e.replacement.replace("\n", result.lines.source.newline),
                    )
                    for e in finding.fix.edits
                ]
                safe = finding.fix.is_safe
                description = finding.fix.description or f"Fix {finding.rule}"
                title = description if safe else f"Rewrite (check the meaning): {description}"
                fixes.append(
                    (
                        0 if safe else 1,
                        types.CodeAction(
                            title=title,
                            kind=quickfix,
                            diagnostics=related,
                            is_preferred=True if safe else None,
                            edit=self._workspace_edit(result, edits, supports_versioned),
                        ),
                    )
                )
            key = (finding.rule, finding.start.line)
            if key not in seen_disables:
                seen_disables.add(key)
                disables.append(
                    types.CodeAction(
                        title=f"Disable {finding.rule} for this line",
                        kind=quickfix,
                        diagnostics=related,
                        edit=self._workspace_edit(result, [self._disable_edit(result, finding)], supports_versioned),
                    )
                )
        fixes.sort(key=lambda pair: pair[0])
        return [action for _, action in fixes] + disables

    @staticmethod
    def _workspace_edit(result: Linted, edits: list[types.TextEdit], versioned: bool) -> types.WorkspaceEdit:
        if versioned:
            return types.WorkspaceEdit(
                document_changes=[
                    types.TextDocumentEdit(
                        text_document=types.OptionalVersionedTextDocumentIdentifier(uri=result.uri, version=result.version),
                        edits=edits,
                    )
                ]
            )
        return types.WorkspaceEdit(changes={result.uri: edits})

    @staticmethod
    def _disable_edit(result: Linted, finding: Finding) -> types.TextEdit:
        """Insert a disable-next-line directive above the finding's line, or add the rule to the
        one already there."""
        lines = result.lines
        line = finding.start.line
        markdown = lines.source.is_markdown
        above = lines.line_text(line - 1) if line > 1 else ""
        match = (_NEXT_LINE_MARKDOWN.search if markdown else _NEXT_LINE_TEXT.match)(above)
        if match:
            at = Position(line - 1, match.end("rules") + 1)
            where = lines.to_lsp(at)
            return types.TextEdit(range=types.Range(start=where, end=where), new_text=f", {finding.rule}")
        text = lines.line_text(line)
        indent = _QUOTE_PREFIX.match(text).group(0) if markdown else text[: len(text) - len(text.lstrip())]
        directive = f"healthlint-disable-next-line {finding.rule}"
        body = f"<!-- {directive} -->" if markdown else directive
        where = lines.to_lsp(Position(line, 1))
        return types.TextEdit(range=types.Range(start=where, end=where), new_text=f"{indent}{body}{lines.source.newline}")

    def hover(self, result: Linted, position: types.Position) -> types.Hover | None:
        lines = result.lines
        at = lines.from_lsp(position)
        hits = []
        for finding in result.findings:
            start, end = lines.offset(finding.start), lines.offset(finding.end)
            if start <= at < end or (start == end == at):
                hits.append((end - start, finding))
        if not hits:
            return None
        hits.sort(key=lambda hit: hit[0])
        sections, shown = [], set()
        for _, finding in hits:
            if finding.rule in shown:
                continue
            shown.add(finding.rule)
            info = result.rules.get(finding.rule)
            if info is None:
                sections.append(f"**{finding.rule}** ({finding.severity.value}) · healthlint\n\n{finding.message}")
            else:
                sections.append(rule_markdown(info, finding))
        narrowest = hits[0][1]
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(sections)),
            range=result.range_of(narrowest),
        )



def _watcher_supported(server: HealthlintServer) -> bool:
    workspace = server.client_capabilities.workspace
    watched = workspace.did_change_watched_files if workspace else None
    return bool(watched and watched.dynamic_registration)


def create_server() -> HealthlintServer:
    server = HealthlintServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: HealthlintServer, params: types.InitializeParams) -> None:
        ls.options = Options.parse(params.initialization_options)
        root = params.root_uri or (params.workspace_folders[0].uri if params.workspace_folders else None)
        ls._root = uri_to_path(root) if root else (Path(params.root_path) if params.root_path else None)
        if params.trace is not None:
            ls.protocol.trace = params.trace
        # Now, not on `initialized`: the client is still setting up, and the first didOpen
        # usually follows `initialized` at once. The response is not delayed.
        ls.start_warm_up()

    @server.feature(types.INITIALIZED)
    def initialized(ls: HealthlintServer, params: types.InitializedParams) -> None:
        if not _watcher_supported(ls):
            return
        watchers = [types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in sorted(CONFIG_FILE_NAMES)]
        registration = types.Registration(
            id=WATCHER_ID,
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
        )

        def done(future) -> None:
            if future.exception() is not None:
                log.warning("the client refused to watch configuration files: %s", future.exception())

        ls.client_register_capability(types.RegistrationParams(registrations=[registration])).add_done_callback(done)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: HealthlintServer, params: None) -> None:
        ls.close_workers()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: HealthlintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.open_document(params.text_document)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: HealthlintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.changed(params.text_document.uri, params.text_document.version)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    async def did_save(ls: HealthlintServer, params: types.DidSaveTextDocumentParams) -> None:
        if not _watcher_supported(ls):
            # The client cannot tell us when a configuration file changes: look again on every save.
            await ls.reload()
            return
        ls.results.pop(params.text_document.uri, None)
        ls.schedule(params.text_document.uri, delay=0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: HealthlintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.close_document(params.text_document.uri)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix], resolve_provider=False),
    )
    async def code_action(ls: HealthlintServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        result = await ls.answer_from(params.text_document.uri)
        if result is None:
            return None
        document = ls._document(params.text_document.uri)
        if document is not None and result.text != document.source and not ls.versioned_edits:
            return None  # edits computed on older text, which the client could not refuse
        return ls.code_actions(result, params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: HealthlintServer, params: types.HoverParams) -> types.Hover | None:
        result = await ls.answer_from(params.text_document.uri)
        return ls.hover(result, params.position) if result is not None else None

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def did_change_watched_files(ls: HealthlintServer, params: types.DidChangeWatchedFilesParams) -> None:
        names = {PurePosixPath(unquote(urlparse(change.uri).path)).name for change in params.changes}
        if names & CONFIG_FILE_NAMES:
            await ls.reload()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(ls: HealthlintServer, params: types.DidChangeConfigurationParams) -> None:
        if Options.given(params.settings):
            ls.options = Options.parse(params.settings, ls.options)
        await ls.reload()

    return server


def main() -> None:
    """Run the language server on stdin and stdout (``healthlint lsp``)."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="healthlint lsp: %(levelname)s %(message)s")
    create_server().start_io()


if __name__ == "__main__":
    main()
