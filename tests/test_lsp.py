"""The language server, end to end: pytest-lsp drives ``python -m healthlint.lsp`` as a real
subprocess over stdio, the way an editor does.

One server serves the whole module (it starts once; each test opens its own documents under
its own folder), with the trace on, so tests can see when a check starts and stops, and a short
debounce. Documents live in temporary folders, so no configuration file around the checkout or
the seed applies unless a test writes one.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
import time
from pathlib import Path

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp")
pytest.importorskip("pygls")

from lsprotocol import types  # noqa: E402
from pygls.protocol import default_converter  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "fixtures" / "kratom-article.txt"
TIMEOUT = 20.0
DEBOUNCE = 0.05  # seconds; the default (0.3) only slows the tests down

# Every async test shares the module's event loop, and with it the one server.
in_server = pytest.mark.asyncio(loop_scope="module")

SAFETY = "Our CBD gummies have zero side effects."  # unhedged-safety-claim on "zero side effects"
HEPATIC = "Kratom can cause hepatic damage."  # plain-language on "hepatic"

# Claim rules the seed must raise on these (1-based) lines, whether read as text or Markdown.
SEED_CLAIMS = {
    1: {"opioid-substitution", "natural-means-safe", "unhedged-safety-claim"},
    2: {"opioid-substitution"},
    7: {"opioid-substitution"},
    8: {"unhedged-safety-claim", "natural-means-safe"},
    10: {"missing-citation", "unhedged-safety-claim"},
    13: {"opioid-substitution", "natural-means-safe", "unhedged-safety-claim"},
    14: {"missing-citation", "unhedged-safety-claim", "opioid-substitution"},
}


# --- the client -------------------------------------------------------------------------------------


def make_client() -> LanguageClient:
    """pytest-lsp's client, recording every publishDiagnostics (with its version), every
    capability the server registers, and when each log and trace message arrived."""
    client = LanguageClient(converter_factory=default_converter)
    client.published = {}  # uri -> [PublishDiagnosticsParams, ...]
    client.registrations = []
    client.logged = []  # [(time.monotonic(), message), ...]
    client.traces = []  # [(time.monotonic(), message), ...]

    def publish(ls: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
        ls.diagnostics[params.uri] = params.diagnostics
        ls.published.setdefault(params.uri, []).append(params)

    def register(ls: LanguageClient, params: types.RegistrationParams) -> None:
        ls.registrations.extend(params.registrations)

    def log_message(ls: LanguageClient, params: types.LogMessageParams) -> None:
        ls.log_messages.append(params)
        ls.logged.append((time.monotonic(), params.message))

    def log_trace(ls: LanguageClient, params: types.LogTraceParams) -> None:
        ls.traces.append((time.monotonic(), params.message))

    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish
    features[types.CLIENT_REGISTER_CAPABILITY] = register
    features[types.WINDOW_LOG_MESSAGE] = log_message
    features[types.LOG_TRACE] = log_trace
    register_lsp_features(client, features)
    return client


SERVER = ClientServerConfig(
    server_command=[sys.executable, "-m", "healthlint.lsp"],
    server_env={
        **{k: v for k, v in os.environ.items() if k != "HEALTHLINT_LANGUAGETOOL_URL"},
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    },
    client_factory=make_client,
)


@pytest_lsp.fixture(scope="module", config=SERVER)
async def client(lsp_client: LanguageClient, tmp_path_factory):
    root = tmp_path_factory.mktemp("workspace")
    lsp_client.root = root
    params = types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="workspace")],
        initialization_options={"healthlint": {"debounce": DEBOUNCE}},
        trace=types.TraceValue.Verbose,
        process_id=os.getpid(),
    )
    # initialize_session() would send `initialized` at once; this client first waits for the
    # server to say its rules are ready, which it must manage without `initialized`.
    lsp_client.capabilities = params.capabilities
    await lsp_client.initialize_async(params)
    lsp_client.answered_at = time.monotonic()
    lsp_client.ready_before_initialized = await logged(lsp_client, "rules ready")
    lsp_client.initialized(types.InitializedParams())
    yield
    await lsp_client.shutdown_session()


# --- helpers ----------------------------------------------------------------------------------------

_folders = iter(range(10_000))


def folder(client: LanguageClient) -> Path:
    path = client.root / f"t{next(_folders)}"
    path.mkdir()
    return path


def open_doc(client: LanguageClient, path: Path, text: str, language: str | None = None) -> str:
    uri = path.as_uri()
    if language is None:
        language = "markdown" if path.suffix == ".md" else "plaintext"
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text))
    )
    return uri


def change_doc(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def published(client: LanguageClient, uri: str, version: int | None = None, after: int = 0) -> list[types.Diagnostic]:
    """Wait for diagnostics of ``uri`` (for ``version``, and beyond the first ``after`` publishes)."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        batches = client.published.get(uri, [])[after:]
        for params in reversed(batches):
            if version is None or params.version == version:
                return list(params.diagnostics)
        await asyncio.sleep(0.02)
    raise AssertionError(f"no diagnostics for {uri} version {version} within {TIMEOUT} s; got {client.published.get(uri)}")


