"""Inputs a hostile or unlucky user may feed healthlint (issue 13): each gets exit 2 with a
message naming the file (and, for configuration and rules, the line), or the documented
behaviour; never a traceback (conftest.invoke fails the test on one), never a hang.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, invoke

CLAIM = "Kratom is safe.\n"  # one warning: unhedged-safety-claim
CLEAN = "Kratom is a plant from Southeast Asia.\n"


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def input_error(result) -> str:
    """The one message of a run refused with exit 2 (nothing on stdout)."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert result.stdout == ""
    return result.stderr


# --- configuration files ------------------------------------------------------------------------


def test_yaml_complex_key_is_an_error_at_its_line_for_check(tmp_path):
    write(tmp_path / ".healthlint.yaml", "ignore: []\nrules:\n  ? [a, b]\n  : 1\n")
    write(tmp_path / "a.md", CLEAN)
    result = invoke("check", "a.md", cwd=tmp_path)
    assert input_error(result) == (
        f"healthlint: {tmp_path / '.healthlint.yaml'}:3: YAML syntax error: a key must be a plain word or number, "
        "not a list or a mapping (is there a stray '?' or '['?)\n"
    )


def test_yaml_complex_key_is_an_error_for_rules(tmp_path):
    write(tmp_path / ".healthlint.yaml", "? [a, b]\n: 1\n")
    result = invoke("rules", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"healthlint: {tmp_path / '.healthlint.yaml'}:1: YAML syntax error: a key must be a plain word")


