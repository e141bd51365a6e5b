"""The command-line conventions writers and CI expect next to ruff and Vale (issue 15):
--min-severity, --quiet, --statistics, --exit-zero, --sort, --format/--output-file pairs, the
concise and GitLab formats, the progress bar, readable --help, `rules` and `explain`.

Every run is in this process (conftest.invoke)."""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import SEED, invoke, write

C = "Our CBD gummies have zero side effects.\n"  # one warning: unhedged-safety-claim at 1:22
O = "Kratom offers a natural alternative to opioids.\n"  # one error: opioid-substitution at 1:25
CLEAN = "Kratom is a plant from Southeast Asia.\n"
FINDING_LINE = re.compile(r"^(.*):(\d+):(\d+): (error|warning|info) (\S+) (.*)$")
RANKS = {"info": 0, "warning": 1, "error": 2}


def run(*args: str, cwd: Path, env: dict | None = None):
    return invoke(*args, cwd=cwd, stdin=b"", env={"NO_COLOR": None, **(env or {})})


def finding_lines(stdout: str) -> list[re.Match]:
    return [m for line in stdout.splitlines() if (m := FINDING_LINE.match(line))]


@pytest.fixture
def seed(tmp_path) -> Path:
    if not SEED.exists():
        pytest.skip("../shared/fixtures/kratom-article.txt is not present")
    path = tmp_path / "seed.txt"
    path.write_bytes(SEED.read_bytes())
    return path


def seed_json(seed: Path) -> list[dict]:
    return json.loads(run("check", "--no-cache", "-f", "json", seed.name, cwd=seed.parent).stdout)


# --- --min-severity -------------------------------------------------------------------------------


def test_min_severity_warning_hides_infos_and_says_how_many(seed):
    every = seed_json(seed)
    counts = Counter(f["severity"] for f in every)
    assert counts["info"] > 0 and counts["warning"] > 0 and counts["error"] > 0
    proc = run("check", "--min-severity", "warning", seed.name, cwd=seed.parent)
    assert proc.returncode == 1
    shown = finding_lines(proc.stdout)
    assert Counter(m.group(4) for m in shown) == Counter({"error": counts["error"], "warning": counts["warning"]})
    total = counts["error"] + counts["warning"]
    assert proc.stdout.splitlines()[-1] == (
        f"Found {total} problems ({counts['error']} errors, {counts['warning']} warnings) in 1 of 1 file; "
        f"{counts['info']} infos not shown (below min-severity warning)."
    )


def test_without_min_severity_infos_are_shown_and_nothing_is_said_hidden(seed):
    proc = run("check", seed.name, cwd=seed.parent)
    assert any(m.group(4) == "info" for m in finding_lines(proc.stdout))
    assert "not shown" not in proc.stdout


