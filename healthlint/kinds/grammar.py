"""The grammar kind: grammar and spelling from a LanguageTool server.

The rule sends the document's prose (its blocks joined by blank lines, in chunks of at most
``_MAX_CHARS`` characters) to LanguageTool's ``/v2/check`` through language-tool-python, and maps
every match back to its exact place in the source through the block offsets. Matches touching
inline code, URLs, or a citation ("(Smith et al., 2020)", "a 2019 Cochrane review") are dropped,
and so are spelling matches on the product and medicine names healthlint already knows.

Where the server is:

1. ``rule.server_url``: set by the command line from ``--languagetool-url``; by default the
   ``HEALTHLINT_LANGUAGETOOL_URL`` environment variable (read again at check time if unset).
2. Otherwise ``http://localhost:8081``, the port the docs tell users to start LanguageTool on.
3. If nothing answers there and language-tool-python has *already* downloaded a LanguageTool
   (and Java is installed), that copy is started. healthlint never downloads LanguageTool: the
   version must be installed before it is used, and the start is refused otherwise.

When no server answers, one notice goes to stderr (once per process, however many files), the
rule reports nothing, and the rest of the lint is unaffected. Every request is bounded by short
connect and read timeouts, including the ``/v2/languages`` query language-tool-python makes when
it is constructed. language_tool_python (and requests) are imported only when the rule runs.
"""

from __future__ import annotations

import bisect
import os
import re
import shutil
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

from healthlint.kinds.base import Kind, RuleInfo
from healthlint.model import Finding
from healthlint.yamlfile import DataError, LineDict

# The keys a grammar rule may have besides COMMON_KEYS.
RULE_KEYS = frozenset({"options", "message"})

ENV_URL = "HEALTHLINT_LANGUAGETOOL_URL"
DEFAULT_URL = "http://localhost:8081"
SEE = "See README: Grammar."
_MAX_CHARS = 10_000  # per request; LanguageTool's public API refuses more than 20 KB
_CONNECT_TIMEOUT = 2.0  # seconds; the read timeout is the rule's `timeout` option
_SEPARATOR = "\n\n"  # between blocks: LanguageTool reads it as a paragraph break

_OPTIONS: dict[str, type | tuple[type, ...]] = {
    "language": str,
    "timeout": (int, float),
    "disabled_rules": list,
    "disabled_categories": list,
    "accept": list,
    "accept_lexicons": list,
}
_REQUIRED = ("language", "timeout")
# LanguageTool's category ids, in words (language-tool-python keeps the id, not the name).
_CATEGORY_NAMES = {
    "TYPOS": "spelling",
    "GRAMMAR": "grammar",
    "CONFUSED_WORDS": "commonly confused words",
    "PUNCTUATION": "punctuation",
    "CASING": "capitals",
    "TYPOGRAPHY": "typography",
    "COLLOCATIONS": "word combinations",
    "REDUNDANCY": "redundant words",
    "SEMANTICS": "meaning",
    "STYLE": "style",
    "MISC": "miscellaneous",
}
_PLACEHOLDERS = {"message", "short_message", "rule_id", "category", "category_id", "issue_type", "text"}

# Process-wide state, so a dead server costs one notice and one failed connection per run,
# not one per file. Tests call reset_state().
_tools: dict[tuple, object] = {}  # key -> a LanguageTool client, or None when none answered
_notice_shown = False


def reset_state() -> None:
    """Forget servers and notices (for tests, which run many lints in one process)."""
    global _notice_shown
    _tools.clear()
    _notice_shown = False


def _notice(text: str) -> None:
    global _notice_shown
    if not _notice_shown:
        _notice_shown = True
        print(f"healthlint: grammar: {text}", file=sys.stderr, flush=True)


def normalize_url(url: str) -> str:
    """The server's base URL, ending in "/", without the "/v2" language-tool-python adds itself."""
    url = url.strip()
    if not re.match(r"^[a-z][a-z0-9+.-]*://", url, re.I):
        url = "http://" + url
    url = re.sub(r"/v2(?:/(?:check|languages)?)?/?$", "", url.rstrip("/") + "/")
    return url.rstrip("/") + "/"


# --- errors -> one short reason -----------------------------------------------------------------


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    while exc is not None and exc not in seen:
        seen.append(exc)
        exc = exc.__cause__ or exc.__context__
    return seen


