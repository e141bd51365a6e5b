"""What an audit's SOURCE arguments name, as documents cut into partitions.

A SOURCE is a local folder (walked as `healthlint check` walks it: the same files, ignores and
configuration), a glob, an fsspec URL (file://, s3://, gs://: a file, a folder or a glob), or a
table of pages: a JSONL, CSV or Parquet file, local or at a URL, one page a row. A row's text is
read as plain text unless --text-format says Markdown or HTML (a crawl's text column is usually
already extracted from its page).

Documents keep the order they were found in, and partitions are cut from that order by size
alone, never by the number of workers: so every run over the same sources makes the same
partitions, which is what lets an interrupted audit resume and makes the findings the same
whatever runs them.
"""

from __future__ import annotations

import glob
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePosixPath

from healthlint.discovery import is_non_prose_name, lintable_format
from healthlint.formats import Format

TABLE_SUFFIXES = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".jsonl": "json", ".ndjson": "json"}
FOLDER_GROUP = "folder"  # the group column of documents read from files: the folder under the source

# A partition is about this much text (about half a second of linting on one core): large
# enough that scheduling costs nothing beside it, small enough to spread over many workers.
PARTITION_BYTES = 256 * 1024
PARTITION_DOCS = 1000


class SourceError(ValueError):
    """A SOURCE that cannot be read at all; the message names it and says what to do."""


@dataclass(frozen=True)
class Doc:
    """One document to lint: a file (``location``) or a table row (``text``)."""

    id: str
    groups: tuple[str | None, ...]  # one value per group column, in the columns' order
    format: Format
    location: str | None = None  # a local path, or an fsspec URL
    text: str | None = None  # a table row's text (None: the row has none; an error for that row)
    size: int = 0  # bytes
    stamp: str = ""  # changes when the document does (size and time, or a hash of the text)
    local: bool = True  # location is a local path: read and configured as `check` does


@dataclass(frozen=True)
class Partition:
    index: int
    docs: tuple[Doc, ...]

    def key(self, fingerprint: str) -> str:
        """Names this partition's results: the same documents, unchanged, with the same settings."""
        digest = hashlib.sha256(fingerprint.encode())
        for d in self.docs:
            digest.update(f"{d.id}\0{d.location}\0{d.stamp}\0{d.format.value}\0{d.groups}\n".encode())
        return digest.hexdigest()[:32]


@dataclass(frozen=True)
class TableColumns:
    """Which columns of a table hold what (--text-column, --id-column, --group-by, --date-column)."""

    text: str = "text"
    id: str | None = None  # None: "url" or "id" when the table has one, else the row number
    group_by: tuple[str, ...] = ()
    date: str | None = None
    text_format: Format = Format.TEXT


@dataclass
class Collected:
    docs: list[Doc]
    group_names: tuple[str, ...]


def group_names(sources: list[str], columns: TableColumns) -> tuple[str, ...]:
    """The group columns every document carries: `folder` for files, then the table's columns."""
    names: list[str] = []
    if any(not is_table(s) for s in sources):
        names.append(FOLDER_GROUP)
    names += [c for c in columns.group_by if c not in names]
    if columns.date and columns.date not in names:
        names.append(columns.date)
    return tuple(names)


def is_url(source: str) -> bool:
    return "://" in source


def is_table(source: str) -> bool:
    return PurePosixPath(source.split("?")[0]).suffix.lower() in TABLE_SUFFIXES


def has_magic(source: str) -> bool:
    return glob.has_magic(source)


Excluded = Callable[[Path], bool]  # a local file the configuration excludes from folder runs
RulesFor = Callable[[Path], object]  # discovery's folder rules (formats, gitignore)


def collect(sources: list[str], columns: TableColumns, *, rules_for: RulesFor, excluded: Excluded, respect_gitignore: bool | None) -> Collected:
    """Every document the sources name, in a stable order (SourceError for a source that is not there)."""
    names = group_names(sources, columns)
    docs: list[Doc] = []
    seen: set[str] = set()
    for source in sources:
        if is_table(source):
            found = table_docs(source, columns, names)
        elif is_url(source):
            found = url_docs(source, names)
        else:
            found = local_docs(source, names, rules_for=rules_for, excluded=excluded, respect_gitignore=respect_gitignore)
        for doc in found:
            if doc.location is None or doc.location not in seen:  # a file named by two sources: once
                seen.add(doc.location or "")
                docs.append(doc)
    return Collected(docs, names)


