"""`healthlint audit`: the linter over a whole archive or crawl, summarised.

The stages, one module each, in the order a run uses them:

- sources: what SOURCE names (folders, globs, fsspec URLs, tables of pages) as documents, cut
  into partitions of about the same amount of text;
- store: the output folder's part files and manifest, so an interrupted audit resumes;
- running: lint partitions, here on all cores or on a Dask cluster, into rows;
- summary: documents, words, findings and densities per rule, group and month;
- outputs: findings.parquet, errors.parquet and summary.json;
- html: report.html, charts drawn as inline SVG.

pyarrow and fsspec are needed by every audit, dask and distributed only with --dask; all four
are the `audit` extra, imported only by this command.
"""

from __future__ import annotations

from importlib.util import find_spec

INSTALL = 'pip install "healthlint[audit]"'


def missing_packages(*, dask: bool) -> list[str]:
    """The packages this audit needs that are not installed."""
    needed = ["pyarrow", "fsspec"] + (["dask", "distributed"] if dask else [])
    return [name for name in needed if find_spec(name) is None]
