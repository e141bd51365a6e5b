"""A progress bar on stderr for long runs, so a big folder does not look stuck.

Shown only when stderr is a terminal (never in CI logs, pipes or files) and there are more
than a few files to check; --quiet turns it off. rich is imported only when a bar is shown."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

MIN_FILES = 10  # fewer files than this are done before a bar would be worth reading


def wanted(files: int, *, quiet: bool, stream: TextIO | None = None) -> bool:
    stream = stream if stream is not None else sys.stderr
    return not quiet and files >= MIN_FILES and _is_terminal(stream)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed, or not a real stream
        return False


@contextmanager
def progress_bar(files: int, *, show: bool, stream: TextIO | None = None) -> Iterator[Callable[[], None]]:
    """A function to call as each file is done; it draws a bar when ``show``, else does nothing.
    The bar is removed when the run ends, so only the findings stay on screen."""
    if not show:
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(file=stream if stream is not None else sys.stderr)
    columns = (TextColumn("Checking"), BarColumn(), MofNCompleteColumn(), TextColumn("files"), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("check", total=files)
        yield lambda: progress.advance(task)
