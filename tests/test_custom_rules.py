"""Custom rule folders, through the command line (in this process: conftest.run) on real files.

A team's own YAML rules, configured with `rule-folders`, get ids prefixed with the folder's
name ("house-rules/banned-claim"), fire in `check`, are listed by `healthlint rules` with
where they come from, are documented by `healthlint explain`, and are tested by
`healthlint test-rules DIR`. They may use the built-in shared lexicons such as {product}.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import heads, run, write


BANNED = """\
id: banned-claim
kind: phrase
severity: error
summary: Our house style bans "miracle" for any product.
description: Finds "miracle cure", "miracle remedy" and "miracle herb" said of a product.
why: Readers who believe in a miracle stop the treatment that works.
better: Describe what the product does, with a source.
message: '"{text}" oversells {product}. Our house style bans it.'
suggestion: 'Describe what {product} does, with a source.'
patterns:
  - regex: '\\bmiracle\\s+(?:cure|remedy|herb)\\b'
    requires: product@paragraph
examples:
  flag:
    - Kratom is a miracle cure for back pain.
  pass:
    - Kratom is a plant from Southeast Asia.
    - This is a miracle cure.
"""

# Uses the built-in shared lexicon {product} in its pattern, and a lexicon of the folder's own.
DETOX = """\
id: detox-claim
kind: phrase
severity: warning
summary: A product sold as a detox.
message: '"{text}": the body clears toxins itself.'
patterns:
  - regex: '\\b(?:{product})\\s+(?:{detox_word})\\b'
examples:
  flag:
    - Try our kratom detox this spring.
    - A CBD cleanse for the new year.
  pass:
    - Try our juice detox this spring.
"""
SHARED = """\
lexicons:
  detox_word: [detox, cleanse, flush]
