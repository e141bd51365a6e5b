"""Which files to lint: the paths given, and Markdown and text files inside given folders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

LINTABLE_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd", ".txt", ".text"})
SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "site-packages", "venv", "env", "virtualenv"})


def _skip_dir(path: Path) -> bool:
    name = path.name
    return name.startswith(".") or name in SKIPPED_DIRS or (path / "pyvenv.cfg").exists()


def discover(paths: list[str]) -> Iterator[str]:
    """Yield files to lint in a stable order. Missing paths are yielded too, so the reader
    reports them; "-" (standard input) passes through."""
    seen: set[str] = set()
    for given in paths:
        p = Path(given)
        if given == "-" or not p.is_dir():
            if given not in seen:
                seen.add(given)
                yield given
            continue
        for root, dirs, files in os.walk(p):
            root_path = Path(root)
            dirs[:] = sorted(d for d in dirs if not _skip_dir(root_path / d))
            for name in sorted(files):
                if Path(name).suffix.lower() in LINTABLE_SUFFIXES and not name.startswith("."):
                    found = str(root_path / name)
                    if found not in seen:
                        seen.add(found)
                        yield found
