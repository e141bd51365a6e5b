"""Bare URLs and e-mail addresses in prose: never flagged, but they count as citations."""

from __future__ import annotations

import re

# An address's local part is tried only where a run of address characters starts (the
# look-behind), and its first letter is the group "local": tried at every word boundary inside a
# long run ("a-b-c-d-..."), the search was quadratic. Same matches as the plain "\b[\w.+-]+@".
URL = re.compile(
    r"\b(?:https?://|www\.)[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"\u201d\u2019]"
    r"|(?<![\w.+-])[.+-]*+(?P<local>\w[\w.+-]*+)@[\w-]+\.[\w.]+\b"
)


def protect_urls(text: str) -> list[tuple[int, int]]:
    # Every match of URL contains "://", "www." or "@" (the pattern is case-sensitive): text
    # with none of them has no match, and three substring scans cost far less than the regex.
    if "@" not in text and "://" not in text and "www." not in text:
        return []
    return [(m.start("local") if m.group("local") else m.start(), m.end()) for m in URL.finditer(text)]