async def logged(client: LanguageClient, text: str) -> bool:
    """Whether a window/logMessage containing ``text`` arrives within TIMEOUT."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if any(text in message for _, message in client.logged):
            return True
        await asyncio.sleep(0.02)
    return False


async def traced(client: LanguageClient, pattern: str, after: int = 0) -> str:
    """The first $/logTrace message (beyond the first ``after``) that matches ``pattern``."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        for _, message in client.traces[after:]:
            if re.search(pattern, message):
                return message
        await asyncio.sleep(0.02)
    raise AssertionError(f"no trace matching {pattern!r} within {TIMEOUT} s; got {[m for _, m in client.traces[-5:]]}")


async def gone(pid: int) -> bool:
    """Whether process ``pid`` ends (and is reaped) within TIMEOUT."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        await asyncio.sleep(0.02)
    return False


def in_processes(client: LanguageClient) -> bool:
    """Whether the server checks in worker processes (it says so when its rules are ready)."""
    return any("worker processes" in message for _, message in client.logged)


def huge(client: LanguageClient, megabytes: float) -> str:
    """A document far bigger than any article, that takes the engine many seconds to check (the
    tests need it still unchecked a second later: if the engine ever gets that fast, make it
    bigger). On worker threads, which cannot stop a check, a smaller one (still "huge" to the
    server), so the checks the tests abandon do not hold a worker for minutes."""
    if not in_processes(client):
        megabytes = 0.3
    paragraph = f"{SAFETY} {HEPATIC} Kratom offers a natural alternative to opioids. Studies suggest it works.\n\n"
    return paragraph * int(megabytes * 1_000_000 / len(paragraph))


def hover_at(client: LanguageClient, uri: str, position: types.Position):
    return client.text_document_hover_async(types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position))


def lines_of(text: str) -> list[str]:
    """The document's lines as LSP splits them (\\n, \\r\\n or \\r), endings kept."""
    out, start, i = [], 0, 0
    while i < len(text):
        if text[i] == "\r" and text[i + 1 : i + 2] == "\n":
            out.append(text[start : i + 2])
            i += 2
            start = i
        elif text[i] in "\r\n":
            out.append(text[start : i + 1])
            i += 1
            start = i
        else:
            i += 1
    out.append(text[start:])
    return out


def index_of(text: str, position: types.Position) -> int:
    """The Python string index of an LSP position (UTF-16 code units)."""
    lines = lines_of(text)
    offset = sum(len(line) for line in lines[: position.line])
    units = 0
    for i, char in enumerate(lines[position.line]):
        if units >= position.character:
            return offset + i
        units += 2 if ord(char) > 0xFFFF else 1
    return offset + len(lines[position.line].rstrip("\r\n"))


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def apply(text: str, edit: types.WorkspaceEdit, uri: str) -> str:
    if edit.document_changes:
        edits = [e for change in edit.document_changes if change.text_document.uri == uri for e in change.edits]
    else:
        edits = list((edit.changes or {}).get(uri, []))
    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: index_of(text, e.range.start)] + e.new_text + text[index_of(text, e.range.end) :]
    return text


def span(d: types.Diagnostic) -> tuple[int, int, int, int]:
    return (d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character)


def flagged(text: str, d: types.Diagnostic) -> str:
    return text[index_of(text, d.range.start) : index_of(text, d.range.end)]


def expected(text: str, name: str) -> set[tuple]:
    """What ``healthlint check`` finds (1-based lines, character columns), as LSP ranges: 0-based
    lines and UTF-16 code units, counted here independently of the server."""
    from healthlint.engine import lint_source
    from healthlint.settings import CommandLine, Resolver
    from healthlint.source import from_text

    rules = Resolver(CommandLine(isolated=True)).resolve(None).rules
    found = lint_source(from_text(text, name), rules).findings
    lines = [line.rstrip("\r\n") for line in lines_of(text)]

    def units(line: int, column: int) -> int:
        return utf16(lines[line - 1][: column - 1])

    return {(f.rule, f.start.line - 1, units(f.start.line, f.start.column), f.end.line - 1, units(f.end.line, f.end.column)) for f in found}


