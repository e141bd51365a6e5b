"""The language server: open documents, when each is checked, and the LSP messages.

The rules are loaded and compiled while the client is still starting (on ``initialize``), and
checking never runs on the event loop: it runs in the workers (workers.py). Results for a document version that has since been replaced are never
published. See ``bench/lsp_latency.py`` for the numbers behind these choices.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.workspace import TextDocument

from healthlint import __version__
from healthlint.formats import Format
from healthlint.lsp import actions
from healthlint.lsp.actions import Linted
from healthlint.lsp.checker import Checker, LintJob, Outcome
from healthlint.lsp.documents import CONFIG_FILE_NAMES, document_format, is_config_file, is_prose, uri_to_path
from healthlint.lsp.options import Options
from healthlint.lsp.workers import LINT_WORKERS, Worker, WorkerPool, lint_in_processes

log = logging.getLogger("healthlint.lsp")

WATCHER_ID = "healthlint-config-files"
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
# How often the check of a document's newest version is started again when newer edits keep
# superseding it before it begins.
ATTEMPTS = 3


@dataclass
class Running:
    """A check in flight for one document (one version, one configuration)."""

    job: LintJob
    task: asyncio.Task
    stopping: bool = False  # superseded: cancelled once, its result will be dropped

    @property
    def active(self) -> bool:
        return not self.stopping and not self.task.done()


@dataclass
class OpenDocument:
    format: Format
    path: Path | None
    task: asyncio.Task | None = None  # the debounce before the next check
    running: Running | None = None


@dataclass(frozen=True)
class Refused:
    """A message whose params did not fit its method, already answered (or, for a notification,
    logged): there is nothing left to handle."""

    method: str


class HealthlintProtocol(LanguageServerProtocol):
    """pygls's protocol, except that a request whose params do not fit its method (``"params":
    "zzz"``) gets the error reply JSON-RPC asks for (-32602, Invalid params) instead of none:
    pygls fails while reading such a message, before it knows there is a request to answer."""

    def structure_message(self, data: dict):
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if not isinstance(data, dict) or not isinstance(data.get("method"), str):
                raise
            method = data["method"]
            if "id" in data:  # a request: the client waits for this answer
                message = f"the params of {method} are not what the protocol expects: an object with this method's fields"
                log.warning("answered a %s request with invalid params: %s", method, _cause(exc))
                error = types.ResponseError(code=JsonRpcInvalidParams.CODE, message=message)
                self._send_response(data["id"], error=error)
            else:  # a notification may not be answered
                log.warning("ignored a %s notification whose params are not what the protocol expects: %s", method, _cause(exc))
            return Refused(method)

    def handle_message(self, message) -> None:
        if isinstance(message, Refused):
            return
        super().handle_message(message)


def _cause(exc: BaseException) -> str:
    """The first line of what went wrong underneath a pygls error, for a person to read."""
    cause = exc.__cause__ or exc
    text = str(cause).strip().splitlines()
    return text[0] if text else type(cause).__name__


class HealthlintServer(LanguageServer):
    def __init__(self) -> None:
        # Full sync: documents are articles, small enough to resend, and the server then never
        # depends on applying incremental edits to lines split differently from the editor's.
        super().__init__(
            "healthlint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full, protocol_cls=HealthlintProtocol
        )
        self.options = Options()
        self.root: Path | None = None
        self.documents: dict[str, OpenDocument] = {}
        self.results: dict[str, Linted] = {}  # uri -> the last published check
        self.generation = 0  # bumped on every configuration reload
        self.shown_errors: set[str] = set()
        self.checker = Checker()
        self.warming: asyncio.Future | None = None
        # Threads that warm up, wait on worker pipes and turn findings into diagnostics, off the
        # event loop.
        self.io = ThreadPoolExecutor(max_workers=LINT_WORKERS + 2, thread_name_prefix="healthlint-io")
        self.pool = WorkerPool(self.checker, self.io, LINT_WORKERS, lint_in_processes())
        self.large_permits = asyncio.Semaphore(max(1, LINT_WORKERS - 1))

    # --- what the client can do ---

    @property
    def encoding(self) -> str:
        return self.workspace.position_encoding or types.PositionEncodingKind.Utf16

    @property
    def versioned_edits(self) -> bool:
        workspace = self.client_capabilities.workspace
        return bool(workspace and workspace.workspace_edit and workspace.workspace_edit.document_changes)

    @property
    def watches_files(self) -> bool:
        workspace = self.client_capabilities.workspace
        watched = workspace.did_change_watched_files if workspace else None
        return bool(watched and watched.dynamic_registration)

    def text_document(self, uri: str) -> TextDocument | None:
        return self.workspace.text_documents.get(unquote(uri))

    def trace(self, message: str) -> None:
        """A $/logTrace line, for clients that asked for a trace ("messages" or "verbose")."""
        if self.protocol.trace not in (None, types.TraceValue.Off):
            self.log_trace(types.LogTraceParams(message=f"healthlint: {message}"))

    # --- warming up ---

    def start_warm_up(self) -> None:
        """Warm up on an io thread; the workers start when it is done (see WorkerPool)."""
        if self.warming is not None:
            return
        self.warming = asyncio.get_running_loop().run_in_executor(self.io, self.warm_up)
        self.warming.add_done_callback(self._warmed)

    def warm_up(self) -> float | None:
        """Load the rules and the parsers before the first document arrives; returns how long
        that took."""
        started = time.perf_counter()
        try:
            self.checker.warm_up(self.generation, self.options, self.root)
        except Exception:  # warming up is an optimisation only; a broken config is reported on the first check
            log.debug("warm-up failed", exc_info=True)
            return None
        return time.perf_counter() - started

    def _warmed(self, future: asyncio.Future) -> None:
        seconds = None if future.cancelled() or future.exception() else future.result()
        self.pool.start()
        where = f"{LINT_WORKERS} worker processes" if self.pool.in_processes else f"{LINT_WORKERS} worker threads"
        took = f" in {seconds:.2f} s" if seconds is not None else ""
        message = f"healthlint: rules ready{took}; checking in {where}"
        self.window_log_message(types.LogMessageParams(type=types.MessageType.Log, message=message))

    # --- open documents ---

    def open_document(self, item: types.TextDocumentItem) -> None:
        uri = item.uri
        if not is_prose(uri, item.language_id):
            return
        self.documents[uri] = OpenDocument(document_format(uri, item.language_id), uri_to_path(uri))
        self.schedule(uri, delay=0)

    def changed(self, uri: str) -> None:
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

    def reload(self) -> None:
        """Configuration changed: every worker forgets its cached configs and rule sets (they
        see the new generation), and every open document is checked again."""
        self.generation += 1
        self.shown_errors.clear()
        for uri, state in self.documents.items():
            self._supersede(state)
            self.schedule(uri, delay=0)

    def close_workers(self) -> None:
        self.pool.close()
        self.io.shutdown(wait=False, cancel_futures=True)

    # --- checking ---

    def _supersede(self, state: OpenDocument) -> None:
        """A newer version or configuration replaces the check in flight: drop it, stop its work."""
        running = state.running
        if running is not None and running.active:
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

    async def current(self, uri: str) -> Linted | None:
        """The lint of the document's newest version, linting it now if needed (and publishing)."""
        for _ in range(ATTEMPTS):
            result = await self._lint_now(uri)
            if result is not None or uri not in self.documents:
                return result
        return None

    async def answer_from(self, uri: str) -> Linted | None:
        """What a hover or code action answers from: the newest version's check if it finishes
        within REQUEST_WAIT, else the last finished one (a huge document's check can take minutes)."""
        try:
            result = await asyncio.wait_for(self.current(uri), REQUEST_WAIT)
        except asyncio.TimeoutError:
            result = None
        return result if result is not None else self.results.get(uri)

    def is_current(self, job: LintJob) -> bool:
        """Whether ``job`` is of the newest version of an open document, in the newest configuration."""
        document = self.text_document(job.uri)
        return (
            job.uri in self.documents
            and document is not None
            and document.version == job.version
            and self.generation == job.generation
            and document.source == job.text
        )

    async def _lint_now(self, uri: str) -> Linted | None:
        state = self.documents.get(uri)
        document = self.text_document(uri)
        if state is None or document is None:
            return None
        cached = self.results.get(uri)
        if cached and self.is_current(cached.job):
            return cached
        running = state.running
        if running is None or not running.active or not self.is_current(running.job):
            # One check per version: a hover or code action waiting for it shares it.
            self._supersede(state)
            self.start_warm_up()  # normally long started, by initialize
            job = LintJob(uri, document.version, self.generation, document.source, state.format, state.path, self.options, self.root)
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
            if outcome is None or not self.is_current(job):
                return None
            result = await asyncio.get_running_loop().run_in_executor(self.io, actions.linted, job, outcome, self.encoding)
        except asyncio.CancelledError:
            return None
        if not self.is_current(job):
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
                if not self.is_current(job):
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

    def _publish(self, result: Linted) -> None:
        if result.error and result.error not in self.shown_errors:
            self.shown_errors.add(result.error)
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=f"healthlint: {result.error}"))
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=result.job.uri, version=result.job.version, diagnostics=result.diagnostics)
        )


