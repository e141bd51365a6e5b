"""Bare URLs and e-mail addresses in prose: never flagged, but they count as citations."""

from __future__ import annotations

import re

URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"\u201d\u2019]|\b[\w.+-]+@[\w-]+\.[\w.]+\b")


def protect_urls(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in URL.finditer(text)]
