"""Where the report goes: never over a file healthlint did not write, and readable when new."""

from __future__ import annotations

import os
from pathlib import Path

from healthlint.report.html.page import is_healthlint_report


def refusal(output: Path) -> str | None:
    """Why the report may not be written to ``output`` (a folder, or a file healthlint did not
    write: the user's own page or copy), or None when it may."""
    if not output.exists():
        return None
    if output.is_dir():
        return "a folder"
    return None if is_healthlint_report(output) else "a file healthlint did not write"


def write_page(output: Path, page: str) -> None:
    """Write the page whole or not at all (OSError when it cannot be written). A new page is
    as readable as the user's other new files, so it can be shared."""
    from healthlint.atomicfile import write_atomic

    is_new = not output.exists()
    write_atomic(output, page.encode("utf-8"))
    if is_new:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(output, 0o666 & ~umask)