async def actions_at(client: LanguageClient, uri: str, d: types.Diagnostic) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=d.range,
            context=types.CodeActionContext(diagnostics=[d]),
        )
    )
    return list(result or [])


# --- tests ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".md", ".txt"])
@in_server
async def test_seed_diagnostics(client: LanguageClient, suffix: str):
    if not SEED.exists():
        pytest.skip("../shared/fixtures/kratom-article.txt is not present")
    text = SEED.read_text(encoding="utf-8")
    uri = open_doc(client, folder(client) / f"kratom-article{suffix}", text)
    diagnostics = await published(client, uri, version=1)

    opioid = [d for d in diagnostics if d.code == "opioid-substitution" and d.range.start.line == 0]
    assert [span(d) for d in opioid] == [(0, 48, 0, 70)]
    assert flagged(text, opioid[0]) == "alternative to opioids"
    assert opioid[0].severity == types.DiagnosticSeverity.Error
    assert opioid[0].source == "healthlint"
    assert "Suggestion: Kratom is not approved to treat pain." in opioid[0].message

    for line, rules in SEED_CLAIMS.items():
        assert rules <= {d.code for d in diagnostics if d.range.start.line == line - 1}, line
    # Every finding of `healthlint check`, on exactly its range, and nothing else.
    assert {(d.code, *span(d)) for d in diagnostics} == expected(text, f"a{suffix}")
    severities = {d.code: d.severity for d in diagnostics}
    assert severities["unhedged-safety-claim"] == types.DiagnosticSeverity.Warning
    assert severities["plain-language"] == types.DiagnosticSeverity.Information


@in_server
async def test_quick_fix_then_finding_goes_away(client: LanguageClient):
    if not SEED.exists():
        pytest.skip("../shared/fixtures/kratom-article.txt is not present")
    text = SEED.read_text(encoding="utf-8")
    uri = open_doc(client, folder(client) / "kratom-article.txt", text)
    diagnostics = await published(client, uri, version=1)
    jargon = [d for d in diagnostics if d.code == "plain-language" and d.range.start.line == 1 and flagged(text, d) == "regarding"]
    assert len(jargon) == 1

    actions = await actions_at(client, uri, jargon[0])
    fix = [a for a in actions if a.title == 'Replace "regarding" with "about"']
    assert len(fix) == 1 and fix[0].kind == types.CodeActionKind.QuickFix and fix[0].is_preferred
    assert fix[0].diagnostics and fix[0].diagnostics[0].code == "plain-language"
    # The long sentence around it offers only a rewrite to check, never preferred.
    rewrites = [a for a in actions if a.title.startswith("Rewrite (check the meaning): ")]
    assert rewrites and not any(a.is_preferred for a in rewrites)
    assert "Disable plain-language for this line" in [a.title for a in actions]

    fixed = apply(text, fix[0].edit, uri)
    assert fixed == text.replace("particularly regarding liver", "particularly about liver")
    change_doc(client, uri, 2, fixed)
    after = await published(client, uri, version=2)
    assert not [d for d in after if d.code == "plain-language" and d.range.start.line == 1 and flagged(fixed, d) == "regarding"]
    assert len([d for d in after if d.code == "plain-language"]) == len([d for d in diagnostics if d.code == "plain-language"]) - 1

    # An unsafe fix (the opioid claim on line 14) is offered as a rewrite to check.
    opioid = [d for d in after if d.code == "opioid-substitution" and d.range.start.line == 13]
    actions = await actions_at(client, uri, opioid[0])
    assert any(a.title.startswith("Rewrite (check the meaning): ") and not a.is_preferred for a in actions)


