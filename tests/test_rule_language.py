"""The built-in rules are written in words: regex only as an explained escape hatch."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from healthlint.ruleset import builtin_rules_dir

LOOKAROUNDS = ("(?=", "(?!", "(?<=", "(?<!")
RULE_FILES = sorted(builtin_rules_dir().glob("*.yaml"))


def _strings(node, inside_hatch: bool = False):
    """Every string in a rule file, with whether it sits in an explained regex escape hatch."""
    if isinstance(node, str):
        yield node, inside_hatch
    elif isinstance(node, list):
        for child in node:
            yield from _strings(child, inside_hatch)
    elif isinstance(node, dict):
        hatch = "regex" in node and bool(str(node.get("why", "")).strip())
        for key, child in node.items():
            yield from _strings(child, inside_hatch or (hatch and key == "regex"))


def _escape_hatches(node):
    if isinstance(node, list):
        for child in node:
            yield from _escape_hatches(child)
    elif isinstance(node, dict):
        if "regex" in node:
            yield node
        for child in node.values():
            yield from _escape_hatches(child)


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_no_lookaround_outside_an_explained_escape_hatch(path: Path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    bad = [text for text, hatch in _strings(data) if not hatch and any(look in text for look in LOOKAROUNDS)]
    assert not bad, f"{path.name}: lookarounds outside a regex escape hatch: {bad[:3]}"


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_every_regex_escape_hatch_says_why_and_no_raw_regex_entries_remain(path: Path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    unexplained = [h["regex"] for h in _escape_hatches(data) if not str(h.get("why", "")).strip()]
    assert not unexplained, f"{path.name}: regex without 'why': {unexplained[:3]}"
    raw = [text for text, _ in _strings(data) if text.startswith("re:")]
    assert not raw, f"{path.name}: 're:' lexicon entries (write them as words or {{regex, why}}): {raw[:3]}"


def test_the_checks_above_can_fail():
    data = yaml.safe_load("patterns: [{regex: 'a(?!b)'}, {words: [x]}]\nlexicons: {l: ['re:a+']}")
    assert any(not hatch and "(?!" in text for text, hatch in _strings(data))
    assert [h["regex"] for h in _escape_hatches(data)] == ["a(?!b)"]
