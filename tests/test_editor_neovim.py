"""A real editor: headless Neovim, configured with docs/editors.md's Neovim 0.7 snippet, drives
`healthlint lsp` over stdio on a Markdown file with front matter, a code fence and claims.

tests/editors/neovim_driver.lua does what a writer does (waits for the findings, hovers, applies
the preferred quick fix, types a new sentence) and writes what Neovim saw to a JSON file; the
tests here check it. Ranges are Neovim's: 0-based lines, 0-based byte columns (the file is ASCII,
so they are also the LSP's UTF-16 columns). Skips itself when Neovim is not installed
(`apt-get install neovim`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from editor_docs import ARTICLE, SAFETY, snippet, version_of

NVIM = shutil.which("nvim")
HEALTHLINT = Path(sys.executable).parent / "healthlint"
DRIVER = REPO / "tests" / "editors" / "neovim_driver.lua"

pytestmark = [
    pytest.mark.skipif(NVIM is None, reason="Neovim is not installed (apt-get install neovim)"),
    pytest.mark.skipif(not HEALTHLINT.exists(), reason=f"no healthlint command beside {sys.executable}"),
]

TITLE = [1, 14, 1, 32, "unhedged-safety-claim", 2, "healthlint", SAFETY.format("is completely safe")]
JARGON = [7, 17, 7, 24, "plain-language", 3, "healthlint", '"hepatic" is jargon that many readers do not know; most know "liver".']


def neovim_env(home: Path, path: str) -> dict[str, str]:
    """Neovim with nothing of the user's: its own home, config, data and log folders."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("XDG_", "NVIM", "VIM"))}
    env.update(HOME=str(home), PATH=path)
    for name in ("CONFIG", "DATA", "STATE", "CACHE"):
        env[f"XDG_{name}_HOME"] = str(home / name.lower())
    return env


def run_neovim(tmp_path: Path, path: str, *commands: str, config: str = "-- healthlint for Neovim 0.7 and later") -> subprocess.CompletedProcess:
    """Neovim on the article, with the docs' Lua snippet that contains ``config`` as its init.lua."""
    site = tmp_path / "site"
    (site / ".git").mkdir(parents=True)
    (site / "article.md").write_text(ARTICLE, encoding="utf-8")
    init = tmp_path / "init.lua"
    init.write_text(snippet("lua", config), encoding="utf-8")
    env = neovim_env(tmp_path / "home", path)
    env["HEALTHLINT_NVIM_OUT"] = str(tmp_path / "seen.json")
    command = [NVIM, "--headless", "-i", "NONE", "-u", str(init), "article.md", *commands]
    return subprocess.run(command, cwd=site, env=env, capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def seen(tmp_path_factory) -> dict:
    tmp_path = tmp_path_factory.mktemp("neovim")
    path = f"{HEALTHLINT.parent}{os.pathsep}{os.environ.get('PATH', '')}"
    result = run_neovim(tmp_path, path, "-c", f"luafile {DRIVER}")
    output = tmp_path / "seen.json"
    assert output.exists(), f"Neovim exited {result.returncode} without writing its results:\n{result.stderr[-3000:]}"
    seen = json.loads(output.read_text(encoding="utf-8"))
    assert seen["error"] is None, f"{seen['error']} (after steps {seen['steps']})"
    return seen


def test_diagnostics_at_exact_ranges(seen: dict):
    """The title in the front matter is checked where it is written; the date and the code fence
    are not; the long sentence is not flagged, as the snippet's settings ask."""
    assert seen["client"] == {"name": "healthlint", "offset_encoding": "utf-16"}
    assert seen["first"] == [
        TITLE,
        [7, 7, 7, 31, "unhedged-safety-claim", 2, "healthlint", SAFETY.format("causes no hepatic damage")],
        JARGON,
    ]


def test_long_sentence_would_be_flagged_without_the_snippets_settings():
    """So the absence of long-sentence above is the snippet's `ignore` at work."""
    result = subprocess.run(
        [str(HEALTHLINT), "check", "-", "--stdin-filename", "article.md", "--format", "json", "--select", "long-sentence"],
        input=ARTICLE, capture_output=True, text=True, timeout=120,
    )
    findings = json.loads(result.stdout)
    found = findings if isinstance(findings, list) else findings.get("findings", findings)
    assert [(f["rule"], f["line"]) for f in found] == [("long-sentence", 14)], result.stdout[:2000]


def test_hover_shows_the_rules_documentation(seen: dict):
    hover = seen["hover"]
    assert hover.startswith('**plain-language** (info) · healthlint\n\nMedical and bureaucratic jargon with a plainer word ("hepatic" -> "liver").')
    assert '**Suggestion:** Use "liver", or explain the term once where it first appears: "hepatic (liver)".' in hover
    assert "#### Why it matters" in hover and "`healthlint explain plain-language` has examples." in hover
    # The claim around the word is hovered too, after a rule.
    assert "\n\n---\n\n**unhedged-safety-claim** (warning) · healthlint" in hover


def test_quick_fix_is_applied_to_the_buffer(seen: dict):
    assert seen["actions"] == [
        ['Replace "hepatic" with "liver"', True, "quickfix"],
        ["Disable plain-language for this line", False, "quickfix"],
        ["Disable unhedged-safety-claim for this line", False, "quickfix"],
    ]
    expected = ARTICLE.replace("no hepatic damage", "no liver damage").splitlines()
    assert seen["after_fix_text"] == expected


def test_checked_again_after_the_fix_and_after_an_edit(seen: dict):
    liver = [7, 7, 7, 29, "unhedged-safety-claim", 2, "healthlint", SAFETY.format("causes no liver damage")]
    assert seen["after_fix"] == [TITLE, liver]
    opioids = [
        15, 17, 15, 40, "opioid-substitution", 1, "healthlint",
        "Presents kratom as a replacement for opioids or prescribed medicine. Readers who swap or stop a prescribed medicine on their own risk severe withdrawal, relapse and overdose.",
    ]
    assert seen["after_edit"] == [TITLE, liver, opioids]
    assert seen["steps"] == ["diagnostics", "hover", "quick fix", "edit"]


def test_without_healthlint_the_snippet_says_how_to_install_it(tmp_path: Path):
    """No server, no error trace: one warning naming the install command."""
    commands = ["-c", "lua vim.fn.writefile({vim.fn.execute('messages')}, os.getenv('HEALTHLINT_NVIM_OUT'))", "-c", "qall!"]
    result = run_neovim(tmp_path, "/usr/bin:/bin", *commands)
    messages = (tmp_path / "seen.json").read_text(encoding="utf-8")
    assert "healthlint is not installed or not on your PATH: python3 -m pip install healthlint" in messages, (messages, result.stderr)
    assert "Error" not in messages + result.stderr


def test_neovim_is_the_version_the_snippet_is_for():
    version = version_of([NVIM, "--version"])
    assert version is not None and version >= (0, 7), version
