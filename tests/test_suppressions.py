"""Inline suppressions, through the command line (in this process: conftest.run) on real files.

Markdown: <!-- healthlint-disable a, b --> ... <!-- healthlint-enable -->, disable-next-line
(which skips blank lines), disable-file, no list meaning every rule, a reason after "--".
Plain text: the same words on lines of their own, which are not linted as prose.
--report-unused-suppressions flags only the directives that silenced nothing, at their place.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import heads, run


C = "Our CBD gummies have zero side effects."  # unhedged-safety-claim, warning, column 22
O = "Kratom offers a natural alternative to opioids."  # opioid-substitution, error, column 25
M = "Studies suggest that kratom may help with pain."  # missing-citation, warning, column 1
SELECT = ["--select", "unhedged-safety-claim,opioid-substitution,missing-citation"]


def lint(tmp_path: Path, name: str, lines: list[str], *args: str) -> subprocess.CompletedProcess:
    """Write ``lines`` (line 1 first) to a file and check it with the three claim rules."""
    (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return run("check", *SELECT, *args, name, cwd=tmp_path)


def unused_line(path: str, line: int, column: int, label: str) -> str:
    return f'{path}:{line}:{column}: warning unused-suppression "{label}" silenced nothing. Remove it, so it cannot hide a real problem later.'


# --- Markdown -----------------------------------------------------------------------------------


def test_markdown_disable_list_then_enable(tmp_path):
    proc = lint(
        tmp_path,
        "a.md",
        [
            C,  # 1: flagged, before the directive
            "",
            "<!-- healthlint-disable unhedged-safety-claim, missing-citation -->",  # 3
            "",
            C + " " + M,  # 5: both silenced
            "",
            O,  # 7: not in the list: still flagged
            "",
            "<!-- healthlint-enable -->",  # 9
            "",
            C + " " + M,  # 11: flagged again
        ],
    )
    assert heads(proc.stdout) == [
        "a.md:1:22: warning unhedged-safety-claim",
        "a.md:7:25: error opioid-substitution",
        "a.md:11:22: warning unhedged-safety-claim",
        "a.md:11:41: warning missing-citation",
    ]
    assert proc.returncode == 1


def test_markdown_enable_one_rule_keeps_the_others_off(tmp_path):
    proc = lint(
        tmp_path,
        "a.md",
        [
            "<!-- healthlint-disable unhedged-safety-claim -->",  # 1
            "<!-- healthlint-disable opioid-substitution -->",  # 2
            "",
            C,  # 4: silenced
            "",
            "<!-- healthlint-enable unhedged-safety-claim -->",  # 6
            "",
            C,  # 8: flagged again
            "",
            O,  # 10: still silenced
        ],
    )
    assert heads(proc.stdout) == ["a.md:8:22: warning unhedged-safety-claim"]


def test_markdown_enable_one_rule_of_a_multi_rule_disable(tmp_path):
    proc = lint(
        tmp_path,
        "a.md",
        [
            "<!-- healthlint-disable unhedged-safety-claim, opioid-substitution -->",  # 1
            "",
            C,  # 3: silenced
            "",
            "<!-- healthlint-enable unhedged-safety-claim -->",  # 5
            "",
            C,  # 7: should be flagged again
            "",
            O,  # 9: still silenced
        ],
    )
    assert heads(proc.stdout) == ["a.md:7:22: warning unhedged-safety-claim"]


def test_markdown_disable_without_a_list_silences_every_rule(tmp_path):
    proc = lint(
        tmp_path,
        "a.md",
        ["<!-- healthlint-disable -->", "", C, "", O, "", M, "", "<!-- healthlint-enable -->", "", O],
    )
    assert heads(proc.stdout) == ["a.md:11:25: error opioid-substitution"]


def test_markdown_disable_until_end_of_file(tmp_path):
    proc = lint(tmp_path, "a.md", [C, "", "<!-- healthlint-disable unhedged-safety-claim -->", "", C, "", C])
    assert heads(proc.stdout) == ["a.md:1:22: warning unhedged-safety-claim"]


def test_markdown_disable_next_line_skips_blank_lines(tmp_path):
    proc = lint(
        tmp_path,
        "a.md",
        [
            "<!-- healthlint-disable-next-line opioid-substitution -->",  # 1
            "",
            "",
            O,  # 4: the next non-blank line: silenced
            "",
            O,  # 6: flagged
        ],
    )
    assert heads(proc.stdout) == ["a.md:6:25: error opioid-substitution"]


def test_markdown_disable_next_line_only_names_its_rules(tmp_path):
    proc = lint(
        tmp_path,
        "a.md",
        ["<!-- healthlint-disable-next-line unhedged-safety-claim -->", C + " " + M],
    )
    assert heads(proc.stdout) == ["a.md:2:41: warning missing-citation"]


def test_markdown_disable_next_line_without_a_list(tmp_path):
    proc = lint(tmp_path, "a.md", ["<!-- healthlint-disable-next-line -->", C + " " + O, O])
    assert heads(proc.stdout) == ["a.md:3:25: error opioid-substitution"]


def test_markdown_trailing_comment_disables_the_next_line(tmp_path):
    proc = lint(tmp_path, "a.md", [C + " <!-- healthlint-disable-next-line opioid-substitution -->", O, "", O])
    assert heads(proc.stdout) == ["a.md:1:22: warning unhedged-safety-claim", "a.md:4:25: error opioid-substitution"]


@pytest.mark.parametrize("where", ["top", "bottom"])
def test_markdown_disable_file(tmp_path, where):
    body = [C, "", O, "", M]
    directive = "<!-- healthlint-disable-file -->"
    proc = lint(tmp_path, "a.md", [directive, ""] + body if where == "top" else body + ["", directive])
    assert heads(proc.stdout) == []
    assert proc.stdout == "No problems found in 1 file.\n"
    assert proc.returncode == 0


def test_markdown_disable_file_with_a_list(tmp_path):
    proc = lint(tmp_path, "a.md", [C, "", O, "", M, "", "<!-- healthlint-disable-file opioid-substitution, missing-citation -->"])
    assert heads(proc.stdout) == ["a.md:1:22: warning unhedged-safety-claim"]


def test_reason_after_double_dash_is_not_a_rule_list(tmp_path):
    # The reason names opioid-substitution, but only unhedged-safety-claim is disabled.
    proc = lint(
        tmp_path,
        "a.md",
        ["<!-- healthlint-disable-next-line unhedged-safety-claim -- approved by legal; opioid-substitution is not -->", C + " " + O],
        "--report-unused-suppressions",
    )
    assert heads(proc.stdout) == ["a.md:2:65: error opioid-substitution"]


def test_reason_is_left_out_of_the_unused_report(tmp_path):
    proc = lint(
        tmp_path,
        "a.md",
        ["<!-- healthlint-disable-next-line missing-citation -- legacy copy, fix in Q3 -->", C],
        "--report-unused-suppressions",
    )
    lines = proc.stdout.splitlines()
    assert lines[0] == unused_line("a.md", 1, 1, "healthlint-disable-next-line missing-citation")
    assert lines[1] == "    suggestion: Delete this suppression comment."
    assert heads(proc.stdout) == ["a.md:1:1: warning unused-suppression", "a.md:2:22: warning unhedged-safety-claim"]


def test_directives_are_case_insensitive(tmp_path):
    proc = lint(tmp_path, "a.md", ["<!-- HealthLint-Disable-Next-Line opioid-substitution -->", O])
    assert heads(proc.stdout) == []


def test_directives_in_code_are_not_directives(tmp_path):
    proc = lint(
        tmp_path,
        "a.md",
        [
            "To silence a rule for a whole file, write:",
            "",
            "```markdown",
            "<!-- healthlint-disable-file -->",
            "```",
            "",
            "or `<!-- healthlint-disable -->` before the paragraph.",
            "",
            C,  # 9
        ],
        "--report-unused-suppressions",
    )
    assert heads(proc.stdout) == ["a.md:9:22: warning unhedged-safety-claim"]


def test_disable_next_line_in_a_multiline_comment(tmp_path):
    proc = lint(tmp_path, "a.md", ["<!--", "healthlint-disable-next-line opioid-substitution -- sellers' words, quoted", "-->", O])
    assert heads(proc.stdout) == []


# --- plain text ------------------------------------------------------------------------------------


def test_plain_text_directives_on_their_own_lines(tmp_path):
    proc = lint(
        tmp_path,
        "a.txt",
        [
            "healthlint-disable-next-line unhedged-safety-claim -- reviewed by legal",  # 1
            C,  # 2: silenced
            C,  # 3: flagged
            "healthlint-disable opioid-substitution",  # 4
            O,  # 5: silenced
            "",
            O,  # 7: silenced
            "healthlint-enable",  # 8
            O,  # 9: flagged
        ],
    )
    assert heads(proc.stdout) == ["a.txt:3:22: warning unhedged-safety-claim", "a.txt:9:25: error opioid-substitution"]


def test_plain_text_disable_next_line_skips_blank_lines(tmp_path):
    proc = lint(tmp_path, "a.txt", ["healthlint-disable-next-line opioid-substitution", "", "   ", O, O])
    assert heads(proc.stdout) == ["a.txt:5:25: error opioid-substitution"]


def test_plain_text_disable_file(tmp_path):
    proc = lint(tmp_path, "a.txt", [C, O, "healthlint-disable-file", M])
    assert proc.stdout == "No problems found in 1 file.\n"
    assert proc.returncode == 0


def test_plain_text_directive_lines_are_not_prose(tmp_path):
    # If the directive line were read as prose, its reason would be a missing-citation finding
    # on line 1, and its many words a long sentence.
    reason = (
        "studies suggest this is fine, and the editor who reviewed the whole page agreed with it "
        "after a long discussion with the medical team last week"
    )
    select = ["--select", "opioid-substitution,missing-citation,long-sentence"]
    (tmp_path / "a.txt").write_text(f"healthlint-disable-next-line opioid-substitution -- {reason}\n{O}\n", encoding="utf-8")
    proc = run("check", *select, "a.txt", cwd=tmp_path)
    assert proc.stdout == "No problems found in 1 file.\n"
    assert proc.returncode == 0
    # The same words without the directive are prose, and flagged.
    (tmp_path / "b.txt").write_text(f"Our notes say {reason}.\n", encoding="utf-8")
    prose = run("check", *select, "b.txt", cwd=tmp_path)
    assert heads(prose.stdout) == ["b.txt:1:1: info long-sentence", "b.txt:1:15: warning missing-citation"]


def test_plain_text_mention_inside_a_line_is_not_a_directive(tmp_path):
    proc = lint(tmp_path, "a.txt", ["Our editors like to use healthlint-disable-file here. " + C])
    assert heads(proc.stdout) == ["a.txt:1:76: warning unhedged-safety-claim"]


def test_plain_text_does_not_read_html_comments(tmp_path):
    # HTML comments are Markdown directives; in plain text the line is prose and silences nothing.
    proc = lint(tmp_path, "a.txt", ["<!-- healthlint-disable-next-line opioid-substitution -->", O])
    assert heads(proc.stdout) == ["a.txt:2:25: error opioid-substitution"]


# --- --report-unused-suppressions --------------------------------------------------------------------


def test_report_unused_suppressions_flags_only_the_unused(tmp_path):
    lines = [
        "<!-- healthlint-disable-next-line unhedged-safety-claim -->",  # 1: used
        C,
        "",
        "<!-- healthlint-disable-next-line missing-citation -->",  # 4: unused
        C,  # 5: flagged
        "",
        "<!-- healthlint-disable opioid-substitution -- old page -->",  # 7: used
        "",
        O,
        "",
        "<!-- healthlint-enable -->",  # 11: enable: never reported
        "",
        "Kratom is a plant. <!-- healthlint-disable missing-citation, unhedged-safety-claim -->",  # 13: unused, column 20
        "",
        "<!-- healthlint-enable missing-citation -->",
        "",
        "<!-- healthlint-disable-file missing-citation -->",  # 17: unused
    ]
    plain = lint(tmp_path, "a.md", lines)
    assert heads(plain.stdout) == ["a.md:5:22: warning unhedged-safety-claim"]

    proc = lint(tmp_path, "a.md", lines, "--report-unused-suppressions")
    assert heads(proc.stdout) == [
        "a.md:4:1: warning unused-suppression",
        "a.md:5:22: warning unhedged-safety-claim",
        "a.md:13:20: warning unused-suppression",
        "a.md:17:1: warning unused-suppression",
    ]
    out = proc.stdout.splitlines()
    assert unused_line("a.md", 4, 1, "healthlint-disable-next-line missing-citation") in out
    assert unused_line("a.md", 13, 20, "healthlint-disable missing-citation, unhedged-safety-claim") in out
    assert unused_line("a.md", 17, 1, "healthlint-disable-file missing-citation") in out
    assert out[-1] == "Found 4 problems (4 warnings) in 1 of 1 file."
    assert proc.returncode == 1


def test_report_unused_suppressions_in_plain_text(tmp_path):
    proc = lint(
        tmp_path,
        "a.txt",
        [
            "healthlint-disable-next-line unhedged-safety-claim",  # used
            C,
            "healthlint-disable-next-line missing-citation -- not needed any more",  # unused
            "Kratom is a plant.",
            "healthlint-disable",  # used (no list)
            O,
        ],
        "--report-unused-suppressions",
    )
    assert proc.stdout.splitlines()[0] == unused_line("a.txt", 3, 1, "healthlint-disable-next-line missing-citation")
    assert heads(proc.stdout) == ["a.txt:3:1: warning unused-suppression"]


def test_report_unused_suppressions_json(tmp_path):
    proc = lint(tmp_path, "a.md", ["Kratom is a plant. <!-- healthlint-disable-next-line missing-citation -- see legal -->", "Kratom grows in Asia."], "--report-unused-suppressions", "--format", "json")
    import json

    assert json.loads(proc.stdout) == [
        {
            "path": "a.md",
            "line": 1,
            "column": 20,
            "end_line": 1,
            "end_column": 87,
            "rule": "unused-suppression",
            "severity": "warning",
            "message": '"healthlint-disable-next-line missing-citation" silenced nothing. Remove it, so it cannot hide a real problem later.',
            "suggestion": "Delete this suppression comment.",
            "text": "<!-- healthlint-disable-next-line missing-citation -- see legal -->",
        }
    ]


def test_unused_suppression_respects_fail_on(tmp_path):
    proc = lint(tmp_path, "a.md", ["<!-- healthlint-disable-next-line missing-citation -->", "Kratom is a plant."], "--report-unused-suppressions", "--fail-on", "error")
    assert heads(proc.stdout) == ["a.md:1:1: warning unused-suppression"]
    assert proc.returncode == 0


def test_report_unused_ignores_directives_for_rules_that_did_not_run(tmp_path):
    (tmp_path / "a.md").write_text(f"<!-- healthlint-disable-next-line opioid-substitution -->\n{O}\n", encoding="utf-8")
    proc = run("check", "--select", "missing-citation", "--report-unused-suppressions", "a.md", cwd=tmp_path)
    assert heads(proc.stdout) == []