@in_server
async def test_hover_shows_rule_documentation(client: LanguageClient):
    from healthlint.ruleset import load_rules

    info = load_rules().get("opioid-substitution").info
    text = "Kratom offers a natural alternative to opioids.\n"
    uri = open_doc(client, folder(client) / "hover.md", text)
    diagnostics = await published(client, uri, version=1)
    d = next(d for d in diagnostics if d.code == "opioid-substitution")
    inside = types.Position(line=0, character=d.range.start.character + 3)
    hover = await client.text_document_hover_async(types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=inside))
    assert hover is not None and hover.contents.kind == types.MarkupKind.Markdown
    value = hover.contents.value
    assert "**opioid-substitution**" in value
    assert info.summary.split()[0] in value
    assert "#### Why it matters" in value and " ".join(info.why.split())[:60] in value
    assert "#### Write instead" in value and " ".join(info.better.split())[:60] in value
    assert hover.range == d.range
    # Nothing flagged under the first word.
    nothing = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=1))
    )
    assert nothing is None or "opioid-substitution" not in nothing.contents.value


@in_server
@pytest.mark.parametrize(
    "name, newline, directive",
    [
        ("disable.md", "\n", "<!-- healthlint-disable-next-line unhedged-safety-claim -->"),
        ("disable.txt", "\r\n", "healthlint-disable-next-line unhedged-safety-claim"),
        # In a web page a bare directive line would be text on the page: a comment, as in Markdown.
        ("disable.html", "\n", "<!-- healthlint-disable-next-line unhedged-safety-claim -->"),
    ],
)
async def test_disable_next_line(client: LanguageClient, name: str, newline: str, directive: str):
    text = newline.join(["Gummies", "", SAFETY, "Kratom offers a natural alternative to opioids.", ""])
    uri = open_doc(client, folder(client) / name, text)
    diagnostics = await published(client, uri, version=1)
    claim = next(d for d in diagnostics if d.code == "unhedged-safety-claim")
    assert claim.range.start.line == 2

    actions = await actions_at(client, uri, claim)
    disable = [a for a in actions if a.title == "Disable unhedged-safety-claim for this line"]
    assert len(disable) == 1 and not disable[0].is_preferred
    edited = apply(text, disable[0].edit, uri)
    assert edited == newline.join(["Gummies", "", directive, SAFETY, "Kratom offers a natural alternative to opioids.", ""])
    change_doc(client, uri, 2, edited)
    after = await published(client, uri, version=2)
    assert "unhedged-safety-claim" not in {d.code for d in after}
    assert "opioid-substitution" in {d.code for d in after}  # only that rule, only that line

    # A second rule on the next line gets its own directive; one on the same line is added to it.
    text = newline.join([directive, SAFETY + " Kratom offers a natural alternative to opioids.", ""])
    change_doc(client, uri, 3, text)
    after = await published(client, uri, version=3)
    opioid = next(d for d in after if d.code == "opioid-substitution")
    actions = await actions_at(client, uri, opioid)
    edited = apply(text, next(a for a in actions if a.title == "Disable opioid-substitution for this line").edit, uri)
    assert edited.split(newline)[0] == directive.replace("unhedged-safety-claim", "unhedged-safety-claim, opioid-substitution")
    change_doc(client, uri, 4, edited)
    assert not await published(client, uri, version=4)


@in_server
async def test_no_disable_directive_inside_front_matter(client: LanguageClient):
    # A comment line inside the YAML would break the front matter (and the site's build);
    # the same claim in the body still gets the action.
    text = "\n".join(["---", f"title: {SAFETY}", "---", "", SAFETY, ""])
    uri = open_doc(client, folder(client) / "front.md", text)
    diagnostics = await published(client, uri, version=1)
    in_title, in_body = sorted((d for d in diagnostics if d.code == "unhedged-safety-claim"), key=lambda d: d.range.start.line)
    assert (in_title.range.start.line, in_body.range.start.line) == (1, 4)
    titles = [a.title for a in await actions_at(client, uri, in_title)]
    assert "Disable unhedged-safety-claim for this line" not in titles
    assert "Disable unhedged-safety-claim for this line" in [a.title for a in await actions_at(client, uri, in_body)]


