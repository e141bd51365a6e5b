"""A finding that ends on a character written as a reference ("&#99;", "&amp;") ends after the
whole reference in the source, not just after its "&", in HTML, Markdown and MDX."""

from __future__ import annotations

import pytest

from healthlint.engine import lint_source
from healthlint.ruleset import load_rules
from healthlint.source import from_text


def plain_language_spans(text: str, path: str) -> list[str]:
    rules = [r for r in load_rules().rules if r.info.id == "plain-language"]
    source = from_text(text, path)  # the format from the name
    found = lint_source(source, rules).findings
    lines = text.split("\n")
    out = []
    for f in found:
        assert f.start.line == f.end.line
        out.append(lines[f.start.line - 1][f.start.column - 1 : f.end.column - 1])
    return out


@pytest.mark.parametrize("path", ["page.html", "note.md", "note.mdx"])
def test_a_finding_ending_on_a_reference_ends_after_it(path):
    text = "<p>It can cause hepati&#99; damage.</p>\n" if path.endswith(".html") else "It can cause hepati&#99; damage.\n"
    assert plain_language_spans(text, path) == ["hepati&#99;"]


@pytest.mark.parametrize("path", ["page.html", "note.md"])
def test_a_finding_starting_on_a_reference_starts_at_it(path):
    body = "It can cause &#104;epatic damage."
    text = f"<p>{body}</p>\n" if path.endswith(".html") else body + "\n"
    assert plain_language_spans(text, path) == ["&#104;epatic"]
