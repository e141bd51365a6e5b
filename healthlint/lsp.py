"""The editor language server: ``healthlint lsp`` speaks the Language Server Protocol over stdio.

What it offers an editor:

- diagnostics for Markdown and plain-text documents, on open, on change (debounced) and on save;
- quick fixes for findings that carry a fix, and "Disable RULE for this line" for every finding;
- hover documentation (what the rule finds, why it matters, what to write instead);
- configuration from the nearest ``.healthlint.yaml`` / ``healthlint.yaml`` / ``pyproject.toml``,
  reloaded when one of them changes or the client's settings change.

Linting runs on one worker thread, never on the event loop, so typing is never held up by a slow
lint; results for a document version that has since been replaced are dropped.

Positions: healthlint counts 1-based lines and characters (code points) on newline-normalised
text. LSP counts 0-based lines and, unless the client negotiated otherwise, UTF-16 code units.
Both split lines at "\\n", "\\r\\n" and "\\r", so lines match one to one; only the column needs
converting, on the line's own text. All pygls imports live in this module, so importing
``healthlint`` (and running ``healthlint check``) is not slowed down by the server.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
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
        text = source.text
        self.starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

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
class OpenDocument:
    uri: str
    language_id: str
    markdown: bool
    path: Path | None
    task: asyncio.Task | None = None


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


# --- the server -------------------------------------------------------------------------------------


class HealthlintServer(LanguageServer):
    def __init__(self) -> None:
        # Full sync: documents are articles, small enough to resend, and the server then never
        # depends on applying incremental edits to lines split differently from the editor's.
        super().__init__("healthlint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.options = Options()
        self.documents: dict[str, OpenDocument] = {}
        self.results: dict[str, Linted] = {}
        self.inflight: dict[str, tuple[tuple, asyncio.Future]] = {}
        self.latest: dict[str, int | None] = {}  # uri -> newest version, read by the worker thread
        self.generation = 0  # bumped on every configuration reload
        self.shown_errors: set[str] = set()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="healthlint-lint")
        self._resolver = None  # only touched on the worker thread
        self._root: Path | None = None

    # --- helpers on the event loop ---

    @property
    def encoding(self) -> str:
        return self.workspace.position_encoding or types.PositionEncodingKind.Utf16

    def _document(self, uri: str):
        return self.workspace.text_documents.get(unquote(uri))

    def open_document(self, item: types.TextDocumentItem) -> None:
        uri = item.uri
        if not is_prose(uri, item.language_id):
            return
        self.documents[uri] = OpenDocument(uri, item.language_id, is_markdown(uri, item.language_id), uri_to_path(uri))
        self.latest[uri] = item.version
        self.schedule(uri, delay=0)

    def changed(self, uri: str, version: int | None) -> None:
        if uri in self.documents:
            self.latest[uri] = version
            self.schedule(uri, delay=self.options.debounce)

    def close_document(self, uri: str) -> None:
        state = self.documents.pop(uri, None)
        self.latest.pop(uri, None)
        self.results.pop(uri, None)
        if state is not None:
            if state.task:
                state.task.cancel()
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

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

    async def _lint_now(self, uri: str) -> Linted | None:
        state = self.documents.get(uri)
        document = self._document(uri)
        if state is None or document is None:
            return None
        version, text, generation = document.version, document.source, self.generation
        cached = self.results.get(uri)
        if cached and cached.version == version and cached.generation == generation and cached.text == text:
            return cached
        key = (version, generation, text)
        pending = self.inflight.get(uri)
        if pending is None or pending[0] != key:
            # One lint per version: a hover or code action waiting for it shares the same job.
            future = asyncio.get_running_loop().run_in_executor(
                self.executor, self._lint_job, uri, version, text, state.markdown, state.path, generation, self.encoding
            )
            pending = self.inflight[uri] = (key, future)

            def forget(done: asyncio.Future, uri: str = uri) -> None:
                if self.inflight.get(uri, (None, None))[1] is done:
                    del self.inflight[uri]

            future.add_done_callback(forget)
        # Shielded: a newer keystroke cancels the waiting task, not the shared job (which then
        # skips itself if it has not started).
        result = await asyncio.shield(pending[1])
        document = self._document(uri)
        if (
            result is None
            or uri not in self.documents
            or document is None
            or document.version != version
            or document.source != text
            or self.generation != generation
        ):
            return None  # a newer version or configuration arrived meanwhile: drop this result
        if self.results.get(uri) is not result:  # the first waiter publishes
            self.results[uri] = result
            self._publish(result)
        return result

    def _publish(self, result: Linted) -> None:
        if result.error and result.error not in self.shown_errors:
            self.shown_errors.add(result.error)
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=f"healthlint: {result.error}"))
        result.diagnostics = [self._diagnostic(result, f) for f in result.findings]
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
        """Configuration changed: forget every cached config and rule set, re-lint open documents."""
        self.generation += 1
        self.shown_errors.clear()
        await asyncio.get_running_loop().run_in_executor(self.executor, self._reset)
        for uri in list(self.documents):
            self.schedule(uri, delay=0)

    # --- on the worker thread ---

    def _reset(self) -> None:
        from healthlint.config import find_config_file
        from healthlint.ruleset import folder_rules

        self._resolver = None
        find_config_file.cache_clear()
        folder_rules.cache_clear()

    def _resolver_for_options(self):
        from healthlint.settings import CommandLine, Resolver

        if self._resolver is None:
            options = self.options
            config = None
            if options.config:
                config = Path(options.config).expanduser()
                if not config.is_absolute() and self._root is not None:
                    config = self._root / config
            cli = CommandLine(
                select=options.select,
                extend_select=list(options.extend_select),
                ignore=list(options.ignore),
                audience=options.audience,
                languagetool_url=options.languagetool_url,
                config=config,
                isolated=options.isolated,
            )
            self._resolver = Resolver(cli)
        return self._resolver

    def warm_up(self) -> None:
        """Load the built-in rules and the parsers before the first document arrives."""
        try:
            from healthlint.engine import lint_source
            from healthlint.ruleset import load_rules

            rules = [r for r in load_rules(()).rules if r.info.enabled and r.info.kind != "grammar"]
            lint_source(from_text("Kratom is a natural herb. Studies suggest it is safe.\n", "warm-up.md"), rules)
        except Exception:  # warming up is an optimisation only
            log.debug("warm-up failed", exc_info=True)

    def _lint_job(
        self, uri: str, version: int | None, text: str, markdown: bool, path: Path | None, generation: int, encoding: str
    ) -> Linted | None:
        if self.latest.get(uri, version) != version or self.generation != generation:
            return None  # superseded while waiting for the worker
        from healthlint.engine import lint_source
        from healthlint.yamlfile import DataError

        source = from_text(text, str(path) if path else uri, markdown)
        lines = LineMap(source, encoding, bom=text.startswith("\ufeff"))
        findings: list[Finding] = []
        rules: dict[str, Any] = {}
        error = None
        try:
            resolver = self._resolver_for_options()
            if path is None or not resolver.excluded(path, True):
                resolved = resolver.resolve(path)
                rules = {rule.info.id: rule.info for rule in resolved.rules}
                if source.text.strip():
                    findings = lint_source(source, resolved.rules).findings
        except (DataError, ValueError, OSError) as exc:
            self._resolver = None  # try again from scratch next time
            # Rule ids from the editor's settings are checked as if given on the command line.
            error = _CLI_OPTION.sub(lambda m: f"the '{_SETTING_NAMES[m.group(1)]}' setting", str(exc))
        except Exception as exc:  # a bug in a rule or plugin: report it, keep serving
            log.exception("checking %s failed", uri)
            error = f"checking {path or uri} failed ({type(exc).__name__}: {exc}); please report this with the document"
        return Linted(uri, version, generation, text, lines, findings, rules, error)

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
        supports_versioned = bool(
            self.client_capabilities.workspace
            and self.client_capabilities.workspace.workspace_edit
            and self.client_capabilities.workspace.workspace_edit.document_changes
        )
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

    @server.feature(types.INITIALIZED)
    def initialized(ls: HealthlintServer, params: types.InitializedParams) -> None:
        ls.executor.submit(ls.warm_up)
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
        ls.executor.shutdown(wait=False, cancel_futures=True)

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
        result = await ls.current(params.text_document.uri)
        return ls.code_actions(result, params) if result is not None else None

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: HealthlintServer, params: types.HoverParams) -> types.Hover | None:
        result = await ls.current(params.text_document.uri)
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
