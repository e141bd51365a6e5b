"""A link is a source for the claims in its sentence, but not when a list item, heading or table
cell is nothing but the link: a menu entry or a headline link "Kratom is completely safe" makes
the claim, it does not back it."""

from __future__ import annotations

import pytest

from healthlint.engine import lint_source
from healthlint.ruleset import load_rules
from healthlint.source import from_text


def safety_findings(text: str) -> list[tuple[int, int, int]]:
    rules = [r for r in load_rules().rules if r.info.id == "unhedged-safety-claim"]
    return [(f.start.line, f.start.column, f.end.column) for f in lint_source(from_text(text, "page.md"), rules).findings]


@pytest.mark.parametrize(
    "text, found",
    [
        ("- [Kratom is completely safe](https://example.org/kratom)\n", [(1, 11, 29)]),  # a menu or related-pages entry
        ("## [Kratom is completely safe](https://example.org/kratom)\n", [(1, 12, 30)]),  # a headline link
        ("| [Kratom is completely safe.](https://example.org/kratom) |\n|---|\n", [(1, 11, 29)]),
    ],
)
def test_a_link_that_is_the_whole_entry_does_not_cite_it(text, found):
    assert safety_findings(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "Kratom is completely safe, as [a 2020 review](https://example.org/review) found.\n",
        "Kratom is completely safe ([source](https://example.org/review)).\n",
        "[A 2020 review](https://example.org/review) found kratom is completely safe.\n",
    ],
)
def test_a_link_beside_the_claim_still_cites_it(text):
    assert safety_findings(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Kratom is [completely safe](https://example.org/review) for most adults.\n",  # on the claim's words, in running prose
        "Kratom is [completely](https://example.org/review) safe.\n",
    ],
)
def test_a_link_on_some_of_the_sentence_still_cites_it(text):
    assert safety_findings(text) == []


def test_a_paragraph_that_is_all_link_is_still_cited():
    # A writer who links a whole sentence to its study (common in Word) has given a source.
    assert safety_findings("[Kratom is completely safe for most adults.](https://example.org/review)\n") == []


def test_a_list_item_with_a_link_beside_the_claim_is_cited():
    assert safety_findings("- Kratom is completely safe ([review](https://example.org/review))\n") == []