"""


def usage_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert len(proc.stderr.splitlines()) == 1, proc.stderr
    return proc.stderr.rstrip("\n")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path / "house-rules" / "banned-claim.yaml", BANNED)
    write(tmp_path / "house-rules" / "detox-claim.yaml", DETOX)
    write(tmp_path / "house-rules" / "_lexicons.yaml", SHARED)
    write(tmp_path / ".healthlint.yaml", "rule-folders: [house-rules]\n")
    return tmp_path


def rules_table(stdout: str) -> dict[str, tuple[str, str, str | None]]:
    """`healthlint rules` as {id: (severity, summary, source or None)}."""
    table: dict[str, tuple[str, str, str | None]] = {}
    last = None
    for line in stdout.splitlines():
        if line.startswith(" "):
            assert last is not None and line.strip().startswith("from "), line
            severity, summary_, _ = table[last]
            table[last] = (severity, summary_, line.strip()[len("from ") :])
            continue
        rule_id, severity, summary_ = re.split(r"\s{2,}", line.strip(), maxsplit=2)
        table[rule_id] = (severity, summary_, None)
        last = rule_id
    return table


# --- check -------------------------------------------------------------------------------------------


def test_custom_rule_fires_with_its_prefixed_id(project):
    write(project / "a.txt", "Kratom is a plant.\nKratom is a miracle cure for back pain.\n")
    proc = run("check", "--select", "house-rules/banned-claim", "a.txt", cwd=project)
    assert proc.stdout.splitlines() == [
        'a.txt:2:13: error house-rules/banned-claim "miracle cure" oversells kratom. Our house style bans it.',
        "    suggestion: Describe what kratom does, with a source.",
        "Found 1 problem (1 error) in 1 of 1 file.",
    ]
    assert proc.returncode == 1


def test_custom_rules_run_with_the_built_in_rules_by_default(project):
    write(project / "a.txt", "Our CBD gummies have zero side effects.\nTry our kratom detox this spring.\n")
    proc = run("check", "a.txt", cwd=project)
    found = heads(proc.stdout)
    assert "a.txt:1:22: warning unhedged-safety-claim" in found
    assert "a.txt:2:9: warning house-rules/detox-claim" in found
    assert 'a.txt:2:9: warning house-rules/detox-claim "kratom detox": the body clears toxins itself.' in proc.stdout.splitlines()


def test_custom_rule_uses_built_in_and_folder_lexicons(project):
    write(project / "a.md", "A CBD cleanse for the new year.\n\nTry our juice detox. Or a kava flush!\n")
    proc = run("check", "--select", "house-rules/detox-claim", "a.md", cwd=project)
    assert heads(proc.stdout) == ["a.md:1:3: warning house-rules/detox-claim", "a.md:3:27: warning house-rules/detox-claim"]


def test_custom_rule_requires_a_product_nearby(project):
    write(project / "a.txt", "This is a miracle cure.\n")
    proc = run("check", "--select", "house-rules/banned-claim", "a.txt", cwd=project)
    assert proc.stdout == "No problems found in 1 file.\n"


def test_custom_rule_severity_and_ignore_from_config(project):
    write(project / ".healthlint.yaml", "rule-folders: [house-rules]\nselect: [house-rules/banned-claim, house-rules/detox-claim]\nrules:\n  house-rules/banned-claim: {severity: info}\n")
    write(project / "a.txt", "Kratom is a miracle cure.\nTry our kratom detox.\n")
    proc = run("check", "a.txt", cwd=project)
    assert heads(proc.stdout) == ["a.txt:1:13: info house-rules/banned-claim", "a.txt:2:9: warning house-rules/detox-claim"]
    ignored = run("check", "--ignore", "house-rules/detox-claim", "a.txt", cwd=project)
    assert heads(ignored.stdout) == ["a.txt:1:13: info house-rules/banned-claim"]
    assert ignored.returncode == 0


def test_custom_rule_can_be_suppressed_by_its_id(project):
    write(project / "a.md", "<!-- healthlint-disable-next-line house-rules/banned-claim -->\nKratom is a miracle cure.\n\nKratom is a miracle cure.\n")
    proc = run("check", "--select", "house-rules/banned-claim", "a.md", cwd=project)
    assert heads(proc.stdout) == ["a.md:4:13: error house-rules/banned-claim"]


def test_folder_name_becomes_a_lower_case_prefix(tmp_path):
    write(tmp_path / "Team_Rules" / "banned-claim.yaml", BANNED)
    write(tmp_path / ".healthlint.yaml", "rule-folders: [Team_Rules]\nselect: [team-rules/banned-claim]\n")
    write(tmp_path / "a.txt", "Kratom is a miracle cure.\n")
    proc = run("check", "a.txt", cwd=tmp_path)
    assert heads(proc.stdout) == ["a.txt:1:13: error team-rules/banned-claim"]


def test_unknown_custom_rule_id_gets_a_did_you_mean(project):
    write(project / "a.txt", "Kratom is a plant.\n")
    proc = run("check", "--select", "house-rules/baned-claim", "a.txt", cwd=project)
    assert usage_error(proc) == "healthlint: --select: there is no rule 'house-rules/baned-claim'; did you mean 'house-rules/banned-claim'?"
    # Unprefixed: the id does not exist either.
    proc = run("check", "--select", "banned-claim", "a.txt", cwd=project)
    assert usage_error(proc).startswith("healthlint: --select: there is no rule 'banned-claim'")


def test_broken_rule_in_a_configured_folder_stops_check(project):
    write(project / "house-rules" / "broken.yaml", "id: broken\nkind: phrase\nseverity: warning\nsummary: Broken.\nmessage: 'x'\npatterns:\n  - regex: '\\b(?:{no_such_lexicon})\\b'\n")
    write(project / "a.txt", "Kratom is a plant.\n")
    proc = run("check", "a.txt", cwd=project)
    where = project.resolve() / "house-rules" / "broken.yaml"
    # Through the configuration (healthlint.config re-raises it), the error keeps line and column.
    assert usage_error(proc) == f"healthlint: {where}:7:5: the pattern refers to {{no_such_lexicon}}, but no lexicon has that name"


# --- healthlint rules ----------------------------------------------------------------------------------


def test_rules_lists_custom_rules_and_where_they_come_from(project):
    proc = run("rules", cwd=project)
    assert (proc.returncode, proc.stderr) == (0, "")
    table = rules_table(proc.stdout)
    folder = str(project.resolve() / "house-rules")
    assert table["house-rules/banned-claim"] == ("error", 'Our house style bans "miracle" for any product.', folder)
    assert table["house-rules/detox-claim"] == ("warning", "A product sold as a detox.", folder)
    # Built-in rules have no "from" line.
    assert table["missing-citation"][0] == "warning"
    assert table["missing-citation"][2] is None
    assert list(table).index("house-rules/banned-claim") > list(table).index("missing-citation")


def test_rules_finds_the_config_from_a_subfolder(project):
    (project / "docs").mkdir()
    table = rules_table(run("rules", cwd=project / "docs").stdout)
    assert table["house-rules/banned-claim"][2] == str(project.resolve() / "house-rules")


def test_rules_with_explicit_config(project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    proc = run("rules", "--config", str(project / ".healthlint.yaml"), cwd=elsewhere)
    assert "house-rules/banned-claim" in rules_table(proc.stdout)
    assert "house-rules/banned-claim" not in rules_table(run("rules", cwd=elsewhere).stdout)


def test_rules_marks_custom_rules_that_are_off_by_default(project):
    write(project / "house-rules" / "opt-in.yaml", "id: opt-in\nkind: phrase\nseverity: info\nenabled: false\nsummary: Only when asked.\nmessage: 'x'\npatterns: ['xyzzy']\n")
    table = rules_table(run("rules", cwd=project).stdout)
    assert table["house-rules/opt-in"][:2] == ("info", "Only when asked. (off by default)")


# --- healthlint explain ------------------------------------------------------------------------------


def test_explain_custom_rule(project):
    proc = run("explain", "house-rules/banned-claim", cwd=project)
    assert (proc.returncode, proc.stderr) == (0, "")
    folder = project.resolve() / "house-rules"
    assert proc.stdout == (
        "# house-rules/banned-claim\n"
        "\n"
        'Our house style bans "miracle" for any product.\n'
        f"Severity: error. Kind: phrase. Source: {folder}. On by default.\n"
        "\n## What it finds\n\n"
        'Finds "miracle cure", "miracle remedy" and "miracle herb" said of a product.\n'
        "\n## Why it matters\n\n"
        "Readers who believe in a miracle stop the treatment that works.\n"
        "\n## Write instead\n\n"
        "Describe what the product does, with a source.\n"
        "\n## Flagged\n\n"
        "- Kratom is a miracle cure for back pain.\n"
        "\n## Not flagged\n\n"
        "- Kratom is a plant from Southeast Asia.\n"
        "- This is a miracle cure.\n"
    )


def test_explain_built_in_rule(tmp_path):
    proc = run("explain", "missing-citation", cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (0, "")
    lines = proc.stdout.splitlines()
    assert lines[0] == "# missing-citation"
    assert "Severity: warning. Kind: claim. Source: built-in. On by default." in lines
    for section in ("## What it finds", "## Why it matters", "## Write instead", "## Flagged", "## Not flagged"):
        assert section in lines
    flagged = lines.index("## Flagged")
    assert lines[flagged + 1] == "" and lines[flagged + 2].startswith("- ")


def test_explain_off_by_default_rule_says_how_to_turn_it_on(project):
    write(project / "house-rules" / "opt-in.yaml", "id: opt-in\nkind: phrase\nseverity: info\nenabled: false\nsummary: Only when asked.\nmessage: 'x'\npatterns: ['xyzzy']\n")
    proc = run("explain", "house-rules/opt-in", cwd=project)
    folder = project.resolve() / "house-rules"
    assert f"Severity: info. Kind: phrase. Source: {folder}. Off by default; turn it on with --extend-select house-rules/opt-in." in proc.stdout.splitlines()


@pytest.mark.parametrize(
    "typo, message",
    [
        ("missing-citaton", "healthlint: there is no rule 'missing-citaton'; did you mean 'missing-citation'?"),
        ("house-rules/baned-claim", "healthlint: there is no rule 'house-rules/baned-claim'; did you mean 'house-rules/banned-claim'?"),
        ("zzzz", "healthlint: there is no rule 'zzzz'; run 'healthlint rules' to see them all"),
    ],
)
def test_explain_typo(project, typo, message):
    proc = run("explain", typo, cwd=project)
    assert usage_error(proc) == message
    assert proc.stdout == ""


def test_explain_custom_rule_needs_its_config(project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    proc = run("explain", "house-rules/banned-claim", cwd=elsewhere)
    assert usage_error(proc) == "healthlint: there is no rule 'house-rules/banned-claim'; run 'healthlint rules' to see them all"


# --- healthlint test-rules -----------------------------------------------------------------------------


def test_test_rules_passes_on_good_examples(project):
    proc = run("test-rules", "house-rules", cwd=project)
    assert proc.stdout == "6 passed, 0 failed\n"
    assert proc.stderr == ""
    assert proc.returncode == 0


def test_test_rules_needs_no_config(tmp_path):
    write(tmp_path / "rules" / "banned-claim.yaml", BANNED)
    proc = run("test-rules", "rules", cwd=tmp_path)
    assert (proc.stdout, proc.returncode) == ("3 passed, 0 failed\n", 0)


def test_test_rules_on_the_builtin_folder_tests_the_builtin_rules(tmp_path):
    # The shipped rules tested where they live: their shared lexicons are not loaded twice.
    from healthlint.ruleset import builtin_rules_dir

    proc = run("test-rules", str(builtin_rules_dir()), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"^\d+ passed, 0 failed$", proc.stdout, re.M)
    assert "unhedged-safety-claim" not in proc.stdout  # no FAIL lines, and ids are not prefixed


def test_test_rules_reports_wrong_examples(tmp_path):
    wrong = BANNED.replace("    - Kratom is a miracle cure for back pain.", "    - Kratom is a wonder cure for back pain.")
    wrong = wrong.replace("    - This is a miracle cure.", "    - The seller calls kratom a miracle herb.")
    write(tmp_path / "house-rules" / "banned-claim.yaml", wrong)
    proc = run("test-rules", "house-rules", cwd=tmp_path)
    assert proc.stdout == (
        "FAIL house-rules/banned-claim flag example (line 15): Kratom is a wonder cure for back pain.\n"
        "     expected a finding, got none\n"
        "FAIL house-rules/banned-claim pass example (line 18): The seller calls kratom a miracle herb.\n"
        "     expected no finding, flagged: 'miracle herb'\n"
        "1 passed, 2 failed\n"
    )
    assert proc.returncode == 1


def test_test_rules_checks_an_expected_suggestion(tmp_path):
    text = BANNED.replace(
        "    - Kratom is a miracle cure for back pain.\n",
        "    - text: Kratom is a miracle cure for back pain.\n      suggestion: Say what kratom does.\n",
    )
    write(tmp_path / "house-rules" / "banned-claim.yaml", text)
    proc = run("test-rules", "house-rules", cwd=tmp_path)
    assert proc.stdout.splitlines() == [
        "FAIL house-rules/banned-claim flag example (line 15): Kratom is a miracle cure for back pain.",
        "     suggestion was: Describe what kratom does, with a source.",
        "2 passed, 1 failed",
    ]
    assert proc.returncode == 1


def test_test_rules_counts_a_rule_without_examples_as_failed(tmp_path):
    write(tmp_path / "house" / "x.yaml", "id: x\nkind: phrase\nseverity: info\nsummary: X.\nmessage: 'x'\npatterns: ['xyzzy']\n")
    proc = run("test-rules", "house", cwd=tmp_path)
    assert proc.stdout == "house/x: no examples; add 'examples: {flag: [...], pass: [...]}' so the rule is tested\n0 passed, 1 failed\n"
    assert proc.returncode == 1


@pytest.mark.parametrize(
    "text, where, message",
    [
        ("id: x\nkind: phrase\nseverity: error\nsummary: s\nmessage: m\npatterns:\n  - regex: '(unclosed'\n", "7:5", "the pattern is not a valid regular expression: missing ), unterminated subpattern at position 0"),
        ("id: x\nkind: phrase\nseverity: error\nsummary: s\nmessage: [m\n", "6", "YAML syntax error: expected ',' or ']', but got '<stream end>'"),
        ("id: x\nkind: phrasy\nseverity: error\nsummary: s\nmessage: m\n", "2", "unknown kind 'phrasy'; known kinds: claim, grammar, metric, phrase, substitution"),
        ("id: x\nkind: phrase\nseverity: fatal\nsummary: s\nmessage: m\npatterns: [x]\n", "3", "'fatal' is not a severity; use one of: info, warning, error"),
        ("id: x\nkind: phrase\nseverity: error\nsummary: s\nmessage: m\npatterns: [x]\nflags: [y]\n", "7:1", "unknown key 'flags' for a phrase rule"),
        ("id: Bad_Id\nkind: phrase\nseverity: error\nsummary: s\nmessage: m\npatterns: [x]\n", "1", "rule id 'house/Bad_Id' must be lower-case words"),
        ("id: x\nkind: phrase\nseverity: error\nsummary: s\nmessage: '{nothing}'\npatterns:\n  - regex: x\n", "7:5", "the message or suggestion uses {nothing}"),
    ],
)
def test_test_rules_broken_rule_file(tmp_path, text, where, message):
    write(tmp_path / "house" / "x.yaml", text)
    line = usage_error(run("test-rules", "house", cwd=tmp_path))
    assert line.startswith(f"healthlint: house/x.yaml:{where}: {message}"), line


def test_test_rules_broken_shared_lexicons(tmp_path):
    write(tmp_path / "house" / "banned-claim.yaml", BANNED)
    write(tmp_path / "house" / "_lexicons.yaml", "lexicons:\n  Bad-Name: [a]\n")
    line = usage_error(run("test-rules", "house", cwd=tmp_path))
    assert line == "healthlint: house/_lexicons.yaml:2: lexicon name 'Bad-Name' must be lower_case_with_underscores"


def test_test_rules_duplicate_ids(tmp_path):
    write(tmp_path / "house" / "a.yaml", BANNED)
    write(tmp_path / "house" / "b.yaml", BANNED)
    line = usage_error(run("test-rules", "house", cwd=tmp_path))
    assert line.startswith("healthlint: house/b.yaml")
    assert "rule id 'house/banned-claim' is already defined in house/a.yaml" in line


def test_test_rules_missing_or_empty_folder(tmp_path):
    assert usage_error(run("test-rules", "nope", cwd=tmp_path)) == "healthlint: nope: no such folder"
    (tmp_path / "empty").mkdir()
    assert usage_error(run("test-rules", "empty", cwd=tmp_path)) == "healthlint: empty: no rule files (*.yaml) found"


# --- a built-in rule's own lexicons, by qualified name -----------------------------------------------

# extra_product and rx are lexicons of built-in rules (unhedged-efficacy-claim, opioid-substitution),
# not shared ones: a custom rule names them with the rule's id.
MUST_HAVE = """\
id: must-have
kind: claim
severity: warning
summary: A supplement pitched as a must with a prescribed medicine.
message: '"{text}": say why, and cite it.'
patterns:
  - regex: '\\b(?P<claim>{unhedged-efficacy-claim.extra_product})\\s+(?:is|are)\\s+a\\s+must\\b'
    requires: [opioid-substitution.rx@paragraph]
