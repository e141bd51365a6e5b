"""The VS Code extension in editors/vscode: installed from its lock file, unit-tested, packaged.

Runs what CI runs: ``npm ci``, the extension's own unit tests (node's test runner, no VS Code
needed) and ``npx @vscode/vsce package``, in a copy of the folder so the checkout is left as it
was. ``npm ci`` needs the npm registry or npm's cache: the test is marked ``network`` and skips
itself when npm cannot fetch the packages (the packaging itself needs no network)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import REPO
from editor_docs import version_of

EXTENSION = REPO / "editors" / "vscode"
# npm's messages when it cannot reach the registry and the package is not in its cache.
OFFLINE = re.compile(r"ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|ECONNRESET|ENETUNREACH|network request .* failed")

pytestmark = [
    pytest.mark.network,
    pytest.mark.skipif(shutil.which("node") is None or shutil.which("npm") is None, reason="Node.js and npm are not installed"),
    pytest.mark.skipif(
        shutil.which("node") is not None and (version_of(["node", "--version"]) or (0,)) < (20,),
        reason="Node.js is older than 20, which @vscode/vsce needs",
    ),
]


def run(command: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=timeout)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A copy of editors/vscode after npm ci and vsce package."""
    folder = tmp_path_factory.mktemp("vscode") / "healthlint-vscode"
    shutil.copytree(EXTENSION, folder, ignore=shutil.ignore_patterns("node_modules", "out", "*.vsix"))
    installed = run(["npm", "ci", "--prefer-offline", "--no-audit", "--no-fund"], folder)
    if installed.returncode != 0 and OFFLINE.search(installed.stderr + installed.stdout):
        pytest.skip("offline: npm ci cannot fetch the extension's packages")
    assert installed.returncode == 0, installed.stderr[-3000:]
    return folder


def test_unit_tests_pass(built: Path):
    result = run(["npm", "test"], built)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert re.search(r"^# fail 0$", result.stdout, re.M), result.stdout[-2000:]
    passed = int(re.search(r"^# pass (\d+)$", result.stdout, re.M).group(1))
    assert passed >= 20, f"only {passed} unit tests ran"


def test_vsce_packages_the_compiled_extension(built: Path):
    result = run(["npx", "--no-install", "@vscode/vsce", "package"], built)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    manifest = json.loads((built / "package.json").read_text(encoding="utf-8"))
    vsix = built / f"{manifest['name']}-{manifest['version']}.vsix"
    assert vsix.is_file(), sorted(p.name for p in built.iterdir())
    with zipfile.ZipFile(vsix) as archive:
        names = set(archive.namelist())
        packaged = json.loads(archive.read("extension/package.json"))
    assert packaged["main"] == "./out/src/extension.js"
    for compiled in ("extension", "client", "settings", "status", "install"):
        assert f"extension/out/src/{compiled}.js" in names
    assert "extension/node_modules/vscode-languageclient/node.js" in names
    # Sources, tests and build tools stay out of the package.
    assert not any(name.startswith(("extension/src/", "extension/test/", "extension/out/test/")) for name in names)
    assert not any(name.startswith(("extension/node_modules/typescript/", "extension/node_modules/@vscode/vsce/")) for name in names)
