"""Broken rule files get a message naming the file, the line and what is wrong."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from healthlint.ruleset import load_folder
from healthlint.yamlfile import DataError

GOOD = """\
id: house-style
kind: claim
severity: warning
summary: A banned claim.
description: Finds the claim.
why: It misleads.
better: Say less.
message: Do not say "{text}".
suggestion: Say what is known.
patterns:
  - regex: '\\bmiracle cure\\b'
examples:
  flag: [This is a miracle cure.]
  pass: [There is no miracle cure.]
"""


def _write(tmp_path: Path, text: str, name: str = "rule.yaml") -> Path:
    (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def _error(tmp_path: Path, text: str) -> DataError:
    with pytest.raises(DataError) as info:
        load_folder(_write(tmp_path, text), "test")
    return info.value


def test_a_good_custom_rule_loads_and_flags(tmp_path):
    from healthlint.engine import lint_text

    (rule,) = load_folder(_write(tmp_path, GOOD), "test")
    assert [f.text for f in lint_text("A true miracle cure!", [rule])] == ["miracle cure"]
    assert lint_text("There is no miracle cure.", [rule]) == []


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    err = _error(tmp_path, GOOD.replace("severity: warning", "severity: [warning"))
    assert err.path.endswith("rule.yaml") and err.line is not None and err.line >= 3
    assert "YAML syntax error" in str(err)


def test_unknown_key_names_its_line(tmp_path):
    err = _error(tmp_path, GOOD.replace("why: It misleads.", "whyy: It misleads."))
    assert err.line == 6 and "unknown key 'whyy'" in err.message


def test_bad_regex_names_the_pattern_line(tmp_path):
    err = _error(tmp_path, GOOD.replace("\\bmiracle cure\\b", "(unclosed"))
    assert err.line == 11 and "not a valid regular expression" in err.message


def test_unknown_lexicon_reference(tmp_path):
    err = _error(tmp_path, GOOD.replace("\\bmiracle cure\\b", "{nowhere}"))
    assert err.line == 11 and "{nowhere}" in err.message


def test_bad_severity(tmp_path):
    err = _error(tmp_path, GOOD.replace("severity: warning", "severity: loud"))
    assert err.line == 3 and "not a severity" in err.message


def test_unknown_kind(tmp_path):
    err = _error(tmp_path, GOOD.replace("kind: claim", "kind: magic"))
    assert err.line == 2 and "unknown kind 'magic'" in err.message


def test_unknown_context_flag(tmp_path):
    err = _error(tmp_path, GOOD.replace("patterns:", "unless: [negated, sarcastic]\npatterns:"))
    assert "unknown context flag 'sarcastic'" in err.message


def test_template_field_must_exist(tmp_path):
    err = _error(tmp_path, GOOD.replace('Do not say "{text}".', 'Do not say "{phrase}".'))
    assert "{phrase}" in err.message


def test_missing_required_key(tmp_path):
    err = _error(tmp_path, GOOD.replace("summary: A banned claim.\n", ""))
    assert "missing required key 'summary'" in err.message


def test_duplicate_key_is_an_error(tmp_path):
    err = _error(tmp_path, GOOD + "severity: error\n")
    assert "appears twice" in str(err)


def test_duplicate_rule_id_across_files(tmp_path):
    _write(tmp_path, GOOD, "a.yaml")
    _write(tmp_path, GOOD, "b.yaml")
    with pytest.raises(DataError) as info:
        load_folder(tmp_path, "test")
    assert "already defined" in str(info.value)


def test_builtin_rules_all_load(ruleset):
    assert {
        "missing-citation",
        "natural-means-safe",
        "opioid-substitution",
        "reading-level",
        "unhedged-safety-claim",
        "unhedged-efficacy-claim",
        "long-sentence",
        "plain-language",
    } <= set(ruleset.ids())


def test_forbids_clears_a_match_whatever_else_the_sentence_holds(tmp_path):
    from healthlint.engine import lint_text

    rule_text = GOOD.replace(
        "  - regex: '\\bmiracle cure\\b'\n",
        "  - regex: '\\bmiracle cure\\b'\n    forbids: [satire@paragraph]\n",
    ) + "lexicons:\n  satire: [satire, parody]\n"
    (rule,) = load_folder(_write(tmp_path, rule_text), "test")
    assert [f.text for f in lint_text("A true miracle cure!", [rule])] == ["miracle cure"]
    assert lint_text("This is satire. A true miracle cure!", [rule]) == []
