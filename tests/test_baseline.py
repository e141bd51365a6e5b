"""Baselines, through the command line (in this process: conftest.run) on real files.

--write-baseline records today's findings and exits 0; --baseline then reports only new ones.
Edits elsewhere in a file keep old findings suppressed, a new claim is reported, identical
claims are counted, and a missing or malformed baseline is a usage error (exit 2).
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import heads, run, write


C = "Our CBD gummies have zero side effects.\n"  # unhedged-safety-claim, warning, column 22
O = "Kratom offers a natural alternative to opioids.\n"  # opioid-substitution, error, column 25
M = "Studies suggest that kratom may help with pain.\n"  # missing-citation, warning, column 1
SELECT = ["--select", "unhedged-safety-claim,opioid-substitution,missing-citation"]


def check(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return run("check", *SELECT, *args, cwd=tmp_path)


def baseline_of(tmp_path: Path, *paths: str, name: str = "baseline.json") -> Path:
    proc = check(tmp_path, "--write-baseline", name, *paths)
    assert proc.returncode == 0, proc.stderr
    return tmp_path / name


# --- write, then use -------------------------------------------------------------------------------


def test_write_baseline_then_nothing_is_reported(tmp_path):
    write(tmp_path / "a.txt", C + O + M)
    write(tmp_path / "docs" / "b.md", "# Kratom\n\n" + O)

    wrote = check(tmp_path, "--write-baseline", "baseline.json", "a.txt", "docs")
    assert wrote.returncode == 0  # even though an error was found
    assert wrote.stdout == ""
    assert wrote.stderr == "healthlint: wrote 4 findings to the baseline baseline.json\n"

    data = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    assert data["tool"] == "healthlint"
    assert data["version"] == 1
    assert [(e["path"], e["rule"], e["line"], e["text"]) for e in data["findings"]] == [
        ("a.txt", "unhedged-safety-claim", 1, "zero side effects"),
        ("a.txt", "opioid-substitution", 2, "alternative to opioids"),
        ("a.txt", "missing-citation", 3, "Studies suggest"),
        ("docs/b.md", "opioid-substitution", 3, "alternative to opioids"),
    ]
    assert all(re.fullmatch(r"[0-9a-f]{20}", e["fingerprint"]) for e in data["findings"])

    used = check(tmp_path, "--baseline", "baseline.json", "a.txt", "docs")
    assert used.stdout == "No problems found in 2 files.\n"
    assert used.stderr == ""
    assert used.returncode == 0


def test_write_baseline_is_stable(tmp_path):
    write(tmp_path / "a.txt", C + O)
    first = baseline_of(tmp_path, "a.txt", name="one.json").read_text(encoding="utf-8")
    second = baseline_of(tmp_path, "a.txt", name="two.json").read_text(encoding="utf-8")
    assert first == second


def test_write_baseline_with_no_findings(tmp_path):
    write(tmp_path / "a.txt", "Kratom is a plant from Southeast Asia.\n")
    proc = check(tmp_path, "--write-baseline", "baseline.json", "a.txt")
    assert (proc.returncode, proc.stderr) == (0, "healthlint: wrote 0 findings to the baseline baseline.json\n")
    write(tmp_path / "a.txt", C)
    used = check(tmp_path, "--baseline", "baseline.json", "a.txt")
    assert heads(used.stdout) == ["a.txt:1:22: warning unhedged-safety-claim"]
    assert used.returncode == 1


# --- edits --------------------------------------------------------------------------------------------


def test_lines_added_above_keep_old_findings_suppressed(tmp_path):
    write(tmp_path / "a.txt", C + O)
    baseline_of(tmp_path, "a.txt")
    write(tmp_path / "a.txt", "Kratom is a plant from Southeast Asia.\n\nIt has been sold in the US since the 1990s.\n" + C + "It is sold online.\n" + O)
    proc = check(tmp_path, "--baseline", "baseline.json", "a.txt")
    assert proc.stdout == "No problems found in 1 file.\n"
    assert proc.returncode == 0


def test_markdown_sections_added_above_keep_old_findings_suppressed(tmp_path):
    write(tmp_path / "a.md", "# Kratom\n\n" + C + "\n" + O)
    baseline_of(tmp_path, "a.md")
    write(tmp_path / "a.md", "# Kratom\n\nA new introduction. It explains what kratom is.\n\n## Claims\n\n" + C + "\n" + O)
    proc = check(tmp_path, "--baseline", "baseline.json", "a.md")
    assert proc.stdout == "No problems found in 1 file.\n"


def test_a_new_claim_is_reported(tmp_path):
    write(tmp_path / "a.txt", C + O)
    baseline_of(tmp_path, "a.txt")
    write(tmp_path / "a.txt", "Kratom is a plant.\n" + C + O + M)
    proc = check(tmp_path, "--baseline", "baseline.json", "a.txt")
    assert heads(proc.stdout) == ["a.txt:4:1: warning missing-citation"]
    assert proc.stdout.splitlines()[-1] == "Found 1 problem (1 warning) in 1 of 1 file."
    assert proc.returncode == 1


def test_a_new_file_is_reported(tmp_path):
    write(tmp_path / "a.txt", C)
    baseline_of(tmp_path, "a.txt")
    write(tmp_path / "b.txt", C)
    proc = check(tmp_path, "--baseline", "baseline.json", "a.txt", "b.txt")
    assert heads(proc.stdout) == ["b.txt:1:22: warning unhedged-safety-claim"]


def test_the_same_claim_in_a_new_sentence_is_reported(tmp_path):
    write(tmp_path / "a.txt", C)
    baseline_of(tmp_path, "a.txt")
    write(tmp_path / "a.txt", "Our CBD oil has zero side effects.\n")
    proc = check(tmp_path, "--baseline", "baseline.json", "a.txt")
    assert heads(proc.stdout) == ["a.txt:1:17: warning unhedged-safety-claim"]


def test_a_duplicated_claim_is_reported_once_as_new(tmp_path):
    write(tmp_path / "a.txt", C + O)
    baseline_of(tmp_path, "a.txt")
    write(tmp_path / "a.txt", C + O + C + C)
    proc = check(tmp_path, "--baseline", "baseline.json", "a.txt")
    # Two extra copies of a recorded claim: the first stays recorded, the other two are new.
    assert heads(proc.stdout) == ["a.txt:3:22: warning unhedged-safety-claim", "a.txt:4:22: warning unhedged-safety-claim"]

    write(tmp_path / "b.txt", C + C)
    baseline_of(tmp_path, "b.txt", name="two.json")
    write(tmp_path / "b.txt", C + C + C)
    proc = check(tmp_path, "--baseline", "two.json", "b.txt")
    assert heads(proc.stdout) == ["b.txt:3:22: warning unhedged-safety-claim"]
    # Removing one copy reports nothing.
    write(tmp_path / "b.txt", C)
    assert check(tmp_path, "--baseline", "two.json", "b.txt").stdout == "No problems found in 1 file.\n"


def test_fixed_findings_leave_no_trace(tmp_path):
    write(tmp_path / "a.txt", C + O)
    baseline_of(tmp_path, "a.txt")
    write(tmp_path / "a.txt", O)
    proc = check(tmp_path, "--baseline", "baseline.json", "a.txt")
    assert proc.stdout == "No problems found in 1 file.\n"


def test_baseline_respects_fail_on(tmp_path):
    write(tmp_path / "a.txt", O)
    baseline_of(tmp_path, "a.txt")
    write(tmp_path / "a.txt", O + C)
    proc = check(tmp_path, "--baseline", "baseline.json", "--fail-on", "error", "a.txt")
    assert heads(proc.stdout) == ["a.txt:2:22: warning unhedged-safety-claim"]
    assert proc.returncode == 0  # the only error is in the baseline


def test_rewriting_the_baseline_adopts_new_findings(tmp_path):
    write(tmp_path / "a.txt", C)
    baseline_of(tmp_path, "a.txt")
    write(tmp_path / "a.txt", C + M)
    assert check(tmp_path, "--baseline", "baseline.json", "a.txt").returncode == 1
    baseline_of(tmp_path, "a.txt")
    assert check(tmp_path, "--baseline", "baseline.json", "a.txt").returncode == 0


def test_heading_added_above_keeps_old_findings_suppressed(tmp_path):
    write(tmp_path / "a.txt", C)
    baseline_of(tmp_path, "a.txt")
    write(tmp_path / "a.txt", "Kratom facts\n" + C)  # a plain-text heading: a block of its own
    proc = check(tmp_path, "--baseline", "baseline.json", "a.txt")
    assert proc.stdout == "No problems found in 1 file.\n"


def test_list_item_added_above_keeps_old_findings_suppressed(tmp_path):
    write(tmp_path / "a.md", "- Kratom is sold online\n- Our CBD gummies have zero side effects\n")
    baseline_of(tmp_path, "a.md")
    write(tmp_path / "a.md", "- Kratom grows in Asia\n- Kratom is sold online\n- Our CBD gummies have zero side effects\n")
    proc = check(tmp_path, "--baseline", "baseline.json", "a.md")
    assert proc.stdout == "No problems found in 1 file.\n"


def test_path_spelling_does_not_matter(tmp_path):
    write(tmp_path / "content" / "a.txt", C)
    baseline_of(tmp_path, "content")
    for spelling in ("content/a.txt", "./content/a.txt", "content/"):
        proc = check(tmp_path, "--baseline", "baseline.json", spelling)
        assert proc.stdout == "No problems found in 1 file.\n", spelling


# --- errors -----------------------------------------------------------------------------------------


def usage_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1, proc.stderr
    return proc.stderr.rstrip("\n")


def test_missing_baseline_file(tmp_path):
    write(tmp_path / "a.txt", C)
    proc = check(tmp_path, "--baseline", "nope.json", "a.txt")
    assert usage_error(proc) == "healthlint: nope.json: baseline file not found; create it with --write-baseline nope.json"


def test_missing_baseline_file_even_with_nothing_found(tmp_path):
    write(tmp_path / "a.txt", "Kratom is a plant.\n")
    proc = check(tmp_path, "--baseline", "nope.json", "a.txt")
    assert usage_error(proc) == "healthlint: nope.json: baseline file not found; create it with --write-baseline nope.json"


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"tool": "healthlint", "findings": [\n', r"healthlint: bad\.json: not a healthlint baseline \(Expecting value: line 2 column 1 \(char 37\)\)"),
        ("", r"healthlint: bad\.json: not a healthlint baseline \(Expecting value: line 1 column 1 \(char 0\)\)"),
        ("[1, 2]\n", r"healthlint: bad\.json: not a healthlint baseline file \(expected the JSON that --write-baseline writes\)"),
        ('{"tool": "ruff", "findings": []}\n', r"healthlint: bad\.json: not a healthlint baseline file \(expected the JSON that --write-baseline writes\)"),
        ('{"tool": "healthlint", "findings": {}}\n', r"healthlint: bad\.json: not a healthlint baseline file \(expected the JSON that --write-baseline writes\)"),
    ],
)
def test_malformed_baseline_file(tmp_path, content, message):
    write(tmp_path / "a.txt", C)
    write(tmp_path / "bad.json", content)
    line = usage_error(check(tmp_path, "--baseline", "bad.json", "a.txt"))
    assert re.fullmatch(message, line), line


def test_baseline_that_is_not_utf8(tmp_path):
    write(tmp_path / "a.txt", C)
    (tmp_path / "bad.json").write_bytes(b"\xff\xfe{}")
    line = usage_error(check(tmp_path, "--baseline", "bad.json", "a.txt"))
    assert line.startswith("healthlint: bad.json: not a healthlint baseline (")


def test_baseline_that_is_a_folder(tmp_path):
    write(tmp_path / "a.txt", C)
    (tmp_path / "bad.json").mkdir()
    line = usage_error(check(tmp_path, "--baseline", "bad.json", "a.txt"))
    assert line.startswith("healthlint: bad.json: not a healthlint baseline (")


def test_write_baseline_into_a_missing_folder(tmp_path):
    write(tmp_path / "a.txt", C)
    proc = check(tmp_path, "--write-baseline", "ci/baseline.json", "a.txt")
    assert proc.returncode in (0, 2)
