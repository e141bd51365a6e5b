"""`healthlint check --show-settings PATH`: which configuration files, settings and rules apply.

Nothing is linted and the exit code is 0, whatever the file holds; a bad configuration or a
missing path is exit 2 with one message.
"""

from __future__ import annotations

from conftest import run, write

C = "Our CBD gummies have zero side effects.\n"  # a finding, which --show-settings must not report


def block(stdout: str, title: str) -> list[str]:
    """The lines of one section: from its title to the next blank line."""
    lines = stdout.splitlines()
    start = lines.index(title)
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return lines[start:end]


def test_the_extend_chain_the_settings_and_the_rules(tmp_path):
    write(tmp_path / "base.yaml", "select: [missing-citation, unhedged-safety-claim, long-sentence]\nrules:\n  unhedged-safety-claim: {severity: error}\n")
    write(tmp_path / "site" / ".healthlint.yaml", "extend: ../base.yaml\nignore: [long-sentence]\nmin-severity: warning\nrules:\n  long-sentence: {max_words: 12}\n")
    write(tmp_path / "site" / "a.txt", C)
    proc = run("check", "--show-settings", "site/a.txt", cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout.splitlines()[0] == "Settings for site/a.txt"
    assert block(proc.stdout, "Configuration files, nearest first (each extends the one below it):") == [
        "Configuration files, nearest first (each extends the one below it):",
        "  site/.healthlint.yaml",
        "  base.yaml",
    ]
    settings = block(proc.stdout, "Settings for this file (where each comes from; defaults where nothing is set):")
    assert settings[1:] == [
        "  select: [missing-citation, unhedged-safety-claim, long-sentence] (from base.yaml)",
        "  extend-select: [] (default)",
        "  ignore: [long-sentence] (from site/.healthlint.yaml)",
        "  fail-on: warning (default)",
        "  min-severity: warning (from site/.healthlint.yaml)",
        "  audience: patient (default)",
        "  grade-target: the audience's (default)",
        "  languagetool-url: none (default)",
        "  front-matter-keys: [title, description, summary] (default)",
        "  rules: (from site/.healthlint.yaml, base.yaml)",
        "    unhedged-safety-claim: {severity: error}",
        "    long-sentence: {max_words: 12}",
        "  include: [] (default)",
        "  exclude: [] (default)",
        "  rule-folders: [] (default)",
        "  max-file-size: 10MB (default)",
        "  formats: the built-in table (default)",
        "  respect-gitignore: true (default)",
    ]
    assert block(proc.stdout, "Rules that will run (2):") == [
        "Rules that will run (2):",
        "  missing-citation       warning  built-in",
        "  unhedged-safety-claim  error    built-in",
    ]
    assert "zero side effects" not in proc.stdout


def test_without_a_configuration_the_defaults(tmp_path):
    write(tmp_path / "a.txt", C)
    proc = run("check", "--show-settings", "a.txt", cwd=tmp_path)
    assert proc.returncode == 0
    assert "Configuration files: none found, so healthlint's defaults apply" in proc.stdout.splitlines()
    assert "  select: every rule that is on by default (default)" in proc.stdout.splitlines()
    assert "  respect-gitignore: true (default)" not in proc.stdout  # no configuration: no file settings
    rules = block(proc.stdout, "Rules that will run (8):")
    assert [line.split()[0] for line in rules[1:]] == [
        "long-sentence", "missing-citation", "natural-means-safe", "opioid-substitution",
        "plain-language", "reading-level", "unhedged-efficacy-claim", "unhedged-safety-claim",
    ]
    assert "grammar" not in proc.stdout  # off by default


def test_command_line_options_are_shown_and_win(tmp_path):
    write(tmp_path / ".healthlint.yaml", "select: [missing-citation]\nfail-on: error\n")
    write(tmp_path / "a.txt", C)
    proc = run("check", "--show-settings", "--select", "opioid-substitution,long-sentence", "--ignore", "long-sentence", "--fail-on", "info", "a.txt", cwd=tmp_path)
    assert proc.returncode == 0
    assert block(proc.stdout, "Command-line options, which win over the configuration:")[1:] == [
        "  --select opioid-substitution,long-sentence",
        "  --ignore long-sentence",
        "  --fail-on info",
    ]
    assert "Exit code 1 for findings at or above: info" in proc.stdout.splitlines()
    assert block(proc.stdout, "Rules that will run (1):")[1:] == ["  opioid-substitution  error    built-in"]


def test_isolated_and_config_are_said(tmp_path):
    write(tmp_path / ".healthlint.yaml", "select: [missing-citation]\n")
    write(tmp_path / "ci.yaml", "select: [opioid-substitution]\n")
    write(tmp_path / "a.txt", C)
    isolated = run("check", "--show-settings", "--isolated", "a.txt", cwd=tmp_path)
    assert "Configuration files: none (--isolated ignores them)" in isolated.stdout.splitlines()
    given = run("check", "--show-settings", "--config", "ci.yaml", "a.txt", cwd=tmp_path)
    assert block(given.stdout, "Configuration file (given with --config):")[1:] == ["  ci.yaml"]
    assert block(given.stdout, "Rules that will run (1):")[1:] == ["  opioid-substitution  error    built-in"]


def test_overrides_that_match_and_exclusion(tmp_path):
    write(tmp_path / ".healthlint.yaml", 'select: [missing-citation]\nexclude: ["drafts/**"]\noverrides:\n  - files: ["news/**"]\n    fail-on: never\n  - files: ["*.md"]\n    audience: public\n')
    write(tmp_path / "news" / "a.txt", C)
    write(tmp_path / "drafts" / "b.md", C)
    news = run("check", "--show-settings", "news/a.txt", cwd=tmp_path)
    assert "  overrides that apply: overrides[1] [news/**] (from .healthlint.yaml)" in news.stdout.splitlines()
    assert "  fail-on: never (from overrides[1])" in news.stdout.splitlines()
    assert "  exclude: [drafts/**] (from .healthlint.yaml)" in news.stdout.splitlines()
    assert "A folder run leaves this file out" not in news.stdout
    draft = run("check", "--show-settings", "drafts/b.md", cwd=tmp_path)
    assert "  overrides that apply: overrides[2] [*.md] (from .healthlint.yaml)" in draft.stdout.splitlines()
    assert "  audience: public (from overrides[2])" in draft.stdout.splitlines()
    assert "  fail-on: warning (default)" in draft.stdout.splitlines()
    assert "A folder run leaves this file out (exclude or include); named on the command line, it is checked." in draft.stdout.splitlines()
    folder = run("check", "--show-settings", "news", cwd=tmp_path)
    assert folder.stdout.splitlines()[0] == "Settings for news"
    assert "  overrides that apply: overrides[1] [news/**] (to every file in the folder) (from .healthlint.yaml)" in folder.stdout.splitlines()


def test_several_paths_one_after_another(tmp_path):
    write(tmp_path / "a.txt", C)
    write(tmp_path / "b.txt", C)
    proc = run("check", "--show-settings", "--isolated", "a.txt", "b.txt", cwd=tmp_path)
    titles = [line for line in proc.stdout.splitlines() if line.startswith("Settings for ") and "file" not in line]
    assert titles == ["Settings for a.txt", "Settings for b.txt"]


def test_a_bad_configuration_or_a_missing_path_is_exit_2(tmp_path):
    write(tmp_path / "a.txt", C)
    config = write(tmp_path / ".healthlint.yaml", "extend: nowhere.yaml\n")
    bad = run("check", "--show-settings", "a.txt", cwd=tmp_path)
    assert (bad.returncode, bad.stdout) == (2, "")
    assert bad.stderr == f"healthlint: {config.resolve()}:1: 'extend': the base configuration 'nowhere.yaml' does not exist (looked for {tmp_path.resolve() / 'nowhere.yaml'})\n"
    missing = run("check", "--show-settings", "--isolated", "nothere.md", cwd=tmp_path)
    assert (missing.returncode, missing.stdout, missing.stderr) == (2, "", "healthlint: nothere.md: no such file or folder\n")
    unknown = run("check", "--show-settings", "--isolated", "--select", "long-sentense", "a.txt", cwd=tmp_path)
    assert unknown.returncode == 2 and "did you mean 'long-sentence'?" in unknown.stderr


def test_where_adding_settings_come_from(tmp_path):
    # ignore adds up from an override and both files; fail-on is the nearest file's alone.
    write(tmp_path / "base.yaml", "ignore: [long-sentence]\nfail-on: error\n")
    write(tmp_path / ".healthlint.yaml", 'extend: base.yaml\nignore: [plain-language]\nfail-on: info\noverrides:\n  - files: ["news/**"]\n    ignore: [reading-level]\n')
    write(tmp_path / "news" / "a.txt", C)
    lines = run("check", "--show-settings", "news/a.txt", cwd=tmp_path).stdout.splitlines()
    assert "  ignore: [long-sentence, plain-language, reading-level] (from overrides[1], .healthlint.yaml, base.yaml)" in lines
    assert "  fail-on: info (from .healthlint.yaml)" in lines


def test_a_child_select_drops_where_the_base_lists_came_from(tmp_path):
    write(tmp_path / "base.yaml", "ignore: [long-sentence]\n")
    write(tmp_path / ".healthlint.yaml", "extend: base.yaml\nselect: [missing-citation]\n")
    write(tmp_path / "a.txt", C)
    lines = run("check", "--show-settings", "a.txt", cwd=tmp_path).stdout.splitlines()
    assert "  select: [missing-citation] (from .healthlint.yaml)" in lines
    assert "  ignore: [] (default)" in lines
