"""Where each output goes: `--format` and `--output-file` given in pairs, so one run can write
several formats (`-f sarif -o out.sarif -f text`) and CI need not check everything twice.

The pairing rule: the first --output-file gets the first --format, the second the second, and
so on. There may be one --format more than files: that last format is printed on the screen.
`-o FILE` alone writes the text output to FILE."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_FORMAT = "text"


@dataclass(frozen=True)
class Output:
    format: str
    file: Path | None  # None: standard output


class OutputError(ValueError):
    """Formats and files that do not pair; the message says how to write them."""


def pair_outputs(formats: list[str], files: list[Path]) -> list[Output]:
    if not formats:
        formats = [DEFAULT_FORMAT] * max(1, len(files)) if len(files) <= 1 else []
    if not formats:
        raise OutputError(
            f"--output-file was given {len(files)} times but --format not at all; "
            "give a --format for each file, in the same order, e.g. -f sarif -o out.sarif -f gitlab -o codequality.json"
        )
    if len(files) not in (len(formats), len(formats) - 1):
        raise OutputError(
            f"{_count(len(formats), 'format')} and {_count(len(files), 'output file')} do not pair: each --output-file "
            "takes the --format in the same place (the first file the first format), and one format more may be printed "
            "on the screen, e.g. -f sarif -o out.sarif -f text"
        )
    outputs = [Output(fmt, files[i] if i < len(files) else None) for i, fmt in enumerate(formats)]
    seen: set[Path] = set()
    for output in outputs:
        if output.file is None:
            continue
        key = output.file.resolve()
        if key in seen:
            raise OutputError(f"--output-file {output.file} is named twice; give each format a file of its own")
        seen.add(key)
    return outputs


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
