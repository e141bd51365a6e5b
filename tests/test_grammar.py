"""The grammar rule, against a stand-in LanguageTool server on 127.0.0.1.

``FakeLanguageTool`` answers ``/v2/languages`` and ``/v2/check`` in the shape of LanguageTool's
HTTP API (v2): each match has message, shortMessage, replacements [{value}], offset and length
in UTF-16 units (LanguageTool is Java), context {text, offset, length}, sentence, and rule {id,
description, issueType, category {id, name}}. It "knows" a few misspellings, one grammar rule
(a/an) and PUNCTUATION_PARAGRAPH_END, and honours ``disabledRules``, so the tests can see what
the rule sends and what it does with the answers. Nothing here needs the network: only the
loopback interface (see ``_loopback``).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from conftest import invoke, text_mode

from healthlint.engine import lint_source
from healthlint.kinds import grammar
from healthlint.model import Position, Severity
from healthlint.ruleset import load_rule_file, load_shared_lexicons
from healthlint.source import from_text

ROOT = Path(__file__).resolve().parents[1]
RULE_FILE = ROOT / "rules" / "grammar.yaml"
NOTICE = "healthlint: grammar:"

# word (lower case) -> replacements, as LanguageTool's speller would answer.
TYPOS = {
    "untill": ["until"],
    "recieve": ["receive"],
    "teh": ["the", "ten", "tech", "Te"],
    "zzyzx": [],
    # Correct, but a real speller flags them: the rule must drop them in citations, named
    # sources, code and URLs, and accept the product names healthlint knows.
    "smith": ["Smithy"],
    "al": ["all", "Al"],
    "cochrane": ["Cochran"],
    "kratom": ["karate"],
    "mitragynine": [],
    "healthlint": ["health lint"],
}
LANGUAGES = [
    {"name": "English", "code": "en", "longCode": "en"},
    {"name": "English (US)", "code": "en", "longCode": "en-US"},
    {"name": "English (GB)", "code": "en", "longCode": "en-GB"},
    {"name": "German (Germany)", "code": "de", "longCode": "de-DE"},
]


# --- loopback -----------------------------------------------------------------------------------


def _loopback_works() -> bool:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        try:
            socket.create_connection(server.getsockname(), timeout=2).close()
            return True
        except OSError:
            return False


def _raise_loopback() -> None:
    """In a fresh network namespace (``unshare -n``) the loopback interface exists but is down.
    Bring it up there, and only there: nothing else in such a namespace can reach the network."""
    if [name for _, name in socket.if_nameindex()] != ["lo"]:
        return
    import fcntl
    import struct

    siocgifflags, siocsifflags, iff_up = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH14s", b"lo", 0, b"")
        flags = struct.unpack("16sH14s", fcntl.ioctl(sock, siocgifflags, request))[1]
        fcntl.ioctl(sock, siocsifflags, struct.pack("16sH14s", b"lo", flags | iff_up, b""))


@pytest.fixture(scope="module", autouse=True)
def _loopback():
    if not _loopback_works():
        try:
            _raise_loopback()
        except OSError:
            pass
    if not _loopback_works():
        pytest.skip("127.0.0.1 is unreachable here (loopback interface down)")


@pytest.fixture(autouse=True)
def _fresh_state(monkeypatch, tmp_path_factory):
    """Each test starts with no known servers and no notice printed, and cannot reach a real
    LanguageTool: no URL in the environment, no proxies, no downloaded copy."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv(grammar.ENV_URL, raising=False)
    monkeypatch.setenv("LTP_PATH", str(tmp_path_factory.mktemp("no-languagetool")))
    monkeypatch.setattr(grammar, "DEFAULT_URL", closed_url())
    grammar.reset_state()
    yield
    grammar.reset_state()


