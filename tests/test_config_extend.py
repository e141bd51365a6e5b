"""`extend: PATH` in a configuration file: a base whose settings the file overrides, as in ruff.

Each test writes real files and runs `healthlint check` in this process (conftest.run). The
sentences give one finding each at a known place, so a setting that is or is not inherited shows
as a finding that is or is not there.
"""

from __future__ import annotations

from pathlib import Path

from conftest import heads, run, write

C = "Our CBD gummies have zero side effects.\n"  # unhedged-safety-claim, warning, 1:22
M = "Studies suggest that kratom may help with pain.\n"  # missing-citation, warning, 1:1
O = "Kratom offers a natural alternative to opioids.\n"  # opioid-substitution, error, 1:25
CLEAN = "Kratom is a plant from Southeast Asia.\n"
TWO = "select: [missing-citation, unhedged-safety-claim]\n"


def error_line(proc) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_a_child_inherits_the_base_and_overrides_what_it_sets(tmp_path):
    write(tmp_path / "base.yaml", TWO + "fail-on: error\nrules:\n  unhedged-safety-claim: {severity: error}\n")
    write(tmp_path / "site" / ".healthlint.yaml", "extend: ../base.yaml\nfail-on: warning\n")
    write(tmp_path / "site" / "a.txt", C + M)
    proc = run("check", "site/a.txt", cwd=tmp_path)
    # select and the severity come from the base; fail-on warning from the child (exit 1 on the warning).
    assert heads(proc.stdout) == ["site/a.txt:1:22: error unhedged-safety-claim", "site/a.txt:2:1: warning missing-citation"]
    assert proc.returncode == 1


def test_without_extend_the_base_is_not_read(tmp_path):
    write(tmp_path / "base.yaml", TWO)
    write(tmp_path / "site" / ".healthlint.yaml", "fail-on: never\n")
    write(tmp_path / "site" / "a.txt", O)
    proc = run("check", "site/a.txt", cwd=tmp_path)
    assert heads(proc.stdout) == ["site/a.txt:1:25: error opioid-substitution"]


def test_chains_apply_in_order_nearest_last(tmp_path):
    write(tmp_path / "root.yaml", TWO + "rules:\n  unhedged-safety-claim: {severity: error}\n")
    write(tmp_path / "team.yaml", "extend: root.yaml\nrules:\n  unhedged-safety-claim: {severity: info}\n")
    write(tmp_path / "site" / ".healthlint.yaml", "extend: ../team.yaml\n")
    write(tmp_path / "site" / "a.txt", C)
    proc = run("check", "site/a.txt", cwd=tmp_path)
    assert heads(proc.stdout) == ["site/a.txt:1:22: info unhedged-safety-claim"]
    assert proc.returncode == 0  # an info is below the default fail-on


def test_rule_options_merge_option_by_option(tmp_path):
    long = "Kratom is a plant from Southeast Asia that some people use for pain relief.\n"  # 14 words
    write(tmp_path / "base.yaml", "select: [long-sentence]\nrules:\n  long-sentence: {severity: error}\n")
    write(tmp_path / ".healthlint.yaml", "extend: base.yaml\nrules:\n  long-sentence: {max_words: 10}\n")
    write(tmp_path / "a.txt", long)
    assert heads(run("check", "a.txt", cwd=tmp_path).stdout) == ["a.txt:1:1: error long-sentence"]


# --- select, ignore, extend-select: ruff's rule ------------------------------------------------------


def test_child_ignore_adds_to_the_base_selection(tmp_path):
    write(tmp_path / "base.yaml", TWO)
    write(tmp_path / ".healthlint.yaml", "extend: base.yaml\nignore: [missing-citation]\n")
    write(tmp_path / "a.txt", C + M)
    assert heads(run("check", "a.txt", cwd=tmp_path).stdout) == ["a.txt:1:22: warning unhedged-safety-claim"]


def test_child_extend_select_brings_back_a_rule_the_base_ignored(tmp_path):
    write(tmp_path / "base.yaml", TWO + "ignore: [missing-citation]\n")
    write(tmp_path / ".healthlint.yaml", "extend: base.yaml\nextend-select: [missing-citation]\n")
    write(tmp_path / "a.txt", C + M)
    assert heads(run("check", "a.txt", cwd=tmp_path).stdout) == ["a.txt:1:22: warning unhedged-safety-claim", "a.txt:2:1: warning missing-citation"]


def test_child_ignore_removes_a_rule_the_base_extend_selected(tmp_path):
    write(tmp_path / "base.yaml", "select: [missing-citation]\nextend-select: [unhedged-safety-claim]\n")
    write(tmp_path / ".healthlint.yaml", "extend: base.yaml\nignore: [unhedged-safety-claim]\n")
    write(tmp_path / "a.txt", C + M)
    assert heads(run("check", "a.txt", cwd=tmp_path).stdout) == ["a.txt:2:1: warning missing-citation"]


