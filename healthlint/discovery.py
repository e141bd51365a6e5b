"""Which files to lint: the paths given, and the files inside given folders that healthlint reads.

A folder walk picks the files whose suffix names a format (formats.format_for, with the
configuration's `formats:` map), leaves out well-known text files that tools read rather than
people (requirements.txt, robots.txt, ...), and by default what the repository's .gitignore files
leave out. Only regular files are yielded from a folder: a FIFO would block the reader, a device
never end. Those are skipped with a notice; a folder that cannot be read is reported as a problem.

A path named on the command line is yielded whatever it is (ignored, unknown suffix, a pipe), so
the reader can check it or refuse it.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from healthlint.formats import Format, format_for

SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "site-packages", "venv", "env", "virtualenv"})

# Text files whose names say a tool reads them, not a patient: dependency pins, crawler and ad
# rules, licences, build scripts, packaging metadata. Their ".txt" would otherwise make them
# "plain text" and fill a folder run with findings about version numbers and legal wording.
# Matched case-insensitively against the file name, in folder walks only: named on the command
# line (or passed by pre-commit) such a file is checked as asked. .pre-commit-hooks.yaml
# excludes the same names (tests/test_precommit_hook_files.py keeps the two in step).
NON_PROSE_TEXT_NAMES = (
    "requirements*.txt",  # pip: requirements.txt, requirements-dev.txt
    "*-requirements.txt",
    "*_requirements.txt",
    "constraints*.txt",  # pip constraints
    "*.lock.txt",  # lock files written as text
    "robots.txt",  # web crawlers
    "humans.txt",
    "security.txt",
    "ads.txt",  # advertising sellers
    "app-ads.txt",
    "license.txt",  # legal texts: not health copy, and not the writer's to change
    "licence.txt",
    "copying.txt",
    "notice.txt",
    "third_party_notices.txt",
    "thirdpartynotices.txt",
    "cmakelists.txt",  # build scripts
    "cmakecache.txt",
    "~$*",  # the lock file Word keeps beside a document while it is open: not a document
)


def is_non_prose_name(name: str) -> bool:
    """Is this file name one of NON_PROSE_TEXT_NAMES (any case)?"""
    lowered = name.lower()
    return any(fnmatchcase(lowered, pattern) for pattern in NON_PROSE_TEXT_NAMES)


@dataclass(frozen=True)
class Skipped:
    """Something found while walking a folder that was not checked, and why."""

    path: str
    reason: str
    problem: bool  # True: the user asked for something that could not be checked (exit 2)


@dataclass(frozen=True)
class Found:
    """A file to lint and the format to read it as. None: standard input, or a file named on the
    command line whose name says no format (the reader decides: plain text)."""

    path: str
    format: Format | None


@dataclass(frozen=True)
class FolderRules:
    """What the configuration governing a folder says about walking it."""

    formats: Mapping[str, Format] = field(default_factory=dict)  # suffix -> format, over the defaults
    respect_gitignore: bool = True


Report = Callable[[Skipped], None]
RulesFor = Callable[[Path], FolderRules]  # a folder -> its FolderRules (may raise a ConfigError)


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
    return name.startswith(".") or name in SKIPPED_DIRS or name.endswith(".egg-info") or is_venv


def lintable_format(name: str, formats: Mapping[str, Format] | None = None) -> Format | None:
    """The format of a file found in a folder walk, or None when the walk leaves it out."""
    if name.startswith(".") or is_non_prose_name(name):
        return None
    return format_for(name, formats)


# --- .gitignore ------------------------------------------------------------------------------------


# An ignore file is a few hundred lines; this much is read of one at most (a device posing as one
# would otherwise be read without end).
MAX_IGNORE_FILE_BYTES = 4 * 1024 * 1024


def _read_patterns(path: Path) -> list[str]:
    """The lines of an ignore file (or of .git, commondir); none when it is missing, cannot be
    read or is not a regular file: git does the same, and a named pipe must not make us wait."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(fd, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                return []
            data = stream.read(MAX_IGNORE_FILE_BYTES)
    except OSError:
        return []
    return data.decode("utf-8", "replace").splitlines()