def _reason(exc: BaseException, timeout: float) -> str:
    """A few plain words on why a server did not answer."""
    try:
        import requests
    except ImportError:  # pragma: no cover - requests comes with language-tool-python
        requests = None
    for err in _chain(exc):
        if requests is not None:
            if isinstance(err, requests.exceptions.ConnectTimeout):
                return f"no connection within {min(_CONNECT_TIMEOUT, timeout):g} s"
            if isinstance(err, requests.exceptions.ReadTimeout):
                return f"no answer within {timeout:g} s"
            if isinstance(err, requests.exceptions.ConnectionError):
                text = str(err)
                if "refused" in text.lower():
                    return "connection refused"
                if "unreachable" in text.lower():
                    return "network unreachable"
                if re.search(r"resolve|not known|nodename|getaddrinfo|no address", text, re.I):
                    return "unknown host"
                return "could not connect"
        if isinstance(err, ValueError) and "unsupported language" in str(err):
            return str(err)
        if isinstance(err, (KeyError, TypeError, AttributeError)):
            return "its answer is not LanguageTool's"
    text = " ".join(str(exc).split())
    if not text:
        return type(exc).__name__
    if "<html" in text.lower() or "<!doctype" in text.lower():
        return "its answer is not LanguageTool's (an HTML page)"
    return text if len(text) <= 100 else text[:97] + "..."


# --- finding a server ---------------------------------------------------------------------------


def _installed_version() -> str | None:
    """The newest LanguageTool language-tool-python has already downloaded, if Java can run it.

    Looks only at the disk (never at the network) and never creates the download folder.
    """
    if shutil.which("java") is None:
        return None
    folder = Path(os.environ.get("LTP_PATH") or Path.home() / ".cache" / "language_tool_python")
    if not folder.is_dir():
        return None
    with_jar = {
        p.name
        for p in folder.glob("LanguageTool-*")
        if (p / "languagetool-server.jar").is_file() or (p / "languagetool.jar").is_file()
    }
    if not with_jar:
        return None
    try:
        from language_tool_python.download_lt import LocalLanguageTool

        installed = [v for v in LocalLanguageTool.get_installed_versions() if f"LanguageTool-{v.version_name}" in with_jar]
        return max(installed).version_name if installed else None
    except Exception:  # noqa: BLE001 - an odd install is simply not used
        return None


def _client_class(timeout: float):
    """language-tool-python's LanguageTool with every request bounded (it waits 300 s by default)
    and with its local-server start refused unless that LanguageTool is already installed."""
    import language_tool_python
    from language_tool_python.exceptions import PathError

    class BoundedLanguageTool(language_tool_python.LanguageTool):
        _TIMEOUT = (min(_CONNECT_TIMEOUT, timeout), timeout)  # (connect, read), for requests

        def _start_local_server(self) -> None:
            version = getattr(self, "_language_tool_download_version", None)
            if version is None or version != _installed_version():
                raise PathError("LanguageTool is not installed here; healthlint never downloads it")
            super()._start_local_server()

    return BoundedLanguageTool


