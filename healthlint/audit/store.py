"""The output folder's working files, so an interrupted audit resumes where it stopped.

Each finished partition is saved at once as two Parquet files under DIR/parts/, named by the
partition's key (its documents, their sizes and times or text, and the settings): KEY.findings
.parquet, then KEY.docs.parquet, which marks the partition done. A run over the same sources
with the same settings finds those files and lints only the partitions that have none; a
changed document or setting changes the key, so nothing stale is reused. DIR/manifest.json says
what the folder holds and marks it as healthlint's own.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from healthlint import __version__

MANIFEST = "manifest.json"
PARTS = "parts"
FINAL = ("findings.parquet", "errors.parquet", "documents.parquet", "summary.json", "report.html")


class StoreError(ValueError):
    """An output folder the audit may not write in; the message says why."""


def document_schema(group_names: tuple[str, ...]):
    import pyarrow as pa

    return pa.schema(
        [("doc_id", pa.string())]
        + [(g, pa.string()) for g in group_names]
        + [("format", pa.string()), ("bytes", pa.int64()), ("words", pa.int64()), ("findings", pa.int64()), ("claim_findings", pa.int64()), ("error", pa.string())]
    )


def finding_schema(group_names: tuple[str, ...]):
    import pyarrow as pa

    return pa.schema(
        [("doc_id", pa.string())]
        + [(g, pa.string()) for g in group_names]
        + [
            ("rule", pa.string()),
            ("severity", pa.string()),
            ("claim", pa.bool_()),
            ("line", pa.int64()),
            ("column", pa.int64()),
            ("end_line", pa.int64()),
            ("end_column", pa.int64()),
            ("start_offset", pa.int64()),
            ("end_offset", pa.int64()),
            ("message", pa.string()),
            ("suggestion", pa.string()),
            ("text", pa.string()),
        ]
    )


class Store:
    def __init__(self, folder: Path, group_names: tuple[str, ...]) -> None:
        self.folder = folder
        self.parts = folder / PARTS
        self.group_names = group_names

    def open(self, manifest: dict, *, fresh: bool) -> None:
        """Make the folder ready (StoreError when it is a file, or a folder healthlint did not write)."""
        if self.folder.exists() and not self.folder.is_dir():
            raise StoreError(f"--output {self.folder}: is a file; name a folder for the audit's results")
        if self.folder.is_dir() and any(self.folder.iterdir()) and not (self.folder / MANIFEST).is_file():
            raise StoreError(f"--output {self.folder}: this folder has files healthlint did not write; name a new or empty folder")
        if fresh and self.parts.exists():
            shutil.rmtree(self.parts)
        self.parts.mkdir(parents=True, exist_ok=True)
        write_text(self.folder / MANIFEST, json.dumps({"healthlint": __version__, **manifest}, indent=2) + "\n")

    def done(self, key: str) -> bool:
        return (self.parts / f"{key}.docs.parquet").is_file()

    def save(self, key: str, documents: list[dict], findings: list[dict]) -> None:
        """Findings first, documents last: the documents' file says the partition is complete."""
        _write_rows(self.parts / f"{key}.findings.parquet", findings, finding_schema(self.group_names))
        _write_rows(self.parts / f"{key}.docs.parquet", documents, document_schema(self.group_names))

    def load(self, keys: list[str]):
        """(documents, findings) of these partitions, in this order, as pyarrow Tables."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        docs = [pq.read_table(self.parts / f"{k}.docs.parquet") for k in keys]
        found = [pq.read_table(self.parts / f"{k}.findings.parquet") for k in keys]
        doc_schema, finding_schema_ = document_schema(self.group_names), finding_schema(self.group_names)
        return (
            pa.concat_tables([t.cast(doc_schema) for t in docs]) if docs else doc_schema.empty_table(),
            pa.concat_tables([t.cast(finding_schema_) for t in found]) if found else finding_schema_.empty_table(),
        )

    def forget_others(self, keys: set[str]) -> int:
        """Remove part files of partitions this audit no longer has (changed documents or settings)."""
        removed = 0
        for path in self.parts.iterdir():
            if path.name.split(".")[0] not in keys:
                path.unlink(missing_ok=True)
                removed += 1
        return removed


def _write_rows(path: Path, rows: list[dict], schema) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    temporary = path.with_name(path.name + ".tmp")
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), temporary)
    os.replace(temporary, path)


def write_table(path: Path, table) -> None:
    import pyarrow.parquet as pq

    temporary = path.with_name(path.name + ".tmp")
    pq.write_table(table, temporary)
    os.replace(temporary, path)


def write_text(path: Path, text: str) -> None:
    from healthlint.atomicfile import write_atomic

    write_atomic(path, text.encode("utf-8"))