def _readable_pattern(pathspec, line: str) -> bool:
    try:
        pathspec.GitIgnoreSpec.from_lines([line])
    except (ValueError, re.error):
        return False
    return True


def _git_dir(root: Path) -> Path | None:
    """The folder holding a repository's info/exclude: ``.git`` itself, or for a worktree or
    submodule (whose ``.git`` is a file saying "gitdir: ...") the common folder it points to."""
    dot_git = root / ".git"
    try:
        if dot_git.is_dir():
            return dot_git
    except OSError:
        return None
    text = "\n".join(_read_patterns(dot_git)).strip()
    if not text.startswith("gitdir:"):
        return None
    git_dir = (root / text[len("gitdir:") :].strip()).resolve()
    common = _read_patterns(git_dir / "commondir")
    return (git_dir / common[0].strip()).resolve() if common and common[0].strip() else git_dir


def _has_git(folder: Path) -> bool:
    try:
        return (folder / ".git").exists()
    except OSError:
        return False


def repository_root(folder: Path) -> Path | None:
    """The nearest folder from ``folder`` upwards that holds a ``.git`` (folder or file)."""
    for candidate in (folder, *folder.parents):
        if _has_git(candidate):
            return candidate
    return None


class GitIgnores:
    """The ignore rules of one repository: its .gitignore files at every level and
    .git/info/exclude, read as git reads them. Each file's patterns are relative to its own
    folder; a deeper .gitignore wins over a higher one and every .gitignore over info/exclude;
    within a file the last matching pattern wins (so "!keep.md" re-includes). A folder that is
    ignored is not entered, so nothing inside it can be re-included, as in git."""

    def __init__(self, root: Path, *, start: Path | None = None) -> None:
        self.root = root
        # ``start``: the rules of the folders above it do not apply (a named folder that is
        # itself ignored is still walked; the .gitignore files inside it still count).
        self.start = start or root
        self._specs: dict[Path, Any] = {}
        git_dir = _git_dir(root) if start is None else None
        self._exclude = self._compile(_read_patterns(git_dir / "info" / "exclude")) if git_dir else None

    @staticmethod
    def _compile(lines: list[str]):
        if not any(line.strip() and not line.lstrip().startswith("#") for line in lines):
            return None
        import pathspec  # about 40 ms; only when there is a pattern to apply

        try:
            return pathspec.GitIgnoreSpec.from_lines(lines)
        except (ValueError, re.error):
            # A line git cannot read ("!" alone, "[z-a]") matches nothing in git; keep the rest.
            usable = [line for line in lines if _readable_pattern(pathspec, line)]
            return pathspec.GitIgnoreSpec.from_lines(usable) if usable else None

    def _spec(self, folder: Path):
        if folder not in self._specs:
            self._specs[folder] = self._compile(_read_patterns(folder / ".gitignore"))
        return self._specs[folder]

    def _chain(self, folder: Path) -> list[tuple[Path, Any]]:
        """(base folder, patterns) that apply to entries of ``folder``, weakest first."""
        try:
            depth = folder.relative_to(self.start).parts
        except ValueError:
            return []
        chain = [(self.root, self._exclude)] if self._exclude is not None else []
        here = self.start
        for part in (None, *depth):
            here = here / part if part else here
            spec = self._spec(here)
            if spec is not None:
                chain.append((here, spec))
        return chain

    def matcher(self, folder: Path) -> Callable[[str, bool], bool]:
        """A test for the entries of ``folder``: (name, is a folder) -> ignored?"""
        chain = self._chain(folder)
        if not chain:
            return lambda name, is_dir: False

        def ignored(name: str, is_dir: bool) -> bool:
            path = folder / name
            decision = None
            for base, spec in chain:
                relative = path.relative_to(base).as_posix() + ("/" if is_dir else "")
                verdict = spec.check_file(relative).include  # True ignored, False re-included, None silent
                if verdict is not None:
                    decision = verdict
            return bool(decision)

        return ignored

    def ignores_folder(self, folder: Path) -> bool:
        """Is ``folder`` (below the root) ignored, itself or through a folder above it?"""
        try:
            parts = folder.relative_to(self.root).parts
        except ValueError:
            return False
        here = self.root
        for part in parts:
            if self.matcher(here)(part, True):
                return True
            here = here / part
        return False


