"""A real editor: Emacs in batch mode, configured with docs/editors.md's eglot snippet, drives
`healthlint lsp` on a Markdown file with front matter, a code fence and claims.

tests/editors/emacs_driver.el opens the file, waits for the findings (through Flymake, as a
writer sees them), asks for the hover and quick fixes on a word, edits and saves, and writes
what Emacs saw as JSON. Positions are Emacs's: 1-based lines, 0-based columns. Skips itself without Emacs, eglot or markdown-mode
(Debian: `apt-get install emacs-nox elpa-eglot elpa-markdown-mode`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from editor_docs import ARTICLE, SAFETY, snippet

EMACS = shutil.which("emacs")
HEALTHLINT = Path(sys.executable).parent / "healthlint"
DRIVER = REPO / "tests" / "editors" / "emacs_driver.el"


def emacs_has(*features: str) -> bool:
    """Whether Emacs, started as a writer's would be (packages initialised), can load these."""
    if EMACS is None:
        return False
    requires = " ".join(f"(require '{feature})" for feature in features)
    command = [EMACS, "--batch", "--eval", f"(progn (package-initialize) {requires})"]
    try:
        return subprocess.run(command, capture_output=True, timeout=60, env={**os.environ, "HOME": "/nonexistent"}).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


pytestmark = [
    pytest.mark.skipif(not emacs_has("eglot", "markdown-mode"), reason="Emacs with eglot and markdown-mode is not installed (apt-get install emacs-nox elpa-eglot elpa-markdown-mode)"),
    pytest.mark.skipif(not HEALTHLINT.exists(), reason=f"no healthlint command beside {sys.executable}"),
]


@pytest.fixture(scope="module")
def seen(tmp_path_factory) -> dict:
    tmp_path = tmp_path_factory.mktemp("emacs")
    site = tmp_path / "site"
    (site / ".git").mkdir(parents=True)
    (site / "article.md").write_text(ARTICLE, encoding="utf-8")
    init = tmp_path / "init.el"
    init.write_text(snippet("elisp", "eglot-server-programs"), encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "PATH": f"{HEALTHLINT.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env["HEALTHLINT_EMACS_OUT"] = str(tmp_path / "seen.json")
    # package-initialize: what an interactive Emacs does before reading the init file.
    command = [EMACS, "--batch", "--eval", "(package-initialize)", "-l", str(init), "-l", str(DRIVER)]
    result = subprocess.run(command, cwd=site, env=env, capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL)
    output = tmp_path / "seen.json"
    assert output.exists(), f"Emacs exited {result.returncode} without writing its results:\n{result.stderr[-3000:]}"
    seen = json.loads(output.read_text(encoding="utf-8"))
    assert "error" not in seen, seen["error"]
    return seen


def test_findings_in_flymake_at_exact_positions(seen: dict):
    """The title in front matter is flagged where it is written; the code fence is not; the
    long last sentence is not, since the snippet's workspace configuration ignores long-sentence."""
    assert seen["mode"] == "markdown-mode"
    assert seen["first"] == [
        [2, 14, 2, 32, "eglot-warning", "healthlint [unhedged-safety-claim]: " + SAFETY.format("is completely safe")],
        [8, 7, 8, 31, "eglot-warning", "healthlint [unhedged-safety-claim]: " + SAFETY.format("causes no hepatic damage")],
        [8, 17, 8, 24, "eglot-note", 'healthlint [plain-language]: "hepatic" is jargon that many readers do not know; most know "liver".'],
    ]


def test_hover_and_quick_fixes_answer_emacs(seen: dict):
    assert seen["hover"] == "**plain-language** (info) · healthlint"
    assert seen["actions"] == [
        'Replace "hepatic" with "liver"',
        "Disable plain-language for this line",
        "Disable unhedged-safety-claim for this line",
    ]


def test_checked_again_after_an_edit(seen: dict):
    assert [finding[:5] for finding in seen["after_edit"]] == [
        [2, 14, 2, 32, "eglot-warning"],
        [8, 7, 8, 29, "eglot-warning"],
        [16, 17, 16, 40, "eglot-error"],
    ]
    assert seen["after_edit"][2][5].startswith("healthlint [opioid-substitution]: Presents kratom as a replacement for opioids")
