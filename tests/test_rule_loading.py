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


def test_unknown_key_names_its_line_and_column(tmp_path):
    err = _error(tmp_path, GOOD.replace("why: It misleads.", "whyy: It misleads."))
    assert (err.line, err.column) == (6, 1)
    assert str(err) == f"{tmp_path / 'rule.yaml'}:6:1: {err.message}"
    assert "did you mean 'why'?" in err.message


def test_unknown_key_in_a_pattern_names_its_own_line_and_column(tmp_path):
    err = _error(tmp_path, GOOD.replace("  - regex: '\\bmiracle cure\\b'\n", "  - regex: '\\bmiracle cure\\b'\n    requirs: [product]\n"))
    assert (err.line, err.column) == (12, 5)
    assert "unknown key 'requirs' in a pattern; did you mean 'requires'?" in err.message


def test_a_pattern_error_names_the_patterns_line_and_column(tmp_path):
    err = _error(tmp_path, GOOD.replace("\\bmiracle cure\\b", "(unclosed"))
    assert (err.line, err.column) == (11, 5)
    assert str(err).startswith(f"{tmp_path / 'rule.yaml'}:11:5: the pattern is not a valid regular expression")


def test_an_error_without_a_column_keeps_the_line_only_form(tmp_path):
    err = _error(tmp_path, GOOD.replace("severity: warning", "severity: loud"))
    assert err.column is None and str(err).startswith(f"{tmp_path / 'rule.yaml'}:3: ")


def test_a_pattern_key_at_the_top_of_the_rule_says_where_it_belongs(tmp_path):
    err = _error(tmp_path, GOOD.replace("patterns:", "requires: [product]\npatterns:"))
    assert (err.line, err.column) == (10, 1)
    assert "unknown key 'requires' for a claim rule; 'requires' belongs inside a pattern, under 'patterns:'" in err.message


def test_a_misspelt_unless_at_rule_level_gets_a_did_you_mean(tmp_path):
    err = _error(tmp_path, GOOD.replace("patterns:", "unles: [hedged]\npatterns:"))
    assert (err.line, err.column) == (10, 1)
    assert "unknown key 'unles' for a claim rule; did you mean 'unless'?" in err.message


def test_unless_at_the_top_of_a_rule_of_another_kind_names_the_kinds_it_is_for(tmp_path):
    rule = GOOD.replace("kind: claim", "kind: substitution").replace("patterns:\n  - regex: '\\bmiracle cure\\b'\n", "swap: {hepatic: liver}\nunless: [hedged]\n")
    err = _error(tmp_path, rule)
    assert (err.line, err.column) == (11, 1)
    assert "unknown key 'unless' for a substitution rule; 'unless' is for claim and phrase rules, not substitution rules" in err.message


def test_a_rule_key_inside_a_pattern_says_it_belongs_at_the_top(tmp_path):
    err = _error(tmp_path, GOOD.replace("  - regex: '\\bmiracle cure\\b'\n", "  - regex: '\\bmiracle cure\\b'\n    severity: error\n"))
    assert (err.line, err.column) == (12, 5)
    assert "unknown key 'severity' in a pattern; 'severity' belongs at the top of the rule, not inside a pattern" in err.message


def test_a_word_item_written_as_a_pattern_key_says_it_goes_in_the_words(tmp_path):
    err = _error(tmp_path, GOOD.replace("  - regex: '\\bmiracle cure\\b'\n", "  - words: [miracle cure]\n    gap: up to 2 words\n"))
    assert (err.line, err.column) == (12, 5)
    assert "'gap' goes inside the pattern's 'words' list" in err.message


def test_a_kind_that_declares_no_keys_accepts_any(tmp_path):
    """Plugin kinds that declare no keys (a bare factory) are not checked, as before."""
    from healthlint.kinds import Kind

    built = []

    def factory(info, data, lexicons, path):
        built.append(dict(data))
        return type("R", (), {"info": info, "check": lambda self, doc: iter(())})()

    text = "id: x\nkind: custom\nseverity: info\nsummary: s\nanything: 1\n"
    load_folder(_write(tmp_path, text), "test", kinds={"custom": factory})
    assert built and built[0]["anything"] == 1
    with pytest.raises(DataError) as info:
        load_folder(tmp_path, "test", kinds={"custom": Kind(factory, frozenset({"other"}))})
    assert (info.value.line, info.value.column) == (5, 1) and "unknown key 'anything' for a custom rule" in info.value.message


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


# --- one home per lexicon: shadowing, overrides and duplicates ------------------------------------

SATIRE_RULE = GOOD.replace(
    "  - regex: '\\bmiracle cure\\b'\n",
    "  - regex: '\\bmiracle cure\\b'\n    forbids: [joke@paragraph]\n",
)
# joke refers to satire: a rule that overrides satire changes joke too, inside that rule.
SHARED_SATIRE = "lexicons:\n  satire: [satire, parody]\n  joke: ['re:{satire}', joke]\n"


def _cleared(rule, text: str) -> bool:
    from healthlint.engine import lint_text

    return lint_text(text, [rule]) == []