def _ignores_for_top(top: Path) -> GitIgnores | None:
    root = repository_root(top)
    if root is None:
        return None  # outside a repository .gitignore means nothing, as for git
    ignores = GitIgnores(root)
    return GitIgnores(root, start=top) if ignores.ignores_folder(top) else ignores


# --- the walk --------------------------------------------------------------------------------------


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


@dataclass
class _Folder:
    path: Path  # as the user wrote it, joined: what is reported
    absolute: Path  # for .gitignore patterns
    ignores: GitIgnores | None


def _walk(top: Path, seen: set[str], report: Report, rules_for: RulesFor, respect_gitignore: bool | None) -> Iterator[Found]:
    """Files in ``top``, then each subfolder's in name order, as os.walk goes (without recursion)."""
    absolute = Path(os.path.abspath(top))
    stack = [_Folder(top, absolute, None)]
    first = True
    while stack:
        folder = stack.pop()
        rules = rules_for(folder.path)
        use_gitignore = rules.respect_gitignore if respect_gitignore is None else respect_gitignore
        ignores = folder.ignores
        if respect_gitignore is not False:  # read even if this folder's config says no: one below may say yes
            if first:
                ignores = _ignores_for_top(folder.absolute)
            elif _has_git(folder.absolute):
                ignores = GitIgnores(folder.absolute)  # a repository inside the walk: its own rules
        first = False
        ignored = ignores.matcher(folder.absolute) if use_gitignore and ignores else (lambda name, is_dir: False)
        files, dirs = _entries(folder.path, report)
        for entry in files:
            fmt = lintable_format(entry.name, rules.formats)
            if fmt is None or ignored(entry.name, False):
                continue
            found = str(folder.path / entry.name)
            try:
                regular = entry.is_file() or (entry.is_symlink() and not os.path.exists(found))  # dangling: the reader says so
            except OSError:
                regular = True  # the reader says why it cannot be read
            if not regular:
                report(Skipped(found, "skipped: not a regular file (a named pipe, device or socket)", False))
                continue
            if found not in seen:
                seen.add(found)
                yield Found(found, fmt)
        subfolders = [
            _Folder(folder.path / d.name, folder.absolute / d.name, ignores)
            for d in dirs
            if not _skip_dir(folder.path / d.name) and not ignored(d.name, True)
        ]
        stack.extend(reversed(subfolders))


def _ignore(_: Skipped) -> None:
    pass


def _defaults(_: Path) -> FolderRules:
    return FolderRules()


def discover(
    paths: list[str],
    report: Report = _ignore,
    rules_for: RulesFor = _defaults,
    respect_gitignore: bool | None = None,
) -> Iterator[Found]:
    """Yield files to lint in a stable order. Missing paths are yielded too, so the reader
    reports them; "-" (standard input) passes through. ``report`` hears of what was skipped;
    ``rules_for`` gives each folder's configured formats and gitignore choice, which
    ``respect_gitignore`` (the command line's) overrides when not None."""
    seen: set[str] = set()
    for given in paths:
        if given == "-":
            if given not in seen:
                seen.add(given)
                yield Found(given, None)
            continue
        if not is_folder(given):
            if given not in seen:
                seen.add(given)
                yield Found(given, format_for(given, rules_for(Path(given).parent).formats))
            continue
        yield from _walk(Path(given), seen, report, rules_for, respect_gitignore)
