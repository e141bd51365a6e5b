"""One audit from start to end: sources -> partitions -> (resume) -> lint -> results.

The command line builds an AuditRequest and calls run_audit; everything it prints goes through
``say`` (stderr), so the module holds no terminal of its own besides the progress bar.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from healthlint.audit.outputs import write_results
from healthlint.audit.running import AuditSettings, PartResult, prepare_rules, rules_for, run_dask, run_local, total_docs
from healthlint.audit.sources import SourceError, TableColumns, collect, partition
from healthlint.audit.store import Store


@dataclass(frozen=True)
class AuditRequest:
    sources: list[str]
    output: Path
    settings: AuditSettings = field(default_factory=AuditSettings)
    columns: TableColumns = field(default_factory=TableColumns)
    dask: str | None = None  # None: this machine's cores; "local:N"; or a scheduler's address
    jobs: int = 1
    fresh: bool = False  # forget saved partitions and lint everything again
    quiet: bool = False
    respect_gitignore: bool | None = None
    partition_bytes: int | None = None  # None: sources.PARTITION_BYTES


@dataclass
class AuditOutcome:
    summary: dict
    partitions: int
    resumed: int  # partitions an earlier run had finished
    linted: int  # partitions linted by this run


def run_audit(request: AuditRequest, say: Callable[[str], None]) -> AuditOutcome:
    """Raises SourceError, StoreError, ClusterError, or a configuration's DataError/ValueError."""
    from healthlint.progress import progress_bar, wanted

    settings = request.settings
    rule_kinds = prepare_rules(settings)  # a bad configuration or rule id stops the run before any work
    resolver = rules_for(settings).resolver
    collected = collect(
        request.sources,
        request.columns,
        rules_for=resolver.folder_rules,
        excluded=lambda path: resolver.excluded(path, False),
        respect_gitignore=request.respect_gitignore,
    )
    if not collected.docs:
        raise SourceError(f"{', '.join(request.sources)}: no document that healthlint reads was found here")
    sizes = {"max_bytes": request.partition_bytes} if request.partition_bytes else {}
    partitions = partition(collected.docs, **sizes)
    fingerprint = settings.fingerprint()
    keys = [p.key(fingerprint) for p in partitions]
    store = Store(request.output, collected.group_names)
    about = {
        "sources": list(request.sources),
        "settings": {k: v for k, v in vars(settings).items() if k != "max_bytes"},
        "columns": {"text": request.columns.text, "id": request.columns.id, "group_by": list(request.columns.group_by), "date": request.columns.date, "text_format": request.columns.text_format.value},
    }
    store.open({**about, "partitions": keys, "group_columns": list(collected.group_names)}, fresh=request.fresh)
    pending = [p for p, key in zip(partitions, keys) if not store.done(key)]
    resumed = len(partitions) - len(pending)
    if resumed:
        say(f"Resuming: {resumed} of {len(partitions)} parts were checked by an earlier run; checking the other {len(pending)}.")
    with progress_bar(total_docs(pending), show=wanted(total_docs(pending), quiet=request.quiet)) as advance:

        def on_part(result: PartResult) -> None:
            store.save(keys[result.index], result.documents, result.findings)
            rule_kinds.update(result.rule_kinds)
            for _ in result.documents:
                advance()

        if not pending:
            pass
        elif request.dask:
            run_dask(pending, settings, collected.group_names, request.dask, on_part, say)
        else:
            run_local(pending, settings, collected.group_names, request.jobs, on_part)
    store.forget_others(set(keys))
    summary = write_results(store, keys, rule_kinds, request.columns.date, about)
    return AuditOutcome(summary, len(partitions), resumed, len(pending))
