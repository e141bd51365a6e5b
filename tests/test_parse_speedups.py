"""The Markdown parser's fast paths give exactly what the slow paths give.

Plain inline content (no inline markup) gets its tokens without markdown-it's inline parser, a
block that is one text token is mapped without aligning it, and text with no URL marker skips
the URL regex. Each is checked here against the path it stands in for.
"""

from __future__ import annotations

import random

import pytest

import healthlint.parse.markdown as markdown_module
from healthlint.parse import parse
from healthlint.parse.urls import URL, protect_urls
from healthlint.source import from_text

PLAIN = [
    "",
    "one line of prose.",
    "a\nb",
    "a \nb",  # one trailing space: soft break
    "a  \nb",  # two: hard break
    "a     \nb",
    "a\t\nb",  # a tab is not a hard break and stays
    "a\t  \nb",
    "a\n   b\n\tc\n \t d",  # continuation lines lose their leading spaces and tabs
    "a\n\u00a0b",  # other white space stays
    "   \nb",
    "a\n  \nb",
    "a\n",
    "Wow! Really? ] #1 - 50% + $3 = {x} ^y @home: >ok",
    "!",
    "a!\nb!",
]


def plain_like_texts(count: int) -> list[str]:
    pieces = ["word", " ", "  ", "   ", "\t", "\n", "  \n", " \n", "\n  ", "\n\t", "!", "]", "#", "-", ":", "@", "\u00a0", "\u2003", "\x0b", "é"]
    rng = random.Random(9)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(count)]


def tokens_of(children) -> list[tuple[str, str]]:
    return [(c.type, c.content if c.type == "text" else "") for c in children]


@pytest.mark.parametrize("content", PLAIN + plain_like_texts(400))
def test_plain_children_are_markdown_its_tokens(content):
    made = markdown_module._plain_children(content)
    assert made is not None
    parsed = markdown_module._parser().parseInline(content, {})[0].children or []
    assert tokens_of(made) == tokens_of(parsed)


@pytest.mark.parametrize("char", list("\\`~*_[<&"))
def test_content_with_markup_is_parsed(char):
    assert markdown_module._plain_children(f"a {char} b") is None


def test_fast_path_only_with_the_known_rules():
    from markdown_it import MarkdownIt

    assert markdown_module._runs_known_rules(markdown_module._parser())
    assert not markdown_module._runs_known_rules(MarkdownIt("commonmark").enable(["table", "strikethrough", "replacements"]))
    assert not markdown_module._runs_known_rules(MarkdownIt("commonmark").enable(["table"]))


DOCUMENTS = [
    "Plain paragraph.\n\nAnother one\nwrapped  \nwith a hard break\n   and indented.\n",
    "# Heading\n\nSetext\nheading\n===\n\n- item one\n- item\n  two\n\n> quoted\n> text\nlazy\n",
    "| a | b |\n|---|---|\n| plain | cell |\n| x \\| y | *em* |\n",
    "Mixed *markup* here\nand plain there.\n\nA [link](https://nih.gov) and &amp; and `code`.\n",
    "Tabs\tinside\t\nand\ttrailing\t\n\nNo-break\u00a0space \nend.\n",
    "1. first\n2. second  \n   continued\n\n<!-- note -->\n\nText<br>after.\n",
    "Mail a@b.org or see www.nih.gov and http://x.org/a.\n",
]


def snapshot(text: str) -> list:
    doc = parse(from_text(text, "a.md"))
    blocks = [(b.kind, b.text, list(b.offsets), list(b.offsets.runs()), b.links, b.protected, b.in_quote) for b in doc.blocks]
    return [blocks, doc.comments]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_fast_paths_give_the_same_blocks(text, monkeypatch):
    fast = snapshot(text)
    monkeypatch.setattr(markdown_module, "_plain_children", lambda content: None)
    assert snapshot(text) == fast


@pytest.mark.parametrize(
    "text",
    ["no markers here", "Mail a@b.org", "see www.nih.gov.", "http://x.org/a", "HTTP://X.ORG and WWW.NIH.GOV", "a@b", "@", "://", "www."],
)
def test_url_prefilter_keeps_every_match(text):
    expected = [(m.start("local") if m.group("local") else m.start(), m.end()) for m in URL.finditer(text)]
    assert protect_urls(text) == expected


def random_offset_maps(count: int):
    from healthlint.parse import OffsetMap

    rng = random.Random(3)
    for _ in range(count):
        offsets, base = OffsetMap(), rng.randint(0, 5)
        for _ in range(rng.randint(1, 8)):
            length, step = rng.randint(1, 3), rng.choice((0, 1))
            offsets.append_run(base, length, step)
            base += rng.choice((0, 1, length, length + 1))
        yield offsets


def test_a_whole_copy_of_an_offset_map_is_the_same_runs():
    # Why the builder may hand over its map (and take the content's) instead of copying it.
    for offsets in random_offset_maps(3000):
        assert list(offsets.sliced(0, len(offsets)).runs()) == list(offsets.runs())
