"""Loaded rule sets, kept between runs so start-up does not re-read and re-check the YAML.

Loading the built-in rules means parsing ten YAML files, expanding every lexicon into its
patterns, checking each pattern and working out the words it needs (healthlint.prefilter).
That is most of a one-file run, and its result depends only on the rule files
(ruleset.rule_files) and on healthlint's own code (code_fingerprint, which the result cache in
healthlint.cache uses too). So the loaded rules are pickled in the user's cache folder under a
key made of both: edit a rule file, or upgrade healthlint or Python, and the key changes.
Patterns pickle as their source text (healthlint.lexicon.LazyRegex), so a cached rule set
compiles nothing until a document needs it.

The cache is an optimisation only: a folder that cannot be read or written, or an entry that
cannot be unpickled, means loading the usual way, silently. ``HEALTHLINT_NO_RULE_CACHE=1``
turns it off.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from healthlint import __version__
from healthlint.atomicfile import write_atomic

T = TypeVar("T")
_FORMAT = 1  # bump when what is stored changes shape


def cache_folder() -> Path:
    """Where rule sets are kept: $XDG_CACHE_HOME/healthlint, else ~/.cache/healthlint."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "healthlint"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """healthlint's version, Python's, and the bytes of healthlint's own code and data (every
    .py and .yaml file in the package, the packaged rules included): what a development
    checkout changes without a new version number. Both caches key their entries on it."""
    digest = hashlib.sha256(f"{__version__}\0{sys.version}\0".encode())
    package = Path(__file__).resolve().parent
    files = sorted(p for p in package.rglob("*") if p.suffix in (".py", ".yaml") and "__pycache__" not in p.parts)
    for path in files:
        data = path.read_bytes()
        digest.update(f"{path.relative_to(package).as_posix()}\0{len(data)}\0".encode() + data)
    return digest.hexdigest()


def files_key(paths: Iterable[Path]) -> str:
    """A key for the contents of some files (names and bytes), plus healthlint's code."""
    digest = hashlib.sha256(f"{_FORMAT}:{code_fingerprint()}".encode())
    for path in sorted(paths):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def cached(name: str, key: str, build: Callable[[], T]) -> T:
    """``build()``, or what an earlier run built for the same key."""
    if os.environ.get("HEALTHLINT_NO_RULE_CACHE"):
        return build()
    path = cache_folder() / f"{name}-{key[:32]}.pickle"
    try:
        with open(path, "rb") as stream, _collector_paused():
            stored_key, value = pickle.load(stream)
        if stored_key == key:
            return value
    except Exception:  # missing, unreadable, truncated or from another version: rebuild
        pass
    value = build()
    _store(path, key, value)
    return value


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Unpickling a rule set makes about half a million objects that all live as long as the
    process; the cyclic collector, run meanwhile, scanned them again and again (a 14 MB rule
    set loaded in 180 ms with it, 40 ms without). Nothing they hold is garbage, so pause it."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Without this the first collection after the load would scan them all anyway; frozen,
        # they are left out of every later one (they are garbage only when the process ends).
        gc.freeze()
        if was_on:
            gc.enable()


def _store(path: Path, key: str, value) -> None:
    try:
        data = pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)  # a concurrent run sees the old entry or the new one
        _prune(path)
    except Exception:  # read-only home, full disk, an unpicklable plugin rule: just do not cache
        pass


def _prune(kept: Path, keep: int = 4) -> None:
    """Forget all but the newest few entries of one name (old versions, edited rule files)."""
    name = kept.name.rsplit("-", 1)[0]
    entries = sorted(kept.parent.glob(f"{name}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[keep:]:
        old.unlink(missing_ok=True)