def _groups(names: tuple[str, ...], values: dict[str, str | None]) -> tuple[str | None, ...]:
    return tuple(values.get(n) for n in names)


def _top_folder(root: str, path: str) -> str:
    """The first folder under ``root`` holding ``path`` (a site or section), else root's own name."""
    relative = PurePosixPath(path.replace(os.sep, "/")).relative_to(PurePosixPath(root.replace(os.sep, "/")))
    parts = relative.parts
    return parts[0] if len(parts) > 1 else (PurePosixPath(root.replace(os.sep, "/")).name or root)


def _file_doc(path: str, root: str, names: tuple[str, ...], fmt: Format | None) -> Doc:
    try:
        info = os.stat(path)
        size, stamp = info.st_size, f"{info.st_size}:{info.st_mtime_ns}"
    except OSError:
        size, stamp = 0, "unreadable"  # the reader says why, as that document's error
    # The id is the path as `check` prints it; workers read the absolute path (their folder may differ).
    return Doc(path, _groups(names, {FOLDER_GROUP: _top_folder(root, path)}), fmt or Format.TEXT, location=os.path.abspath(path), size=size, stamp=stamp)


def local_docs(source: str, names: tuple[str, ...], *, rules_for: RulesFor, excluded: Excluded, respect_gitignore: bool | None) -> list[Doc]:
    from healthlint.discovery import discover, is_folder

    if has_magic(source):
        root = _glob_root(source)
        paths = sorted(p for p in glob.glob(source, recursive=True) if os.path.isfile(p) and lintable_format(os.path.basename(p)))
        if not paths:
            raise SourceError(f"{source}: no file that healthlint reads matches this pattern")
        return [_file_doc(p, root, names, lintable_format(os.path.basename(p))) for p in paths if not excluded(Path(p))]
    if not os.path.exists(source):
        raise SourceError(f"{source}: no such file or folder")
    if not is_folder(source):
        return [_file_doc(source, str(Path(source).parent), names, lintable_format(os.path.basename(source)))]
    docs = []
    for found in discover([source], rules_for=rules_for, respect_gitignore=respect_gitignore):
        if not excluded(Path(found.path)):
            docs.append(_file_doc(found.path, source, names, found.format))
    return docs


def _glob_root(pattern: str) -> str:
    """The folders of a glob before its first wildcard: what `folder` groups are counted under."""
    parts = PurePosixPath(pattern.replace(os.sep, "/")).parts
    fixed = []
    for part in parts:
        if has_magic(part):
            break
        fixed.append(part)
    return str(PurePosixPath(*fixed)) if fixed else "."


def url_docs(source: str, names: tuple[str, ...]) -> list[Doc]:
    """Files at an fsspec URL: one file, every file healthlint reads under a folder, or a glob."""
    fs, path = _filesystem(source)
    try:
        if has_magic(path):
            root, paths = _glob_root(path), sorted(fs.glob(path))
        elif fs.isdir(path):
            root, paths = path, sorted(fs.find(path))
        elif fs.exists(path):
            root, paths = str(PurePosixPath(path).parent), [path]
        else:
            raise SourceError(f"{source}: no such file or folder")
    except SourceError:
        raise
    except Exception as exc:  # noqa: BLE001 - any storage's error (permissions, network) ends the run here
        raise SourceError(f"{source}: cannot be listed ({type(exc).__name__}: {exc})") from None
    docs = []
    for p in paths:
        name = PurePosixPath(p).name
        hidden = any(part.startswith(".") for part in PurePosixPath(p).relative_to(PurePosixPath(root)).parts) if p != root else False
        fmt = lintable_format(name)
        if fmt is None or hidden or is_non_prose_name(name):
            continue
        info = fs.info(p)
        if info.get("type") == "directory":
            continue
        stamp = f"{info.get('size')}:{info.get('mtime') or info.get('ETag') or info.get('etag') or info.get('LastModified') or ''}"
        url = fs.unstrip_protocol(p)
        docs.append(Doc(url, _groups(names, {FOLDER_GROUP: _top_folder(root, p)}), fmt, location=url, size=int(info.get("size") or 0), stamp=stamp, local=False))
    return docs