class GrammarRule:
    # Options a configuration file may set: name -> (attribute, type).
    OPTIONS = {
        "language": ("language", str),
        "timeout": ("timeout", (int, float)),
        "disabled_rules": ("disabled_rules", list),
        "accept": ("extra_accept", list),  # more spellings to accept, besides the rule file's
    }

    def __init__(
        self,
        info: RuleInfo,
        *,
        language: str,
        timeout: float,
        disabled_rules: tuple[str, ...],
        disabled_categories: tuple[str, ...],
        accept: frozenset[str],
        message: str,
    ) -> None:
        self.info = info
        self.language = language
        self.timeout = float(timeout)
        self.disabled_rules = disabled_rules
        self.disabled_categories = disabled_categories
        self.accept = accept
        self.extra_accept: list[str] = []
        self.message = message
        # The command line sets this from --languagetool-url; the environment is the default.
        self.server_url: str | None = os.environ.get(ENV_URL) or None

    # -- the client ------------------------------------------------------------------------------

    def _configure(self, tool, where: str) -> object:
        tool.healthlint_where = where  # for notices
        tool.disabled_rules = {str(r) for r in self.disabled_rules}
        tool.disabled_categories = {str(c) for c in self.disabled_categories}
        return tool

    def _tool(self):
        """A working client, or None (after one notice) when no server answers."""
        explicit = self.server_url or os.environ.get(ENV_URL) or None
        url = normalize_url(explicit or DEFAULT_URL)
        timeout = float(self.timeout)
        key = (url, bool(explicit), self.language, timeout, tuple(self.disabled_rules), tuple(self.disabled_categories))
        if key in _tools:
            return _tools[key]
        _tools[key] = None  # until proven otherwise; also stops retries after a failure
        try:
            cls = _client_class(timeout)
        except ImportError as exc:
            _notice(f"language-tool-python is not installed ({exc}); grammar checks skipped. {SEE}")
            return None
        try:
            tool = cls(language=self.language, remote_server=url)
        except Exception as exc:  # noqa: BLE001 - any failure means: no usable server
            reason = _reason(exc, timeout)
            if "unsupported language" in reason:
                _notice(f"the LanguageTool server at {url} does not offer language '{self.language}'; grammar checks skipped. {SEE}")
                return None
            if not explicit:
                local = self._start_installed()
                if local is not None:
                    _tools[key] = local
                    return local
                reason += f"; no server was set with --languagetool-url or {ENV_URL}"
            _notice(f"no LanguageTool server answered at {url} ({reason}); grammar checks skipped. {SEE}")
            return None
        _tools[key] = self._configure(tool, f"the LanguageTool server at {url}")
        return _tools[key]

    def _start_installed(self):
        """Start a LanguageTool that is already on this machine, or None. Never downloads."""
        version = _installed_version()
        if version is None:
            return None
        try:
            tool = _client_class(self.timeout)(language=self.language, language_tool_download_version=version)
        except Exception:  # noqa: BLE001
            return None
        return self._configure(tool, f"the LanguageTool {version} installed on this machine")

    # -- checking --------------------------------------------------------------------------------

    def check(self, doc) -> Iterator[Finding]:
        blocks = [b for b in doc.blocks if b.text.strip()]
        if not blocks:
            return
        tool = self._tool()
        if tool is None:
            return
        skip_cache: dict[int, list[tuple[int, int]]] = {}
        accept = self.accept | _words([str(w) for w in self.extra_accept]) if self.extra_accept else self.accept
        for chunk_blocks in _chunks(blocks):
            text, starts = _join(chunk_blocks)
            try:
                matches = tool.check(text)
            except Exception as exc:  # noqa: BLE001 - a server that stops answering ends grammar checks
                for key, value in list(_tools.items()):
                    if value is tool:
                        _tools[key] = None
                _notice(
                    f"{getattr(tool, 'healthlint_where', 'the LanguageTool server')} stopped answering ({_reason(exc, self.timeout)}); "
                    f"grammar checks skipped for the rest of this run. {SEE}"
                )
                return
            yield from self._findings(doc, chunk_blocks, text, starts, matches, skip_cache, accept)

    def _findings(self, doc, blocks, text, starts, matches, skip_cache, accept) -> Iterator[Finding]:
        astral = _astral_positions(text)
        for match in matches:
            try:
                start, end = _python_span(text, astral, int(match.offset), int(match.error_length))
                rule_id = str(getattr(match, "rule_id", "") or "")
                category_id = str(getattr(match, "category", "") or "")
                replacements = [str(r) for r in (getattr(match, "replacements", None) or [])]
                lt_message = " ".join(str(getattr(match, "message", "") or "").split())
            except (TypeError, ValueError, AttributeError):
                continue
            if end <= start:
                continue
            index = bisect.bisect_right(starts, start) - 1
            if index < 0:
                continue
            block = blocks[index]
            b_start, b_end = start - starts[index], end - starts[index]
            if b_end > len(block.text):
                continue  # runs past the block (into the separator or the next block)
            found = block.text[b_start:b_end]
            if not found.strip():
                continue
            if _overlaps(_skip_spans(block, skip_cache), b_start, b_end):
                continue
            if category_id == "TYPOS" and _accepted(found, accept):
                continue
            values = {
                "message": lt_message or "LanguageTool found a problem here.",
                "short_message": str(getattr(match, "shortMessage", "") or ""),
                "rule_id": rule_id,
                "category": _CATEGORY_NAMES.get(category_id, category_id.replace("_", " ").lower()),
                "category_id": category_id,
                "issue_type": str(getattr(match, "rule_issue_type", "") or ""),
                "text": found,
            }
            yield doc.finding(
                block,
                b_start,
                b_end,
                rule=self.info.id,
                severity=self.info.severity,
                message=self.message.format(**values).strip(),
                suggestion=suggestion(replacements, found),
            )


# --- helpers ------------------------------------------------------------------------------------


def _chunks(blocks: list) -> Iterator[list]:
    """Consecutive blocks, at most _MAX_CHARS characters a request (a longer block goes alone)."""
    chunk: list = []
    size = 0
    for block in blocks:
        extra = len(block.text) + (len(_SEPARATOR) if chunk else 0)
        if chunk and size + extra > _MAX_CHARS:
            yield chunk
            chunk, size = [], 0
            extra = len(block.text)
        chunk.append(block)
        size += extra
    if chunk:
        yield chunk


def _join(blocks: list) -> tuple[str, list[int]]:
    starts, parts, pos = [], [], 0
    for block in blocks:
        starts.append(pos)
        parts.append(block.text)
        pos += len(block.text) + len(_SEPARATOR)
    return _SEPARATOR.join(parts), starts


