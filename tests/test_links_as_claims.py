"""A link is a source for the claims around it, but not for a claim that is its own text: a menu
entry or a headline link "Kratom is completely safe" makes the claim, it does not back it."""

from __future__ import annotations

import pytest

from healthlint.engine import lint_source
from healthlint.ruleset import load_rules
from healthlint.source import from_text


def safety_findings(text: str) -> list[tuple[int, int, int]]:
    rules = [r for r in load_rules().rules if r.info.id == "unhedged-safety-claim"]
    return [(f.start.line, f.start.column, f.end.column) for f in lint_source(from_text(text, "page.md"), rules).findings]


def test_a_link_whose_text_is_the_claim_does_not_cite_it():
    assert safety_findings("- [Kratom is completely safe](https://example.org/kratom)\n") == [(1, 11, 29)]


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


def test_a_link_holding_only_part_of_the_claim_still_cites_it():
    # The claim runs past the link's text: the link names something the claim rests on.
    assert safety_findings("Kratom is [completely](https://example.org/review) safe.\n") == []
