"""The engine's reading of context, which every rule shares: negation and its reach, hedges,
citations, questions, embedded questions and purposes, reported and debunked claims."""

from __future__ import annotations

import pytest

from healthlint.context import SentenceView
from healthlint.parse.blocks import BlockKind, ProseBlock
from healthlint.sentences import split_sentences


def context_of(text: str, phrase: str) -> set[str]:
    """Context flags of the first occurrence of ``phrase`` in ``text``."""
    block = ProseBlock(BlockKind.PARAGRAPH, text, list(range(len(text))))
    sentences = split_sentences(text)
    at = text.index(phrase)
    for i, s in enumerate(sentences):
        if s.start <= at < s.end:
            return SentenceView(block, sentences, i).context(at - s.start, at - s.start + len(phrase)).active()
    raise AssertionError("phrase not in any sentence")


@pytest.mark.parametrize(
    "text, phrase, expected",
    [
        ("Kratom is not safe for the liver.", "safe", {"negated"}),
        ("Kratom has not been shown to be safe.", "safe", {"negated"}),
        ("There is no good evidence that kratom is safe for anyone.", "safe", {"negated"}),
        ("No dose of kratom is known to be safe.", "safe", {"negated"}),
        ("It's not without risks.", "without risks", {"negated"}),
        ("Natural does not mean safe.", "safe", {"negated"}),
        ("It is not so safe after all.", "safe", {"negated"}),
        # Negation does not reach across a new clause, and pseudo-negations do not negate.
        ("It's not synthetic, so it's completely safe.", "safe", set()),
        ("Kratom is not addictive, and it is completely safe for the liver.", "safe", set()),
        ("It contains no chemicals, which means it is safe for kids.", "safe", set()),
        ("Kratom doesn't just ease pain, it is safe.", "safe", set()),
        ("It's no surprise that kratom is safe.", "safe", set()),
        # Hedges on the claim itself; approximators and vague attribution are not hedges.
        ("Kava may be safe for some adults.", "safe", {"hedged"}),
        ("Kratom is generally safe for the liver.", "safe", set()),
        ("Research suggests that kratom is safe.", "safe", set()),
        # Citations of every style.
        ("Kava is safe in short-term use [3].", "safe", {"cited", "cited_nearby"}),
        ("Kava is safe (Sarris et al., 2013).", "safe", {"cited", "cited_nearby"}),
        ("A 2019 Cochrane review found it is safe.", "safe", {"cited", "cited_nearby"}),
        ("Studies suggest it helps. See Smith et al. (2020).", "Studies suggest", {"cited_nearby"}),
        # Questions, embedded questions and purposes.
        ("Is kratom safe?", "safe", {"question"}),
        ("Honest question, is kratom actually safe long term?", "safe", {"question"}),
        ("Why risk opioids when kratom is completely safe?", "safe", set()),
        ("Clinical trials find out if new treatments are safe and effective.", "safe", {"embedded"}),
        ("Individuals should use it under supervision, ensuring a safe and effective dosage.", "safe", {"embedded"}),
        # Reported and debunked claims.
        ("Sellers claim it is 'completely safe', but it is not.", "completely safe", {"reported"}),
        ("Kratom is marketed by some sellers as a natural alternative to opioids.", "alternative to opioids", {"reported"}),
        ('"Clinically proven" appears on a lot of labels.', "Clinically proven", {"reported"}),
    ],
)
def test_context_flags(text, phrase, expected):
    flags = context_of(text, phrase) - {"clinician"}
    assert flags == expected


def test_clinician_is_noticed():
    assert "clinician" in context_of("Ask your doctor what kinds of activity are safe for you.", "safe")