def test_child_select_starts_afresh_dropping_the_base_lists(tmp_path):
    write(tmp_path / "base.yaml", "select: [opioid-substitution]\nextend-select: [unhedged-safety-claim]\nignore: [missing-citation]\n")
    write(tmp_path / ".healthlint.yaml", "extend: base.yaml\nselect: [missing-citation]\n")
    write(tmp_path / "a.txt", C + M + O)
    # The base's ignore no longer hides missing-citation, nor does its extend-select add the safety rule.
    assert heads(run("check", "a.txt", cwd=tmp_path).stdout) == ["a.txt:2:1: warning missing-citation"]


# --- lists replace, paths stay relative to the file that wrote them ---------------------------------


def test_a_list_the_child_sets_replaces_the_base_list(tmp_path):
    write(tmp_path / "base.yaml", TWO + 'exclude: ["drafts/**"]\n')
    write(tmp_path / ".healthlint.yaml", 'extend: base.yaml\nexclude: ["old/**"]\n')
    for folder in ("drafts", "old", "news"):
        write(tmp_path / folder / "a.txt", M)
    proc = run("check", ".", cwd=tmp_path)
    assert heads(proc.stdout) == ["drafts/a.txt:1:1: warning missing-citation", "news/a.txt:1:1: warning missing-citation"]


def test_base_globs_are_relative_to_the_base_file(tmp_path):
    write(tmp_path / "base.yaml", TWO + 'exclude: ["site/drafts/**"]\noverrides:\n  - files: ["site/news/**"]\n    ignore: [missing-citation]\n')
    write(tmp_path / "site" / ".healthlint.yaml", "extend: ../base.yaml\n")
    for folder in ("drafts", "news", "pages"):
        write(tmp_path / "site" / folder / "a.txt", M)
    proc = run("check", "site", cwd=tmp_path)
    assert heads(proc.stdout) == ["site/pages/a.txt:1:1: warning missing-citation"]


def test_rule_folders_of_the_base_stay_known(tmp_path):
    rule = (
        "id: banned-claim\nkind: phrase\nseverity: warning\nsummary: Bans miracle claims.\n"
        "message: '\"{text}\" is banned.'\npatterns:\n  - '\\bmiracle cure\\b'\n"
    )
    write(tmp_path / "shared" / "house" / "banned-claim.yaml", rule)
    write(tmp_path / "shared" / "base.yaml", "rule-folders: [house]\nselect: [house/banned-claim]\n")
    write(tmp_path / ".healthlint.yaml", "extend: shared/base.yaml\nrules:\n  house/banned-claim: {severity: error}\n")
    write(tmp_path / "a.txt", "Kratom is a miracle cure.\n")
    proc = run("check", "a.txt", cwd=tmp_path)
    assert heads(proc.stdout) == ["a.txt:1:13: error house/banned-claim"], proc.stderr


def test_pyproject_can_extend_and_be_extended(tmp_path):
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.healthlint]\nselect = ["missing-citation", "unhedged-safety-claim"]\n')
    write(tmp_path / "site" / "pyproject.toml", '[tool.healthlint]\nextend = "../pyproject.toml"\nignore = ["unhedged-safety-claim"]\n')
    write(tmp_path / "site" / "a.txt", C + M)
    assert heads(run("check", "site/a.txt", cwd=tmp_path).stdout) == ["site/a.txt:2:1: warning missing-citation"]


def test_a_changed_base_is_not_served_from_the_result_cache(tmp_path):
    write(tmp_path / "base.yaml", TWO)
    write(tmp_path / ".healthlint.yaml", "extend: base.yaml\n")
    write(tmp_path / "a.txt", C + M)
    assert len(heads(run("check", "a.txt", cwd=tmp_path).stdout)) == 2
    write(tmp_path / "base.yaml", TWO + "ignore: [missing-citation]\n")
    assert heads(run("check", "a.txt", cwd=tmp_path).stdout) == ["a.txt:1:22: warning unhedged-safety-claim"]


# --- errors: exit 2, naming the file and the key ------------------------------------------------------


def test_a_missing_base_names_the_file_and_the_key(tmp_path):
    write(tmp_path / ".healthlint.yaml", "fail-on: error\nextend: shared/base.yaml\n")
    write(tmp_path / "a.txt", CLEAN)
    line = error_line(run("check", "a.txt", cwd=tmp_path))
    config = tmp_path.resolve() / ".healthlint.yaml"
    assert line == f"healthlint: {config}:2: 'extend': the base configuration 'shared/base.yaml' does not exist (looked for {tmp_path.resolve() / 'shared' / 'base.yaml'})"