examples:
  flag:
    - Collagen is a must if you take statins.
  pass:
    - Collagen is a must.
    - Kratom is a must if you take statins.
"""


def test_custom_rule_uses_a_built_in_rules_own_lexicons(tmp_path):
    write(tmp_path / "house" / "must-have.yaml", MUST_HAVE)
    proc = run("test-rules", "house", cwd=tmp_path)
    assert (proc.stdout, proc.stderr, proc.returncode) == ("3 passed, 0 failed\n", "", 0)
    write(tmp_path / ".healthlint.yaml", "rule-folders: [house]\nselect: [house/must-have]\n")
    write(tmp_path / "a.txt", "Fish oil is a must with your metformin.\n")
    assert heads(run("check", "a.txt", cwd=tmp_path).stdout) == ["a.txt:1:1: warning house/must-have"]


def test_a_qualified_lexicon_reads_as_in_its_own_rule(tmp_path):
    """product_or_supplement_brand refers to {product}: this rule's override of product does
    not reach inside it."""
    rule = MUST_HAVE.replace("unhedged-efficacy-claim.extra_product", "unhedged-efficacy-claim.product_or_supplement_brand")
    rule = rule.replace("    - Kratom is a must if you take statins.\n", "    - Elixir is a must if you take statins.\n")
    rule = rule.replace("    - Collagen is a must if you take statins.\n", "    - Collagen is a must if you take statins.\n    - Kratom is a must if you take statins.\n")
    write(tmp_path / "house" / "must-have.yaml", rule + "lexicons:\n  product: {override: true, words: [elixir]}\n")
    proc = run("test-rules", "house", cwd=tmp_path)
    assert (proc.stdout, proc.returncode) == ("4 passed, 0 failed\n", 0)


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("{unhedged-efficacy-claim.extra_product}", "{unhedged-efficacy-claim.extra_produce}", "7:5: the pattern refers to {unhedged-efficacy-claim.extra_produce}, but no lexicon has that name; did you mean {unhedged-efficacy-claim.extra_product}?"),
        ("{unhedged-efficacy-claim.extra_product}", "{unhedged-efficacy-claim.product}", "7:5: the pattern refers to {unhedged-efficacy-claim.product}, but no lexicon has that name; did you mean {product}?"),
        ("{unhedged-efficacy-claim.extra_product}", "{no-such-rule.zzz}", "7:5: the pattern refers to {no-such-rule.zzz}, but no lexicon has that name"),
        ("opioid-substitution.rx@", "opioid-substitutoin.rx@", "7:5: 'requires' names the lexicon 'opioid-substitutoin.rx', which is not defined; did you mean 'opioid-substitution.rx'?"),
    ],
)
def test_an_unknown_qualified_lexicon_is_an_error_with_a_did_you_mean(tmp_path, old, new, message):
    write(tmp_path / "house" / "must-have.yaml", MUST_HAVE.replace(old, new))
    assert usage_error(run("test-rules", "house", cwd=tmp_path)) == f"healthlint: house/must-have.yaml:{message}"


def test_a_custom_rule_cannot_silently_shadow_a_built_in_lexicon(tmp_path):
    write(tmp_path / "house" / "must-have.yaml", MUST_HAVE + "lexicons:\n  medicine: [tonic]\n")
    line = usage_error(run("test-rules", "house", cwd=tmp_path))
    assert line.startswith("healthlint: house/must-have.yaml:16: lexicon 'medicine' is already defined in ")
    assert "_lexicons.yaml:" in line


def test_a_change_to_a_built_in_rules_lexicon_reloads_a_custom_folder(tmp_path, monkeypatch):
    """The rule cache keys a custom folder on ruleset.rule_files, which lists every built-in
    rule file: a changed qualified lexicon is read again, not served from the cache."""
    import shutil

    from healthlint import ruleset
    from healthlint.engine import lint_text

    builtin = tmp_path / "builtin"
    shutil.copytree(ruleset.builtin_rules_dir(), builtin)
    write(tmp_path / "house" / "must-have.yaml", MUST_HAVE)
    monkeypatch.setattr(ruleset, "builtin_rules_dir", lambda: builtin)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("HEALTHLINT_NO_RULE_CACHE", raising=False)
    assert builtin / "unhedged-efficacy-claim.yaml" in ruleset.rule_files([tmp_path / "house"])

    def flags_zorbium() -> bool:
        ruleset.builtin_lexicons.cache_clear()  # as a new process would
        (rule,) = ruleset.load_folder(tmp_path / "house", "house", "house")
        return bool(lint_text("Zorbium is a must with statins.", [rule]))

    try:
        assert not flags_zorbium()
        efficacy = builtin / "unhedged-efficacy-claim.yaml"
        efficacy.write_text(efficacy.read_text(encoding="utf-8").replace("    - NMN\n", "    - NMN\n    - zorbium\n", 1), encoding="utf-8")
        assert flags_zorbium()
        assert len(list((tmp_path / "cache" / "healthlint").glob("rules-house-*.pickle"))) == 2
    finally:
        monkeypatch.undo()
        ruleset.builtin_lexicons.cache_clear()


# --- requires @document: what the article is about ----------------------------------------------

TOPIC = """\
id: topic-claim
kind: phrase
severity: warning
summary: A pronoun claim about the article's product.
message: '"{text}" is said of {product}.'
patterns:
  - words: [it, lowers blood pressure]
    requires: product@document
