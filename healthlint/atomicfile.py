"""Write a file so that readers see the old bytes or the new ones, never part of either.

Used for the user's files (--fix) and for both caches (healthlint.cache, healthlint.rulecache),
which other runs may be reading at the same moment.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.
    A file that is replaced keeps its permissions; a new one is readable by its owner only."""
    path = Path(path)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".healthlint-tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        try:
            os.chmod(temporary, path.stat().st_mode & 0o777)
        except FileNotFoundError:  # a new file
            pass
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
