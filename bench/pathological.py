"""Pathological inputs for the speed benchmark: text shaped to expose super-linear time.

    python bench/pathological.py OUT_DIR            # write every input at its full-run sizes
    python bench/pathological.py OUT_DIR --quick    # the smaller sizes used by speed.py --quick

Each input is made at two sizes, four times apart, so `bench/speed.py` can show how the time grows
per doubling of the input (about 2x is linear, about 4x quadratic):

  prose-paragraph   one paragraph of ordinary NIH prose: sentences on consecutive lines, no blank line
  research-suggests one long sentence with no full stop: "research suggests that " repeated
  no-side-effects   "no side effects and " repeated (one sentence, a claim at every step)
  switch-to-kratom  "switch to kratom from " repeated (the opioid-substitution patterns)
  hyphen-chain      "a-b-c-d-" repeated: one endless hyphenated token
  kratom-is-safe    "Kratom is safe. " repeated in one paragraph (a finding per sentence)
  refers-back       "I took oxycodone. Kava is sold here. So I switched. Here is another option. "
                    repeated in one paragraph (claims that look back at the sentences before them)
  wide-table        a Markdown table 32 rows high; 5,000 columns at 1.6 MB

Standard library only. speed.py imports `inputs_for` and `write_inputs`.
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

KB = 1_000
MB = 1_000_000

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "nih"

# A prose line worth keeping: starts with a capital, ends a sentence. This leaves out headings,
# list items, tables and link lines, any of which would end the paragraph.
PROSE_LINE = re.compile(r"^[A-Z][^|<>#`\[\]]*[.!?]$")

TABLE_ROWS = 32  # header + delimiter + 30 body rows
TABLE_CELL_BYTES = 10  # "| " + a word padded to 7 + " ": 5,000 columns at 1.6 MB
TABLE_WORDS = ("dose", "pain", "safe", "liver", "kratom", "opioid", "sleep", "relief", "natural")


@dataclass(frozen=True)
class Pathology:
    """One kind of pathological input, made to a size in bytes."""

    name: str
    description: str
    make: Callable[[int], str]
    sizes: tuple[int, int]
    quick_sizes: tuple[int, int]


@dataclass(frozen=True)
class Input:
    """A generated input file."""

    pathology: Pathology
    size: int  # the size asked for, in bytes
    path: Path

    @property
    def actual_bytes(self) -> int:
        return self.path.stat().st_size


def repeated(phrase: str, size: int) -> str:
    """`phrase` repeated until the text is about `size` bytes, ending on a whole phrase."""
    count = max(1, round(size / len(phrase.encode("utf-8"))))
    return phrase * count + "\n"


def prose_lines(corpus: Path) -> list[str]:
    """Sentence-like lines of running prose from the corpus's Markdown files, in a stable order."""
    lines: list[str] = []
    for path in sorted(corpus.rglob("*.md")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            line = line.strip()
            if len(line) > 40 and PROSE_LINE.match(line):
                lines.append(line)
    if not lines:
        raise ValueError(f"no prose lines found in {corpus}")
    return lines


def one_paragraph(lines: list[str], size: int) -> str:
    """Prose lines, repeated as needed, joined with single newlines until about `size` bytes."""
    chosen: list[str] = []
    total = 0
    for line in itertools.cycle(lines):
        if total >= size:
            break
        chosen.append(line)
        total += len(line.encode("utf-8")) + 1
    return "\n".join(chosen) + "\n"


def table_cells(count: int, offset: int) -> Iterator[str]:
    for index in range(count):
        yield TABLE_WORDS[(index + offset) % len(TABLE_WORDS)].ljust(TABLE_CELL_BYTES - 3)


def wide_table(size: int) -> str:
    """A Markdown table TABLE_ROWS rows high, as wide as `size` bytes allows."""
    columns = max(2, size // (TABLE_ROWS * TABLE_CELL_BYTES))
    header = "".join(f"| {cell} " for cell in table_cells(columns, 0)) + "|"
    delimiter = "| ------- " * columns + "|"
    body = [
        "".join(f"| {cell} " for cell in table_cells(columns, row)) + "|"
        for row in range(1, TABLE_ROWS - 1)
    ]
    return "\n".join([header, delimiter, *body]) + "\n"


def inputs_for(corpus: Path) -> tuple[Pathology, ...]:
    """Every pathology; the prose one draws its sentences from `corpus`."""
    lines: list[str] = []

    def prose(size: int) -> str:
        if not lines:  # read the corpus once, and only if this input is made
            lines.extend(prose_lines(corpus))
        return one_paragraph(lines, size)

    def phrase(text: str) -> Callable[[int], str]:
        return lambda size: repeated(text, size)

    small, large = 100 * KB, 400 * KB
    quick = (25 * KB, 100 * KB)
    return (
        Pathology("prose-paragraph", "1 paragraph of NIH prose, no blank lines", prose,
                  (250 * KB, 1 * MB), (64 * KB, 256 * KB)),
        Pathology("research-suggests", '"research suggests that " x N, no full stop',
                  phrase("research suggests that "), (small, large), quick),
        Pathology("no-side-effects", '"no side effects and " x N', phrase("no side effects and "),
                  (small, large), quick),
        Pathology("switch-to-kratom", '"switch to kratom from " x N', phrase("switch to kratom from "),
                  (small, large), quick),
        Pathology("hyphen-chain", '"a-b-c-d-" x N', phrase("a-b-c-d-"), (small, large), quick),
        Pathology("kratom-is-safe", '"Kratom is safe. " x N, one paragraph', phrase("Kratom is safe. "),
                  (small, large), quick),
        Pathology("refers-back", '"I took oxycodone. ... So I switched. Here is another option. " x N',
                  phrase("I took oxycodone. Kava is sold here. So I switched. Here is another option. "), (small, large), quick),
        Pathology("wide-table", f"Markdown table, {TABLE_ROWS} rows, 5,000 columns at 1.6 MB", wide_table,
                  (400 * KB, 1600 * KB), (100 * KB, 400 * KB)),
    )


def size_label(size: int) -> str:
    return f"{size / MB:g} MB" if size >= MB else f"{size / KB:g} KB"


def write_inputs(folder: Path, corpus: Path, *, quick: bool) -> list[Input]:
    """Write every pathology at both its sizes into `folder` as Markdown files."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Input] = []
    for pathology in inputs_for(corpus):
        for size in pathology.quick_sizes if quick else pathology.sizes:
            path = folder / f"{pathology.name}-{size // KB}k.md"
            path.write_text(pathology.make(size), encoding="utf-8")
            written.append(Input(pathology, size, path))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the pathological inputs used by bench/speed.py.")
    parser.add_argument("out_dir", type=Path, help="folder to write the .md files into")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="NIH corpus for the prose input")
    parser.add_argument("--quick", action="store_true", help="the smaller sizes used by speed.py --quick")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        parser.error(f"{args.corpus}: not a folder (give the NIH corpus with --corpus)")
    for item in write_inputs(args.out_dir, args.corpus, quick=args.quick):
        print(f"{item.path}  {item.actual_bytes:,} bytes  ({item.pathology.description})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
