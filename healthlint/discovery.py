"""Which files to lint: the paths given, and Markdown and text files inside given folders.

Only regular files are yielded from a folder: a FIFO would block the reader, a device never
end. Those are skipped with a notice; a folder that cannot be read is reported as a problem.
A path named on the command line is yielded whatever it is, so the reader can refuse it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

LINTABLE_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd", ".txt", ".text"})
SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "site-packages", "venv", "env", "virtualenv"})


@dataclass(frozen=True)
class Skipped:
    """Something found while walking a folder that was not checked, and why."""

    path: str
    reason: str
    problem: bool  # True: the user asked for something that could not be checked (exit 2)


Report = Callable[[Skipped], None]


def is_folder(path: str) -> bool:
    """Is ``path`` a folder? False when it cannot even be looked at (the reader then says why)."""
    try:
        return Path(path).is_dir()
    except OSError:
        return False


def _skip_dir(path: Path) -> bool:
    name = path.name
    try:
        is_venv = (path / "pyvenv.cfg").exists()
    except OSError:
        is_venv = False  # unreadable: walking it reports that
    return name.startswith(".") or name in SKIPPED_DIRS or is_venv


def _lintable(name: str) -> bool:
    return Path(name).suffix.lower() in LINTABLE_SUFFIXES and not name.startswith(".")


def _entries(folder: Path, report: Report) -> tuple[list[os.DirEntry], list[os.DirEntry]]:
    """A folder's (files, subfolders), each sorted by name; symlinked folders are not followed."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        report(Skipped(str(folder), f"this folder cannot be read ({exc.strerror or exc}), so its files were not checked", True))
        return [], []
    files, dirs = [], []
    for entry in entries:
        try:
            if entry.is_dir():
                if not entry.is_symlink():
                    dirs.append(entry)
            else:
                files.append(entry)
        except OSError as exc:
            report(Skipped(entry.path, f"cannot be looked at ({exc.strerror or exc})", True))
    return files, dirs


def _walk(top: Path, seen: set[str], report: Report) -> Iterator[str]:
    """Files in ``top``, then each subfolder's in name order, as os.walk goes (without recursion)."""
    stack = [top]
    while stack:
        folder = stack.pop()
        files, dirs = _entries(folder, report)
        for entry in files:
            if not _lintable(entry.name):
                continue
            found = str(folder / entry.name)
            try:
                regular = entry.is_file() or (entry.is_symlink() and not os.path.exists(found))  # dangling: the reader says so
            except OSError:
                regular = True  # the reader says why it cannot be read
            if not regular:
                report(Skipped(found, "skipped: not a regular file (a named pipe, device or socket)", False))
                continue
            if found not in seen:
                seen.add(found)
                yield found
        subfolders = [folder / d.name for d in dirs if not _skip_dir(folder / d.name)]
        stack.extend(reversed(subfolders))


def _ignore(_: Skipped) -> None:
    pass


def discover(paths: list[str], report: Report = _ignore) -> Iterator[str]:
    """Yield files to lint in a stable order. Missing paths are yielded too, so the reader
    reports them; "-" (standard input) passes through. ``report`` hears of what was skipped."""
    seen: set[str] = set()
    for given in paths:
        if given == "-" or not is_folder(given):
            if given not in seen:
                seen.add(given)
                yield given
            continue
        yield from _walk(Path(given), seen, report)