examples:
  flag:
    - "Ashwagandha is a shrub. It lowers blood pressure."
  pass:
    - It lowers blood pressure.
"""


def test_requires_at_document_reads_earlier_paragraphs_and_headings(tmp_path):
    write(tmp_path / "house" / "topic-claim.yaml", TOPIC)
    write(tmp_path / ".healthlint.yaml", "rule-folders: [house]\nselect: [house/topic-claim]\n")
    write(tmp_path / "a.md", "# Ashwagandha for stress\n\nA shrub from India.\n\nIt lowers blood pressure.\n")
    proc = run("check", "a.md", cwd=tmp_path)
    assert proc.stdout.splitlines()[0] == 'a.md:5:1: warning house/topic-claim "It lowers blood pressure" is said of ashwagandha.'


def test_requires_at_document_does_not_look_ahead(tmp_path):
    # A product named only after the claim is not what the claim refers back to.
    write(tmp_path / "house" / "topic-claim.yaml", TOPIC)
    write(tmp_path / ".healthlint.yaml", "rule-folders: [house]\nselect: [house/topic-claim]\n")
    write(tmp_path / "a.md", "# Blood pressure\n\nIt lowers blood pressure.\n\nAshwagandha is a shrub.\n")
    assert run("check", "a.md", cwd=tmp_path).stdout == "No problems found in 1 file.\n"
    # ... and a document without one passes, in plain text where each line is a paragraph.
    write(tmp_path / "b.txt", "Salt is a mineral.\nIt lowers blood pressure.\n")
    assert run("check", "b.txt", cwd=tmp_path).stdout == "No problems found in 1 file.\n"
    write(tmp_path / "c.txt", "Kava is a root.\nIt lowers blood pressure.\n")
    assert heads(run("check", "c.txt", cwd=tmp_path).stdout) == ["c.txt:2:1: warning house/topic-claim"]