def _filesystem(source: str):
    import fsspec

    try:
        return fsspec.core.url_to_fs(source)
    except (ImportError, ValueError) as exc:
        # s3:// needs s3fs, gs:// gcsfs: fsspec's message names the package to install
        raise SourceError(f"{source}: {exc}") from None


# --- tables ------------------------------------------------------------------------------------


def read_table(source: str):
    """A pyarrow Table from a JSONL, CSV or Parquet file, local or at an fsspec URL."""
    import fsspec
    import pyarrow.csv as pa_csv
    import pyarrow.json as pa_json
    import pyarrow.parquet as pq

    kind = TABLE_SUFFIXES[PurePosixPath(source.split("?")[0]).suffix.lower()]
    readers = {"parquet": pq.read_table, "csv": pa_csv.read_csv, "json": pa_json.read_json}
    if not is_url(source) and not os.path.isfile(source):
        raise SourceError(f"{source}: no such file")
    try:
        with fsspec.open(source, "rb") as handle:
            return readers[kind](handle)
    except (ImportError, ValueError) as exc:
        raise SourceError(f"{source}: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - pyarrow's errors for a table it cannot parse
        raise SourceError(f"{source}: this {kind.upper()} table could not be read ({type(exc).__name__}: {exc})") from None


def _cell(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def date_value(value) -> str | None:
    """A date cell as YYYY-MM-DD (a date, a timestamp, or text beginning with an ISO date); None
    when it is not one, so a bad date leaves the row out of the charts over time, not the audit."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value).strip()[:10]).isoformat()
    except ValueError:
        return None


def table_docs(source: str, columns: TableColumns, names: tuple[str, ...]) -> list[Doc]:
    table = read_table(source)
    present = table.column_names
    id_column = columns.id or next((c for c in ("url", "id") if c in present), None)
    wanted = [columns.text] + ([id_column] if id_column else []) + [c for c in names if c != FOLDER_GROUP]
    missing = [c for c in wanted if c not in present]
    if missing:
        raise SourceError(
            f"{source}: has no column {', '.join(repr(c) for c in missing)}; its columns are {', '.join(present)}. "
            "Name the columns with --text-column, --id-column, --group-by and --date-column"
        )
    data = {c: table.column(c).to_pylist() for c in dict.fromkeys(wanted)}
    label = PurePosixPath(source.split("?")[0]).name
    docs = []
    for row in range(table.num_rows):
        text = data[columns.text][row]
        text = None if text is None else str(text)
        doc_id = _cell(data[id_column][row]) if id_column else None
        values = {c: _cell(data[c][row]) for c in names if c != FOLDER_GROUP}
        if columns.date:
            values[columns.date] = date_value(data[columns.date][row])
        encoded = (text or "").encode("utf-8", "surrogatepass")
        docs.append(
            Doc(
                doc_id or f"{label} row {row + 1}",
                _groups(names, values),
                columns.text_format,
                text=text,
                size=len(encoded),
                stamp=hashlib.sha1(encoded).hexdigest() if text is not None else "no text",
            )
        )
    return docs


# --- partitions --------------------------------------------------------------------------------


def partition(docs: list[Doc], *, max_bytes: int = PARTITION_BYTES, max_docs: int = PARTITION_DOCS) -> list[Partition]:
    """Consecutive documents, about ``max_bytes`` of them (or ``max_docs``) a partition."""
    parts: list[Partition] = []
    current: list[Doc] = []
    size = 0
    for doc in docs:
        if current and (size + doc.size > max_bytes or len(current) >= max_docs):
            parts.append(Partition(len(parts), tuple(current)))
            current, size = [], 0
        current.append(doc)
        size += doc.size
    if current:
        parts.append(Partition(len(parts), tuple(current)))
    return parts