def test_a_rule_that_redefines_a_shared_lexicon_is_an_error_naming_both_files(tmp_path):
    _write(tmp_path, SHARED_SATIRE, "_shared.yaml")
    err = _error(tmp_path, SATIRE_RULE + "lexicons:\n  satire: [spoof]\n")
    assert err.path.endswith("rule.yaml") and err.line == 17
    assert f"lexicon 'satire' is already defined in {tmp_path / '_shared.yaml'}:2" in err.message
    assert "override: true" in err.message  # says how to do it on purpose


def test_a_custom_rule_that_redefines_a_built_in_lexicon_is_an_error(tmp_path):
    from healthlint.ruleset import builtin_rules_dir

    _write(tmp_path, GOOD + "lexicons:\n  product: [elixir]\n")
    with pytest.raises(DataError) as info:
        load_folder(tmp_path, "test", "house")
    assert (info.value.line, info.value.path) == (16, str(tmp_path / "rule.yaml"))
    assert f"lexicon 'product' is already defined in {builtin_rules_dir() / '_lexicons.yaml'}:" in info.value.message


def test_an_override_replaces_the_shared_lexicon_in_that_rule_only(tmp_path):
    _write(tmp_path, SHARED_SATIRE, "_shared.yaml")
    _write(tmp_path, SATIRE_RULE + "lexicons:\n  satire: {override: true, words: [spoof]}\n", "a.yaml")
    _write(tmp_path, SATIRE_RULE.replace("id: house-style", "id: plain"), "b.yaml")
    overriding, plain = load_folder(tmp_path, "test")
    text = "This is {}. A true miracle cure!"
    assert _cleared(overriding, text.format("a spoof")) and not _cleared(overriding, text.format("satire"))
    assert _cleared(plain, text.format("satire")) and not _cleared(plain, text.format("a spoof"))
    assert _cleared(overriding, text.format("a joke"))  # the shared lexicon's own words stay


def test_a_custom_rule_may_override_a_built_in_lexicon(tmp_path):
    from healthlint.engine import lint_text

    rule = GOOD.replace("\\bmiracle cure\\b", "\\b(?:{product})\\s+cures\\b") + "lexicons:\n  product:\n    override: true\n    words: [elixir]\n"
    (loaded,) = load_folder(_write(tmp_path, rule), "test", "house")
    assert [f.text for f in lint_text("Our elixir cures colds. Kratom cures pain.", [loaded])] == ["elixir cures"]


def test_an_override_of_nothing_is_an_error(tmp_path):
    err = _error(tmp_path, GOOD + "lexicons:\n  satire: {override: true, words: [spoof]}\n")
    assert err.line == 16 and "lexicon 'satire' says 'override: true', but no shared lexicon has that name" in err.message


def test_the_override_form_names_a_misspelt_key(tmp_path):
    _write(tmp_path, SHARED_SATIRE, "_shared.yaml")
    err = _error(tmp_path, GOOD + "lexicons:\n  satire:\n    override: true\n    word: [spoof]\n")
    assert err.line == 18 and "lexicon 'satire' has an unknown key 'word'; did you mean 'words'?" in err.message


def test_two_shared_files_defining_one_lexicon_is_an_error(tmp_path):
    _write(tmp_path, SHARED_SATIRE, "_a.yaml")
    _write(tmp_path, "lexicons:\n  other: [x]\n  satire: [spoof]\n", "_b.yaml")
    err = _error(tmp_path, GOOD)
    assert (err.path, err.line) == (str(tmp_path / "_b.yaml"), 3)
    assert f"lexicon 'satire' is defined twice: also in {tmp_path / '_a.yaml'}:2" in err.message


def test_a_custom_shared_file_that_redefines_a_built_in_lexicon_is_an_error(tmp_path):
    _write(tmp_path, "lexicons:\n  medicine: [tonic]\n", "_ours.yaml")
    with pytest.raises(DataError) as info:
        load_folder(_write(tmp_path, GOOD), "test", "house")
    assert (info.value.path, info.value.line) == (str(tmp_path / "_ours.yaml"), 2)
    assert "lexicon 'medicine' is already defined in" in info.value.message


def test_no_built_in_lexicon_is_defined_twice():
    """Each built-in word list has one home: no name in two rule files, and no two lexicons
    (shared or a rule's own) with the same entries."""
    import yaml

    from healthlint.ruleset import builtin_rules_dir

    homes: dict[str, list[str]] = {}
    contents: dict[frozenset, list[str]] = {}
    for path in sorted(builtin_rules_dir().glob("*.yaml")):
        for name, value in (yaml.safe_load(path.read_text(encoding="utf-8")).get("lexicons") or {}).items():
            words = value["words"] if isinstance(value, dict) else value
            homes.setdefault(name, []).append(path.name)
            contents.setdefault(frozenset(map(str, words)), []).append(f"{path.name}:{name}")
    assert {n: files for n, files in homes.items() if len(files) > 1} == {}
    assert [where for where in contents.values() if len(where) > 1] == []