# --- the stand-in server ------------------------------------------------------------------------


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class FakeLanguageTool:
    """LanguageTool's /v2 API, enough of it to test a client. ``requests`` records every check."""

    def __init__(self, *, check_status: int = 200, html: bool = False) -> None:
        self.requests: list[dict[str, str]] = []
        self.check_status = check_status
        self.html = html
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def _send(self, status: int, body: str, kind: str = "application/json") -> None:
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", f"{kind}; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _route(self, fields: dict[str, str]) -> None:
                path = urlsplit(self.path).path
                if fake.html or path not in ("/v2/languages", "/v2/check"):
                    self._send(404, "<!DOCTYPE html><html><body>Not Found</body></html>", "text/html")
                elif path == "/v2/languages":
                    self._send(200, json.dumps(LANGUAGES))
                elif fake.check_status != 200:
                    self._send(fake.check_status, "Error: Internal Server Error", "text/plain")
                else:
                    fake.requests.append(fields)
                    self._send(200, json.dumps(fake.answer(fields)))

            def do_GET(self) -> None:
                query = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
                self._route({k: v[0] for k, v in query.items()})

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8")
                self._route({k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()})

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def texts(self) -> list[str]:
        return [r.get("text", "") for r in self.requests]

    @staticmethod
    def _match(text, start, end, message, short, replacements, rule_id, description, issue, cat_id, cat_name):
        left = max(0, start - 40)
        context = text[left : end + 40].replace("\n", " ")
        sentence_start = max(text.rfind(". ", 0, start) + 2, text.rfind("\n", 0, start) + 1, 0)
        sentence_end = min([i for i in (text.find(". ", end), text.find("\n", end)) if i != -1] or [len(text)])
        return {
            "message": message,
            "shortMessage": short,
            "replacements": [{"value": r} for r in replacements],
            "offset": _utf16(text[:start]),
            "length": _utf16(text[start:end]),
            "context": {"text": context, "offset": _utf16(text[left:start]), "length": _utf16(text[start:end])},
            "sentence": text[sentence_start : sentence_end + 1].strip(),
            "type": {"typeName": "Other"},
            "rule": {
                "id": rule_id,
                "description": description,
                "issueType": issue,
                "category": {"id": cat_id, "name": cat_name},
            },
            "ignoreForIncompleteSentence": False,
            "contextForSureMatch": 0,
        }

    def answer(self, fields: dict[str, str]) -> dict:
        import re

        text = fields.get("text", "")
        language = fields.get("language", "")
        disabled = set(filter(None, fields.get("disabledRules", "").split(",")))
        speller = "MORFOLOGIK_RULE_" + language.upper().replace("-", "_")
        matches = []
        for m in re.finditer(r"[A-Za-z][A-Za-z']*", text):
            if m.group().lower() in TYPOS and speller not in disabled:
                matches.append(self._match(text, m.start(), m.end(), "Possible spelling mistake found.", "Spelling mistake",
                                           TYPOS[m.group().lower()], speller, "Possible spelling mistake", "misspelling",
                                           "TYPOS", "Possible Typo"))
        for m in re.finditer(r"\b([Aa]n) (?=[bcdfgjklmnpqrstvwxz])", text):
            if "EN_A_VS_AN" not in disabled:
                matches.append(self._match(text, m.start(1), m.end(1),
                                           "Use \u201ca\u201d instead of \u2018an\u2019 if the following word doesn\u2019t start with a vowel sound, e.g. \u2018a sentence\u2019, \u2018a university\u2019.",
                                           "Wrong article", ["a"], "EN_A_VS_AN", "Use of 'a' vs. 'an'", "misspelling",
                                           "MISC", "Miscellaneous"))
        pos = 0
        for paragraph in text.split("\n\n"):
            stripped = paragraph.rstrip()
            if stripped and stripped[-1] not in ".!?:" and "PUNCTUATION_PARAGRAPH_END" not in disabled:
                end = pos + len(stripped)
                matches.append(self._match(text, end - 1, end, "Please add a punctuation mark at the end of paragraph.",
                                           "Punctuation", [stripped[-1] + "."], "PUNCTUATION_PARAGRAPH_END",
                                           "No punctuation mark at the end of paragraph", "typographical",
                                           "PUNCTUATION", "Punctuation"))
            pos += len(paragraph) + 2
        matches.sort(key=lambda m: m["offset"])
        name = next((l["name"] for l in LANGUAGES if l["longCode"] == language), language)
        return {
            "software": {"name": "LanguageTool", "version": "6.6", "buildDate": "2025-03-27 12:00:00 +0000",
                         "apiVersion": 1, "premium": False, "status": ""},
            "warnings": {"incompleteResults": False},
            "language": {"name": name, "code": language,
                         "detectedLanguage": {"name": name, "code": language, "confidence": 0.99, "source": "ngram"}},
            "matches": matches,
            "sentenceRanges": [[0, len(text)]],
        }


@pytest.fixture
def fake():
    server = FakeLanguageTool()
    yield server
    server.close()


