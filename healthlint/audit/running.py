"""Lint partitions into rows: here on all cores (a process pool), or on a Dask cluster.

``lint_partition`` is the one function that runs in workers, whatever runs them; it takes a
partition and the settings (both plain data, cheap to send) and returns the rows of its
documents and findings. Each worker builds the rules once and keeps them for every partition
it is given. A document that fails (unreadable, or a bug in a rule) becomes that document's
error; a partition whose worker dies becomes an error for each of its documents. Either way the
audit goes on.
"""

from __future__ import annotations

import hashlib
import json
import re
import signal
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from healthlint.audit.sources import Doc, Partition
from healthlint.formats import load, spec
from healthlint.jobs import RuleSource, describe_failure
from healthlint.settings import CommandLine

WORD = re.compile(r"\S*\w\S*")  # a whitespace-separated token with a letter or digit in it
CLAIM_KIND = "claim"  # the rules whose findings are claims (the audit's densities are of these)


@dataclass(frozen=True)
class AuditSettings:
    """The rule choices of `healthlint check` that an audit takes, as plain data for workers."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    audience: str | None = None
    config: str | None = None  # an absolute path: workers on other machines need the same file there
    isolated: bool = False
    max_bytes: int = 10 * 1024 * 1024

    def command_line(self) -> CommandLine:
        return CommandLine(
            select=list(self.select) if self.select is not None else None,
            extend_select=list(self.extend_select),
            ignore=list(self.ignore),
            audience=self.audience,
            config=Path(self.config) if self.config else None,
            isolated=self.isolated,
        )

    def fingerprint(self) -> str:
        """Changes when anything that changes findings does: these settings, the configuration
        file named, and healthlint's own code and rules."""
        from healthlint.rulecache import code_fingerprint

        digest = hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode())
        digest.update(code_fingerprint().encode())
        if self.config:
            try:
                digest.update(Path(self.config).read_bytes())
            except OSError:
                pass  # the run stops on it when the rules are resolved
        return digest.hexdigest()


@dataclass
class PartResult:
    """The rows of one partition: a row per document and a row per finding."""

    index: int
    documents: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    rule_kinds: dict[str, str] = field(default_factory=dict)  # rule id -> kind, of the rules that ran


# The rules of each settings this process has linted with (a worker keeps them between partitions).
_RULES: dict[AuditSettings, RuleSource] = {}


def rules_for(settings: AuditSettings) -> RuleSource:
    source = _RULES.get(settings)
    if source is None:
        source = _RULES[settings] = RuleSource(settings.command_line())
    return source


def prepare_rules(settings: AuditSettings) -> dict[str, str]:
    """Build the rules here (a forked worker inherits them); raises on a bad configuration or
    rule id, before any work starts. Returns each rule's kind. Rules an earlier audit in this
    process built are dropped first: configuration files may have changed since."""
    _RULES.clear()
    resolved = rules_for(settings).resolve(None)
    return {rule.info.id: rule.info.kind for rule in resolved.rules}


WARM_UP = "# Warm up\n\nThis herb is natural, so it is safe. It cures pain, studies show, and you can stop your medicine.\n"


def warm_up(settings: AuditSettings) -> None:
    """Lint a short text here, so that what rules build on first use (textstat's dictionary,
    the literal index, the parsers) is built once and inherited by forked workers."""
    from healthlint import engine
    from healthlint.formats import Format
    from healthlint.source import from_text

    resolved = rules_for(settings).resolve(None)
    for fmt in (Format.MARKDOWN, Format.TEXT):
        engine.lint_source(from_text(WARM_UP, "<warm-up>", fmt), resolved.rules, front_matter_keys=resolved.front_matter_keys)


