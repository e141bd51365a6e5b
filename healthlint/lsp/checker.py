"""Checking one version of one document: resolve its settings and run the engine.

This runs in a worker (see workers.py), never on the event loop. The engine and the settings
are imported inside the functions that use them: the server starts, and answers ``initialize``,
without waiting for them; the warm-up, on a thread, imports them.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from healthlint.formats import Format
from healthlint.lsp.options import Options, in_settings_terms
from healthlint.model import Finding
from healthlint.source import from_text

if TYPE_CHECKING:
    from healthlint.kinds import RuleInfo
    from healthlint.settings import Resolver

log = logging.getLogger("healthlint.lsp")

# Enough prose to reach every stage once: Markdown and text parsing, sentences, context, the
# claim patterns, the plain-language list and textstat's pronouncing dictionary.
WARM_UP_TEXT = (
    "# Kratom\n\n"
    "Kratom is a natural herb. Studies suggest it is generally safe and has no side effects, so it "
    "is a natural alternative to opioids that people utilize for hepatic health.\n"
)


# The most diagnostics one document gets. A 5 MB document has over 150,000 findings: sending them
# all (pickled from the worker, converted, then tens of MB of JSON) kept the server busy for
# minutes and no editor shows that many. The first ones, in document order, and a note.
MAX_DIAGNOSTICS = 1000


@dataclass
class LintJob:
    """What a worker needs to check one version of one document (pickled to worker processes)."""

    uri: str
    version: int | None
    generation: int  # the server's configuration generation when the job was made
    text: str
    format: Format
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
    rules: dict[str, RuleInfo]  # rule id -> its documentation, for hover
    error: str | None = None
    seconds: float = 0.0  # resolving settings and running the engine, in the worker
    withheld: int = 0  # findings past MAX_DIAGNOSTICS, counted but not sent


def failure(job: LintJob, exc: Exception) -> str:
    """The message for a check that failed with a bug, not a problem in the document or settings."""
    return f"checking {job.name} failed ({type(exc).__name__}: {exc}); please report this with the document"


def configured_format(job: LintJob, config) -> Format:
    """The job's format (from the editor's language id or the name), unless the document's
    configuration maps its suffix in `formats:`, which wins: the project said so."""
    from healthlint.lsp.documents import uri_file

    formats = config.formats if config is not None else {}
    return formats.get(uri_file(job.uri).suffix.lower(), job.format)


class Checker:
    """Resolves each document's settings and runs the engine. The server warms one up; each worker
    process is a fork of the server and so starts with a warm copy of it (its compiled rules and
    cached configuration), which it keeps between documents. Worker threads share the server's."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # worker threads share the resolver's caches
        self.generation = 0  # the server's configuration generation these caches belong to
        self.resolver: Resolver | None = None
        self.resolved_for: tuple[Options, Path | None] | None = None

    def resolver_for(self, generation: int, options: Options, root: Path | None) -> Resolver:
        from healthlint.config import find_config_file
        from healthlint.ruleset import folder_rules
        from healthlint.settings import Resolver

        # A configuration file changed: forget every cached file and rule folder. (A check from
        # an older generation is superseded and its result dropped, so it may use the newer ones.)
        if generation > self.generation:
            find_config_file.cache_clear()
            folder_rules.cache_clear()
            self.generation = generation
            self.forget()
        if self.resolver is None or self.resolved_for != (options, root):
            self.resolver, self.resolved_for = Resolver(options.command_line(root)), (options, root)
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
        rules: dict[str, RuleInfo] = {}
        error = None
        try:
            with self.lock:
                resolver = self.resolver_for(job.generation, job.options, job.root)
                resolved = None if job.path is not None and resolver.excluded(job.path, True) else resolver.resolve(job.path)
            if resolved is not None:
                rules = {rule.info.id: rule.info for rule in resolved.rules}
                source = from_text(job.text, job.name, configured_format(job, resolved.config))
                if source.text.strip():
                    findings = lint_source(source, resolved.rules).findings
        except (DataError, ValueError, OSError) as exc:
            self.forget()
            error = in_settings_terms(str(exc))
        except Exception as exc:  # a bug in a rule or plugin: report it, keep serving
            log.exception("checking %s failed", job.uri)
            error = failure(job, exc)
        withheld = max(0, len(findings) - MAX_DIAGNOSTICS)
        return Outcome(findings[:MAX_DIAGNOSTICS], rules, error, time.perf_counter() - started, withheld)
