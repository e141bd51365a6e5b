"""A few real processes: ``python -m healthlint`` end to end.

Every other CLI test runs the app in the test process (conftest.run), which is much faster.
These check the real entry point, and that the in-process runner gives the same exit code,
stdout and stderr as the process does, so the fast tests can be trusted.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import run, run_process

C = "Our CBD gummies have zero side effects.\n"  # unhedged-safety-claim, warning, 1:22
O = "Kratom offers a natural alternative to opioids.\n"  # opioid-substitution, error, 1:25


def outcome(proc) -> tuple[int, str, str]:
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture
def seed_copy(seed_path, tmp_path) -> Path:
    shutil.copyfile(seed_path, tmp_path / "kratom-article.txt")
    return tmp_path


def test_seed_article_as_text(seed_copy):
    proc = run_process("check", "kratom-article.txt", cwd=seed_copy)
    assert proc.returncode == 1
    assert proc.stderr == ""
    lines = proc.stdout.splitlines()
    assert any(line.startswith("kratom-article.txt:1:49: error opioid-substitution ") for line in lines)
    assert lines[-1].startswith("Found ") and lines[-1].endswith(" in 1 of 1 file.")
    assert outcome(run("check", "kratom-article.txt", cwd=seed_copy)) == outcome(proc)


def test_seed_article_as_json(seed_copy):
    proc = run_process("check", "--format", "json", "kratom-article.txt", cwd=seed_copy)
    assert proc.returncode == 1
    found = json.loads(proc.stdout)
    assert found and {f["path"] for f in found} == {"kratom-article.txt"}
    assert "opioid-substitution" in {f["rule"] for f in found}
    assert outcome(run("check", "--format", "json", "kratom-article.txt", cwd=seed_copy)) == outcome(proc)


def test_stdin_with_a_filename(tmp_path):
    draft = "# Draft\n\n```\n" + C + "```\n\n- " + O
    args = ("check", "-", "--stdin-filename", "docs/draft.md")
    proc = run_process(*args, cwd=tmp_path, stdin=draft)
    assert proc.returncode == 1
    assert proc.stdout.startswith("docs/draft.md:7:27: error opioid-substitution ")
    assert outcome(run(*args, cwd=tmp_path, stdin=draft)) == outcome(proc)


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--format", "xml", "a.txt"),  # click's own usage error
        ("check", "missing.txt"),  # healthlint's: a path that is not there
        ("check", "--select", "missing-citaton", "a.txt"),  # an unknown rule id
    ],
    ids=["bad-option-value", "missing-path", "unknown-rule"],
)
def test_usage_errors_exit_2(tmp_path, args):
    (tmp_path / "a.txt").write_text(C, encoding="utf-8")
    proc = run_process(*args, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip()
    assert outcome(run(*args, cwd=tmp_path)) == outcome(proc)


def test_version(tmp_path):
    from healthlint import __version__

    proc = run_process("--version", cwd=tmp_path)
    assert outcome(proc) == (0, f"healthlint {__version__}\n", "")
    assert outcome(run("--version", cwd=tmp_path)) == outcome(proc)
