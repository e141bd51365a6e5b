"""The article that defines the job: exact rules on exact lines, as text and as Markdown."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import run

EXPECTED = {
    "opioid-substitution": {1, 2, 7, 13, 14},
    "natural-means-safe": {1, 8, 13},
    "unhedged-safety-claim": {1, 8, 10, 13, 14},
    "missing-citation": {10, 14},
}
HEADING_AND_LIST_LINES = {3, 4, 5, 6, 9, 12}


def _run(path) -> tuple[int, list[dict]]:
    proc = run("check", "--format", "json", str(path), cwd=Path.cwd())
    return proc.returncode, json.loads(proc.stdout)


@pytest.fixture(params=["txt", "md"])
def seed_copy(request, seed_path, tmp_path):
    target = tmp_path / f"kratom-article.{request.param}"
    target.write_bytes(seed_path.read_bytes())
    return target


def test_seed_article_flags_exactly_the_expected_lines(seed_copy):
    code, findings = _run(seed_copy)
    assert code == 1
    lines = defaultdict(set)
    for f in findings:
        lines[f["rule"]].add(f["line"])
    for rule, expected in EXPECTED.items():
        assert lines[rule] == expected, rule
    assert "reading-level" in lines
    claim_lines = set().union(*(lines[r] for r in EXPECTED))
    assert not claim_lines & HEADING_AND_LIST_LINES


def test_every_claim_finding_on_the_seed_has_a_suggestion(seed_copy):
    _, findings = _run(seed_copy)
    claims = [f for f in findings if f["rule"] in EXPECTED]
    assert claims
    assert all(f["suggestion"] and len(f["suggestion"]) > 40 for f in claims)


def test_seed_findings_quote_the_source_exactly(seed_path):
    text = seed_path.read_text(encoding="utf-8")
    lines = text.split("\n")
    _, findings = _run(seed_path)
    for f in findings:
        if f["line"] == f["end_line"]:
            assert lines[f["line"] - 1][f["column"] - 1 : f["end_column"] - 1] == f["text"]


def test_seed_opioid_suggestion_is_the_plain_rewrite(seed_path):
    _, findings = _run(seed_path)
    first = next(f for f in findings if f["rule"] == "opioid-substitution" and f["line"] == 1)
    assert first["text"] == "alternative to opioids"
    assert first["suggestion"] == (
        "Kratom is not approved to treat pain. Do not stop or replace a prescribed opioid without "
        "talking to your doctor; stopping suddenly can cause severe withdrawal."
    )
