"""A code fence or HTML comment that is never closed hides the rest of a Markdown file: by
CommonMark it runs to the end, so everything after it is code (or a comment) and nothing there
is checked. That is correct parsing, but silent; this finds the case so the user can be told.
In an HTML page an unclosed comment does the same (the HTML standard also runs it to the end).

A line scan finds the candidate cheaply; markdown-it, the parser healthlint reads Markdown
with, confirms it (only then, so ordinary files never pay for a second parse)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}(?=[^`]*$)|~{3,})")
_COMMENT_OPEN = re.compile(r"^ {0,3}<!--")
# The hidden part must be at least half the file, and hold this many lines of text, to be worth
# a notice: a short unclosed block at the end hides little and is often deliberate.
MIN_HIDDEN_TEXT_LINES = 5


@dataclass(frozen=True)
class Unclosed:
    line: int  # 1-based line of the opener
    opener: str  # "```", "~~~~", "<!--"
    hidden_lines: int  # lines after the opener, to the end of the file

    def notice(self, path: str) -> str:
        if self.opener == "<!--":
            what, fix = "the HTML comment opened here with <!-- is never closed", "add --> where the comment should end"
        else:
            what, fix = f"the code block opened here with {self.opener} is never closed", f"add a line with {self.opener} where the code ends"
        return (
            f"{path}:{self.line}: {what}, so the {self.hidden_lines} lines after it are read as "
            f"{'a comment' if self.opener == '<!--' else 'code'} and were not checked; {fix}"
        )


def _scan(lines: list[str]) -> tuple[int, str] | None:
    """(0-based line, opener) of a fence or comment still open at the end, by a line scan."""
    open_at, opener = -1, ""
    for i, line in enumerate(lines):
        if opener == "<!--":
            if "-->" in line:
                opener = ""
            continue
        if opener:
            stripped = line.strip()
            indent = len(line) - len(line.lstrip(" "))
            if indent <= 3 and len(stripped) >= len(opener) and set(stripped) == {opener[0]}:
                opener = ""
            continue
        fence = _FENCE_OPEN.match(line)
        if fence:
            open_at, opener = i, fence.group(1)
        elif _COMMENT_OPEN.match(line) and "-->" not in line[line.index("<!--") + 4 :]:
            open_at, opener = i, "<!--"
    return (open_at, opener) if opener else None


def _confirmed(text: str, line: int, opener: str) -> bool:
    """Does markdown-it read a block from ``line`` to the end as code or HTML?"""
    from healthlint.parse.markdown import blank_front_matter, parser

    kinds = ("html_block",) if opener == "<!--" else ("fence",)
    total = text.count("\n") + (0 if text.endswith("\n") else 1)
    for token in parser().parse(blank_front_matter(text)):
        if token.type in kinds and token.map and token.map[0] == line and token.map[1] >= total:
            return True
    return False


def unclosed_block(text: str) -> Unclosed | None:
    """The fence or comment that hides most of a Markdown text, if one does."""
    if "```" not in text and "~~~" not in text and "<!--" not in text:
        return None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    found = _scan(lines)
    if found is None:
        return None
    start, opener = found
    hidden = lines[start + 1 :]
    if len(hidden) * 2 < len(lines) or sum(1 for h in hidden if h.strip()) < MIN_HIDDEN_TEXT_LINES:
        return None
    if not _confirmed(text, start, opener):
        return None
    return Unclosed(start + 1, opener, len(hidden))


def unclosed_html_comment(text: str) -> Unclosed | None:
    """The comment that hides most of an HTML page, if one does: the first "<!--" with no "-->"
    after it, confirmed by the HTML reader (a "<!--" inside a script is no comment)."""
    last_close = text.rfind("-->")
    start = text.find("<!--", last_close + 3 if last_close != -1 else 0)
    if start == -1:
        return None
    line = text.count("\n", 0, start)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    hidden = lines[line + 1 :]
    if len(hidden) * 2 < len(lines) or sum(1 for h in hidden if h.strip()) < MIN_HIDDEN_TEXT_LINES:
        return None
    from healthlint.formats import Format
    from healthlint.parse.html import parse_html
    from healthlint.source import from_text

    comments = parse_html(from_text(text, "<page>", Format.HTML)).comments
    if not any(offset == start for offset, _ in comments):
        return None
    return Unclosed(line + 1, "<!--", len(hidden))