def test_pyproject_not_utf8_is_named(tmp_path):
    write(tmp_path / "pyproject.toml", b'[tool.healthlint]\nignore = ["caf\xe9"]\n')
    write(tmp_path / "a.md", CLEAN)
    result = invoke("check", "a.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == f"healthlint: {tmp_path / 'pyproject.toml'}: byte 32 is not valid UTF-8; save the file as UTF-8 and try again\n"


def test_yaml_config_not_utf8_is_named(tmp_path):
    write(tmp_path / ".healthlint.yaml", b"ignore: [caf\xe9]\n")
    write(tmp_path / "a.md", CLEAN)
    result = invoke("check", "a.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == f"healthlint: {tmp_path / '.healthlint.yaml'}: byte 12 is not valid UTF-8; save the file as UTF-8 and try again\n"


def test_negative_max_words_is_refused_at_its_line(tmp_path):
    write(tmp_path / ".healthlint.yaml", "rules:\n  long-sentence:\n    max_words: -5\n")
    write(tmp_path / "a.md", CLAIM)
    result = invoke("check", "a.md", cwd=tmp_path)
    assert input_error(result) == (
        f"healthlint: {tmp_path / '.healthlint.yaml'}:3: option 'max_words' of rule 'long-sentence' must be a number from 0 up, not -5\n"
    )


def test_nan_far_above_is_refused_at_its_line(tmp_path):
    write(tmp_path / ".healthlint.yaml", "rules:\n  reading-level:\n    severity: warning\n    far_above: .nan\n")
    write(tmp_path / "a.md", CLAIM)
    result = invoke("check", "a.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        f"healthlint: {tmp_path / '.healthlint.yaml'}:4: option 'far_above' of rule 'reading-level' must be a number from 0 up, "
        "not .nan (not a number)\n"
    )


def test_infinite_far_above_is_refused(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.healthlint.rules.reading-level]\nfar_above = inf\n")
    write(tmp_path / "a.md", CLAIM)
    result = invoke("check", "a.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        f"healthlint: {tmp_path / 'pyproject.toml'}:2: option 'far_above' of rule 'reading-level' must be a number from 0 up, not inf\n"
    )


def test_zero_max_words_is_still_allowed(tmp_path):
    write(tmp_path / ".healthlint.yaml", "rules:\n  long-sentence:\n    max_words: 0\n")
    write(tmp_path / "a.md", CLEAN)
    result = invoke("check", "--fail-on", "never", "a.md", cwd=tmp_path)
    assert result.returncode == 0
    assert "long-sentence This sentence has 7 words, more than 0." in result.stdout


def test_tool_healthlint_that_is_not_a_table_is_refused(tmp_path):
    write(tmp_path / "pyproject.toml", '[project]\nname = "site"\n\n[tool]\nhealthlint = 5\n')
    write(tmp_path / "a.md", CLAIM)
    result = invoke("check", "a.md", cwd=tmp_path)
    assert input_error(result) == (
        f"healthlint: {tmp_path / 'pyproject.toml'}:5: 'tool.healthlint' must be a table of settings, "
        'e.g. [tool.healthlint] with ignore = ["long-sentence"] below it\n'
    )


def test_tool_healthlint_as_dotted_keys_is_read(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool]\nhealthlint.ignore = ["unhedged-safety-claim"]\n')
    write(tmp_path / "a.md", CLAIM)
    result = invoke("check", "a.md", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == "No problems found in 1 file.\n"


def test_pyproject_without_healthlint_is_not_a_config(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.black]\nline-length = 88\n[tool]\nother = "healthlint"\n')
    write(tmp_path / "a.md", CLAIM)
    result = invoke("check", "a.md", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == ""


# --- bounded input: only regular files, a size limit, binary anywhere ---------------------------

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")


@needs_fifo
def test_fifo_in_a_folder_is_skipped_with_a_notice(tmp_path):
    write(tmp_path / "d" / "a.md", CLAIM)
    os.mkfifo(tmp_path / "d" / "x.md")
    result = invoke("check", "d", cwd=tmp_path)
    assert result.returncode == 1  # a notice, not an error: the real files were checked
    assert result.stderr == f"healthlint: {Path('d') / 'x.md'}: skipped: not a regular file (a named pipe, device or socket)\n"
    assert result.stdout.endswith("Found 1 problem (1 warning) in 1 of 1 file.\n")


@needs_fifo
def test_fifo_named_on_the_command_line_is_refused(tmp_path):
    os.mkfifo(tmp_path / "x.md")
    result = invoke("check", "x.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "healthlint: x.md: is a named pipe (FIFO), not a file; healthlint reads only regular files\n"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_is_refused_without_reading(tmp_path):
    result = invoke("check", "/dev/zero", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "healthlint: /dev/zero: is a device, not a file; healthlint reads only regular files\n"


def test_file_over_the_size_limit_is_refused(tmp_path):
    write(tmp_path / "big.md", "Kratom is a plant. " * 600_000)  # 11.4 MB
    result = invoke("check", "big.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "healthlint: big.md: larger than the limit of 10 MB, so it was not read; raise it with --max-file-size "
        "or max-file-size in .healthlint.yaml if this really is one document\n"
    )


def test_size_limit_from_the_command_line(tmp_path):
    write(tmp_path / "a.md", CLAIM * 100)  # 1,600 bytes
    result = invoke("check", "--max-file-size", "1KB", "a.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("healthlint: a.md: larger than the limit of 1024 bytes, so it was not read;")
    assert invoke("check", "--max-file-size", "2KB", "a.md", cwd=tmp_path).returncode == 1


def test_size_limit_from_the_configuration(tmp_path):
    write(tmp_path / ".healthlint.yaml", "max-file-size: 1KB\n")
    write(tmp_path / "a.md", CLAIM * 100)
    result = invoke("check", "a.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("healthlint: a.md: larger than the limit of 1024 bytes, so it was not read;")


def test_size_limit_that_is_not_a_size(tmp_path):
    write(tmp_path / ".healthlint.yaml", "max-file-size: lots\n")
    write(tmp_path / "a.md", CLAIM)
    result = invoke("check", "a.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == f"healthlint: {tmp_path / '.healthlint.yaml'}:1: 'max-file-size' must be a size such as 10MB or 500KB, not 'lots'\n"
    result = invoke("check", "--max-file-size", "-3", "a.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "healthlint: --max-file-size: '-3' is not a size; write it like 10MB, 500KB or 2000000 (bytes)\n"


def test_standard_input_is_bounded_too(tmp_path):
    result = invoke("check", "--max-file-size", "100", "-", cwd=tmp_path, stdin=CLAIM * 10)
    assert result.returncode == 2
    assert result.stderr.startswith("healthlint: <stdin>: larger than the limit of 100 bytes, so it was not read;")


def test_nul_byte_after_the_first_8_kb_is_binary(tmp_path):
    write(tmp_path / "a.md", CLAIM * 600 + "\x00 more\n")  # the NUL at byte 9,600
    result = invoke("check", "a.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "healthlint: a.md: this looks like a binary file, not text; healthlint reads Markdown, MDX, HTML, plain text and Word documents (.docx)\n"


def _locked(monkeypatch, folder: Path) -> None:
    """Make ``folder`` behave as a folder this user may not open or look inside (as a non-root
    user's chmod 000 would; the tests run as root, which chmod does not stop)."""
    real_scandir, real_stat = os.scandir, os.stat
    inside = str(folder) + os.sep

    def scandir(path="."):
        if os.path.abspath(os.fspath(path)) == str(folder):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    def stat(path, *args, **kwargs):
        if isinstance(path, (str, os.PathLike)) and os.path.abspath(os.fspath(path)).startswith(inside):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "stat", stat)


def test_unreadable_folder_is_reported_not_skipped(tmp_path, monkeypatch):
    write(tmp_path / "content" / "ok.md", CLEAN)
    write(tmp_path / "content" / "locked" / "a.md", CLAIM)
    _locked(monkeypatch, tmp_path / "content" / "locked")
    result = invoke("check", "content", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        f"healthlint: {Path('content') / 'locked'}: this folder cannot be read (Permission denied), so its files were not checked\n"
    )
    assert result.stdout == "Checked 1 file without finding problems; 1 could not be checked (see the messages above).\n"  # never a clean-run summary


def test_unreadable_folder_given_directly_is_reported(tmp_path, monkeypatch):
    write(tmp_path / "locked" / "a.md", CLAIM)
    _locked(monkeypatch, tmp_path / "locked")
    result = invoke("check", "locked", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "healthlint: locked: this folder cannot be read (Permission denied), so its files were not checked\n"


def test_file_inside_an_unreadable_folder(tmp_path, monkeypatch):
    write(tmp_path / "locked" / "a.md", CLAIM)
    _locked(monkeypatch, tmp_path / "locked")
    result = invoke("check", "locked/a.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "healthlint: locked/a.md: cannot be read (Permission denied); check that you may open it and the folders above it\n"
    )


# Root reads any folder whatever its mode; a process that gives up the two capabilities that let
# it (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) meets the same permission checks as any user.
_PR_CAPBSET_DROP, _DAC_CAPABILITIES = 24, (1, 2)


def _without_read_override() -> None:
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in _DAC_CAPABILITIES:
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def _unprivileged(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "healthlint", *args], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=120, preexec_fn=_without_read_override if os.geteuid() == 0 else None,
    )


@pytest.fixture
def locked_folder(tmp_path):
    """A folder holding one this process may not open (chmod 000), for real: the row of issue 13
    as a user meets it, not simulated. Skipped where permissions cannot be made to bite."""
    if os.name != "posix" or not sys.platform.startswith("linux"):
        pytest.skip("needs Linux permissions and capabilities")
    write(tmp_path / "ok.md", CLEAN)
    write(tmp_path / "locked" / "a.md", CLAIM)
    (tmp_path / "locked").chmod(0)
    try:
        probe = subprocess.run(["cat", str(tmp_path / "locked" / "a.md")], capture_output=True,
                               preexec_fn=_without_read_override if os.geteuid() == 0 else None)
        if probe.returncode == 0:
            pytest.skip("this system lets the process read the folder anyway")
        yield tmp_path
    finally:
        (tmp_path / "locked").chmod(0o755)


def test_for_real_an_unreadable_folder_and_the_file_inside_it(locked_folder):
    folder_run = _unprivileged(["check", "--no-cache", "."], locked_folder)
    assert (folder_run.returncode, folder_run.stdout, folder_run.stderr) == (
        2,
        "Checked 1 file without finding problems; 1 could not be checked (see the messages above).\n",
        "healthlint: locked: this folder cannot be read (Permission denied), so its files were not checked\n",
    )
    file_run = _unprivileged(["check", "--no-cache", "locked/a.md"], locked_folder)
    assert (file_run.returncode, file_run.stdout, file_run.stderr) == (
        2,
        "",
        "healthlint: locked/a.md: cannot be read (Permission denied); check that you may open it and the folders above it\n",
    )


# --- file names in every output format ----------------------------------------------------------


def _odd_names(tmp_path: Path) -> None:
    write(tmp_path / "d" / "two words.md", CLAIM)
    write(tmp_path / "d" / "new\nline.md", CLAIM)
    if os.name == "posix":
        write(Path(os.fsdecode(os.fsencode(tmp_path / "d") + b"/bad\xff.md")), CLAIM)


@pytest.mark.skipif(os.name != "posix", reason="file names of raw bytes are a POSIX matter")
def test_json_is_valid_utf8_with_any_file_name(tmp_path):
    import json

    _odd_names(tmp_path)
    result = invoke("check", "--format", "json", "d", cwd=tmp_path)  # invoke decodes stdout as strict UTF-8
    assert result.returncode == 1
    assert [f["path"] for f in json.loads(result.stdout)] == ["d/bad\ufffd.md", "d/new\nline.md", "d/two words.md"]
    rd = invoke("check", "--format", "rdjson", "d", cwd=tmp_path)
    assert [d["location"]["path"] for d in json.loads(rd.stdout)["diagnostics"]] == ["d/bad\ufffd.md", "d/new\nline.md", "d/two words.md"]


@pytest.mark.skipif(os.name != "posix", reason="file names of raw bytes are a POSIX matter")
def test_sarif_uris_are_percent_encoded(tmp_path):
    import json

    _odd_names(tmp_path)
    result = invoke("check", "--format", "sarif", "d", cwd=tmp_path)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in json.loads(result.stdout)["runs"][0]["results"]]
    assert uris == ["d/bad%FF.md", "d/new%0Aline.md", "d/two%20words.md"]


@pytest.mark.skipif(os.name != "posix", reason="file names of raw bytes are a POSIX matter")
def test_text_quotes_a_name_holding_a_newline(tmp_path):
    _odd_names(tmp_path)
    result = invoke("check", "d", cwd=tmp_path)
    firsts = [line.split(" warning ")[0] for line in result.stdout.splitlines() if " warning " in line]
    assert firsts == ["d/bad\ufffd.md:1:8:", '"d/new\\nline.md":1:8:', "d/two words.md:1:8:"]


# --- rule files ---------------------------------------------------------------------------------

STRAY_BRACE_RULE = """\
id: miracle
kind: phrase
severity: warning
summary: Calls a product a miracle.
message: 'Do not say {text or "miracle".'
suggestion: Describe what it does instead.
patterns:
  - words: [miracle]
    suggestion: 'Say what it does} instead.'
examples:
  flag: [Our miracle tea.]
  pass: [Our green tea.]
"""
BRACE_PROBLEM = "has a '{' or '}' that does not pair up; a field is written {text}, and a brace itself as '{{' or '}}'"


def test_stray_brace_in_a_message_names_the_rule_file_and_line_for_check(tmp_path):
    write(tmp_path / "house" / "miracle.yaml", STRAY_BRACE_RULE)
    write(tmp_path / ".healthlint.yaml", "rule-folders: [house]\n")
    write(tmp_path / "a.md", "Our miracle tea.\n")
    result = invoke("check", "a.md", cwd=tmp_path)
    assert input_error(result) == f"healthlint: {tmp_path / 'house' / 'miracle.yaml'}:5:1: the 'message' {BRACE_PROBLEM}\n"


def test_stray_brace_in_a_message_for_test_rules(tmp_path):
    write(tmp_path / "house" / "miracle.yaml", STRAY_BRACE_RULE)
    result = invoke("test-rules", "house", cwd=tmp_path)
    assert input_error(result) == f"healthlint: {Path('house') / 'miracle.yaml'}:5:1: the 'message' {BRACE_PROBLEM}\n"


def test_stray_brace_in_a_pattern_suggestion_points_at_it(tmp_path):
    write(tmp_path / "house" / "miracle.yaml", STRAY_BRACE_RULE.replace('{text or "miracle"', "{text}"))
    result = invoke("test-rules", "house", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == f"healthlint: {Path('house') / 'miracle.yaml'}:9:5: the 'suggestion' {BRACE_PROBLEM}\n"


def test_doubled_braces_are_a_literal_brace(tmp_path):
    write(tmp_path / "house" / "miracle.yaml", STRAY_BRACE_RULE.replace('{text or "miracle".', "{{{text}}}.").replace("does}", "does"))
    result = invoke("test-rules", "house", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


# --- an unclosed fence or comment hides the rest of a file: a notice, not silence ---------------

BODY = "".join(f"Kratom is safe for everyone, line {i}.\n\n" for i in range(20))  # 20 claims, 40 lines


def test_unclosed_code_fence_near_the_top_is_noticed(tmp_path):
    write(tmp_path / "a.md", "# Title\n\n```\n" + BODY)
    result = invoke("check", "a.md", cwd=tmp_path)
    assert result.returncode == 0  # CommonMark reads it as code: nothing to flag, but say why
    assert result.stdout == "No problems found in 1 file.\n"
    assert result.stderr == (
        "healthlint: a.md:3: the code block opened here with ``` is never closed, so the 40 lines after it are read as code "
        "and were not checked; add a line with ``` where the code ends\n"
    )


def test_unclosed_html_comment_near_the_top_is_noticed(tmp_path):
    write(tmp_path / "a.md", "# Title\n\n<!-- draft notes\n" + BODY)
    result = invoke("check", "a.md", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stderr == (
        "healthlint: a.md:3: the HTML comment opened here with <!-- is never closed, so the 40 lines after it are read as "
        "a comment and were not checked; add --> where the comment should end\n"
    )


def test_unclosed_comment_near_the_top_of_a_web_page_is_noticed(tmp_path):
    page = "<html><body>\n<h1>Title</h1>\n<!-- draft notes\n" + BODY.replace("\n\n", "\n<p>\n").replace("Kratom", "<p>Kratom", 1)
    write(tmp_path / "a.html", page)
    result = invoke("check", "a.html", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stderr == (
        "healthlint: a.html:3: the HTML comment opened here with <!-- is never closed, so the 40 lines after it are read as "
        "a comment and were not checked; add --> where the comment should end\n"
    )


def test_a_comment_opener_inside_a_script_or_closed_needs_no_notice(tmp_path):
    paragraphs = "".join(f"<p>Kratom is safe for everyone, line {i}.</p>\n" for i in range(20))
    write(tmp_path / "script.html", "<h1>Title</h1>\n<script>var marker = '<!--';</script>\n" + paragraphs)
    write(tmp_path / "closed.html", "<h1>Title</h1>\n<!-- a note -->\n" + paragraphs)
    for name in ("script.html", "closed.html"):
        result = invoke("check", name, cwd=tmp_path)
        assert result.returncode == 1
        assert result.stderr == ""
        assert result.stdout.endswith("Found 20 problems (20 warnings) in 1 of 1 file.\n")


def test_closed_fence_and_fence_ended_by_its_list_item_need_no_notice(tmp_path):
    write(tmp_path / "closed.md", "# Title\n\n~~~~\ncode\n~~~~~\n" + BODY)
    write(tmp_path / "list.md", "# Title\n\n- item\n\n  ```\n  code\n\n" + BODY)  # the list item's end ends the fence
    for name in ("closed.md", "list.md"):
        result = invoke("check", name, cwd=tmp_path)
        assert result.returncode == 1
        assert result.stderr == ""
        assert result.stdout.endswith("Found 20 problems (20 warnings) in 1 of 1 file.\n")


def test_unclosed_fence_in_plain_text_or_near_the_end_needs_no_notice(tmp_path):
    write(tmp_path / "a.txt", "Title\n\n```\n" + BODY)  # plain text has no code blocks
    write(tmp_path / "b.md", BODY + "```\nlast words\n")  # hides one line of forty
    for name in ("a.txt", "b.md"):
        result = invoke("check", name, cwd=tmp_path)
        assert result.returncode == 1
        assert result.stderr == ""


@needs_fifo
def test_readability_skips_a_fifo_and_reports_an_unreadable_folder(tmp_path, monkeypatch):
    write(tmp_path / "d" / "a.md", CLEAN)
    os.mkfifo(tmp_path / "d" / "x.md")
    write(tmp_path / "d" / "locked" / "b.md", CLEAN)
    _locked(monkeypatch, tmp_path / "d" / "locked")
    result = invoke("readability", "d", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        f"healthlint: {Path('d') / 'x.md'}: skipped: not a regular file (a named pipe, device or socket)\n"
        f"healthlint: {Path('d') / 'locked'}: this folder cannot be read (Permission denied), so its files were not checked\n"
    )
    assert result.stdout.startswith(f"{Path('d') / 'a.md'}\n")


def test_nothing_read_prints_no_clean_summary(tmp_path):
    # The refusal is the whole answer: no "No problems found in 0 files." under it.
    os.mkfifo(tmp_path / "x.md")
    result = invoke("check", "x.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "x.md: is a named pipe (FIFO), not a file" in result.stderr
