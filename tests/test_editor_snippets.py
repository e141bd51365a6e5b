"""docs/editors.md's snippets for editors this machine may not have: each is read as its editor
would read it (JSON, TOML, Lua) and checked against what healthlint and the extension expect;
where the editor is installed and new enough, it is run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from editor_docs import snippet, version_of
from healthlint.lsp.options import Options

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

MANIFEST = json.loads((REPO / "editors" / "vscode" / "package.json").read_text(encoding="utf-8"))


def test_vscode_settings_are_the_extensions():
    settings = json.loads(snippet("json", '"healthlint.path"'))
    properties = MANIFEST["contributes"]["configuration"]["properties"]
    assert set(settings) <= set(properties), set(settings) - set(properties)
    assert settings["healthlint.audience"] in properties["healthlint.audience"]["enum"]
    assert isinstance(settings["healthlint.args"], list)


def test_the_vsix_install_command_matches_the_package_name():
    commands = snippet("sh", "code --install-extension")
    assert "npm ci && npx @vscode/vsce package" in commands
    assert f"code --install-extension {MANIFEST['name']}-*.vsix" in commands


def test_helix_languages_toml():
    config = tomllib.loads(snippet("toml", "[language-server.healthlint]"))
    server = config["language-server"]["healthlint"]
    assert (server["command"], server["args"]) == ("healthlint", ["lsp"])
    assert Options.parse(server["config"]).ignore == ["long-sentence"]
    languages = {language["name"]: language for language in config["language"]}
    assert "healthlint" in languages["markdown"]["language-servers"]
    assert languages["healthlint-text"]["file-types"] == ["txt"]


@pytest.mark.skipif(shutil.which("hx") is None, reason="Helix is not installed (not packaged for Debian 12)")
def test_helix_finds_healthlint(tmp_path: Path):
    (tmp_path / "helix").mkdir()
    (tmp_path / "helix" / "languages.toml").write_text(snippet("toml", "[language-server.healthlint]"), encoding="utf-8")
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(["hx", "--health", "markdown"], capture_output=True, text=True, env=env, timeout=60)
    assert "healthlint" in result.stdout and result.returncode == 0, result.stdout + result.stderr


def test_zed_task():
    tasks = json.loads(snippet("json", "$ZED_FILE"))
    assert tasks == [
        {
            "label": "healthlint: check this file",
            "command": "healthlint",
            "args": ["check", "--color", "never", "$ZED_FILE"],
            "cwd": "$ZED_WORKTREE_ROOT",
            "reveal": "always",
        }
    ]


NEWER_NEOVIM = [("vim.lsp.config", (0, 11)), ("vim.lsp.start({", (0, 10))]


@pytest.mark.parametrize("marker, needs", NEWER_NEOVIM, ids=["0.11", "0.10"])
def test_newer_neovim_snippets(tmp_path: Path, marker: str, needs: tuple[int, ...]):
    """Run where the installed Neovim is new enough: the first findings arrive."""
    nvim = shutil.which("nvim")
    version = version_of([nvim, "--version"]) if nvim else None
    if version is None or version < needs:
        pytest.skip(f"needs Neovim {'.'.join(map(str, needs))} or newer; installed: {version or 'none'}")
    from test_editor_neovim import DRIVER, HEALTHLINT, run_neovim

    path = f"{HEALTHLINT.parent}{os.pathsep}{os.environ.get('PATH', '')}"
    run_neovim(tmp_path, path, "-c", f"luafile {DRIVER}", config=marker)
    seen = json.loads((tmp_path / "seen.json").read_text(encoding="utf-8"))
    assert seen["error"] is None, seen["error"]
    assert [d[4] for d in seen["first"]] == ["unhedged-safety-claim", "unhedged-safety-claim", "plain-language"]
