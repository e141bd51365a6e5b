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


def _try_repo(project: Path, filename: str, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "healthlint", "--files", filename],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )


def test_hook_fails_on_the_seed_article_and_passes_on_clean_copy(project, tmp_path_factory):
    home = tmp_path_factory.mktemp("pre-commit-home")
    bad = _try_repo(project, "kratom.md", home)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "opioid-substitution" in bad.stdout
    good = _try_repo(project, "sleep.md", home)
    assert good.returncode == 0, good.stdout + good.stderr