def test_a_loop_names_every_file_in_it(tmp_path):
    write(tmp_path / "a.yaml", "extend: b.yaml\n")
    write(tmp_path / "b.yaml", TWO + "extend: a.yaml\n")
    write(tmp_path / ".healthlint.yaml", "extend: a.yaml\n")
    write(tmp_path / "x.txt", CLEAN)
    line = error_line(run("check", "x.txt", cwd=tmp_path))
    root = tmp_path.resolve()
    assert line == (
        f"healthlint: {root / 'b.yaml'}:2: 'extend' goes round in a loop ({root / 'a.yaml'} extends {root / 'b.yaml'} extends {root / 'a.yaml'}); "
        "a file cannot extend itself, even through others, so remove one of these 'extend' settings"
    )


def test_a_file_that_extends_itself(tmp_path):
    write(tmp_path / ".healthlint.yaml", "extend: ./.healthlint.yaml\n")
    write(tmp_path / "x.txt", CLEAN)
    line = error_line(run("check", "x.txt", cwd=tmp_path))
    config = tmp_path.resolve() / ".healthlint.yaml"
    assert line.startswith(f"healthlint: {config}:1: 'extend' goes round in a loop ({config} extends {config});")


def test_an_error_in_the_base_names_the_base_and_its_line(tmp_path):
    write(tmp_path / "base.yaml", "select: [missing-citation]\nfail-on: sometimes\n")
    write(tmp_path / ".healthlint.yaml", "extend: base.yaml\n")
    write(tmp_path / "x.txt", CLEAN)
    line = error_line(run("check", "x.txt", cwd=tmp_path))
    assert line == f"healthlint: {tmp_path.resolve() / 'base.yaml'}:2: 'fail-on' must be one of info, warning, error, never, not 'sometimes'"


def test_extend_must_be_a_path(tmp_path):
    write(tmp_path / ".healthlint.yaml", "extend: [base.yaml]\n")
    write(tmp_path / "x.txt", CLEAN)
    line = error_line(run("check", "x.txt", cwd=tmp_path))
    assert line == f"healthlint: {tmp_path.resolve() / '.healthlint.yaml'}:1: 'extend' must be the path of another configuration file, relative to this one, not ['base.yaml']"


def test_extend_a_folder_or_a_pyproject_without_a_table(tmp_path):
    (tmp_path / "shared").mkdir()
    write(tmp_path / "other" / "pyproject.toml", '[project]\nname = "x"\n')
    write(tmp_path / "x.txt", CLEAN)
    config = write(tmp_path / ".healthlint.yaml", "extend: shared\n")
    assert error_line(run("check", "x.txt", cwd=tmp_path)) == (
        f"healthlint: {config.resolve()}:1: 'extend': 'shared' is a folder; name the configuration file in it, such as 'shared/.healthlint.yaml'"
    )
    write(config, "extend: other/pyproject.toml\n")
    assert error_line(run("check", "x.txt", cwd=tmp_path)) == (
        f"healthlint: {config.resolve()}:1: 'extend': 'other/pyproject.toml' has no [tool.healthlint] table, so there is nothing to extend"
    )


def test_extend_is_not_allowed_in_an_override(tmp_path):
    write(tmp_path / "base.yaml", TWO)
    write(tmp_path / ".healthlint.yaml", 'overrides:\n  - files: ["news/**"]\n    extend: base.yaml\n')
    write(tmp_path / "x.txt", CLEAN)
    line = error_line(run("check", "x.txt", cwd=tmp_path))
    assert line.startswith(f"healthlint: {tmp_path.resolve() / '.healthlint.yaml'}:3: unknown setting 'overrides[1].extend'")


def test_extend_error_in_pyproject_names_its_line(tmp_path):
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.healthlint]\nfail-on = "error"\nextend = "nope.toml"\n')
    write(tmp_path / "x.txt", CLEAN)
    line = error_line(run("check", "x.txt", cwd=tmp_path))
    assert line.startswith(f"healthlint: {tmp_path.resolve() / 'pyproject.toml'}:6: 'extend': the base configuration 'nope.toml' does not exist")


def test_config_option_file_can_extend(tmp_path: Path):
    write(tmp_path / "ci" / "base.yaml", TWO)
    write(tmp_path / "ci" / "strict.yaml", "extend: base.yaml\nignore: [unhedged-safety-claim]\n")
    write(tmp_path / "a.txt", C + M)
    proc = run("check", "--config", "ci/strict.yaml", "a.txt", cwd=tmp_path)
    assert heads(proc.stdout) == ["a.txt:2:1: warning missing-citation"]