def read_document(doc: Doc, max_bytes: int):
    """The document's SourceText (InputError when it cannot be read)."""
    from healthlint.source import InputError, decode, from_text, read_source

    if doc.location is None:
        if doc.text is None:
            raise InputError(f"{doc.id}: the row has no text")
        return from_text(doc.text, doc.id, doc.format)
    if doc.local:
        return read_source(doc.location, display_path=doc.id, fmt=doc.format, max_bytes=max_bytes)
    import fsspec

    try:
        with fsspec.open(doc.location, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except Exception as exc:  # noqa: BLE001 - any storage's error is this document's error
        raise InputError(f"{doc.id}: cannot be read ({type(exc).__name__}: {exc})") from None
    if len(data) > max_bytes:
        raise InputError(f"{doc.id}: larger than the limit of {max_bytes:,} bytes, so it was not read")
    reader = spec(doc.format).reader
    if reader is not None:
        return load(reader)(data, doc.id)
    text, encoding, bom = decode(data, doc.id)
    return from_text(text, doc.id, doc.format, encoding=encoding, bom=bom)


def count_words(document) -> int:
    """Words in the prose that was checked (code, markup and link targets are not counted)."""
    return sum(len(WORD.findall(block.text)) for block in document.blocks)


def lint_partition(partition: Partition, settings: AuditSettings, group_names: tuple[str, ...]) -> PartResult:
    """Lint every document of a partition; runs in a worker."""
    from healthlint import engine
    from healthlint.source import InputError

    rules = rules_for(settings)
    result = PartResult(partition.index)
    for doc in partition.docs:
        groups = dict(zip(group_names, doc.groups))
        row = document_row(doc, groups)
        try:
            source = read_document(doc, settings.max_bytes)
            resolved = rules.resolve(Path(doc.location) if doc.local and doc.location else None)
            kinds = {r.info.id: r.info.kind for r in resolved.rules}
            result.rule_kinds.update(kinds)
            if source.text.strip():  # an empty document has nothing to check (as `check` says)
                linted = engine.lint_source(source, resolved.rules, front_matter_keys=resolved.front_matter_keys)
                row["words"] = count_words(linted.document) if linted.document is not None else 0
                for f in linted.findings:
                    result.findings.append(finding_row(doc.id, groups, f, kinds.get(f.rule) == CLAIM_KIND))
                row["findings"] = len(linted.findings)
                row["claim_findings"] = sum(kinds.get(f.rule) == CLAIM_KIND for f in linted.findings)
        except InputError as exc:
            row["error"] = str(exc)
        except Exception as exc:  # noqa: BLE001 - a bug in a rule stays one document's error
            row["error"] = describe_failure(exc)
        result.documents.append(row)
    return result


def document_row(doc: Doc, groups: dict, error: str | None = None) -> dict:
    """A document's row in documents.parquet, before its findings are counted."""
    return {"doc_id": doc.id, **groups, "format": doc.format.value, "bytes": doc.size, "words": 0, "findings": 0, "claim_findings": 0, "error": error}


def finding_row(doc_id: str, groups: dict, f, is_claim: bool) -> dict:
    return {
        "doc_id": doc_id,
        **groups,
        "rule": f.rule,
        "severity": f.severity.value,
        "claim": is_claim,
        "line": f.start.line,
        "column": f.start.column,
        "end_line": f.end.line,
        "end_column": f.end.column,
        "start_offset": f.span[0],
        "end_offset": f.span[1],
        "message": f.message,
        "suggestion": f.suggestion,
        "text": f.text,
    }


def failed_partition(partition: Partition, group_names: tuple[str, ...], error: str) -> PartResult:
    """Every document of a partition whose worker stopped or could not be reached."""
    result = PartResult(partition.index)
    for doc in partition.docs:
        result.documents.append(document_row(doc, dict(zip(group_names, doc.groups)), error))
    return result


WORKER_STOPPED = "not checked: the worker checking it stopped unexpectedly (out of memory, or a crash in a rule or plugin)"
OnPart = Callable[[PartResult], None]


# --- on this machine ---------------------------------------------------------------------------


def _ignore_interrupts() -> None:
    # Ctrl-C reaches every process of the terminal; the parent alone decides what happens.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_local(partitions: list[Partition], settings: AuditSettings, group_names: tuple[str, ...], jobs: int, on_part: OnPart) -> None:
    """Each partition through ``on_part`` as it is done, in worker processes when jobs > 1.

    A worker that dies (out of memory, a crash in a rule's C library) breaks the whole pool, and
    every partition still in it is lost. Those are run again in a new pool; when a round
    finishes none of them, each is run alone, so only the one that kills its worker is recorded
    as failed."""
    if jobs <= 1 or len(partitions) < 2:
        for p in partitions:
            on_part(lint_partition(p, settings, group_names))
        return
    # Forked workers inherit the rules built here (prepare_rules, warm_up); elsewhere each builds its own.
    if sys.platform.startswith("linux"):
        warm_up(settings)
    remaining = partitions
    while remaining:
        lost = _run_pool(remaining, settings, group_names, jobs, on_part)
        if len(lost) == len(remaining):
            for p in lost:
                if _run_pool([p], settings, group_names, 1, on_part):
                    on_part(failed_partition(p, group_names, WORKER_STOPPED))
            return
        remaining = lost


def _run_pool(partitions: list[Partition], settings: AuditSettings, group_names: tuple[str, ...], jobs: int, on_part: OnPart) -> list[Partition]:
    """Run the partitions in a pool; returns those lost when a worker died."""
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
    before = set(multiprocessing.active_children())
    executor = ProcessPoolExecutor(max_workers=min(jobs, len(partitions)), mp_context=context, initializer=_ignore_interrupts)
    lost: list[Partition] = []
    try:
        gc.freeze()  # workers fork at the first submits: the collector then never copies what they inherit
        try:
            futures = {executor.submit(lint_partition, p, settings, group_names): p for p in partitions}
        finally:
            gc.unfreeze()
        for future in as_completed(futures):
            try:
                result = future.result()
            except BrokenProcessPool:
                lost.append(futures[future])
                continue
            except Exception as exc:  # noqa: BLE001 - e.g. rows that cannot be sent back
                result = failed_partition(futures[future], group_names, describe_failure(exc, located=False))
            on_part(result)
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)
        for process in set(multiprocessing.active_children()) - before:
            process.terminate()
        raise
    executor.shutdown(wait=True)
    return sorted(lost, key=lambda p: p.index)


