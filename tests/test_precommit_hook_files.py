"""Which files the pre-commit hook is given, offline: .pre-commit-hooks.yaml read and checked by
pre-commit's own manifest loader, and its files/exclude/types applied by pre-commit's own file
classifier (with identify's tags), to a tree holding every case.

The hook must pass exactly the formats healthlint reads (formats.DEFAULT_SUFFIXES) and leave out
the text files that folder walks leave out (discovery.NON_PROSE_TEXT_NAMES): pre-commit names
each file explicitly, and healthlint checks every file it is named."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import REPO, write

from healthlint.discovery import NON_PROSE_TEXT_NAMES, is_non_prose_name
from healthlint.formats import DEFAULT_SUFFIXES

clientlib = pytest.importorskip("pre_commit.clientlib")
run_command = pytest.importorskip("pre_commit.commands.run")


@pytest.fixture(scope="module")
def hook() -> SimpleNamespace:
    (manifest,) = clientlib.load_manifest(str(REPO / ".pre-commit-hooks.yaml"))  # validates it, fills defaults
    assert manifest["id"] == "healthlint" and manifest["entry"] == "healthlint check"
    return SimpleNamespace(**manifest)


def selected(hook: SimpleNamespace, root: Path, names: list[str], monkeypatch) -> list[str]:
    """The files pre-commit would pass to the hook, of ``names`` written under ``root``."""
    for name in names:
        write(root / name, "Kratom offers a natural alternative to opioids.\n")
    monkeypatch.chdir(root)
    classifier = run_command.Classifier.from_config(names, "", "^$")
    return sorted(classifier.filenames_for_hook(hook))


PROSE = [f"page{suffix}" for suffix in DEFAULT_SUFFIXES] + ["docs/UPPER.MD", "docs/Notes.TXT", "site/about.HTML", "a/b/c.mdx"]
NOT_PROSE = [
    "app.js", "app.ts", "data.csv", "data.json", "config.yaml", "page.html.j2", "page.jinja", "card.hbs",
    "email.mustache", "layout.njk", "theme.liquid", "view.ejs", "notes.rst", "page.mdoc", "image.svg", "feed.xml",
    "script.py", "Makefile", "style.css", "md", "txt", "docs.md.bak",
    "requirements.txt", "requirements-dev.txt", "dev-requirements.txt", "sub/constraints.txt", "robots.txt",
    "LICENSE.txt", "COPYING.txt", "NOTICE.txt", "CMakeLists.txt", "humans.txt", "security.txt", "ads.txt",
    "poetry.lock.txt", "docs/licence.txt",
]


def test_the_hook_passes_exactly_the_formats_healthlint_reads(hook, tmp_path, monkeypatch):
    assert selected(hook, tmp_path, PROSE + NOT_PROSE, monkeypatch) == sorted(PROSE)


def test_the_files_pattern_is_exactly_the_default_suffixes(hook):
    files = re.compile(hook.files)
    suffixes = {suffix for suffix in DEFAULT_SUFFIXES}
    written = set(re.search(r"\\\.\((.*)\)\$", hook.files).group(1).replace("html?", "html|htm").split("|"))
    assert {"." + s for s in written} == suffixes
    for suffix in suffixes:
        assert files.search("a/b/page" + suffix) and files.search("PAGE" + suffix.upper())


@pytest.mark.parametrize("pattern", NON_PROSE_TEXT_NAMES)
def test_the_hook_excludes_every_name_discovery_skips(hook, pattern):
    exclude = re.compile(hook.exclude)
    for filler in ("", "x", "dev-2"):
        name = pattern.replace("*", filler)
        assert is_non_prose_name(name)
        assert exclude.search(name) and exclude.search("docs/" + name.upper()), name


@pytest.mark.parametrize(
    "name",
    ["article.txt", "robots-in-surgery.txt", "license-to-heal.txt", "requirements/base.txt", "notice-board.txt",
     "requirements.md", "my.lock/notes.txt", "LICENSE.md", "ads.text"],
)
def test_the_hook_keeps_prose_names_discovery_keeps(hook, name):
    assert not is_non_prose_name(Path(name).name)
    assert not re.compile(hook.exclude).search(name)
