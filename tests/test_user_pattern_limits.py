"""Custom rules' patterns run in bounded time (issue 13: a custom rule `regex: '(a+)+$'` on a
41-character line ran for minutes, so any committer could stall CI).

Patterns from users' rule folders and plugins run on the ``regex`` module with a time limit per
search (HEALTHLINT_PATTERN_TIMEOUT, default 1 s); a rule that trips it is stopped for that file
and says so in one finding; the built-in rules keep Python's faster engine. The processes here
are real ones (run_process), so a regression meets its guard time-out instead of hanging the
suite.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import run_process, write

from healthlint.kinds.claim import backtracking_warnings
from healthlint.lexicon import DEFAULT_PATTERN_SECONDS, PATTERN_SECONDS_VARIABLE, LazyRegex, LimitedRegex, PatternTimeout, pattern_seconds
from healthlint.regexcode import NESTED_REPEAT, OVERLAPPING_CHOICES, backtracking_risks
from healthlint.ruleset import builtin_rules, load_folder

RULE = """\
id: slow-claim
kind: phrase
severity: warning
summary: A pattern written the slow way.
message: 'Too many a: "{text}".'
patterns:
  - name: repeated-a
    regex: '{regex}'
    requires: {requires}
examples:
  flag:
    - aaaa
"""
LINE = "a" * 41 + "!"  # a line that makes a backtracking pattern try every split


def project(tmp_path: Path, regex: str, requires: str = "[]") -> Path:
    write(tmp_path / "house" / "slow-claim.yaml", RULE.replace("{regex}", regex).replace("{requires}", requires))
    write(tmp_path / ".healthlint.yaml", "rule-folders: [house]\n")
    return tmp_path


def stopped_message(seconds: str, part: str = "its pattern 'repeated-a'", more: str | None = None) -> str:
    more = more or f"set {PATTERN_SECONDS_VARIABLE} to a number of seconds to allow more"
    return (
        f"The rule 'house/slow-claim' (from house) was stopped here: {part} took longer than {seconds} s on this "
        "passage, so the rest of the file was not checked by this rule (the other rules ran as usual). Whoever "
        "maintains the rule should simplify the pattern: a repeat inside a repeat, like (a+)+ or (a|aa)+, can take "
        f"minutes on some text, and `healthlint test-rules` points them out. Or {more}."
    )


def test_the_issue_pattern_on_a_41_character_line_finishes(tmp_path):
    project(tmp_path, "(a+)+$")
    write(tmp_path / "a.txt", LINE + "\n")
    proc = run_process("check", "--no-cache", "a.txt", cwd=tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "No problems found in 1 file.\n", "")


def test_a_pattern_that_backtracks_is_stopped_once_per_file_and_the_run_goes_on(tmp_path, monkeypatch):
    monkeypatch.setenv(PATTERN_SECONDS_VARIABLE, "0.2")
    project(tmp_path, "(a|aa)+$")
    write(tmp_path / "a.txt", f"{LINE}\n\n{LINE}\n\nKratom is completely safe.\n")
    write(tmp_path / "b.txt", f"{LINE}\n")
    proc = run_process("check", "--no-cache", "--format", "json", "a.txt", "b.txt", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    import json

    found = [(f["path"], f["line"], f["column"], f["rule"], f["message"], f["text"]) for f in json.loads(proc.stdout)]
    stopped = stopped_message("0.2").replace("(from house)", f"(from {tmp_path / 'house'})")
    assert found == [
        ("a.txt", 1, 1, "house/slow-claim", stopped, LINE),
        ("a.txt", 5, 8, "unhedged-safety-claim", found[1][4], "is completely safe"),
        ("b.txt", 1, 1, "house/slow-claim", stopped, LINE),
    ]


def test_the_lexicon_that_was_slow_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv(PATTERN_SECONDS_VARIABLE, "0.2")
    project(tmp_path, "a", "slow@paragraph")
    write(tmp_path / "house" / "_lexicons.yaml", "lexicons:\n  slow: ['re:(a|aa)+$']\n")
    write(tmp_path / "a.txt", f"{LINE}\n")
    proc = run_process("check", "--no-cache", "--format", "json", "a.txt", cwd=tmp_path)
    import json

    (finding,) = json.loads(proc.stdout)
    assert finding["message"] == stopped_message("0.2", "the lexicon 'slow' (in its pattern 'repeated-a')").replace(
        "(from house)", f"(from {tmp_path / 'house'})"
    )


@pytest.mark.parametrize("value", ["abc", "0", "-5", "nan", "inf"])
def test_a_wrong_time_limit_is_named_and_the_default_used(monkeypatch, value):
    monkeypatch.setenv(PATTERN_SECONDS_VARIABLE, value)
    with pytest.raises(ValueError) as caught:
        pattern_seconds()
    assert str(caught.value) == f"{PATTERN_SECONDS_VARIABLE}={value!r} is not a number of seconds above 0 (like 1 or 0.5)"
    regex = LimitedRegex("(a|aa)+$").prepare()
    with pytest.raises(PatternTimeout) as stopped:
        regex.search(LINE)
    assert stopped.value.seconds == DEFAULT_PATTERN_SECONDS


def test_every_search_of_a_limited_regex_stops(monkeypatch):
    monkeypatch.setenv(PATTERN_SECONDS_VARIABLE, "0.1")
    regex = LimitedRegex("(a|aa)+$").prepare()
    for search in (regex.search, regex.match, lambda text: list(regex.finditer(text))):
        with pytest.raises(PatternTimeout):
            search(LINE)
    assert [m.span("x") for m in LimitedRegex("(?P<x>b+)").prepare().finditer("abba bb")] == [(1, 3), (5, 7)]


def test_a_limited_regex_refuses_what_python_refuses_with_its_message():
    with pytest.raises(re.error, match="missing \\), unterminated subpattern"):
        LimitedRegex("(a").prepare()


def test_custom_and_plugin_rules_are_limited_and_built_in_rules_are_not(tmp_path):
    project(tmp_path, "a+", "[]")
    for source, prefix in ((str(tmp_path / "house"), "house"), ("plugin 'acme' (acme-healthlint 1.0)", "acme")):
        (rule,) = load_folder(tmp_path / "house", source, prefix)
        assert type(rule.patterns[0].regex) is LimitedRegex
    for rule in builtin_rules():
        for pattern in getattr(rule, "patterns", ()):
            assert type(pattern.regex) is LazyRegex, (rule.info.id, pattern.name)


@pytest.mark.parametrize(
    ("pattern", "risks"),
    [
        ("(a+)+$", [NESTED_REPEAT]),
        (r"(?:\w+\s?)+$", [NESTED_REPEAT]),
        ("(a|aa)+$", [OVERLAPPING_CHOICES]),
        ("(?:cure|curing)*", []),  # shares "cur", then one way on
        ("(?:a|a?b)+x", [OVERLAPPING_CHOICES]),
        (r"(?:\w+\s+){0,3}safe", []),  # a bounded gap: a bounded number of splits
        ("(?:cure|remedy)+", []),
        ("(?>a+)+", []),  # atomic: never backtracks into itself
        (r"\bmiracle\s+(?:cure|remedy)\b", []),
        # An inner repeat is only a risk when what follows it (in the round, or the next
        # round) could be taken by it too: then the rounds can split the text many ways.
        (r"(?:\w+\s+)+x", []),  # a word, then required spaces: one way to split
        (r"(?:\d+,)+", []),
        ("(?:a+b)+", []),
        ("(?:a+a)+", [NESTED_REPEAT]),
        ("(a*)*", [NESTED_REPEAT]),
        ("(x+x+)+y", [NESTED_REPEAT]),
        ("(.*a){3,}", [NESTED_REPEAT]),
        (r"(?:[a-z]+-?)+$", [NESTED_REPEAT]),  # the hyphen is optional, so words can run on
        # Case matters to the answer: folded, [a-z]+ also takes the next round's capital.
        (r"(?:[A-Z][a-z]+)+", [NESTED_REPEAT]),
        (r"(?-i:(?:[A-Z][a-z]+)+)", []),
        (r"(?-i:[A-Z][a-z]+(?:[A-Z][a-z]+)+)", []),  # a CamelCase brand, as the built-in rules write it
    ],
)
def test_backtracking_risks(pattern, risks):
    assert backtracking_risks(pattern, re.IGNORECASE) == risks


def test_no_builtin_pattern_is_warned_about():
    # Their lexicon alternations and bounded gaps cannot split text two ways; a warning here
    # would be a false alarm every custom rule that uses {product} or {remedy} inherits.
    warned = [line for rule in builtin_rules() for line in backtracking_warnings(rule)]
    assert warned == []


def test_test_rules_prints_the_warning_and_counts_it(tmp_path):
    project(tmp_path, "(a+)+$")
    proc = run_process("test-rules", "house", cwd=tmp_path)
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("WARNING house/slow-claim pattern 'repeated-a': it has a repeat inside a repeat")
    assert lines[-1] == "1 passed, 0 failed, 1 warning"
    assert proc.returncode == 0  # a warning: the examples passed


def test_test_rules_says_nothing_of_a_pattern_that_splits_one_way(tmp_path):
    project(tmp_path, r"(?:a+\s)+$")  # each round ends with the space a+ cannot take
    proc = run_process("test-rules", "house", cwd=tmp_path)
    assert "WARNING" not in proc.stdout and proc.stdout.endswith(" failed\n")


def test_test_rules_warning_lines_name_the_rule_and_pattern(tmp_path):
    project(tmp_path, "(a+)+$")
    (rule,) = load_folder(tmp_path / "house", str(tmp_path / "house"), "house")
    assert backtracking_warnings(rule) == [
        "WARNING house/slow-claim pattern 'repeated-a': it has a repeat inside a repeat, like (a+)+. On some lines "
        "such a pattern tries every way to split the text and can run for minutes (healthlint stops it after its "
        "time limit). Rewrite it so each piece of text can match one way only: (a+)+ becomes a+, (a|aa)+ becomes a+."
    ]
