"""The audit's results in DIR, from the saved partitions: findings.parquet, documents.parquet,
errors.parquet, summary.json and report.html. Rows keep the partitions' order (the order the
documents were found in), so two audits of the same sources write the same files whatever ran
them."""

from __future__ import annotations

import json
from pathlib import Path

from healthlint.audit import html
from healthlint.audit.store import Store, write_table, write_text
from healthlint.audit.summary import summarise


def claim_rules_of(findings, rule_kinds: dict[str, str]) -> dict[str, str]:
    """Every rule's kind: those the run knows, and "claim" for any rule a finding marks as one
    (a rule only a folder's configuration turns on)."""
    import pyarrow.compute as pc

    kinds = dict(rule_kinds)
    if findings.num_rows:
        for rule in pc.unique(findings.filter(findings.column("claim")).column("rule")).to_pylist():
            kinds[rule] = "claim"
    return kinds


def write_results(store: Store, keys: list[str], rule_kinds: dict[str, str], date_column: str | None, about: dict) -> dict:
    """Write every result file; returns the summary. ``about``: the sources and settings, for summary.json."""
    import pyarrow.compute as pc

    documents, findings = store.load(keys)
    folder = store.folder
    write_table(folder / "findings.parquet", findings)
    write_table(folder / "documents.parquet", documents)
    errors = documents.filter(pc.invert(pc.is_null(documents.column("error")))).select(["doc_id", *store.group_names, "error"])
    write_table(folder / "errors.parquet", errors)
    summary = {**about, **summarise(documents, findings, claim_rules_of(findings, rule_kinds), store.group_names, date_column)}
    write_text(folder / "summary.json", json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    worst = {d["doc_id"] for d in summary["most_claims"]}
    listed = findings.filter(pc.and_(pc.is_in(findings.column("doc_id"), value_set=_strings(worst)), findings.column("claim"))) if worst else findings.slice(0, 0)
    title = f"healthlint audit: {summary['documents']:,} documents"
    write_text(folder / "report.html", html.render(summary, store.group_names, listed.to_pylist(), title))
    return summary


def _strings(values: set[str]):
    import pyarrow as pa

    return pa.array(sorted(values), type=pa.string())


def result_files(folder: Path) -> list[Path]:
    return [folder / name for name in ("findings.parquet", "documents.parquet", "errors.parquet", "summary.json", "report.html")]