@in_server
async def test_utf16_ranges_after_emoji_and_crlf(client: LanguageClient):
    emoji = "\U0001F600\U0001F48A"  # two characters outside the BMP: four UTF-16 code units
    text = f"Title {emoji}\r\n\r\n{emoji} {SAFETY}\r\n{emoji} {HEPATIC}\r\n"
    uri = open_doc(client, folder(client) / "emoji.md", text)
    diagnostics = await published(client, uri, version=1)
    assert {(d.code, *span(d)) for d in diagnostics} == expected(text, "emoji.md")
    claim = next(d for d in diagnostics if d.code == "unhedged-safety-claim")
    column = f"{emoji} {SAFETY}".index("zero side effects")
    assert span(claim) == (2, utf16(f"{emoji} {SAFETY}"[:column]), 2, utf16(f"{emoji} {SAFETY}"[:-1]))
    assert claim.range.start.character == column + 2  # one extra code unit per emoji
    assert flagged(text, claim) == "zero side effects"
    word = next(d for d in diagnostics if d.code == "plain-language")
    assert word.range.start.line == 3 and flagged(text, word) == "hepatic"
    assert word.range.start.character == utf16(f"{emoji} Kratom can cause ")

    # The quick fix lands on the right characters and keeps the CRLF line endings.
    actions = await actions_at(client, uri, word)
    fixed = apply(text, next(a for a in actions if a.is_preferred).edit, uri)
    assert fixed == text.replace("hepatic", "liver")
    # Hover finds the finding from a UTF-16 position after the emoji.
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=word.range.start)
    )
    assert hover is not None and "**plain-language**" in hover.contents.value


@in_server
async def test_configuration_is_honoured_and_reloaded(client: LanguageClient):
    assert any(r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES for r in client.registrations)
    project = folder(client)
    config = project / ".healthlint.yaml"
    config.write_text("ignore: [plain-language]\n", encoding="utf-8")
    uri = open_doc(client, project / "docs" / "page.md", f"{SAFETY} {HEPATIC}\n")
    codes = {d.code for d in await published(client, uri, version=1)}
    assert "unhedged-safety-claim" in codes and "plain-language" not in codes

    before = len(client.published[uri])
    config.write_text("ignore: [unhedged-safety-claim]\n", encoding="utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)])
    )
    codes = {d.code for d in await published(client, uri, version=1, after=before)}
    assert "plain-language" in codes and "unhedged-safety-claim" not in codes

    # Client settings apply too, and reload at once.
    before = len(client.published[uri])
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"healthlint": {"isolated": True}}))
    codes = {d.code for d in await published(client, uri, version=1, after=before)}
    assert {"plain-language", "unhedged-safety-claim"} <= codes
    before = len(client.published[uri])
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"healthlint": {}}))
    codes = {d.code for d in await published(client, uri, version=1, after=before)}
    assert "unhedged-safety-claim" not in codes


@in_server
async def test_config_error_is_one_message_not_a_crash(client: LanguageClient):
    project = folder(client)
    (project / ".healthlint.yaml").write_text("ignore: plain-language\n", encoding="utf-8")
    first = open_doc(client, project / "a.md", f"{SAFETY}\n")
    second = open_doc(client, project / "b.txt", f"{HEPATIC}\n")
    assert await published(client, first, version=1) == []
    assert await published(client, second, version=1) == []
    errors = [m for m in client.messages if m.type == types.MessageType.Error and str(project.resolve()) in m.message]
    assert len(errors) == 1 and "ignore" in errors[0].message

    # Fixed on disk: the watcher event brings the diagnostics back.
    (project / ".healthlint.yaml").write_text("ignore: [plain-language]\n", encoding="utf-8")
    before = len(client.published[first])
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=(project / ".healthlint.yaml").as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    assert "unhedged-safety-claim" in {d.code for d in await published(client, first, version=1, after=before)}


@in_server
async def test_debounce_publishes_only_the_newest_version_and_close_clears(client: LanguageClient):
    uri = open_doc(client, folder(client) / "typing.txt", "Kratom")
    assert await published(client, uri, version=1) == []
    typed = ""
    for version, char in enumerate(SAFETY, start=2):
        typed += char
        change_doc(client, uri, version, typed)
    last = len(SAFETY) + 1
    assert "unhedged-safety-claim" in {d.code for d in await published(client, uri, version=last)}
    versions = [p.version for p in client.published[uri]]
    # Debounced: not one lint per keystroke (normally only the last version is linted at all),
    # and never an older version's result after a newer one's.
    assert versions[0] == 1 and versions[-1] == last and len(versions) <= 4
    assert versions == sorted(versions)

    before = len(client.published[uri])
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    assert await published(client, uri, after=before) == []


@in_server
async def test_code_files_are_not_linted(client: LanguageClient):
    here = folder(client)
    code = open_doc(client, here / "script.py", f"# {SAFETY}\n", language="python")
    prose = open_doc(client, here / "notes.text", f"{SAFETY}\n", language="plaintext")
    page = open_doc(client, here / "page.html", f"<script>var s = '{SAFETY}';</script>\n<p>{SAFETY}</p>\n", language="html")
    in_text = [d.range.start for d in await published(client, prose, version=1) if d.code == "unhedged-safety-claim"]
    assert len(in_text) == 1 and in_text[0].line == 0
    # A web page is copy: its visible text is checked (after "<p>" on line 2), its script is not.
    in_page = [d.range.start for d in await published(client, page, version=1) if d.code == "unhedged-safety-claim"]
    assert [(at.line, at.character) for at in in_page] == [(1, 3 + in_text[0].character)]
    assert code not in client.published


