"""The command line: exit codes, messages, output formats, discovery.

Every run goes through ``run()``, in this process (tests/test_smoke.py runs the real process),
which also checks that nothing ever prints a traceback.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import invoke

ROOT = Path(__file__).resolve().parents[1]

C = "Our CBD gummies have zero side effects.\n"  # one warning: unhedged-safety-claim at 1:22-1:39
O = "Kratom offers a natural alternative to opioids.\n"  # one error: opioid-substitution at 1:25-1:47
CLEAN = "Kratom is a plant from Southeast Asia.\n"

FINDING_LINE = re.compile(r"^(.*):(\d+):(\d+): (error|warning|info) (\S+) (.*)$")
JSON_KEYS = ["path", "line", "column", "end_line", "end_column", "rule", "severity", "message", "suggestion", "text"]
RULE_IDS = {"missing-citation", "natural-means-safe", "opioid-substitution", "reading-level", "unhedged-safety-claim"}
RULE_FILES = {p.stem for p in (ROOT / "rules").glob("*.yaml") if not p.name.startswith("_")}


def run(*args: str, cwd: Path, stdin: bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """``healthlint ARGS`` in this process (see conftest.invoke), without NO_COLOR; never a traceback."""
    return invoke(*args, cwd=cwd, stdin=stdin if stdin is not None else b"", env={"NO_COLOR": None, **(env or {})})


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_bytes(content.encode("utf-8"))
    else:
        path.write_bytes(content)
    return path


# --- exit codes ---------------------------------------------------------------------------------


def test_clean_file_exits_0(tmp_path):
    write(tmp_path / "clean.txt", CLEAN)
    result = run("check", "clean.txt", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == "No problems found in 1 file.\n"
    assert result.stderr == ""


def test_file_with_findings_exits_1(tmp_path):
    write(tmp_path / "claim.txt", C)
    result = run("check", "claim.txt", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("claim.txt:1:22: warning unhedged-safety-claim ")
    assert result.stdout.endswith("Found 1 problem (1 warning) in 1 of 1 file.\n")


def test_missing_path_exits_2_with_a_message(tmp_path):
    result = run("check", "missing.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "healthlint: missing.txt: no such file or folder\n"


def test_folder_with_findings_and_a_missing_path_exits_2(tmp_path):
    write(tmp_path / "docs" / "a.md", C)
    result = run("check", "docs", "missing.md", cwd=tmp_path)
    assert result.returncode == 2
    assert "healthlint: missing.md: no such file or folder" in result.stderr
    # The files that could be read are still reported.
    assert result.stdout.startswith(f"{Path('docs/a.md')}:1:22: warning unhedged-safety-claim ")


def test_unknown_rule_in_select_exits_2_with_did_you_mean(tmp_path):
    write(tmp_path / "claim.txt", C)
    result = run("check", "--select", "missing-citaton", "claim.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "healthlint: --select: there is no rule 'missing-citaton'; did you mean 'missing-citation'?\n"
    assert result.stdout == ""


def test_unknown_rule_far_from_any_id_points_to_the_rules_command(tmp_path):
    write(tmp_path / "claim.txt", C)
    result = run("check", "--select", "opioid-substitution,nope", "claim.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert "there is no rule 'nope'" in result.stderr
    assert "healthlint rules" in result.stderr


def test_unknown_rule_in_ignore_exits_2(tmp_path):
    write(tmp_path / "claim.txt", C)
    result = run("check", "--ignore", "reading-levl", "claim.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert "did you mean 'reading-level'?" in result.stderr


def test_bad_format_exits_2(tmp_path):
    write(tmp_path / "claim.txt", C)
    result = run("check", "--format", "xml", "claim.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert "--format" in result.stderr
    assert "xml" in result.stderr
    assert result.stdout == ""


def test_bad_fail_on_exits_2(tmp_path):
    write(tmp_path / "claim.txt", C)
    result = run("check", "--fail-on", "sometimes", "claim.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert "--fail-on" in result.stderr


def test_check_without_paths_exits_2(tmp_path):
    result = run("check", cwd=tmp_path)
    assert result.returncode == 2
    assert "PATH" in result.stderr


# --- bad input ------------------------------------------------------------------------------


def test_binary_file_exits_2_with_a_clear_message(tmp_path):
    write(tmp_path / "data.txt", b"Our CBD\x00\x01\x02 gummies\x00")
    result = run("check", "data.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("healthlint: data.txt: ")
    assert "binary" in result.stderr


def test_binary_file_in_a_folder_exits_2_and_others_are_still_checked(tmp_path):
    write(tmp_path / "docs" / "a.md", C)
    write(tmp_path / "docs" / "b.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = run("check", "docs", cwd=tmp_path)
    assert result.returncode == 2
    assert f"healthlint: {Path('docs/b.md')}: " in result.stderr
    assert f"{Path('docs/a.md')}:1:22: warning unhedged-safety-claim" in result.stdout


def test_invalid_utf8_exits_2_and_names_the_file_and_byte(tmp_path):
    write(tmp_path / "latin1.txt", "Caf\u00e9 au lait.\n".encode("latin-1"))
    result = run("check", "latin1.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("healthlint: latin1.txt: ")
    assert "byte 3" in result.stderr
    assert "UTF-8" in result.stderr


def test_invalid_utf8_after_a_bom_counts_bytes_from_the_file_start(tmp_path):
    write(tmp_path / "bom.txt", b"\xef\xbb\xbfCaf\xe9\n")
    result = run("check", "bom.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert "bom.txt" in result.stderr and "byte 6" in result.stderr


def test_invalid_utf8_on_stdin_names_the_stdin_filename(tmp_path):
    result = run("check", "-", "--stdin-filename", "draft.md", cwd=tmp_path, stdin=b"Caf\xe9\n")
    assert result.returncode == 2
    assert result.stderr.startswith("healthlint: draft.md: ")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_read(tmp_path, encoding):
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding]
    write(tmp_path / "wide.txt", bom + ("Intro.\r\n" + C).encode(encoding))
    result = run("check", "--format", "json", "wide.txt", cwd=tmp_path)
    assert result.returncode == 1
    found = json.loads(result.stdout)
    assert [(f["line"], f["column"], f["end_column"], f["text"]) for f in found] == [(2, 22, 39, "zero side effects")]


def test_empty_file_exits_0_with_a_notice(tmp_path):
    write(tmp_path / "empty.md", b"")
    result = run("check", "empty.md", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stderr == "healthlint: empty.md: the file is empty; there is nothing to check\n"


def test_blank_file_counts_as_empty(tmp_path):
    write(tmp_path / "blank.txt", "\n  \n\t\n")
    result = run("check", "blank.txt", cwd=tmp_path)
    assert result.returncode == 0
    assert "blank.txt" in result.stderr and "empty" in result.stderr


def test_file_named_directly_is_checked_whatever_its_suffix(tmp_path):
    write(tmp_path / "notes.rst", C)
    result = run("check", "notes.rst", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("notes.rst:1:22: warning unhedged-safety-claim ")


# --- standard input ---------------------------------------------------------------------------


MARKDOWN_DRAFT = "Intro.\n\n```\n" + C + "```\n\n- " + O


def test_stdin_with_md_filename_is_parsed_as_markdown(tmp_path):
    result = run("check", "-", "--stdin-filename", "docs/draft.md", cwd=tmp_path, stdin=MARKDOWN_DRAFT.encode())
    assert result.returncode == 1
    # The claim in the fenced code is skipped; the list item on line 7 is flagged after "- ".
    lines = [line for line in result.stdout.splitlines() if FINDING_LINE.match(line)]
    assert [line.split(" ")[0:3] for line in lines] == [["docs/draft.md:7:27:", "error", "opioid-substitution"]]


def test_stdin_with_txt_filename_is_parsed_as_plain_text(tmp_path):
    result = run("check", "-", "--stdin-filename", "draft.txt", "--format", "json", cwd=tmp_path, stdin=MARKDOWN_DRAFT.encode())
    found = json.loads(result.stdout)
    # As plain text, the fenced claim on line 4 is prose.
    assert [(f["path"], f["line"], f["column"], f["rule"]) for f in found] == [
        ("draft.txt", 4, 22, "unhedged-safety-claim"),
        ("draft.txt", 7, 27, "opioid-substitution"),
    ]


def test_stdin_without_filename_is_shown_as_stdin(tmp_path):
    result = run("check", "-", cwd=tmp_path, stdin=C.encode())
    assert result.returncode == 1
    assert result.stdout.startswith("<stdin>:1:22: warning unhedged-safety-claim ")


# --- JSON -------------------------------------------------------------------------------------


def test_json_output_shape_and_values(tmp_path):
    write(tmp_path / "article.txt", C + O)
    result = run("check", "--format", "json", "article.txt", cwd=tmp_path)
    assert result.returncode == 1
    found = json.loads(result.stdout)
    assert isinstance(found, list) and len(found) == 2
    for item in found:
        assert list(item) == JSON_KEYS
        for key in ("path", "rule", "severity", "message", "text"):
            assert type(item[key]) is str
        for key in ("line", "column", "end_line", "end_column"):
            assert type(item[key]) is int
        assert item["suggestion"] is None or type(item["suggestion"]) is str
        assert item["severity"] in {"error", "warning", "info"}
    assert [
        {k: item[k] for k in ("path", "line", "column", "end_line", "end_column", "rule", "severity", "text")}
        for item in found
    ] == [
        {"path": "article.txt", "line": 1, "column": 22, "end_line": 1, "end_column": 39,
         "rule": "unhedged-safety-claim", "severity": "warning", "text": "zero side effects"},
        {"path": "article.txt", "line": 2, "column": 25, "end_line": 2, "end_column": 47,
         "rule": "opioid-substitution", "severity": "error", "text": "alternative to opioids"},
    ]
    assert found[1]["message"].startswith("Presents kratom as a replacement for opioids")
    assert found[1]["suggestion"].startswith("Kratom is not approved to treat pain.")


def test_json_output_is_an_empty_array_when_clean(tmp_path):
    write(tmp_path / "clean.txt", CLEAN)
    result = run("check", "--format", "json", "clean.txt", cwd=tmp_path)
    assert result.returncode == 0
    assert json.loads(result.stdout) == []


def test_json_output_stays_valid_json_when_a_path_is_missing(tmp_path):
    write(tmp_path / "claim.txt", C)
    result = run("check", "--format", "json", "claim.txt", "missing.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert [f["path"] for f in json.loads(result.stdout)] == ["claim.txt"]
    assert "missing.txt" in result.stderr


def test_json_keeps_non_ascii_text_readable(tmp_path):
    write(tmp_path / "caf\u00e9.txt", C)
    result = run("check", "--format", "json", "caf\u00e9.txt", cwd=tmp_path)
    assert json.loads(result.stdout)[0]["path"] == "caf\u00e9.txt"
    assert "caf\u00e9.txt" in result.stdout


# --- --fail-on --------------------------------------------------------------------------------


def test_fail_on_error_with_only_warnings_exits_0(tmp_path):
    write(tmp_path / "claim.txt", C)
    result = run("check", "--fail-on", "error", "claim.txt", cwd=tmp_path)
    assert result.returncode == 0
    assert "warning unhedged-safety-claim" in result.stdout  # still reported


def test_fail_on_error_with_an_error_exits_1(tmp_path):
    write(tmp_path / "kratom.txt", O)
    assert run("check", "--fail-on", "error", "kratom.txt", cwd=tmp_path).returncode == 1


def test_fail_on_info_with_a_warning_exits_1(tmp_path):
    write(tmp_path / "claim.txt", C)
    assert run("check", "--fail-on", "info", "claim.txt", cwd=tmp_path).returncode == 1


def test_fail_on_never_exits_0_with_errors(tmp_path):
    write(tmp_path / "kratom.txt", O)
    result = run("check", "--fail-on", "never", "kratom.txt", cwd=tmp_path)
    assert result.returncode == 0
    assert "error opioid-substitution" in result.stdout


def test_fail_on_never_still_exits_2_on_bad_input(tmp_path):
    assert run("check", "--fail-on", "never", "missing.txt", cwd=tmp_path).returncode == 2


# --- select and ignore ------------------------------------------------------------------------


def test_select_runs_only_the_named_rules(tmp_path):
    write(tmp_path / "article.txt", C + O)
    result = run("check", "--format", "json", "--select", "opioid-substitution", "article.txt", cwd=tmp_path)
    assert [f["rule"] for f in json.loads(result.stdout)] == ["opioid-substitution"]


def test_ignore_skips_the_named_rules(tmp_path):
    write(tmp_path / "article.txt", C + O)
    result = run("check", "--format", "json", "--ignore", "opioid-substitution", "article.txt", cwd=tmp_path)
    assert [f["rule"] for f in json.loads(result.stdout)] == ["unhedged-safety-claim"]


# --- folders ----------------------------------------------------------------------------------


def test_folder_recursion_finds_markdown_and_text_and_skips_hidden_and_tool_folders(tmp_path):
    tree = tmp_path / "content"
    kept = ["a.md", "b.markdown", "c.txt", "sub/d.md", "deep/er/e.txt"]
    skipped = [
        ".hidden/a.md",
        ".git/a.md",
        "node_modules/pkg/a.md",
        "myenv/a.md",  # a virtual environment: it has pyvenv.cfg
        "myenv/lib/b.md",
        "sub/.cache/a.md",
        ".dotfile.md",
        "notes.rst",
        "image.png",
    ]
    for name in kept + skipped:
        write(tree / name, C)
    write(tree / "myenv" / "pyvenv.cfg", "home = /usr/bin\n")
    result = run("check", "--format", "json", "content", cwd=tmp_path)
    assert result.returncode == 1
    paths = sorted(f["path"] for f in json.loads(result.stdout))
    assert paths == sorted(str(Path("content") / name) for name in kept)


def test_folder_without_lintable_files_is_clean(tmp_path):
    write(tmp_path / "site" / "app.js", "// " + C)
    write(tmp_path / "site" / "data.csv", "claim\n" + C)
    result = run("check", "site", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == "No problems found in 0 files.\n"


def test_same_file_given_twice_is_checked_once(tmp_path):
    write(tmp_path / "claim.txt", C)
    result = run("check", "--format", "json", "claim.txt", "claim.txt", cwd=tmp_path)
    assert len(json.loads(result.stdout)) == 1


# --- other commands ---------------------------------------------------------------------------


def test_version(tmp_path):
    from healthlint import __version__

    result = run("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == f"healthlint {__version__}\n"


def test_rules_lists_the_five_rule_ids(tmp_path):
    result = run("rules", cwd=tmp_path)
    assert result.returncode == 0
    header, *lines = result.stdout.splitlines()
    assert header.split() == ["rule", "severity", "what", "it", "finds"]
    ids = [line.split()[0] for line in lines]
    assert RULE_IDS <= set(ids)
    # One line per rule file in rules/ (the five above, plus any added later), each listed once.
    assert sorted(ids) == sorted(RULE_FILES)
    severities = {line.split()[0]: line.split()[1] for line in lines}
    assert severities["opioid-substitution"] == "error"
    assert severities["unhedged-safety-claim"] == "warning"


# --- text output ------------------------------------------------------------------------------


def test_text_output_lines_match_the_editor_pattern_with_suggestions_indented(tmp_path):
    write(tmp_path / "article.md", "# Kratom\n\n" + C + "\n" + O)
    result = run("check", "article.md", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[-2:] == ["By rule: opioid-substitution 1, unhedged-safety-claim 1.", "Found 2 problems (1 error, 1 warning) in 1 of 1 file."]
    body = lines[:-2]
    assert len(body) == 4
    for finding, suggestion in zip(body[0::2], body[1::2]):
        assert FINDING_LINE.match(finding), finding
        assert suggestion.startswith("    suggestion: ")
        assert not FINDING_LINE.match(suggestion)
    groups = [FINDING_LINE.match(line).groups()[:5] for line in body[0::2]]
    assert groups == [
        ("article.md", "3", "22", "warning", "unhedged-safety-claim"),
        ("article.md", "5", "25", "error", "opioid-substitution"),
    ]


def test_text_output_has_no_ansi_escapes_when_not_a_tty(tmp_path):
    write(tmp_path / "claim.txt", C + O)
    for args in (["check", "claim.txt"], ["check", "--color", "auto", "claim.txt"], ["check", "--color", "never", "claim.txt"]):
        result = run(*args, cwd=tmp_path)
        assert "\x1b[" not in result.stdout
        assert "\x1b[" not in result.stderr


def test_color_always_does_use_ansi_escapes(tmp_path):
    """The control for the test above: the check would see colour if there were any."""
    write(tmp_path / "claim.txt", C)
    assert "\x1b[" in run("check", "--color", "always", "claim.txt", cwd=tmp_path).stdout


# --- files are never changed ------------------------------------------------------------------


def test_files_are_never_modified(tmp_path):
    contents = {
        "crlf.txt": b"\xef\xbb\xbf" + (C + O).replace("\n", "\r\n").encode(),
        "docs/a.md": ("# Title\n\n" + C).encode(),
        "docs/empty.md": b"",
        "docs/bad.txt": b"Caf\xe9\n",
    }
    paths = {name: write(tmp_path / name, data) for name, data in contents.items()}
    for p in paths.values():
        os.utime(p, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    before = {name: (p.read_bytes(), p.stat().st_mtime_ns) for name, p in paths.items()}
    for args in (["check", "--no-cache", "crlf.txt", "docs"], ["check", "--no-cache", "--format", "json", "crlf.txt", "docs"]):
        run(*args, cwd=tmp_path)
    after = {name: (p.read_bytes(), p.stat().st_mtime_ns) for name, p in paths.items()}
    assert after == before
    # Nothing was written next to them either.
    assert sorted(p.name for p in (tmp_path / "docs").iterdir()) == ["a.md", "bad.txt", "empty.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crlf.txt", "docs"]


def test_a_run_with_the_cache_writes_only_the_cache_folder(tmp_path):
    """The result cache is the one thing a check writes: .healthlint_cache/ in the current
    folder, which git ignores. The checked files and their folders are left as they were."""
    contents = {
        "crlf.txt": b"\xef\xbb\xbf" + (C + O).replace("\n", "\r\n").encode(),
        "docs/a.md": ("# Title\n\n" + C).encode(),
        "docs/clean.txt": CLEAN.encode(),
        "docs/empty.md": b"",
    }
    paths = {name: write(tmp_path / name, data) for name, data in contents.items()}
    for p in paths.values():
        os.utime(p, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    before = {name: (p.read_bytes(), p.stat().st_mtime_ns) for name, p in paths.items()}
    outputs = [run("check", *args, "crlf.txt", "docs", cwd=tmp_path) for args in ([], ["--format", "json"], [])]
    assert outputs[0].returncode == 1 and outputs[2].stdout == outputs[0].stdout  # a warm run says the same
    after = {name: (p.read_bytes(), p.stat().st_mtime_ns) for name, p in paths.items()}
    assert after == before
    assert sorted(p.name for p in (tmp_path / "docs").iterdir()) == ["a.md", "clean.txt", "empty.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".healthlint_cache", "crlf.txt", "docs"]
    cache = tmp_path / ".healthlint_cache"
    assert "*" in (cache / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert list(cache.rglob("*.json"))  # it really cached something