def _astral_positions(text: str) -> list[int]:
    """Python indices of characters outside the BMP: two UTF-16 units each in LanguageTool."""
    return [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if not text.isascii() else []


def _python_span(text: str, astral: list[int], offset: int, length: int) -> tuple[int, int]:
    """language-tool-python has already turned the match offset into a Python index; its length
    is still in UTF-16 units (LanguageTool is Java), so walk it out character by character."""
    start = offset
    if not astral:
        return start, start + length
    end, units = start, 0
    while end < len(text) and units < length:
        units += 2 if ord(text[end]) > 0xFFFF else 1
        end += 1
    return start, end


def _skip_spans(block, cache: dict[int, list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """Spans of a block no grammar finding may touch: inline code and URLs (protected), bare
    links, and citations or named sources."""
    key = id(block)
    if key not in cache:
        from healthlint.context import cues

        spans = list(block.protected)
        spans += [(link.start, link.end) for link in block.links if block.text[link.start : link.end].strip() == link.target.strip()]
        c = cues()
        spans += [m.span() for m in c.citation.finditer(block.text)]
        spans += [m.span() for m in c.named_source.finditer(block.text)]
        cache[key] = spans
    return cache[key]


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start < s_end and s_start < end for s_start, s_end in spans)


def _accepted(found: str, accept: frozenset[str]) -> bool:
    """Is a flagged spelling one of the accepted words (or its plural or possessive)?"""
    word = found.strip().lower().replace("\u2019", "'")
    forms = {word, re.sub(r"'s$", "", word), word[:-1] if word.endswith("s") else word}
    return bool(forms & accept)


def suggestion(replacements: list[str], found: str) -> str | None:
    """ "Use: a, b or c" from LanguageTool's first three replacements."""
    if not replacements:
        return None
    values = [r for r in replacements if r.strip()][:3]
    if not values:
        return f'Delete "{found}".'
    if len(values) == 1:
        return f"Use: {values[0]}"
    return "Use: " + ", ".join(values[:-1]) + " or " + values[-1]


def _words(entries: list[str]) -> set[str]:
    out = set()
    for entry in entries:
        if entry.startswith("re:"):
            continue
        phrase = entry.lower().replace("\u2019", "'")
        out.add(phrase)
        out.update(w for w in re.split(r"[\s/]+", phrase) if w)
        out.update(w for w in re.split(r"[\s/-]+", phrase) if w)
    return out


def build_grammar_rule(info: RuleInfo, data: LineDict, lexicons: Mapping, path: str) -> GrammarRule:
    options = data.get("options") or LineDict()
    if not isinstance(options, dict):
        raise DataError(path, data.line_of("options"), "'options' must be a mapping")
    line_of = options.line_of if isinstance(options, LineDict) else (lambda key: data.line_of("options"))
    for key, value in options.items():
        expected = _OPTIONS.get(key)
        if expected is None:
            raise DataError(path, line_of(key), f"unknown option '{key}'; known: {', '.join(_OPTIONS)}")
        if not isinstance(value, expected) or isinstance(value, bool):
            kind = "number" if expected == (int, float) else expected.__name__
            raise DataError(path, line_of(key), f"option '{key}' must be a {kind}")
        if expected is list and not all(isinstance(v, str) and v.strip() for v in value):
            raise DataError(path, line_of(key), f"option '{key}' must be a list of words")
    for key in _REQUIRED:
        if key not in options:
            raise DataError(path, data.line_of("options") if "options" in data else data.line, f"missing option '{key}'")
    language = options["language"].strip()
    if not re.fullmatch(r"[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*|auto", language):
        raise DataError(path, line_of("language"), f"'{language}' is not a language code such as en-US")
    timeout = float(options["timeout"])
    if not 0 < timeout <= 60:
        raise DataError(path, line_of("timeout"), "option 'timeout' must be a number of seconds above 0 and at most 60")
    accept_words = _words([str(w) for w in options.get("accept", [])])
    for name in options.get("accept_lexicons", []):
        if name not in lexicons:
            raise DataError(path, line_of("accept_lexicons"), f"unknown lexicon '{name}'; known: {', '.join(sorted(lexicons))}")
        accept_words |= _words([str(e) for e in lexicons[name]])
    message = data.get("message")
    if not isinstance(message, str) or not message.strip():
        raise DataError(path, data.line, "a grammar rule needs a 'message'")
    unknown = set(re.findall(r"\{(\w+)\}", message)) - _PLACEHOLDERS
    if unknown:
        raise DataError(path, data.line_of("message"), f"'message' uses {{{sorted(unknown)[0]}}}; available: {', '.join(sorted(_PLACEHOLDERS))}")
    return GrammarRule(
        info,
        language=language,
        timeout=timeout,
        disabled_rules=tuple(r.strip() for r in options.get("disabled_rules", [])),
        disabled_categories=tuple(c.strip() for c in options.get("disabled_categories", [])),
        accept=frozenset(accept_words),
        message=" ".join(message.split()),
    )


GRAMMAR_KIND = Kind(build_grammar_rule, RULE_KEYS)