# --- on a Dask cluster -------------------------------------------------------------------------


class ClusterError(RuntimeError):
    """The cluster could not be started or reached; the message says what to check."""


def local_cluster_size(address: str) -> int | None:
    """N for "local:N", None for a scheduler's address (ValueError for "local:x")."""
    if not address.startswith("local"):
        return None
    _, _, n = address.partition(":")
    if not n:
        from healthlint.jobs import available_cores

        return available_cores()
    if not n.isdigit() or int(n) < 1:
        raise ValueError(f'--dask {address}: write local:N with N a number of workers, e.g. local:4')
    return int(n)


def run_dask(
    partitions: list[Partition], settings: AuditSettings, group_names: tuple[str, ...], address: str, on_part: OnPart, say: Callable[[str], None]
) -> None:
    """Each partition through ``on_part`` as the cluster finishes it."""
    import logging

    from distributed import Client, LocalCluster, as_completed

    n = local_cluster_size(address)
    cluster = None
    try:
        if n is not None:
            # One thread a worker: linting is pure Python, so threads would share one core.
            cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.ERROR)
            client = Client(cluster)
        else:
            client = Client(address, timeout="20s")
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise ClusterError(f"--dask {address}: the Dask scheduler could not be reached ({exc}); check the address and that `dask scheduler` is running") from None
    try:
        from importlib.util import find_spec

        # The scheduler serves the dashboard only when it has bokeh (the audit extra installs it).
        hint = " (the page needs bokeh where the scheduler runs: pip install bokeh)" if n is not None and find_spec("bokeh") is None else ""
        say(f"Dask dashboard, to watch the workers: {client.dashboard_link}{hint}")
        futures = client.map(lint_partition, partitions, settings=settings, group_names=group_names, pure=False)
        by_future = dict(zip(futures, partitions))
        for future in as_completed(futures):
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - a worker lost (KilledWorker) or a result not sent
                result = failed_partition(by_future[future], group_names, f"not checked: the Dask worker failed ({type(exc).__name__}: {exc})")
            on_part(result)
            future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def total_docs(partitions: Iterable[Partition]) -> int:
    return sum(len(p.docs) for p in partitions)