def closed_url() -> str:
    """A URL where nothing listens: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# --- helpers ------------------------------------------------------------------------------------


def make_rule(tmp_path: Path | None = None, url: str | None = None, **options):
    """The built-in grammar rule, with some options changed, pointed at ``url``."""
    if options:
        data = yaml.safe_load(RULE_FILE.read_text(encoding="utf-8"))
        data["options"].update(options)
        path = tmp_path / "grammar.yaml"
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
    else:
        path = RULE_FILE
    rule = load_rule_file(path, load_shared_lexicons(ROOT / "rules"))
    rule.server_url = url
    return rule


def lint(text: str, rules, path: str = "doc.md"):
    return lint_source(from_text(text, path, path.endswith(".md")), rules).findings


def grammar_findings(text: str, rule, path: str = "doc.md"):
    return [f for f in lint(text, [rule], path) if f.rule == "grammar"]


def position(text: str, needle: str, nth: int = 0) -> Position:
    """1-based line and column of the nth occurrence of needle in text."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    return Position(line, index - (text.rfind("\n", 0, index) + 1) + 1)


# --- loading ------------------------------------------------------------------------------------


def test_rule_loads_off_by_default_at_info():
    from healthlint.filters import select_rules
    from healthlint.ruleset import load_rules

    ruleset = load_rules()
    rule = ruleset.get("grammar")
    assert rule.info.kind == "grammar" and rule.info.enabled is False and rule.info.severity is Severity.INFO
    assert "grammar" not in [r.info.id for r in select_rules(ruleset, [], [])]
    assert [r.info.id for r in select_rules(ruleset, ["grammar"], [])] == ["grammar"]
    assert rule.language == "en-US" and 0 < rule.timeout <= 10
    assert "PUNCTUATION_PARAGRAPH_END" in rule.disabled_rules


