"""Claim messages: templates parsed once fill in exactly as str.format-style formatting would."""

from __future__ import annotations

import pytest

from healthlint.kinds.claim import render

VALUES = {"product": "kratom", "text": "is safe", "sentence": "Kratom is safe."}


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("Says {product} {text}.", "Says kratom is safe."),
        ("{Product} is named first.", "Kratom is named first."),  # {Name}: the value capitalised
        ("Braces {{stay}} as {product}.", "Braces {stay} as kratom."),
        ("No fields at all.", "No fields at all."),
        ("{product:>8}|", "  kratom|"),  # a format spec goes through the formatter itself
        ("{product!r}", "'kratom'"),
    ],
)
def test_render_fills_templates_as_the_formatter_does(template, expected):
    assert render(template, VALUES) == expected


def test_an_unknown_field_is_still_an_error():
    with pytest.raises(KeyError):
        render("{nothing}", VALUES)