def workspace_root(params: types.InitializeParams) -> Path | None:
    root = params.root_uri or (params.workspace_folders[0].uri if params.workspace_folders else None)
    if root:
        return uri_to_path(root)
    return Path(params.root_path) if params.root_path else None


def create_server() -> HealthlintServer:
    server = HealthlintServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: HealthlintServer, params: types.InitializeParams) -> None:
        ls.options = Options.parse(params.initialization_options)
        ls.root = workspace_root(params)
        if params.trace is not None:
            ls.protocol.trace = params.trace
        # Now, not on `initialized`: the client is still setting up, and the first didOpen
        # usually follows `initialized` at once. The response is not delayed.
        ls.start_warm_up()

    @server.feature(types.INITIALIZED)
    def initialized(ls: HealthlintServer, params: types.InitializedParams) -> None:
        if not ls.watches_files:
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
        ls.changed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: HealthlintServer, params: types.DidSaveTextDocumentParams) -> None:
        if not ls.watches_files:
            # The client cannot tell us when a configuration file changes: look again on every save.
            ls.reload()
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
        document = ls.text_document(params.text_document.uri)
        if document is not None and result.job.text != document.source and not ls.versioned_edits:
            return None  # edits computed on older text, which the client could not refuse
        return actions.code_actions(result, params, ls.versioned_edits)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: HealthlintServer, params: types.HoverParams) -> types.Hover | None:
        result = await ls.answer_from(params.text_document.uri)
        return actions.hover(result, params.position) if result is not None else None

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: HealthlintServer, params: types.DidChangeWatchedFilesParams) -> None:
        if any(is_config_file(change.uri) for change in params.changes):
            ls.reload()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def did_change_configuration(ls: HealthlintServer, params: types.DidChangeConfigurationParams) -> None:
        if Options.given(params.settings):
            ls.options = Options.parse(params.settings, ls.options)
        ls.reload()

    return server