def test_bad_options_name_file_and_line(tmp_path):
    from healthlint.yamlfile import DataError

    text = RULE_FILE.read_text(encoding="utf-8").replace("  timeout: 5\n", "  timeout: 5\n  colour: red\n")
    (tmp_path / "grammar.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_rule_file(tmp_path / "grammar.yaml", load_shared_lexicons(ROOT / "rules"))
    assert "unknown option 'colour'" in info.value.message
    assert info.value.line == text.splitlines().index("  colour: red") + 1


def test_importing_the_rule_does_not_import_language_tool_python():
    code = (
        "import sys; from healthlint.ruleset import load_rules; load_rules();"
        "import healthlint.kinds.grammar;"
        "print('language_tool_python' in sys.modules, 'requests' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert out.stdout.split() == ["False", "False"], out.stderr


@pytest.mark.parametrize(
    "given, expected",
    [
        ("http://localhost:8081", "http://localhost:8081/"),
        ("localhost:8081", "http://localhost:8081/"),
        ("http://localhost:8081/v2", "http://localhost:8081/"),
        ("http://localhost:8081/v2/check", "http://localhost:8081/"),
        ("https://example.org/api/", "https://example.org/api/"),
    ],
)
def test_server_urls_are_normalized(given, expected):
    assert grammar.normalize_url(given) == expected


# --- findings -----------------------------------------------------------------------------------

DOC = """\
---
title: Kratom facts
---
# Kratom facts

Take **one** tablet untill the pain stops.
"""


def test_misspelling_is_reported_at_its_exact_line_and_column(fake):
    (finding,) = grammar_findings(DOC, make_rule(url=fake.url))
    assert finding.start == position(DOC, "untill") == Position(6, 21)
    assert finding.end == Position(6, 27)
    assert finding.text == "untill"
    assert finding.severity is Severity.INFO
    assert finding.message == "Possible spelling mistake found. (spelling; LanguageTool rule MORFOLOGIK_RULE_EN_US)"
    assert finding.suggestion == "Use: until"
    # Only prose went to the server: of the front matter only the title, no Markdown markup.
    (sent,) = fake.texts
    assert sent == "Kratom facts\n\nKratom facts\n\nTake one tablet untill the pain stops."


def test_positions_are_exact_with_crlf_and_characters_outside_the_bmp(fake):
    text = "Pills \U0001F48A\U0001F48A\r\nTake one \U0001F48A teh pill.\r\n"
    (finding,) = grammar_findings(text, make_rule(url=fake.url), path="doc.txt")
    assert finding.start == Position(2, 12) and finding.end == Position(2, 15)
    assert finding.text == "teh"


def test_utf16_lengths_spanning_astral_characters_map_back():
    text = "a \U0001F48Ab c"
    assert grammar._python_span(text, grammar._astral_positions(text), 2, 3) == (2, 4)
    assert grammar._python_span("plain", [], 1, 3) == (1, 4)


def test_inline_code_urls_link_targets_and_citations_are_not_reported(fake):
    text = (
        "Use `teh` tool, see https://example.org/teh and [teh guide](https://example.org/recieve).\n\n"
        "Kratom was studied (Smith et al., 2020) and according to the Cochrane review teh results were mixed.\n"
    )
    findings = grammar_findings(text, make_rule(url=fake.url))
    assert [(f.text, f.start) for f in findings] == [
        ("teh", position(text, "teh guide")),  # link text is prose
        ("teh", position(text, "teh results")),
    ]
    assert "recieve" not in "".join(fake.texts)  # link targets are never sent


def test_known_product_and_medicine_names_are_accepted(fake):
    text = "Kratom and mitragynine were studied. So was zzyzx.\n"
    assert [f.text for f in grammar_findings(text, make_rule(url=fake.url))] == ["zzyzx"]


def test_a_configuration_can_accept_more_words(fake):
    rule = make_rule(url=fake.url)
    rule.extra_accept = ["Zzyzx"]  # what `rules: {grammar: {accept: [Zzyzx]}}` in a config sets
    assert grammar_findings("Kratom grows near Zzyzx.\n", rule) == []
    assert set(rule.OPTIONS) >= {"language", "timeout", "disabled_rules", "accept"}


def test_suggestions_come_from_the_first_three_replacements(fake):
    findings = grammar_findings("Take teh pill. It is zzyzx.\n", make_rule(url=fake.url))
    assert [(f.text, f.suggestion) for f in findings] == [("teh", "Use: the, ten or tech"), ("zzyzx", None)]


def test_grammar_matches_keep_their_span_and_message(fake):
    (finding,) = grammar_findings("Take an tablet with food.\n", make_rule(url=fake.url))
    assert finding.text == "an" and finding.suggestion == "Use: a"
    assert finding.message.startswith("Use \u201ca\u201d instead of \u2018an\u2019")
    assert finding.message.endswith("(miscellaneous; LanguageTool rule EN_A_VS_AN)")


def test_request_carries_the_language_and_the_disabled_rules(fake, tmp_path):
    rule = make_rule(url=fake.url)
    grammar_findings(DOC, rule)
    (request,) = fake.requests
    assert request["language"] == "en-US"
    assert set(request["disabledRules"].split(",")) == set(rule.disabled_rules)

    grammar.reset_state()
    grammar_findings(DOC, make_rule(tmp_path, url=fake.url, language="en-GB"))
    assert fake.requests[-1]["language"] == "en-GB"


def test_disabled_rules_are_what_keeps_headings_quiet(fake, tmp_path):
    text = "# Side effects\n\nMost people feel fine.\n"
    assert grammar_findings(text, make_rule(url=fake.url)) == []
    grammar.reset_state()
    (finding,) = grammar_findings(text, make_rule(tmp_path, url=fake.url, disabled_rules=[]))
    assert finding.message.startswith("Please add a punctuation mark") and finding.start == Position(1, 14)


def test_one_request_per_document_and_one_client_per_run(fake):
    rule = make_rule(url=fake.url)
    for _ in range(3):
        grammar_findings("# Title\n\nFirst paragraph.\n\n- item one\n- item two\n", rule)
    assert len(fake.requests) == 3
    assert fake.texts[0] == "Title\n\nFirst paragraph.\n\nitem one\n\nitem two"


def test_long_documents_are_sent_in_chunks_and_still_map_back(fake, monkeypatch):
    monkeypatch.setattr(grammar, "_MAX_CHARS", 60)
    text = "".join(f"Paragraph {i} is here and it is fine.\n\n" for i in range(6)) + "Take teh pill.\n"
    (finding,) = grammar_findings(text, make_rule(url=fake.url))
    assert finding.start == position(text, "teh") and len(fake.requests) > 1


def test_the_environment_variable_is_honoured(fake, monkeypatch):
    monkeypatch.setenv(grammar.ENV_URL, fake.url + "/v2/")
    rule = load_rule_file(RULE_FILE, load_shared_lexicons(ROOT / "rules"))
    assert rule.server_url == fake.url + "/v2/"
    assert [f.text for f in grammar_findings(DOC, rule)] == ["untill"]

    grammar.reset_state()
    rule.server_url = None  # unset (as the CLI leaves it): the variable is read at check time
    assert [f.text for f in grammar_findings(DOC, rule)] == ["untill"]
    assert len(fake.requests) == 2


# --- the rule's own examples, against the stand-in server ---------------------------------------


def _examples(kind: str):
    rule = load_rule_file(RULE_FILE, load_shared_lexicons(ROOT / "rules"))
    examples = rule.info.flag_examples if kind == "flag" else rule.info.pass_examples
    return [pytest.param(e, id=f"grammar:{e.line}") for e in examples]


@pytest.mark.parametrize("example", _examples("flag"))
def test_flag_examples_are_flagged(fake, example):
    path = "example.md" if example.markdown else "example.txt"
    assert grammar_findings(example.text, make_rule(url=fake.url), path), example.text


@pytest.mark.parametrize("example", _examples("pass"))
def test_pass_examples_are_not_flagged(fake, example):
    path = "example.md" if example.markdown else "example.txt"
    found = grammar_findings(example.text, make_rule(url=fake.url), path)
    assert not found, [f.text for f in found]


# --- no server ----------------------------------------------------------------------------------


def test_no_server_one_notice_no_findings_other_rules_unaffected(capsys):
    from healthlint.ruleset import load_rules

    others = [load_rules().get("unhedged-safety-claim")]
    rule = make_rule(url=closed_url())
    text = "Our CBD gummies have zero side effects. Take teh pill.\n"
    started = time.monotonic()
    for _ in range(3):
        findings = lint(text, [rule, *others], "doc.txt")
        assert [f.rule for f in findings] == ["unhedged-safety-claim"]
    assert time.monotonic() - started < 10
    err = capsys.readouterr().err
    assert err.count(NOTICE) == 1, err
    assert err.startswith(f"{NOTICE} no LanguageTool server answered at {rule.server_url}/ (")
    assert "grammar checks skipped. See README: Grammar." in err


def test_no_server_set_anywhere_names_the_default_and_how_to_set_one(capsys):
    rule = make_rule(url=None)
    assert grammar_findings(DOC, rule) == []
    err = capsys.readouterr().err
    assert f"no LanguageTool server answered at {grammar.DEFAULT_URL}/" in err
    assert "--languagetool-url or HEALTHLINT_LANGUAGETOOL_URL" in err


def test_a_server_that_never_answers_is_given_up_quickly(tmp_path, capsys):
    with socket.socket() as silent:  # accepts connections (the kernel does), never replies
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        rule = make_rule(tmp_path, url="http://127.0.0.1:%d" % silent.getsockname()[1], timeout=1)
        started = time.monotonic()
        for _ in range(3):
            assert grammar_findings(DOC, rule) == []
        assert time.monotonic() - started < 5
    err = capsys.readouterr().err
    assert err.count(NOTICE) == 1 and "no answer within 1 s" in err, err


def test_something_else_answering_is_not_mistaken_for_languagetool(capsys):
    server = FakeLanguageTool(html=True)
    try:
        assert grammar_findings(DOC, make_rule(url=server.url)) == []
    finally:
        server.close()
    err = capsys.readouterr().err
    assert err.count(NOTICE) == 1 and "not LanguageTool's" in err, err


def test_a_server_failing_mid_run_stops_grammar_checks_once(capsys):
    server = FakeLanguageTool(check_status=500)
    try:
        rule = make_rule(url=server.url)
        for _ in range(3):
            assert grammar_findings(DOC, rule) == []
    finally:
        server.close()
    err = capsys.readouterr().err
    assert err.count(NOTICE) == 1 and "stopped answering" in err, err


def test_an_unsupported_language_is_named(fake, tmp_path, capsys):
    assert grammar_findings(DOC, make_rule(tmp_path, url=fake.url, language="fr-FR")) == []
    err = capsys.readouterr().err
    assert err.count(NOTICE) == 1 and "does not offer language 'fr-FR'" in err, err
    assert fake.requests == []


def test_languagetool_is_never_downloaded(monkeypatch, capsys):
    from language_tool_python.download_lt import LocalLanguageTool, ReleaseLocalLanguageTool, SnapshotLocalLanguageTool
    from language_tool_python.exceptions import LanguageToolError

    def refuse(self):
        raise AssertionError("healthlint tried to download LanguageTool")

    for cls in (LocalLanguageTool, ReleaseLocalLanguageTool, SnapshotLocalLanguageTool):
        monkeypatch.setattr(cls, "download", refuse)
    # Nothing set, nothing answering, nothing installed: a notice, not a download.
    assert grammar_findings(DOC, make_rule(url=None)) == []
    assert capsys.readouterr().err.count(NOTICE) == 1
    # Even asked directly, the client refuses to start a LanguageTool that is not installed.
    with pytest.raises(LanguageToolError, match="never downloads"):
        grammar._client_class(1.0)(language="en-US")


# --- the command line ---------------------------------------------------------------------------


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess, float]:
    """``healthlint ARGS`` in this process (see conftest.invoke), with no proxies, no grammar URL
    and no LanguageTool copy unless ``env`` gives them; never a traceback."""
    changes: dict[str, str | None] = {k: None for k in os.environ if "proxy" in k.lower()}
    changes.update({grammar.ENV_URL: None, "LTP_PATH": str(cwd / ".no-languagetool"), "NO_COLOR": None})
    changes.update(env or {})
    started = time.monotonic()
    proc = invoke(*args, cwd=cwd, stdin="", env=changes)
    elapsed = time.monotonic() - started
    return subprocess.CompletedProcess(proc.args, proc.returncode, text_mode(proc.stdout), text_mode(proc.stderr)), elapsed


CLAIMS = "Our CBD gummies have zero side effects. Take teh pill.\n"


def test_cli_reports_grammar_through_the_environment_variable(fake, tmp_path):
    (tmp_path / "article.md").write_text(DOC, encoding="utf-8")
    proc, _ = run_cli("check", "--select", "grammar", "article.md", cwd=tmp_path, env={grammar.ENV_URL: fake.url})
    assert proc.returncode == 0  # info findings do not fail the run under the default --fail-on
    assert proc.stdout.splitlines()[:2] == [
        "article.md:6:21: info grammar Possible spelling mistake found. (spelling; LanguageTool rule MORFOLOGIK_RULE_EN_US)",
        "    suggestion: Use: until",
    ]
    assert proc.stderr == ""
    assert fake.requests[0]["language"] == "en-US"


def test_cli_json_output_carries_grammar_findings(fake, tmp_path):
    (tmp_path / "article.md").write_text(DOC, encoding="utf-8")
    proc, _ = run_cli("check", "--select", "grammar", "--format", "json", "article.md", cwd=tmp_path,
                      env={grammar.ENV_URL: fake.url})
    (item,) = json.loads(proc.stdout)
    assert (item["line"], item["column"], item["end_line"], item["end_column"]) == (6, 21, 6, 27)
    assert item["rule"] == "grammar" and item["severity"] == "info" and item["text"] == "untill"


def test_cli_with_no_server_prints_one_notice_and_changes_nothing_else(tmp_path):
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(CLAIMS, encoding="utf-8")
    files = ["a.txt", "b.txt", "c.txt"]
    baseline, _ = run_cli("check", "--select", "unhedged-safety-claim", *files, cwd=tmp_path)
    proc, elapsed = run_cli("check", "--select", "grammar,unhedged-safety-claim", *files, cwd=tmp_path,
                            env={grammar.ENV_URL: closed_url()})
    assert elapsed < 10
    assert proc.stderr.count(NOTICE) == 1, proc.stderr
    assert proc.stderr.startswith(f"{NOTICE} no LanguageTool server answered at http://127.0.0.1:")
    assert proc.stdout == baseline.stdout and proc.stdout.count("unhedged-safety-claim") == 3
    assert proc.returncode == baseline.returncode == 1


def test_cli_does_not_run_grammar_unless_asked(tmp_path):
    # Off by default: no server is looked for (so no notice), even at the default URL.
    (tmp_path / "a.txt").write_text(CLAIMS, encoding="utf-8")
    proc, _ = run_cli("check", "a.txt", cwd=tmp_path)
    assert proc.stderr == "" and " grammar " not in proc.stdout
    assert proc.stdout.count("unhedged-safety-claim") == 1


def test_cli_languagetool_url_flag(fake, tmp_path):
    (tmp_path / "article.md").write_text(DOC, encoding="utf-8")
    proc, _ = run_cli("check", "--select", "grammar", "--languagetool-url", fake.url, "article.md", cwd=tmp_path,
                      env={grammar.ENV_URL: closed_url()})  # the flag wins over the environment
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("article.md:6:21: info grammar Possible spelling mistake found.")
    assert proc.stderr == ""
