"""Inputs a hostile or unlucky user may feed healthlint (issue 13): each gets exit 2 with a
message naming the file (and, for configuration and rules, the line), or the documented
behaviour; never a traceback (conftest.invoke fails the test on one), never a hang.
"""

from __future__ import annotations

from pathlib import Path

from conftest import invoke

CLAIM = "Kratom is safe.\n"  # one warning: unhedged-safety-claim
CLEAN = "Kratom is a plant from Southeast Asia.\n"


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


# --- configuration files ------------------------------------------------------------------------


def test_yaml_complex_key_is_an_error_at_its_line_for_check(tmp_path):
    write(tmp_path / ".healthlint.yaml", "ignore: []\nrules:\n  ? [a, b]\n  : 1\n")
    write(tmp_path / "a.md", CLEAN)
    result = invoke("check", "a.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
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
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
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
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
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
