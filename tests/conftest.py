from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEED = SHARED / "fixtures" / "kratom-article.txt"
NIH = SHARED / "corpus" / "nih"


@pytest.fixture(scope="session")
def ruleset():
    from healthlint.ruleset import load_rules

    return load_rules()


@pytest.fixture
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip("../shared/fixtures/kratom-article.txt is not present")
    return SEED


# Helpers for tests that run the real command line on real files.
import os  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

FINDING = re.compile(r"^(?P<head>.+?:\d+:\d+: (?:error|warning|info) \S+) ")


def run(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    """``python -m healthlint ARGS`` on this checkout, in ``cwd``; never a traceback."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("HEALTHLINT_LANGUAGETOOL_URL", None)
    proc = subprocess.run(
        [sys.executable, "-m", "healthlint", *args],
        cwd=cwd,
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=180,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout, proc.stdout
    return proc


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def heads(stdout: str) -> list[str]:
    """"PATH:LINE:COL: SEVERITY RULE" of every finding line, in order."""
    return [m.group("head") for line in stdout.splitlines() if (m := FINDING.match(line))]