# --- speed: warm-up, huge documents, superseded checks ----------------------------------------------


@in_server
async def test_rules_warm_up_during_initialize(client: LanguageClient):
    # The fixture sent `initialized` only once the server said its rules were ready: the warm-up
    # starts on initialize, and the initialize response did not wait for it.
    assert client.ready_before_initialized
    ready = [at for at, message in client.logged if "rules ready" in message]
    assert len(ready) == 1 and client.answered_at <= ready[0]
    if sys.platform.startswith("linux") and os.environ.get("HEALTHLINT_LSP_LINT_IN") != "thread":
        assert in_processes(client)


@in_server
async def test_hover_on_a_small_document_while_a_huge_one_is_checked(client: LanguageClient):
    here = folder(client)
    big = open_doc(client, here / "huge.md", huge(client, 3))
    await traced(client, f"checking {re.escape(big)} version 1 ")

    small = open_doc(client, here / "small.md", f"{HEPATIC}\n")
    word = next(d for d in await published(client, small, version=1) if d.code == "plain-language")
    hover = await hover_at(client, small, word.range.start)
    assert hover is not None and "**plain-language**" in hover.contents.value
    # A hover on the huge document answers from its last finished check (none yet), not after it.
    assert await asyncio.wait_for(hover_at(client, big, types.Position(line=0, character=10)), TIMEOUT) is None
    assert big not in client.published  # all of that while the huge one was still being checked

    mark = len(client.traces)
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=big)))
    message = await traced(client, f"(stopped checking|superseded check of) {re.escape(big)} version 1", after=mark)
    if in_processes(client):  # closing it ended the check's process (threads cannot stop it)
        assert await gone(int(re.search(r"ended process (\d+)", message).group(1)))
    assert [list(p.diagnostics) for p in client.published[big]] == [[]]


@in_server
async def test_a_burst_of_changes_publishes_only_the_final_version(client: LanguageClient):
    uri = open_doc(client, folder(client) / "burst.md", huge(client, 2))
    await traced(client, f"checking {re.escape(uri)} version 1 ")
    mark = len(client.traces)
    for version in range(2, 8):
        change_doc(client, uri, version, f"Draft {version}. {SAFETY}\n" if version == 7 else f"Draft {version}.\n")
    assert "unhedged-safety-claim" in {d.code for d in await published(client, uri, version=7)}
    assert [p.version for p in client.published[uri]] == [7]

    # The huge version 1 was being checked when version 2 arrived: its process was ended (on
    # worker threads, which cannot stop it, it runs on and its result is dropped).
    message = await traced(client, f"(stopped checking|superseded check of) {re.escape(uri)} version 1", after=mark)
    if in_processes(client):
        assert await gone(int(re.search(r"ended process (\d+)", message).group(1)))
    assert [p.version for p in client.published[uri]] == [7]


# --- position conversion, in process --------------------------------------------------------------


def test_position_encodings():
    from healthlint.lsp.positions import LineMap, chars_for_units, code_units
    from healthlint.model import Position
    from healthlint.source import from_text

    line = "a\U0001F600é b"
    assert [code_units(line, e) for e in ("utf-8", "utf-16", "utf-32")] == [1 + 4 + 2 + 2, 1 + 2 + 1 + 2, 5]
    for encoding in ("utf-8", "utf-16", "utf-32"):
        for index in range(len(line) + 1):
            assert chars_for_units(line, code_units(line[:index], encoding), encoding) == index
    source = from_text("\ufeffx\r\n" + line + "\r\n", "a.txt")
    lines = LineMap(source, "utf-16", bom=True)
    assert lines.to_lsp(Position(1, 2)) == types.Position(line=0, character=2)  # after the BOM's unit
    assert lines.to_lsp(Position(2, 5)) == types.Position(line=1, character=5)
    assert lines.from_lsp(types.Position(line=1, character=5)) == source.text.index("b")
    assert lines.from_lsp(types.Position(line=1, character=2)) == source.text.index("\U0001F600") + 1  # not inside it
    assert lines.from_lsp(types.Position(line=9, character=0)) == len(source.text)
