"""The real pre-commit, building the hook's environment from this checkout.

This is the one test that needs a package registry (pre-commit pip-installs the hook), so it
is marked `network` and skips itself when the registry cannot be reached."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, SEED

CLEAN = "# Sleep\n\nMost adults need 7 to 9 hours of sleep. Talk to your doctor if you often feel tired.\n"


def _registry_reachable() -> bool:
    try:
        socket.create_connection(("pypi.org", 443), timeout=3).close()
        return True
    except OSError:
        return False


pytestmark = [
    pytest.mark.network,
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(not _registry_reachable(), reason="offline: pre-commit cannot build the hook environment"),
]


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    if not SEED.exists():
        pytest.skip("../shared/fixtures/kratom-article.txt is not present")
    root = tmp_path_factory.mktemp("writers-repo")
    _git(root, "init", "-q")
    (root / "kratom.md").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "sleep.md").write_text(CLEAN, encoding="utf-8")
    _git(root, "add", ".")
    return root


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    """pre-commit's own folder, shared by the tests here: it builds the hook's environment once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def _try_repo(project: Path, filename: str | None, home: Path) -> subprocess.CompletedProcess:
    """The hook from this checkout on one file, or with filename None on every file in the index."""
    env = {**os.environ, "PRE_COMMIT_HOME": str(home)}
    chosen = ["--files", filename] if filename else ["--all-files"]
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "healthlint", "--verbose", *chosen],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )


def test_hook_fails_on_the_seed_article_and_passes_on_clean_copy(project, home):
    bad = _try_repo(project, "kratom.md", home)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "opioid-substitution" in bad.stdout
    good = _try_repo(project, "sleep.md", home)
    assert good.returncode == 0, good.stdout + good.stderr


CLAIM = "Kratom offers a natural alternative to opioids.\n"


def test_hook_is_given_only_the_files_healthlint_reads(tmp_path, home):
    """A Markdown file, a script, a spreadsheet, a template and a requirements file all hold the
    same claim: pre-commit passes only the Markdown, so only it is flagged (one file checked)."""
    _git(tmp_path, "init", "-q")
    (tmp_path / "article.md").write_text("# Pain\n\n" + CLAIM, encoding="utf-8")
    (tmp_path / "app.js").write_text(f"// {CLAIM}const claim = '{CLAIM.strip()}';\n", encoding="utf-8")
    (tmp_path / "claims.csv").write_text(f"id,text\n1,{CLAIM}", encoding="utf-8")
    (tmp_path / "email.html.j2").write_text(f"<p>{{{{ greeting }}}} {CLAIM.strip()}</p>\n", encoding="utf-8")
    (tmp_path / "requirements.txt").write_text(f"# {CLAIM}kratom==1.0\n", encoding="utf-8")
    _git(tmp_path, "add", ".")
    result = _try_repo(tmp_path, None, home)
    assert result.returncode == 1, result.stdout + result.stderr
    flagged = [line for line in result.stdout.splitlines() if ": error opioid-substitution" in line]
    assert flagged and all(line.startswith("article.md:3:25: error opioid-substitution") for line in flagged), result.stdout
    assert "Found 1 problem (1 error) in 1 of 1 file." in result.stdout
    for name in ("app.js", "claims.csv", "email.html.j2", "requirements.txt"):
        assert name not in result.stdout