def test_findings_below_min_severity_do_not_fail_the_run(tmp_path):
    write(tmp_path / "a.txt", C)
    proc = run("check", "--min-severity", "error", "a.txt", cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == "No problems at error or above in 1 file; 1 warning not shown (below min-severity error).\n"
    shown = run("check", "--min-severity", "warning", "a.txt", cwd=tmp_path)
    assert shown.returncode == 1 and len(finding_lines(shown.stdout)) == 1


def test_min_severity_in_the_configuration_and_the_command_line_wins(tmp_path):
    write(tmp_path / "a.txt", C + O)
    write(tmp_path / ".healthlint.yaml", "min-severity: error\n")
    configured = run("check", "--no-cache", "a.txt", cwd=tmp_path)
    assert [m.group(5) for m in finding_lines(configured.stdout)] == ["opioid-substitution"]
    assert configured.stdout.endswith("; 1 warning not shown (below min-severity error).\n")
    given = run("check", "--no-cache", "--min-severity", "info", "a.txt", cwd=tmp_path)
    assert [m.group(5) for m in finding_lines(given.stdout)] == ["unhedged-safety-claim", "opioid-substitution"]
    assert "not shown" not in given.stdout
    # The result cache keeps every finding: a cached run hides the same ones.
    run("check", "a.txt", cwd=tmp_path)
    cached = run("check", "a.txt", cwd=tmp_path)
    assert cached.stdout == configured.stdout


def test_min_severity_in_an_override_applies_to_its_files_only(tmp_path):
    write(tmp_path / "news" / "a.txt", C)
    write(tmp_path / "care" / "a.txt", C)
    write(tmp_path / ".healthlint.yaml", "overrides:\n  - files: ['news/**']\n    min-severity: error\n")
    proc = run("check", "--no-cache", "news", "care", cwd=tmp_path)
    assert [m.group(1) for m in finding_lines(proc.stdout)] == [str(Path("care/a.txt"))]


def test_a_bad_min_severity_is_a_usage_error_naming_the_file(tmp_path):
    write(tmp_path / "a.txt", C)
    write(tmp_path / ".healthlint.yaml", "min-severity: loud\n")
    proc = run("check", "a.txt", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == f"healthlint: {tmp_path.resolve() / '.healthlint.yaml'}:1: 'min-severity' must be one of info, warning, error, not 'loud'\n"


def test_a_bad_min_severity_on_the_command_line_exits_2_with_the_choices(tmp_path):
    write(tmp_path / "a.txt", C)
    proc = run("check", "--min-severity", "loud", "a.txt", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert "'loud' is not one of 'info', 'warning', 'error'" in proc.stderr


# --- --quiet, --exit-zero ------------------------------------------------------------------------


def test_quiet_prints_only_the_findings(tmp_path):
    write(tmp_path / "a.txt", C + O)
    loud = run("check", "a.txt", cwd=tmp_path)
    quiet = run("check", "--quiet", "a.txt", cwd=tmp_path)
    assert quiet.returncode == loud.returncode == 1
    assert loud.stdout.splitlines()[-1].startswith("Found 2 problems")
    assert quiet.stdout.splitlines() == [line for line in loud.stdout.splitlines() if not line.startswith(("Found ", "By rule: "))]
    assert len(finding_lines(quiet.stdout)) == 2


def test_quiet_on_a_clean_file_prints_nothing(tmp_path):
    write(tmp_path / "a.txt", CLEAN)
    proc = run("check", "-q", "a.txt", cwd=tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


def test_exit_zero_exits_0_with_findings_but_not_on_bad_input(tmp_path):
    write(tmp_path / "a.txt", O)
    assert run("check", "a.txt", cwd=tmp_path).returncode == 1
    proc = run("check", "--exit-zero", "a.txt", cwd=tmp_path)
    assert proc.returncode == 0 and len(finding_lines(proc.stdout)) == 1
    assert run("check", "--exit-zero", "a.txt", "missing.txt", cwd=tmp_path).returncode == 2


# --- --statistics --------------------------------------------------------------------------------


def statistics_rows(stdout: str) -> tuple[list[tuple[str, str, int]], int]:
    lines = stdout.splitlines()
    assert lines[0].split() == ["rule", "severity", "count"]
    rows, total = [], None
    for line in lines[1:]:
        parts = line.split()
        if parts[0] == "total":
            total = int(parts[1])
            break
        rows.append((parts[0], parts[1], int(parts[2])))
    assert total is not None
    return rows, total


def test_statistics_counts_each_rule_most_first_and_sums_to_the_findings(seed):
    every = seed_json(seed)
    proc = run("check", "--statistics", seed.name, cwd=seed.parent)
    assert proc.returncode == 1
    rows, total = statistics_rows(proc.stdout)
    assert total == sum(n for _, _, n in rows) == len(every)
    assert {(r, s): n for r, s, n in rows} == dict(Counter((f["rule"], f["severity"]) for f in every))
    assert [n for _, _, n in rows] == sorted((n for _, _, n in rows), reverse=True)
    assert finding_lines(proc.stdout) == []  # the table replaces the findings
    assert proc.stdout.splitlines()[-1] == f"Found {len(every)} problems (5 errors, 18 warnings, 22 infos) in 1 of 1 file."


def test_statistics_with_min_severity_counts_only_what_is_shown(seed):
    proc = run("check", "--statistics", "--min-severity", "warning", seed.name, cwd=seed.parent)
    rows, total = statistics_rows(proc.stdout)
    assert {s for _, s, _ in rows} == {"error", "warning"}
    assert total == sum(n for _, _, n in rows) == 23


def test_statistics_table_is_exact_for_a_small_file(tmp_path):
    write(tmp_path / "a.txt", C + "\n" + O + "\n" + O)
    proc = run("check", "--statistics", "--quiet", "a.txt", cwd=tmp_path)
    assert proc.stdout == (
        "rule                   severity  count\n"
        "opioid-substitution    error         2\n"
        "unhedged-safety-claim  warning       1\n"
        "total                                3\n"
    )


# --- --sort, repeated suggestions, By rule ----------------------------------------------------------


def test_sort_severity_puts_errors_first_then_warnings_then_infos(seed):
    by_position = finding_lines(run("check", seed.name, cwd=seed.parent).stdout)
    by_severity = finding_lines(run("check", "--sort", "severity", seed.name, cwd=seed.parent).stdout)
    ranks = [RANKS[m.group(4)] for m in by_severity]
    assert ranks == sorted(ranks, reverse=True) and ranks[0] == 2 and ranks[-1] == 0
    # Each severity keeps the order found in; the default order is by position.
    position = [(int(m.group(2)), int(m.group(3))) for m in by_position]
    assert position == sorted(position)
    assert len(by_severity) == len(by_position)
    for level in RANKS:
        assert [m.group(0) for m in by_severity if m.group(4) == level] == [m.group(0) for m in by_position if m.group(4) == level]
    assert [RANKS[m.group(4)] for m in by_position] != ranks


def test_a_long_suggestion_repeated_in_one_file_is_printed_once(tmp_path):
    write(tmp_path / "a.txt", O + "\n" + O + "\n" + O)
    write(tmp_path / "b.txt", O)
    proc = run("check", "--select", "opioid-substitution", "a.txt", "b.txt", cwd=tmp_path)
    lines = proc.stdout.splitlines()
    suggestions = [line for line in lines if line.startswith("    ")]
    assert suggestions[0].startswith("    suggestion: Kratom is not approved to treat pain.")
    assert suggestions[1:3] == ["    same suggestion as line 1", "    same suggestion as line 1"]
    assert suggestions[3] == suggestions[0]  # another file: in full again
    assert [line.split(":")[1] for line in lines if FINDING_LINE.match(line)] == ["1", "3", "5", "1"]


def test_a_short_suggestion_is_always_printed_in_full():
    from healthlint.model import Finding, Position, Severity
    from healthlint.report.text import LONG_SUGGESTION, finding_lines as text_lines

    def finding(line: int, suggestion: str) -> Finding:
        return Finding("a.txt", Position(line, 1), Position(line, 5), "r", Severity.INFO, "m", suggestion, "x")

    short, long = "s" * (LONG_SUGGESTION - 1), "l" * LONG_SUGGESTION
    lines = text_lines([finding(2, short), finding(4, short), finding(6, long), finding(8, long)], False, True)
    assert lines[1::2] == [f"    suggestion: {short}", f"    suggestion: {short}", f"    suggestion: {long}", "    same suggestion as line 6"]


def test_the_summary_counts_findings_by_rule(tmp_path):
    write(tmp_path / "a.txt", C + "\n" + O + "\n" + O)
    lines = run("check", "a.txt", cwd=tmp_path).stdout.splitlines()
    assert lines[-2:] == ["By rule: opioid-substitution 2, unhedged-safety-claim 1.", "Found 3 problems (2 errors, 1 warning) in 1 of 1 file."]
    one_rule = run("check", "--select", "opioid-substitution", "a.txt", cwd=tmp_path).stdout
    assert "By rule" not in one_rule


# --- concise and gitlab formats ---------------------------------------------------------------------


def test_concise_is_one_line_per_finding_and_the_summary(tmp_path):
    write(tmp_path / "a.txt", C + "\n" + O)
    proc = run("check", "-f", "concise", "a.txt", cwd=tmp_path)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert [m.groups()[:5] for m in map(FINDING_LINE.match, lines[:2])] == [
        ("a.txt", "1", "22", "warning", "unhedged-safety-claim"),
        ("a.txt", "3", "25", "error", "opioid-substitution"),
    ]
    assert lines[0] == 'a.txt:1:22: warning unhedged-safety-claim States "zero side effects" as fact, with no hedge and no source. ' + lines[0].split(" no source. ", 1)[1]
    assert "suggestion" not in proc.stdout
    assert lines[2:] == ["By rule: opioid-substitution 1, unhedged-safety-claim 1.", "Found 2 problems (1 error, 1 warning) in 1 of 1 file."]


# GitLab Code Quality report: what GitLab requires of each issue
# (https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format).
GITLAB_ISSUE_SCHEMA = {
    "type": "object",
    "required": ["description", "check_name", "fingerprint", "severity", "location"],
    "properties": {
        "description": {"type": "string", "minLength": 1},
        "check_name": {"type": "string", "minLength": 1},
        "fingerprint": {"type": "string", "minLength": 1},
        "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
        "location": {
            "type": "object",
            "required": ["path", "lines"],
            "properties": {
                "path": {"type": "string", "minLength": 1},
                "lines": {"type": "object", "required": ["begin"], "properties": {"begin": {"type": "integer", "minimum": 1}}},
            },
        },
    },
}
GITLAB_SCHEMA = {"type": "array", "items": GITLAB_ISSUE_SCHEMA}


def test_gitlab_report_validates_for_every_finding_on_the_seed(seed):
    import jsonschema

    every = seed_json(seed)
    proc = run("check", "-f", "gitlab", seed.name, cwd=seed.parent)
    assert proc.returncode == 1
    issues = json.loads(proc.stdout)
    jsonschema.validate(issues, GITLAB_SCHEMA)
    assert len(issues) == len(every) == 45
    assert len({i["fingerprint"] for i in issues}) == len(issues)  # unique, as GitLab needs
    levels = {"error": "critical", "warning": "major", "info": "info"}
    for issue, finding in zip(issues, every):
        assert issue["check_name"] == finding["rule"]
        assert issue["severity"] == levels[finding["severity"]]
        assert issue["location"]["path"] == finding["path"] == "seed.txt"
        assert issue["location"]["lines"]["begin"] == finding["line"]
        assert issue["description"].endswith(" ".join(finding["message"].split()))


def test_gitlab_fingerprints_stay_when_lines_are_added_above(tmp_path):
    write(tmp_path / "a.txt", C)
    before = json.loads(run("check", "--no-cache", "-f", "gitlab", "a.txt", cwd=tmp_path).stdout)
    write(tmp_path / "a.txt", CLEAN + "\n" + C)
    after = json.loads(run("check", "--no-cache", "-f", "gitlab", "a.txt", cwd=tmp_path).stdout)
    assert [i["location"]["lines"]["begin"] for i in (before[0], after[0])] == [1, 3]
    assert before[0]["fingerprint"] == after[0]["fingerprint"]


def test_gitlab_report_of_a_clean_file_is_an_empty_array(tmp_path):
    write(tmp_path / "a.txt", CLEAN)
    proc = run("check", "-f", "gitlab", "a.txt", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "[]\n")


# --- --format / --output-file pairs -----------------------------------------------------------------


def test_two_formats_in_one_run_sarif_to_a_file_and_text_to_the_screen(tmp_path):
    write(tmp_path / "a.txt", C + "\n" + O)
    proc = run("check", "-f", "sarif", "-o", "out.sarif", "-f", "text", "a.txt", cwd=tmp_path)
    assert proc.returncode == 1
    sarif = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["unhedged-safety-claim", "opioid-substitution"]
    assert len(finding_lines(proc.stdout)) == 2
    assert proc.stdout.splitlines()[-1] == "Found 2 problems (1 error, 1 warning) in 1 of 1 file."


def test_two_files_and_nothing_on_the_screen(tmp_path):
    write(tmp_path / "a.txt", O)
    proc = run("check", "-f", "json", "-o", "a.json", "--format", "gitlab", "--output-file", "gl.json", "a.txt", cwd=tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, "", "")
    assert [f["rule"] for f in json.loads((tmp_path / "a.json").read_text())] == ["opioid-substitution"]
    assert [i["check_name"] for i in json.loads((tmp_path / "gl.json").read_text())] == ["opioid-substitution"]


def test_output_file_alone_writes_the_text_without_colour(tmp_path):
    write(tmp_path / "a.txt", O)
    proc = run("check", "--color", "always", "-o", "report.txt", "a.txt", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (1, "")
    written = (tmp_path / "report.txt").read_text(encoding="utf-8")
    assert "\x1b[" not in written
    assert written.startswith("a.txt:1:25: error opioid-substitution ")
    assert written.endswith("Found 1 problem (1 error) in 1 of 1 file.\n")


@pytest.mark.parametrize(
    "args, message",
    [
        (["-f", "json", "-f", "sarif"], "2 formats and 0 output files do not pair"),
        (["-f", "json", "-o", "a.json", "-o", "b.json"], "1 format and 2 output files do not pair"),
        (["-o", "a.txt", "-o", "b.txt"], "--output-file was given 2 times but --format not at all"),
        (["-f", "json", "-o", "same.json", "-f", "gitlab", "-o", "same.json"], "--output-file same.json is named twice"),
    ],
)
def test_formats_and_files_that_do_not_pair_are_a_usage_error(tmp_path, args, message):
    write(tmp_path / "a.txt", O)
    proc = run("check", *args, "a.txt", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr.startswith(f"healthlint: {message}"), proc.stderr
    assert proc.stderr.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]  # nothing written


def test_an_output_file_that_cannot_be_written_exits_2(tmp_path):
    write(tmp_path / "a.txt", O)
    proc = run("check", "-f", "json", "-o", "no/such/folder/a.json", "a.txt", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("healthlint: --output-file no/such/folder/a.json: cannot be written")


def test_pair_outputs():
    from healthlint.outputs import Output, OutputError, pair_outputs

    assert pair_outputs([], []) == [Output("text", None)]
    assert pair_outputs([], [Path("r.txt")]) == [Output("text", Path("r.txt"))]
    assert pair_outputs(["sarif", "text"], [Path("o.sarif")]) == [Output("sarif", Path("o.sarif")), Output("text", None)]
    assert pair_outputs(["json", "gitlab"], [Path("a"), Path("b")]) == [Output("json", Path("a")), Output("gitlab", Path("b"))]
    with pytest.raises(OutputError):
        pair_outputs(["json", "sarif", "text"], [Path("a")])


# --- progress bar ----------------------------------------------------------------------------------


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_with_many_files_and_not_quiet():
    from healthlint.progress import MIN_FILES, wanted

    assert wanted(MIN_FILES, quiet=False, stream=FakeTerminal())
    assert not wanted(MIN_FILES - 1, quiet=False, stream=FakeTerminal())
    assert not wanted(MIN_FILES, quiet=True, stream=FakeTerminal())
    assert not wanted(MIN_FILES, quiet=False, stream=io.StringIO())


def test_progress_bar_draws_on_its_stream_and_counts_every_file():
    from healthlint.progress import progress_bar

    stream = FakeTerminal()
    with progress_bar(3, show=True, stream=stream) as done:
        for _ in range(3):
            done()
    assert "Checking" in stream.getvalue()
    quiet = FakeTerminal()
    with progress_bar(3, show=False, stream=quiet) as done:
        done()
    assert quiet.getvalue() == ""


def test_lint_tasks_reports_each_file_done(tmp_path):
    from healthlint.jobs import RuleSource, Task, lint_tasks
    from healthlint.settings import CommandLine
    from healthlint.source import from_text
    from healthlint.formats import Format

    tasks = [Task(None, from_text(C, f"{i}.txt", Format.TEXT)) for i in range(4)]
    calls = []
    outcomes = lint_tasks(tasks, RuleSource(CommandLine(isolated=True)), jobs=1, on_done=lambda: calls.append(1))
    assert len(calls) == len(outcomes) == 4


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(), reason="needs fork")
def test_lint_tasks_with_workers_reports_each_file_done_in_this_process(tmp_path, monkeypatch):
    from healthlint import jobs
    from healthlint.formats import Format
    from healthlint.settings import CommandLine
    from healthlint.source import from_text

    monkeypatch.setattr(jobs, "MIN_PARALLEL_CHARS", 1)
    tasks = [jobs.Task(None, from_text(C * (i + 1), f"{i}.txt", Format.TEXT), in_parent=(i == 4)) for i in range(5)]
    calls = []
    outcomes = jobs.lint_tasks(tasks, jobs.RuleSource(CommandLine(isolated=True)), jobs=2, on_done=lambda: calls.append(1))
    assert [o.error for o in outcomes] == [None] * 5
    assert [len(o.findings) for o in outcomes] == [1, 2, 3, 4, 5]
    assert len(calls) == 5


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path):
    for i in range(12):
        write(tmp_path / f"{i}.txt", C)
    proc = run("check", "--no-cache", ".", cwd=tmp_path)
    assert proc.returncode == 1 and proc.stderr == ""


# --- --help, rules, explain ------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["check", "readability", "annotate", "audit", "rules", "explain", "test-rules", "init"])
def test_help_at_80_columns_shows_every_option_name_whole(tmp_path, command):
    from healthlint.cli import app
    import typer.main

    proc = run(command, "--help", cwd=tmp_path, env={"COLUMNS": "80"})
    assert proc.returncode == 0
    text = proc.stdout
    for bad in ("\u2026", "<bool>", "<list", "<str>", "<path>", "{PATH", "<int"):
        assert bad not in text, (bad, text)
    assert max(len(line) for line in text.splitlines()) <= 80
    click_command = typer.main.get_command(app).commands[command]
    for param in click_command.params:
        if getattr(param, "hidden", False):
            continue
        for name in [*param.opts, *param.secondary_opts] if param.param_type_name == "option" else []:
            assert re.search(rf"(^|[\s,/]){re.escape(name)}([\s,=]|$)", text, re.M), (name, text)


def test_check_usage_reads_path_dots(tmp_path):
    proc = run("check", "--help", cwd=tmp_path, env={"COLUMNS": "80"})
    assert proc.stdout.splitlines()[0] == "Usage: python -m healthlint check [OPTIONS] PATH..."
    assert "--min-severity [info|warning|error]" in proc.stdout


def test_rules_has_a_header_and_one_off_note(tmp_path):
    proc = run("rules", cwd=tmp_path)
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["rule", "severity", "what", "it", "finds"]
    grammar = next(line for line in lines if line.startswith("grammar "))
    assert grammar.endswith("found by a LanguageTool server. (off by default)")
    assert "off unless selected" not in proc.stdout
    # The columns line up under the header.
    assert lines[1].index("info") == lines[0].index("severity")


def test_explain_offers_the_rule_a_word_belongs_to(tmp_path):
    proc = run("explain", "natural", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == "healthlint: there is no rule 'natural'; did you mean 'natural-means-safe'?\n"
    typo = run("explain", "opioid-substitutin", cwd=tmp_path)
    assert typo.stderr == "healthlint: there is no rule 'opioid-substitutin'; did you mean 'opioid-substitution'?\n"
    # "claim" is in three rule ids: no guess.
    vague = run("explain", "claim", cwd=tmp_path)
    assert vague.stderr == "healthlint: there is no rule 'claim'; run 'healthlint rules' to see them all\n"


def test_readability_refuses_the_formats_it_does_not_write(tmp_path):
    write(tmp_path / "a.txt", C)
    proc = run("readability", "-f", "sarif", "a.txt", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == "healthlint: --format sarif: readability writes text or json, not sarif; for findings in sarif format use 'healthlint check --format sarif'\n"
    assert json.loads(run("readability", "-f", "json", "a.txt", cwd=tmp_path).stdout)[0]["path"] == "a.txt"
