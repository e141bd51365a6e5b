"""Configuration files, through the command line (in this process: conftest.run) on real files.

Discovery (.healthlint.yaml, healthlint.yaml, [tool.healthlint] in pyproject.toml, from the
linted file's folder upwards, nearest wins), --config and --isolated, every setting, the
precedence command line > nearest config (+ overrides) > defaults, `healthlint init`, and the
errors a bad file gives: exit 2 naming the file, the line and what was expected.

Most configurations here pin `select`, so a change to some other built-in rule cannot move
these tests.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import heads, run, write


# One finding each, at fixed places (the same sentences as tests/test_cli.py and the rules' examples).
C = "Our CBD gummies have zero side effects.\n"  # unhedged-safety-claim, warning, column 22
O = "Kratom offers a natural alternative to opioids.\n"  # opioid-substitution, error, column 25
M = "Studies suggest that kratom may help with pain.\n"  # missing-citation, warning, column 1
CLEAN = "Kratom is a plant from Southeast Asia.\n"
THREE = C + O + M  # lines 1, 2, 3
# 26 words in one sentence: long-sentence (max_words 25 by default), info, at 1:1.
LONG = (
    "Kratom comes from a tree that grows in Southeast Asia and people there have chewed its "
    "leaves for a long time to fight tiredness at work.\n"
)
# 14 words: over a max_words of 10, under the default 25.
MEDIUM = "Kratom is a plant from Southeast Asia that some people use for pain relief.\n"
# Flesch-Kincaid grade 9.5 and 62 words: above the patient target (8), below the public one (10).
READ = (
    "Kratom is made from the leaves of a tropical tree that grows in Southeast Asia. People have "
    "used the leaves for hundreds of years to manage tiredness during long working days. Today, "
    "many companies sell kratom powder and capsules online, often with little information about "
    "the recommended dose. Talk to a pharmacist before you combine it with other medication you "
    "take regularly.\n"
)


def summary(stdout: str) -> str:
    return stdout.rstrip("\n").splitlines()[-1]


def error_line(proc: subprocess.CompletedProcess) -> str:
    """The one line a usage error prints."""
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert proc.stdout == "", proc.stdout
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


# --- discovery ------------------------------------------------------------------------------------


def test_nearest_config_from_the_files_folder_upwards(tmp_path):
    write(tmp_path / ".healthlint.yaml", "select: [missing-citation]\n")
    write(tmp_path / "sub" / "healthlint.yaml", "select: [opioid-substitution]\n")
    # A pyproject.toml without [tool.healthlint] is not a configuration: the search goes on upwards.
    write(tmp_path / "sub" / "deep" / "pyproject.toml", '[project]\nname = "site"\nversion = "1"\n')
    write(tmp_path / "sub" / "deep" / "a.txt", THREE)
    write(tmp_path / "a.txt", THREE)

    deep = run("check", "sub/deep/a.txt", cwd=tmp_path)
    assert heads(deep.stdout) == ["sub/deep/a.txt:2:25: error opioid-substitution"]
    assert deep.returncode == 1

    top = run("check", "a.txt", cwd=tmp_path)
    assert heads(top.stdout) == ["a.txt:3:1: warning missing-citation"]

    # One run, two files: each file gets its own nearest configuration.
    both = run("check", "sub/deep/a.txt", "a.txt", cwd=tmp_path)
    assert heads(both.stdout) == ["sub/deep/a.txt:2:25: error opioid-substitution", "a.txt:3:1: warning missing-citation"]
    assert summary(both.stdout) == "Found 2 problems (1 error, 1 warning) in 2 of 2 files."
    assert both.stderr == ""


def test_pyproject_with_a_tool_healthlint_section_is_a_config(tmp_path):
    write(tmp_path / ".healthlint.yaml", "select: [missing-citation]\n")
    write(
        tmp_path / "sub" / "pyproject.toml",
        '[project]\nname = "site"\nversion = "1"\n\n[tool.healthlint]\nselect = ["unhedged-safety-claim"]\n',
    )
    write(tmp_path / "sub" / "a.txt", THREE)
    proc = run("check", "sub/a.txt", cwd=tmp_path)
    assert heads(proc.stdout) == ["sub/a.txt:1:22: warning unhedged-safety-claim"]
    assert proc.returncode == 1


def test_pyproject_with_only_a_subtable_counts_as_a_section(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.healthlint.rules.unhedged-safety-claim]\nseverity = "error"\n')
    write(tmp_path / "a.txt", C)
    proc = run("check", "a.txt", cwd=tmp_path)
    assert heads(proc.stdout) == ["a.txt:1:22: error unhedged-safety-claim"]


def test_order_of_names_within_one_folder(tmp_path):
    write(tmp_path / "a.txt", THREE)
    dot = write(tmp_path / ".healthlint.yaml", "select: [unhedged-safety-claim]\n")
    plain = write(tmp_path / "healthlint.yaml", "select: [opioid-substitution]\n")
    write(tmp_path / "pyproject.toml", '[tool.healthlint]\nselect = ["missing-citation"]\n')

    assert heads(run("check", "a.txt", cwd=tmp_path).stdout) == ["a.txt:1:22: warning unhedged-safety-claim"]
    dot.unlink()
    assert heads(run("check", "a.txt", cwd=tmp_path).stdout) == ["a.txt:2:25: error opioid-substitution"]
    plain.unlink()
    assert heads(run("check", "a.txt", cwd=tmp_path).stdout) == ["a.txt:3:1: warning missing-citation"]


def test_nearest_wins_without_merging_parent_settings(tmp_path):
    # The parent says "never fail"; the nearer file says nothing about fail-on, so the default
    # (warning) applies to files under it: settings are not merged across folders.
    write(tmp_path / ".healthlint.yaml", "fail-on: never\nselect: [missing-citation]\n")
    write(tmp_path / "sub" / ".healthlint.yaml", "select: [unhedged-safety-claim]\n")
    write(tmp_path / "a.txt", THREE)
    write(tmp_path / "sub" / "a.txt", THREE)

    top = run("check", "a.txt", cwd=tmp_path)
    assert heads(top.stdout) == ["a.txt:3:1: warning missing-citation"]
    assert top.returncode == 0

    sub = run("check", "sub/a.txt", cwd=tmp_path)
    assert heads(sub.stdout) == ["sub/a.txt:1:22: warning unhedged-safety-claim"]
    assert sub.returncode == 1


def test_config_is_found_from_the_file_not_from_the_working_folder(tmp_path):
    write(tmp_path / "project" / ".healthlint.yaml", "select: [missing-citation]\n")
    write(tmp_path / "other" / "a.txt", THREE)
    write(tmp_path / "project" / "a.txt", THREE)

    # Run inside project/, on a file outside it: project's configuration does not apply.
    outside = run("check", "../other/a.txt", cwd=tmp_path / "project")
    assert heads(outside.stdout) == [
        "../other/a.txt:1:22: warning unhedged-safety-claim",
        "../other/a.txt:2:25: error opioid-substitution",
        "../other/a.txt:3:1: warning missing-citation",
    ]
    # Run outside project/, on a file inside it: it does.
    inside = run("check", "../project/a.txt", cwd=tmp_path / "other")
    assert heads(inside.stdout) == ["../project/a.txt:3:1: warning missing-citation"]


def test_folder_walk_uses_each_files_nearest_config(tmp_path):
    write(tmp_path / ".healthlint.yaml", "select: [missing-citation]\n")
    write(tmp_path / "leaflets" / ".healthlint.yaml", "select: [opioid-substitution]\n")
    write(tmp_path / "a.txt", THREE)
    write(tmp_path / "leaflets" / "b.md", THREE)
    proc = run("check", ".", cwd=tmp_path)
    assert heads(proc.stdout) == ["a.txt:3:1: warning missing-citation", "leaflets/b.md:2:25: error opioid-substitution"]


# --- --config and --isolated --------------------------------------------------------------------


def test_explicit_config_beats_discovery(tmp_path):
    write(tmp_path / ".healthlint.yaml", "select: [missing-citation]\n")
    write(tmp_path / "sub" / ".healthlint.yaml", "select: [opioid-substitution]\n")
    write(tmp_path / "ci" / "strict.yaml", "select: [unhedged-safety-claim]\nrules:\n  unhedged-safety-claim: {severity: error}\n")
    write(tmp_path / "a.txt", THREE)
    write(tmp_path / "sub" / "a.txt", THREE)
    proc = run("check", "--config", "ci/strict.yaml", "a.txt", "sub/a.txt", cwd=tmp_path)
    assert heads(proc.stdout) == ["a.txt:1:22: error unhedged-safety-claim", "sub/a.txt:1:22: error unhedged-safety-claim"]
    assert proc.returncode == 1


def test_explicit_pyproject_config(tmp_path):
    write(tmp_path / "settings" / "pyproject.toml", '[tool.healthlint]\nselect = ["opioid-substitution"]\n')
    write(tmp_path / "a.txt", THREE)
    proc = run("check", "--config", "settings/pyproject.toml", "a.txt", cwd=tmp_path)
    assert heads(proc.stdout) == ["a.txt:2:25: error opioid-substitution"]


def test_explicit_config_that_does_not_exist(tmp_path):
    write(tmp_path / "a.txt", CLEAN)
    proc = run("check", "--config", "nope.yaml", "a.txt", cwd=tmp_path)
    assert error_line(proc) == "healthlint: nope.yaml: configuration file not found"


def test_isolated_ignores_every_config_even_broken_ones(tmp_path):
    write(tmp_path / ".healthlint.yaml", "ignor: [missing-citation]\n")  # broken: unknown key
    write(tmp_path / "pyproject.toml", "[tool.healthlint\n")  # broken: TOML syntax
    write(tmp_path / "strict.yaml", "select: [missing-citation]\n")
    write(tmp_path / "a.txt", THREE)

    assert run("check", "a.txt", cwd=tmp_path).returncode == 2
    for args in (["--isolated"], ["--isolated", "--config", "strict.yaml"]):
        proc = run("check", *args, "a.txt", cwd=tmp_path)
        assert proc.stderr == ""
        assert heads(proc.stdout) == [
            "a.txt:1:22: warning unhedged-safety-claim",
            "a.txt:2:25: error opioid-substitution",
            "a.txt:3:1: warning missing-citation",
        ]
        assert proc.returncode == 1


# --- every setting --------------------------------------------------------------------------------


def test_select(tmp_path):
    write(tmp_path / ".healthlint.yaml", "select: [opioid-substitution, missing-citation]\n")
    write(tmp_path / "a.txt", THREE)
    proc = run("check", "a.txt", cwd=tmp_path)
    assert heads(proc.stdout) == ["a.txt:2:25: error opioid-substitution", "a.txt:3:1: warning missing-citation"]


def test_ignore(tmp_path):
    write(tmp_path / ".healthlint.yaml", "ignore: [opioid-substitution, missing-citation]\n")
    write(tmp_path / "a.txt", THREE)
    proc = run("check", "a.txt", cwd=tmp_path)
    assert heads(proc.stdout) == ["a.txt:1:22: warning unhedged-safety-claim"]


def test_extend_select_turns_on_a_rule_that_is_off_by_default(tmp_path):
    write(
        tmp_path / "house" / "no-xyzzy.yaml",
        "id: no-xyzzy\nkind: phrase\nseverity: warning\nenabled: false\nsummary: Says xyzzy.\n"
        "message: 'Avoid \"{text}\".'\npatterns:\n  - '\\bxyzzy\\b'\n",
    )
    write(tmp_path / "a.txt", "Say xyzzy to the reader.\n")
    cfg = tmp_path / ".healthlint.yaml"
    # Off by default, so it does not run unless selected by name ...
    write(cfg, "rule-folders: [house]\n")
    off = run("check", "a.txt", cwd=tmp_path)
    assert heads(off.stdout) == []
    # ... by extend-select in the configuration ...
    write(cfg, "rule-folders: [house]\nextend-select: [house/no-xyzzy]\n")
    on = run("check", "a.txt", cwd=tmp_path)
    assert on.stdout.splitlines()[0] == 'a.txt:1:5: warning house/no-xyzzy Avoid "xyzzy".'
    assert heads(on.stdout) == ["a.txt:1:5: warning house/no-xyzzy"]
    # ... or on the command line.
    write(cfg, "rule-folders: [house]\n")
    cli = run("check", "--extend-select", "house/no-xyzzy", "a.txt", cwd=tmp_path)
    assert heads(cli.stdout) == ["a.txt:1:5: warning house/no-xyzzy"]


def test_fail_on(tmp_path):
    write(tmp_path / "warn.txt", C)
    write(tmp_path / "err.txt", O)
    cfg = tmp_path / ".healthlint.yaml"

    write(cfg, "select: [unhedged-safety-claim, opioid-substitution]\nfail-on: error\n")
    assert run("check", "warn.txt", cwd=tmp_path).returncode == 0
    assert run("check", "err.txt", cwd=tmp_path).returncode == 1

    write(cfg, "select: [unhedged-safety-claim, opioid-substitution]\nfail-on: never\n")
    never = run("check", "err.txt", cwd=tmp_path)
    assert heads(never.stdout) == ["err.txt:1:25: error opioid-substitution"]
    assert never.returncode == 0

    write(cfg, "select: [unhedged-safety-claim, opioid-substitution]\nfail-on: info\n")
    assert run("check", "warn.txt", cwd=tmp_path).returncode == 1


def test_audience(tmp_path):
    write(tmp_path / "r.txt", READ)
    cfg = tmp_path / ".healthlint.yaml"
    write(cfg, "select: [reading-level]\naudience: patient\n")
    patient = run("check", "r.txt", cwd=tmp_path)
    assert heads(patient.stdout) == ["r.txt:1:1: warning reading-level"]
    write(cfg, "select: [reading-level]\naudience: public\n")
    public = run("check", "r.txt", cwd=tmp_path)
    assert heads(public.stdout) == []
    assert public.returncode == 0
    write(cfg, "select: [reading-level]\naudience: professional\n")
    assert heads(run("check", "r.txt", cwd=tmp_path).stdout) == []


def test_grade_target(tmp_path):
    write(tmp_path / "r.txt", READ)
    cfg = tmp_path / ".healthlint.yaml"
    write(cfg, "select: [reading-level]\naudience: public\ngrade-target: 6\n")
    strict = run("check", "r.txt", cwd=tmp_path)
    assert heads(strict.stdout) == ["r.txt:1:1: warning reading-level"]  # not flagged for public without it
    write(cfg, "select: [reading-level]\ngrade-target: 12\n")
    assert heads(run("check", "r.txt", cwd=tmp_path).stdout) == []


def test_rule_severity(tmp_path):
    write(tmp_path / ".healthlint.yaml", "select: [unhedged-safety-claim, opioid-substitution]\nfail-on: error\nrules:\n  unhedged-safety-claim:\n    severity: error\n  opioid-substitution:\n    severity: info\n")
    write(tmp_path / "a.txt", C + O)
    proc = run("check", "a.txt", cwd=tmp_path)
    assert heads(proc.stdout) == ["a.txt:1:22: error unhedged-safety-claim", "a.txt:2:25: info opioid-substitution"]
    assert summary(proc.stdout) == "Found 2 problems (1 error, 1 info) in 1 of 1 file."
    assert proc.returncode == 1


def test_rule_options(tmp_path):
    write(tmp_path / "long.txt", LONG + MEDIUM)
    cfg = tmp_path / ".healthlint.yaml"
    write(cfg, "select: [long-sentence]\n")
    default = run("check", "long.txt", cwd=tmp_path)
    assert heads(default.stdout) == ["long.txt:1:1: info long-sentence"]
    write(cfg, "select: [long-sentence]\nrules:\n  long-sentence:\n    max_words: 30\n")
    assert heads(run("check", "long.txt", cwd=tmp_path).stdout) == []
    write(cfg, "select: [long-sentence]\nrules:\n  long-sentence:\n    max_words: 10\n    severity: warning\n")
    strict = run("check", "long.txt", cwd=tmp_path)
    assert heads(strict.stdout) == ["long.txt:1:1: warning long-sentence", "long.txt:2:1: warning long-sentence"]
    assert strict.returncode == 1


def test_rule_options_in_pyproject(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.healthlint]\nselect = ["long-sentence"]\n\n[tool.healthlint.rules.long-sentence]\nmax_words = 10\n')
    write(tmp_path / "long.txt", LONG + MEDIUM)
    proc = run("check", "long.txt", cwd=tmp_path)
    assert heads(proc.stdout) == ["long.txt:1:1: info long-sentence", "long.txt:2:1: info long-sentence"]


def test_include_and_exclude(tmp_path):
    for folder in ("", "docs/", "docs/deep/", "drafts/"):
        write(tmp_path / f"{folder}a.txt", M)
        write(tmp_path / f"{folder}b.md", M)
    cfg = tmp_path / ".healthlint.yaml"

    write(cfg, 'select: [missing-citation]\nexclude: ["drafts/**", "**/b.md"]\n')
    walk = run("check", ".", cwd=tmp_path)
    assert heads(walk.stdout) == ["a.txt:1:1: warning missing-citation", "docs/a.txt:1:1: warning missing-citation", "docs/deep/a.txt:1:1: warning missing-citation"]
    assert summary(walk.stdout) == "Found 3 problems (3 warnings) in 3 of 3 files."
    # Excluded files stay excluded when named directly (pre-commit names files).
    named = run("check", "drafts/a.txt", "docs/b.md", "docs/a.txt", cwd=tmp_path)
    assert heads(named.stdout) == ["docs/a.txt:1:1: warning missing-citation"]
    assert summary(named.stdout) == "Found 1 problem (1 warning) in 1 of 1 file."

    # include narrows a folder walk; a file named directly is still checked.
    write(cfg, 'select: [missing-citation]\ninclude: ["docs/**"]\nexclude: ["docs/deep/"]\n')
    walk = run("check", ".", cwd=tmp_path)
    assert heads(walk.stdout) == ["docs/a.txt:1:1: warning missing-citation", "docs/b.md:1:1: warning missing-citation"]
    named = run("check", "a.txt", cwd=tmp_path)
    assert heads(named.stdout) == ["a.txt:1:1: warning missing-citation"]


def test_rule_folders(tmp_path):
    write(
        tmp_path / "house-rules" / "banned-claim.yaml",
        "id: banned-claim\nkind: phrase\nseverity: error\nsummary: Bans miracle claims.\n"
        "message: '\"{text}\" is banned.'\npatterns:\n  - '\\bmiracle cure\\b'\n",
    )
    write(tmp_path / ".healthlint.yaml", "rule-folders: [house-rules]\nselect: [house-rules/banned-claim]\n")
    write(tmp_path / "a.txt", "Kratom is a miracle cure.\n")
    proc = run("check", "a.txt", cwd=tmp_path)
    assert proc.stdout.splitlines()[0] == 'a.txt:1:13: error house-rules/banned-claim "miracle cure" is banned.'
    assert proc.returncode == 1
    # Without the configuration the rule does not exist.
    isolated = run("check", "--isolated", "--select", "house-rules/banned-claim", "a.txt", cwd=tmp_path)
    assert error_line(isolated) == "healthlint: --select: there is no rule 'house-rules/banned-claim'; run 'healthlint rules' to see them all"


def test_overrides(tmp_path):
    write(
        tmp_path / ".healthlint.yaml",
        "select: [missing-citation, reading-level]\n"
        "audience: public\n"
        "overrides:\n"
        '  - files: ["patients/**"]\n'
        "    grade-target: 6\n"
        "    fail-on: error\n"
        "    rules:\n"
        "      missing-citation: {severity: error}\n"
        '  - files: ["news/**"]\n'
        "    ignore: [missing-citation]\n"
        '  - files: ["news/opinion/*.md"]\n'
        "    grade-target: 6\n"
        "    rules:\n"
        "      reading-level: {severity: info}\n",
    )
    for folder in ("", "patients/", "patients/kids/", "news/", "news/opinion/"):
        write(tmp_path / f"{folder}a.md", READ + "\n" + M)
    proc = run("check", ".", cwd=tmp_path)
    assert heads(proc.stdout) == [
        "a.md:3:1: warning missing-citation",
        "news/opinion/a.md:1:1: info reading-level",
        "patients/a.md:1:1: warning reading-level",
        "patients/a.md:3:1: error missing-citation",
        "patients/kids/a.md:1:1: warning reading-level",
        "patients/kids/a.md:3:1: error missing-citation",
    ]
    assert proc.returncode == 1

    # fail-on: error for patients/**: its warnings alone do not fail.
    write(tmp_path / "patients" / "warn.md", READ)
    only_warning = run("check", "patients/warn.md", cwd=tmp_path)
    assert heads(only_warning.stdout) == ["patients/warn.md:1:1: warning reading-level"]
    assert only_warning.returncode == 0


def test_overrides_are_relative_to_the_config_folder(tmp_path):
    write(tmp_path / ".healthlint.yaml", 'select: [missing-citation]\noverrides:\n  - files: ["news/**"]\n    ignore: [missing-citation]\n')
    write(tmp_path / "news" / "a.txt", M)
    write(tmp_path / "a.txt", M)
    # From inside news/, "a.txt" is still news/a.txt to the configuration.
    inside = run("check", "a.txt", cwd=tmp_path / "news")
    assert heads(inside.stdout) == []
    assert inside.returncode == 0
    # Standard input takes its settings from --stdin-filename.
    news = run("check", "-", "--stdin-filename", "news/x.txt", cwd=tmp_path, stdin=M)
    assert heads(news.stdout) == []
    other = run("check", "-", "--stdin-filename", "other/x.txt", cwd=tmp_path, stdin=M)
    assert heads(other.stdout) == ["other/x.txt:1:1: warning missing-citation"]


# --- the command line beats the configuration -------------------------------------------------------


def test_cli_select_beats_config_select(tmp_path):
    write(tmp_path / ".healthlint.yaml", "select: [missing-citation]\n")
    write(tmp_path / "a.txt", THREE)
    proc = run("check", "--select", "opioid-substitution", "a.txt", cwd=tmp_path)
    assert heads(proc.stdout) == ["a.txt:2:25: error opioid-substitution"]


def test_cli_ignore_adds_to_config_ignore(tmp_path):
    write(tmp_path / ".healthlint.yaml", "ignore: [missing-citation]\n")
    write(tmp_path / "a.txt", THREE)
    proc = run("check", "--ignore", "opioid-substitution", "a.txt", cwd=tmp_path)
    assert heads(proc.stdout) == ["a.txt:1:22: warning unhedged-safety-claim"]


def test_cli_fail_on_beats_config(tmp_path):
    write(tmp_path / ".healthlint.yaml", "select: [unhedged-safety-claim]\nfail-on: error\n")
    write(tmp_path / "a.txt", C)
    assert run("check", "a.txt", cwd=tmp_path).returncode == 0
    assert run("check", "--fail-on", "warning", "a.txt", cwd=tmp_path).returncode == 1
    write(tmp_path / ".healthlint.yaml", "select: [unhedged-safety-claim]\nfail-on: info\n")
    assert run("check", "--fail-on", "never", "a.txt", cwd=tmp_path).returncode == 0


def test_cli_fail_on_beats_an_override(tmp_path):
    write(tmp_path / ".healthlint.yaml", 'select: [unhedged-safety-claim]\noverrides:\n  - files: ["news/**"]\n    fail-on: never\n')
    write(tmp_path / "news" / "a.txt", C)
    assert run("check", "news/a.txt", cwd=tmp_path).returncode == 0
    assert run("check", "--fail-on", "warning", "news/a.txt", cwd=tmp_path).returncode == 1


def test_cli_audience_beats_config(tmp_path):
    write(tmp_path / "r.txt", READ)
    write(tmp_path / ".healthlint.yaml", "select: [reading-level]\naudience: public\n")
    assert heads(run("check", "r.txt", cwd=tmp_path).stdout) == []
    patient = run("check", "--audience", "patient", "r.txt", cwd=tmp_path)
    assert heads(patient.stdout) == ["r.txt:1:1: warning reading-level"]
    write(tmp_path / ".healthlint.yaml", "select: [reading-level]\naudience: patient\n")
    assert heads(run("check", "--audience", "professional", "r.txt", cwd=tmp_path).stdout) == []


def test_cli_rule_ids_are_checked_against_config_rule_folders(tmp_path):
    write(tmp_path / "house" / "x.yaml", "id: x\nkind: phrase\nseverity: info\nsummary: X.\nmessage: 'x'\npatterns: ['\\bxyzzy\\b']\n")
    write(tmp_path / ".healthlint.yaml", "rule-folders: [house]\n")
    write(tmp_path / "a.txt", "Say xyzzy.\n")
    ok = run("check", "--select", "house/x", "a.txt", cwd=tmp_path)
    assert ok.stdout.splitlines()[0] == "a.txt:1:5: info house/x x"
    typo = run("check", "--select", "house/y", "a.txt", cwd=tmp_path)
    assert error_line(typo) == "healthlint: --select: there is no rule 'house/y'; did you mean 'house/x'?"


def test_cli_select_beats_config_ignore(tmp_path):
    write(tmp_path / ".healthlint.yaml", "ignore: [missing-citation]\n")
    write(tmp_path / "a.txt", M)
    proc = run("check", "--select", "missing-citation", "a.txt", cwd=tmp_path)
    assert heads(proc.stdout) == ["a.txt:1:1: warning missing-citation"]


def test_cli_extend_select_beats_config_ignore(tmp_path):
    write(tmp_path / ".healthlint.yaml", "select: [missing-citation, unhedged-safety-claim]\nignore: [missing-citation]\n")
    write(tmp_path / "a.txt", C + M)
    proc = run("check", "--extend-select", "missing-citation", "a.txt", cwd=tmp_path)
    assert heads(proc.stdout) == ["a.txt:1:22: warning unhedged-safety-claim", "a.txt:2:1: warning missing-citation"]


def test_extend_select_adds_to_select(tmp_path):
    write(tmp_path / "a.txt", C + M)
    cli = run("check", "--select", "missing-citation", "--extend-select", "unhedged-safety-claim", "a.txt", cwd=tmp_path)
    assert heads(cli.stdout) == ["a.txt:1:22: warning unhedged-safety-claim", "a.txt:2:1: warning missing-citation"]
    write(tmp_path / ".healthlint.yaml", "select: [missing-citation]\n")
    mixed = run("check", "--extend-select", "unhedged-safety-claim", "a.txt", cwd=tmp_path)
    assert heads(mixed.stdout) == ["a.txt:1:22: warning unhedged-safety-claim", "a.txt:2:1: warning missing-citation"]


# --- healthlint init --------------------------------------------------------------------------------


def test_init_writes_a_starter_that_loads_and_works(tmp_path):
    proc = run("init", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout == (
        "Wrote .healthlint.yaml. Edit it, then run: healthlint check .\n"
        "Wrote .healthlint.schema.json, so editors can complete and check the settings.\n"
    )
    starter = (tmp_path / ".healthlint.yaml").read_text(encoding="utf-8")
    assert starter.startswith("# healthlint configuration.")

    write(tmp_path / "clean.txt", CLEAN)
    clean = run("check", "clean.txt", cwd=tmp_path)
    assert (clean.returncode, clean.stderr) == (0, "")
    assert clean.stdout == "No problems found in 1 file.\n"
    rules = run("rules", cwd=tmp_path)
    assert (rules.returncode, rules.stderr) == (0, "")

    # What the starter says it does: drafts/ excluded, no missing-citation in news/.
    for folder in ("drafts", "news", "patients"):
        write(tmp_path / folder / "a.txt", M)
    walk = run("check", ".", "--select", "missing-citation", cwd=tmp_path)
    assert heads(walk.stdout) == ["patients/a.txt:1:1: warning missing-citation"]
    assert summary(walk.stdout) == "Found 1 problem (1 warning) in 1 of 3 files."


def test_init_refuses_to_overwrite_without_force(tmp_path):
    mine = write(tmp_path / ".healthlint.yaml", "select: [missing-citation]\n")
    refused = run("init", cwd=tmp_path)
    assert error_line(refused) == "healthlint: .healthlint.yaml already exists; use --force to overwrite it"
    assert mine.read_text(encoding="utf-8") == "select: [missing-citation]\n"

    forced = run("init", "--force", cwd=tmp_path)
    assert forced.returncode == 0
    assert mine.read_text(encoding="utf-8").startswith("# healthlint configuration.")


def test_init_to_another_path_then_use_it_with_config(tmp_path):
    proc = run("init", "ci.yaml", cwd=tmp_path)
    assert proc.stdout.splitlines()[0] == "Wrote ci.yaml. Edit it, then run: healthlint check ."
    assert not (tmp_path / ".healthlint.yaml").exists()
    write(tmp_path / "clean.txt", CLEAN)
    used = run("check", "--config", "ci.yaml", "clean.txt", cwd=tmp_path)
    assert (used.returncode, used.stderr) == (0, "")


def test_init_into_a_missing_folder_is_a_clean_error(tmp_path):
    proc = run("init", "config/healthlint.yaml", cwd=tmp_path)
    # Either create the folder or refuse cleanly; never a traceback.
    assert proc.returncode in (0, 2)
    if proc.returncode == 2:
        assert proc.stderr.startswith("healthlint: config/healthlint.yaml")
    else:
        assert (tmp_path / "config" / "healthlint.yaml").is_file()


# --- errors: exit 2, the file, the line, what was expected ------------------------------------------


def config_error(tmp_path: Path, name: str, text: str) -> str:
    """Write a configuration, check a clean file under it, return the one error line."""
    write(tmp_path / name, text)
    write(tmp_path / "clean.txt", CLEAN)
    return error_line(run("check", "clean.txt", cwd=tmp_path))


def test_error_unknown_key_with_did_you_mean(tmp_path):
    line = config_error(tmp_path, ".healthlint.yaml", "fail-on: error\nignor: [long-sentence]\n")
    where = f"healthlint: {tmp_path.resolve() / '.healthlint.yaml'}:2: "
    assert line.startswith(where + "unknown setting 'ignor'; did you mean 'ignore'?")
    assert "known settings: select, extend-select, ignore, fail-on" in line


def test_error_unknown_key_in_an_override(tmp_path):
    line = config_error(tmp_path, ".healthlint.yaml", 'overrides:\n  - files: ["news/**"]\n    ignor: [missing-citation]\n')
    assert line.startswith(f"healthlint: {tmp_path.resolve() / '.healthlint.yaml'}:3: unknown setting 'overrides[1].ignor'; did you mean 'ignore'?")


def test_error_override_without_files(tmp_path):
    line = config_error(tmp_path, ".healthlint.yaml", "overrides:\n  - ignore: [missing-citation]\n")
    assert line == f"healthlint: {tmp_path.resolve() / '.healthlint.yaml'}:1: override 1 needs 'files', a list of glob patterns"


def test_error_top_level_only_key_in_an_override(tmp_path):
    line = config_error(tmp_path, ".healthlint.yaml", 'overrides:\n  - files: ["a/**"]\n    exclude: ["b"]\n')
    assert line.startswith(f"healthlint: {tmp_path.resolve() / '.healthlint.yaml'}:3: unknown setting 'overrides[1].exclude'")


@pytest.mark.parametrize(
    "text, line_no, message",
    [
        ("ignore: [long-sentense]\n", 1, "'ignore' names an unknown rule 'long-sentense'; did you mean 'long-sentence'?"),
        ("fail-on: error\nselect:\n  - missing-citaton\n", 2, "'select' names an unknown rule 'missing-citaton'; did you mean 'missing-citation'?"),
        ("extend-select: [grammer]\n", 1, "'extend-select' names an unknown rule 'grammer'; did you mean 'grammar'?"),
        ("rules:\n  long-sentense:\n    max_words: 10\n", 2, "'rules' names an unknown rule 'long-sentense'; did you mean 'long-sentence'?"),
        ('overrides:\n  - files: ["a/**"]\n    ignore: [opioid-substitutoin]\n', 3, "'overrides[1].ignore' names an unknown rule 'opioid-substitutoin'; did you mean 'opioid-substitution'?"),
    ],
)
def test_error_unknown_rule_id_with_did_you_mean(tmp_path, text, line_no, message):
    assert config_error(tmp_path, ".healthlint.yaml", text) == f"healthlint: {tmp_path.resolve() / '.healthlint.yaml'}:{line_no}: {message}"


@pytest.mark.parametrize(
    "text, message",
    [
        ("rules:\n  long-sentence:\n    max_word: 10\n", "rule 'long-sentence' has no option 'max_word'; did you mean 'max_words'?"),
        ("rules:\n  reading-level:\n    audiense: public\n", "rule 'reading-level' has no option 'audiense'; did you mean 'audience'?"),
        ("rules:\n  missing-citation:\n    max_words: 5\n", "rule 'missing-citation' has no option 'max_words'; it has no options besides severity"),
    ],
)
def test_error_unknown_rule_option(tmp_path, text, message):
    assert config_error(tmp_path, ".healthlint.yaml", text) == f"healthlint: {tmp_path.resolve() / '.healthlint.yaml'}:3: {message}"


@pytest.mark.parametrize(
    "text, line_no, message",
    [
        ("fail-on: 3\n", 1, r"'fail-on' must be one of info, warning, error, never, not 3"),
        ("audience: kids\n", 1, r"'audience' must be one of patient, public, professional, not 'kids'"),
        ("ignore: long-sentence\n", 1, r"'ignore' must be a list of rule ids, not 'long-sentence'"),
        ("grade-target: 50\n", 1, r"'grade-target' must be a grade from 1 to 20, not 50"),
        ("grade-target: true\n", 1, r"'grade-target' must be a grade from 1 to 20, not True"),
        ("rules: [long-sentence]\n", 1, r"'rules' must be a mapping of rule id to its settings, not \['long-sentence'\]"),
        ("rules:\n  long-sentence: 10\n", 2, r"settings for 'long-sentence' must be a mapping, e.g. \{severity: error\}"),
        ("rules:\n  long-sentence:\n    severity: fatal\n", 3, r"severity for 'long-sentence' must be one of info, warning, error, not 'fatal'"),
        ("rules:\n  long-sentence:\n    max_words: ten\n", 3, r"option 'max_words' of rule 'long-sentence' must be a whole number, not 'ten'"),
        ("rules:\n  long-sentence:\n    max_words: 10.5\n", 3, r"option 'max_words' of rule 'long-sentence' must be a whole number, not 10.5"),
        ('include: "docs/**"\n', 1, r"'include' must be a list of glob patterns"),
        ("rule-folders: house\n", 1, r"'rule-folders' must be a list of folders"),
        ('overrides:\n  - files: "news/**"\n', 2, r"'overrides\[1\].files' must be a list of glob patterns"),
        ("overrides: {files: [a]}\n", 1, r"'overrides' must be a list of overrides, each with 'files'"),
        ("- select\n- ignore\n", 1, r"a configuration file must be a mapping of settings, e.g. 'ignore: \[long-sentence\]'"),
    ],
)
def test_error_wrong_type(tmp_path, text, line_no, message):
    line = config_error(tmp_path, ".healthlint.yaml", text)
    prefix = f"healthlint: {tmp_path.resolve() / '.healthlint.yaml'}:{line_no}: "
    assert line.startswith(prefix), line
    assert re.fullmatch(message, line[len(prefix):]), line


def test_error_bad_option_value_names_its_line(tmp_path):
    line = config_error(tmp_path, ".healthlint.yaml", "rules:\n  reading-level:\n    audience: kids\n")
    assert line.startswith(f"healthlint: {tmp_path.resolve() / '.healthlint.yaml'}:3: ")


@pytest.mark.parametrize(
    "text, line_no, problem",
    [
        ("select: [missing-citation\n", 2, "expected ',' or ']'"),
        ("fail-on: error\naudience: patient\n  ignore: [long-sentence]\n", 3, "mapping values are not allowed here"),
        ("fail-on: error\nfail-on: warning\n", 2, "the key 'fail-on' appears twice"),
    ],
)
def test_error_yaml_syntax(tmp_path, text, line_no, problem):
    line = config_error(tmp_path, "healthlint.yaml", text)
    assert line.startswith(f"healthlint: {tmp_path.resolve() / 'healthlint.yaml'}:{line_no}: YAML syntax error: {problem}")


def test_error_toml_syntax(tmp_path):
    text = '[project]\nname = "site"\nversion = = 1\n\n[tool.healthlint]\nfail-on = "error"\n'
    line = config_error(tmp_path, "pyproject.toml", text)
    # The rest of the message is tomllib's own ("Invalid value (at line 3, column 11)").
    assert line.startswith(f"healthlint: {tmp_path.resolve() / 'pyproject.toml'}:3: TOML syntax error: "), line


def test_error_toml_unclosed_array(tmp_path):
    text = '[tool.healthlint]\nignore = ["long-sentence"\nfail-on = "error"\n'
    line = config_error(tmp_path, "pyproject.toml", text)
    assert line.startswith(f"healthlint: {tmp_path.resolve() / 'pyproject.toml'}:3: TOML syntax error: ")


@pytest.mark.parametrize(
    "text, line_no, message",
    [
        ('[tool.healthlint]\nfail-on = "error"\nignor = ["long-sentence"]\n', 3, "unknown setting 'ignor'; did you mean 'ignore'?"),
        ('[tool.healthlint]\nfail-on = 3\n', 2, "'fail-on' must be one of info, warning, error, never, not 3"),
        ('[tool.healthlint]\nselect = ["missing-citaton"]\n', 2, "'select' names an unknown rule 'missing-citaton'; did you mean 'missing-citation'?"),
        ('[tool.healthlint]\nfail-on = "error"\n\n[tool.healthlint.rules.long-sentence]\nmax_word = 10\n', 5, "rule 'long-sentence' has no option 'max_word'; did you mean 'max_words'?"),
        ('[tool.healthlint]\nfail-on = "error"\n\n[[tool.healthlint.overrides]]\nfiles = ["news/**"]\nignore = ["missing-citaton"]\n', 6, "'overrides[1].ignore' names an unknown rule 'missing-citaton'; did you mean 'missing-citation'?"),
    ],
)
def test_error_in_pyproject_names_the_line(tmp_path, text, line_no, message):
    line = config_error(tmp_path, "pyproject.toml", '[project]\nname = "site"\nversion = "1"\n\n' + text)
    assert line.startswith(f"healthlint: {tmp_path.resolve() / 'pyproject.toml'}:{line_no + 4}: {message}"), line


def test_error_in_pyproject_line_ignores_other_tools_tables(tmp_path):
    text = '[tool.ruff]\nselect = ["E"]\n\n[tool.healthlint]\nselect = ["missing-citaton"]\n'
    line = config_error(tmp_path, "pyproject.toml", text)
    assert line.startswith(f"healthlint: {tmp_path.resolve() / 'pyproject.toml'}:5: "), line


def test_error_in_second_pyproject_override_names_its_line(tmp_path):
    text = (
        '[tool.healthlint]\nfail-on = "error"\n\n'
        '[[tool.healthlint.overrides]]\nfiles = ["news/**"]\nignore = ["missing-citation"]\n\n'
        '[[tool.healthlint.overrides]]\nfiles = ["patients/**"]\nignore = ["long-sentense"]\n'
    )
    line = config_error(tmp_path, "pyproject.toml", text)
    assert line.startswith(f"healthlint: {tmp_path.resolve() / 'pyproject.toml'}:10: "), line


def test_error_missing_rule_folder(tmp_path):
    line = config_error(tmp_path, ".healthlint.yaml", "fail-on: error\nrule-folders: [house-rules]\n")
    folder = tmp_path.resolve() / "house-rules"
    assert line == f"healthlint: {tmp_path.resolve() / '.healthlint.yaml'}:2: rule folder 'house-rules' does not exist (looked in {folder})"


def test_error_in_explicit_config_uses_the_path_given(tmp_path):
    write(tmp_path / "ci" / "strict.yaml", "selec: [missing-citation]\n")
    write(tmp_path / "clean.txt", CLEAN)
    line = error_line(run("check", "--config", "ci/strict.yaml", "clean.txt", cwd=tmp_path))
    assert line.startswith("healthlint: ci/strict.yaml:1: unknown setting 'selec'; did you mean 'select'?")


def test_error_in_config_stops_rules_listing_too(tmp_path):
    write(tmp_path / ".healthlint.yaml", "rule-folders: [nowhere]\n")
    proc = run("rules", cwd=tmp_path)
    assert error_line(proc) == f"healthlint: {tmp_path.resolve() / '.healthlint.yaml'}:1: rule folder 'nowhere' does not exist (looked in {tmp_path.resolve() / 'nowhere'})"
