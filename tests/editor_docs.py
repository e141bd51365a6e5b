"""The configuration snippets in docs/editors.md, and the article the editor tests open."""

from __future__ import annotations

import re
import subprocess

from conftest import REPO

EDITORS_DOC = REPO / "docs" / "editors.md"
# The article the editor tests open: front matter (a title with a claim, a date), a code fence
# with a claim (never flagged), claims in the copy, and a sentence long enough for long-sentence.
ARTICLE = """\
---
title: Kratom is completely safe
date: 2024-05-01
---

# Kratom and your liver

Kratom causes no hepatic damage.

```text
Kratom is completely safe.
```

Ask your doctor before you take any supplement, because some of them can change the way your other medicines work in your body over many weeks or months.
"""
SAFETY = 'States "{}" as fact, with no hedge and no source. Readers may take more, or for longer, on the strength of it, and it hides what is known about the risks.'
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.S | re.M)


def snippet(language: str, containing: str) -> str:
    """The one code block in docs/editors.md in ``language`` that contains ``containing``."""
    blocks = [body for lang, body in FENCE.findall(EDITORS_DOC.read_text(encoding="utf-8")) if lang == language and containing in body]
    assert len(blocks) == 1, f"docs/editors.md should have one {language} block with {containing!r}, has {len(blocks)}"
    return blocks[0]


def version_of(command: list[str]) -> tuple[int, ...] | None:
    """The first dotted version number a program prints, e.g. (0, 7, 2) for 'NVIM v0.7.2'."""
    try:
        printed = subprocess.run(command, capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", printed)
    return tuple(int(part) for part in found.groups() if part is not None) if found else None
