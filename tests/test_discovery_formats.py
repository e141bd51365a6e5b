"""Finding files: which files a folder walk picks and the format each is read as, the `formats:`
map, .gitignore, the well-known text files that are not prose, and files named explicitly.

Exact lists of files for trees holding every case; .gitignore checked against git itself where
git is installed; bad configurations give exit 2 with the file and the line.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, heads, run, write

from healthlint.discovery import FolderRules, Found, GitIgnores, discover, is_non_prose_name
from healthlint.formats import Format

C = "Our CBD gummies have zero side effects.\n"  # unhedged-safety-claim at 1:22
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def found(top: Path, *paths: str, **options) -> list[tuple[str, str | None]]:
    """(path relative to ``top``, format) of every file discovered from ``paths`` (relative to top)."""
    given = [str(top / p) for p in paths] if paths else [str(top)]
    return [
        (Path(f.path).relative_to(top).as_posix(), f.format.value if f.format else None)
        for f in discover(given, **options)
    ]


def tree(root: Path, names: list[str], text: str = C) -> Path:
    for name in names:
        write(root / name, text)
    return root


def git_repo(root: Path) -> Path:
    """A folder that is a repository for discovery: a real one where git exists."""
    root.mkdir(parents=True, exist_ok=True)
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(root)], check=True, capture_output=True)
    else:
        (root / ".git" / "info").mkdir(parents=True)
    return root


def json_paths(proc: subprocess.CompletedProcess) -> list[str]:
    return sorted({f["path"] for f in json.loads(proc.stdout)})


# --- formats by suffix -----------------------------------------------------------------------------

EVERY_FORMAT = [
    ("a.md", "markdown"), ("b.markdown", "markdown"), ("c.mdown", "markdown"), ("d.MKD", "markdown"),
    ("e.mdx", "mdx"), ("f.txt", "text"), ("g.text", "text"), ("h.html", "html"), ("i.HTM", "html"),
    ("j.xhtml", "html"), ("k.docx", "docx"),
]
NOT_READ = ["app.js", "data.csv", "page.html.j2", "card.hbs", "notes.rst", "z.mdoc", "image.png", "Makefile", ".hidden.md"]


def test_a_walk_finds_every_format_and_names_it(tmp_path):
    tree(tmp_path, [name for name, _ in EVERY_FORMAT] + NOT_READ)
    assert found(tmp_path) == EVERY_FORMAT


def test_order_is_files_first_then_subfolders_by_name(tmp_path):
    tree(tmp_path, ["z.md", "b/y.mdx", "a/x.html", "a/c/w.txt", "m.docx"])
    assert found(tmp_path) == [("m.docx", "docx"), ("z.md", "markdown"), ("a/x.html", "html"), ("a/c/w.txt", "text"), ("b/y.mdx", "mdx")]


def test_non_prose_text_files_are_left_out_of_walks(tmp_path):
    skipped = [
        "requirements.txt", "requirements-dev.txt", "dev-requirements.txt", "test_requirements.txt",
        "constraints.txt", "robots.txt", "LICENSE.txt", "Licence.txt", "COPYING.txt", "NOTICE.txt",
        "CMakeLists.txt", "humans.txt", "security.txt", "ads.txt", "app-ads.txt", "poetry.lock.txt",
        "THIRD_PARTY_NOTICES.txt", "pkg.egg-info/SOURCES.md",
    ]
    kept = ["license-to-heal.txt", "my-robots.txt", "requirements.md", "notice-board.txt", "LICENSE.md"]
    tree(tmp_path, skipped + kept)
    assert found(tmp_path) == sorted((name, "markdown" if name.endswith(".md") else "text") for name in kept)


def test_words_lock_files_are_left_out_of_walks(tmp_path):
    # Word keeps "~$" and the rest of the name beside a document while it is open.
    tree(tmp_path, ["~$page.docx", "page.docx", "~$notes.md"])
    assert found(tmp_path) == [("page.docx", "docx")]


@pytest.mark.parametrize("name", ["requirements.txt", "REQUIREMENTS-DOCS.TXT", "robots.txt", "cmakelists.txt", "x.lock.txt"])
def test_non_prose_names_match_any_case(name):
    assert is_non_prose_name(name)


@pytest.mark.parametrize("name", ["requirements.md", "article.txt", "robots-in-surgery.txt", "ads.text"])
def test_prose_names_are_not_non_prose(name):
    assert not is_non_prose_name(name)


def test_a_folder_run_checks_mdx_and_html_and_skips_js_csv_and_requirements(tmp_path):
    tree(tmp_path / "site", ["a.md", "b.mdx", "c.html", "d.txt", "requirements.txt", "app.js", "data.csv", "card.hbs"])
    proc = run("check", "--no-cache", "--format", "json", "site", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert json_paths(proc) == ["site/a.md", "site/b.mdx", "site/c.html", "site/d.txt"]
    # Each read as its format: MDX and Markdown as Markdown, the rest as their own.
    formats = {f["path"]: f for f in json.loads(proc.stdout)}
    assert (formats["site/b.mdx"]["line"], formats["site/b.mdx"]["column"]) == (1, 22)


# --- the formats: map -------------------------------------------------------------------------------

FENCED = "# Notes\n\n```\n" + C + "```\n\n" + C  # Markdown skips the code block: one finding, at 7:22


def test_config_formats_add_a_suffix_and_change_one(tmp_path):
    write(tmp_path / ".healthlint.yaml", 'formats:\n  .mdoc: markdown\n  ".HTM": text\n')
    tree(tmp_path, ["a.mdoc", "b.htm", "c.html", "d.rst"])
    rules = FolderRules({".mdoc": Format.MARKDOWN, ".htm": Format.TEXT})
    assert found(tmp_path, rules_for=lambda folder: rules) == [
        ("a.mdoc", "markdown"), ("b.htm", "text"), ("c.html", "html")
    ]
    write(tmp_path / "a.mdoc", FENCED)
    proc = run("check", "--no-cache", ".", cwd=tmp_path)
    assert heads(proc.stdout) == ["a.mdoc:7:22: warning unhedged-safety-claim", "b.htm:1:22: warning unhedged-safety-claim", "c.html:1:22: warning unhedged-safety-claim"]


def test_config_formats_read_a_named_file_and_standard_input(tmp_path):
    write(tmp_path / ".healthlint.yaml", "formats:\n  .mdoc: markdown\n")
    write(tmp_path / "a.mdoc", FENCED)
    named = run("check", "--no-cache", "a.mdoc", cwd=tmp_path)
    assert heads(named.stdout) == ["a.mdoc:7:22: warning unhedged-safety-claim"]
    piped = run("check", "--no-cache", "--stdin-filename", "b.mdoc", "-", cwd=tmp_path, stdin=FENCED)
    assert heads(piped.stdout) == ["b.mdoc:7:22: warning unhedged-safety-claim"]
    # Without the map the same file is plain text: the claim in the fence is flagged too.
    plain = run("check", "--no-cache", "--isolated", "a.mdoc", cwd=tmp_path)
    assert heads(plain.stdout) == ["a.mdoc:4:22: warning unhedged-safety-claim", "a.mdoc:7:22: warning unhedged-safety-claim"]


def test_each_folder_uses_its_nearest_configs_formats(tmp_path):
    write(tmp_path / ".healthlint.yaml", "formats:\n  .mdoc: markdown\n")
    write(tmp_path / "docs" / ".healthlint.yaml", "ignore: []\n")  # nearer, no map: .mdoc unknown there
    tree(tmp_path, ["a.mdoc", "docs/b.mdoc", "docs/c.md"])
    proc = run("check", "--no-cache", "--format", "json", ".", cwd=tmp_path)
    assert json_paths(proc) == ["a.mdoc", "docs/c.md"]


def test_include_narrows_to_the_mapped_files(tmp_path):
    write(tmp_path / ".healthlint.yaml", 'formats: {".mdoc": markdown}\ninclude: ["**/*.mdoc"]\n')
    tree(tmp_path, ["a.mdoc", "sub/b.mdoc", "c.md", "d.mdx"])
    proc = run("check", "--no-cache", "--format", "json", ".", cwd=tmp_path)
    assert json_paths(proc) == ["a.mdoc", "sub/b.mdoc"]


def test_pyproject_formats_table(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.healthlint.formats]\n".mdoc" = "markdown"\n')
    tree(tmp_path, ["a.mdoc", "b.rst"])
    proc = run("check", "--no-cache", "--format", "json", ".", cwd=tmp_path)
    assert json_paths(proc) == ["a.mdoc"]


def config_error(tmp_path: Path, name: str, text: str) -> str:
    config = write(tmp_path / name, text)
    write(tmp_path / "a.md", C)
    proc = run("check", "--no-cache", ".", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (2, ""), proc.stdout + proc.stderr
    assert proc.stderr.count("\n") == 1, proc.stderr
    return proc.stderr.replace(str(config.resolve()), name)


@pytest.mark.parametrize(
    "text, message",
    [
        ("formats:\n  .md: markdown\n  .mdoc: markdwn\n",
         """.healthlint.yaml:3: 'formats' for ".mdoc": "markdwn" is not a format healthlint reads; use one of: markdown, mdx, text, html, docx; did you mean 'markdown'?"""),
        ("formats:\n  mdoc: markdown\n",
         """.healthlint.yaml:2: 'formats': "mdoc" is not a file suffix; write it with its dot: ".mdoc\""""),
        ("ignore: []\nformats:\n  .html.j2: html\n",
         """.healthlint.yaml:3: 'formats': ".html.j2" is not a file suffix; healthlint goes by the last part of a file name only, so write ".j2\""""),
        ("formats:\n  '*.mdoc': markdown\n",
         """.healthlint.yaml:2: 'formats': "*.mdoc" is not a file suffix; write a suffix such as ".mdoc" (a dot, then letters or digits)"""),
        ("formats:\n  .mdoc: [markdown]\n",
         """.healthlint.yaml:2: 'formats': the format for ".mdoc" must be a name such as markdown, not ['markdown']"""),
        ("formats: [.mdoc]\n",
         """.healthlint.yaml:1: 'formats' must be a mapping of file suffix to format, e.g. {".mdoc": markdown}"""),
        ("respect-gitignore: no please\n",
         """.healthlint.yaml:1: 'respect-gitignore' must be true or false"""),
    ],
)
def test_bad_formats_config_names_file_and_line(tmp_path, text, message):
    assert config_error(tmp_path, ".healthlint.yaml", text) == f"healthlint: {message}\n"


def test_bad_formats_in_pyproject_names_the_line(tmp_path):
    text = '[project]\nname = "site"\n\n[tool.healthlint.formats]\n".md" = "markdown"\n".mdoc" = "wiki"\n'
    assert config_error(tmp_path, "pyproject.toml", text) == (
        """healthlint: pyproject.toml:6: 'formats' for ".mdoc": "wiki" is not a format healthlint reads; use one of: markdown, mdx, text, html, docx\n"""
    )


# --- .gitignore --------------------------------------------------------------------------------------


def test_root_gitignore_with_negation_and_folder_patterns(tmp_path):
    repo = git_repo(tmp_path / "repo")
    write(repo / ".gitignore", "# drafts stay private\n*.draft.md\n!keep.draft.md\nbuild/\n/top-only.md\n")
    tree(repo, ["a.md", "x.draft.md", "keep.draft.md", "build/b.md", "sub/build/c.md", "top-only.md", "sub/top-only.md"])
    assert found(repo) == [("a.md", "markdown"), ("keep.draft.md", "markdown"), ("sub/top-only.md", "markdown")]


def test_nested_gitignore_is_relative_to_its_folder_and_wins_over_the_root(tmp_path):
    repo = git_repo(tmp_path / "repo")
    write(repo / ".gitignore", "*.txt\n")
    write(repo / "docs" / ".gitignore", "!notes.txt\n/private/\nold.md\n")
    tree(repo, ["a.txt", "old.md", "docs/notes.txt", "docs/other.txt", "docs/old.md", "docs/deep/old.md",
                "docs/private/p.md", "docs/deep/private/q.md"])
    assert found(repo) == [("old.md", "markdown"), ("docs/notes.txt", "text"), ("docs/deep/private/q.md", "markdown")]


def test_a_file_in_an_ignored_folder_cannot_be_re_included(tmp_path):
    repo = git_repo(tmp_path / "repo")
    write(repo / ".gitignore", "drafts/\n!drafts/keep.md\n")
    tree(repo, ["drafts/keep.md", "drafts/x.md", "a.md"])
    assert found(repo) == [("a.md", "markdown")]


def test_info_exclude_counts_and_a_gitignore_can_re_include(tmp_path):
    repo = git_repo(tmp_path / "repo")
    write(repo / ".git" / "info" / "exclude", "*.md\n")
    write(repo / "sub" / ".gitignore", "!wanted.md\n")
    tree(repo, ["a.md", "b.txt", "sub/wanted.md", "sub/other.md"])
    assert found(repo) == [("b.txt", "text"), ("sub/wanted.md", "markdown")]


def test_walking_a_subfolder_applies_the_rules_above_it(tmp_path):
    repo = git_repo(tmp_path / "repo")
    write(repo / ".gitignore", "content/*.tmp.md\ncontent/**/secret.md\n")
    tree(repo, ["content/a.md", "content/b.tmp.md", "content/deep/secret.md", "content/deep/c.md"])
    assert found(repo, "content") == [("content/a.md", "markdown"), ("content/deep/c.md", "markdown")]


def test_a_named_folder_that_is_ignored_is_still_walked_with_its_own_rules(tmp_path):
    repo = git_repo(tmp_path / "repo")
    write(repo / ".gitignore", "build/\n")
    write(repo / "build" / ".gitignore", "*.txt\n")
    tree(repo, ["build/a.md", "build/b.txt", "c.md"])
    assert found(repo, "build") == [("build/a.md", "markdown")]
    assert found(repo) == [("c.md", "markdown")]


def test_a_gitignore_outside_a_repository_means_nothing(tmp_path):
    write(tmp_path / ".gitignore", "*.md\n")
    tree(tmp_path, ["a.md"])
    assert found(tmp_path) == [("a.md", "markdown")]


def test_a_repository_inside_the_walk_has_its_own_rules(tmp_path):
    outer = git_repo(tmp_path / "outer")
    write(outer / ".gitignore", "*.txt\n")
    inner = git_repo(outer / "inner")
    write(inner / ".gitignore", "*.md\n")
    tree(outer, ["a.md", "a.txt", "inner/b.md", "inner/b.txt"])
    assert found(outer) == [("a.md", "markdown"), ("inner/b.txt", "text")]


def test_a_worktree_reads_info_exclude_from_the_common_git_folder(tmp_path):
    main = tmp_path / "main"
    (main / ".git" / "worktrees" / "wt").mkdir(parents=True)
    write(main / ".git" / "info" / "exclude", "*.draft.md\n")
    write(main / ".git" / "worktrees" / "wt" / "commondir", "../..\n")
    wt = tmp_path / "wt"
    write(wt / ".git", f"gitdir: {main / '.git' / 'worktrees' / 'wt'}\n")
    tree(wt, ["a.md", "b.draft.md"])
    assert found(wt) == [("a.md", "markdown")]


def test_gitignore_can_be_turned_off(tmp_path):
    repo = git_repo(tmp_path / "repo")
    write(repo / ".gitignore", "drafts/\n*.tmp.md\n")
    tree(repo, ["a.md", "b.tmp.md", "drafts/c.md"])
    everything = ["repo/a.md", "repo/b.tmp.md", "repo/drafts/c.md"]
    assert json_paths(run("check", "--no-cache", "-f", "json", "repo", cwd=tmp_path)) == ["repo/a.md"]
    assert json_paths(run("check", "--no-cache", "-f", "json", "--no-respect-gitignore", "repo", cwd=tmp_path)) == everything
    write(repo / ".healthlint.yaml", "respect-gitignore: false\n")
    assert json_paths(run("check", "--no-cache", "-f", "json", "repo", cwd=tmp_path)) == everything
    # The command line wins over the configuration.
    assert json_paths(run("check", "--no-cache", "-f", "json", "--respect-gitignore", "repo", cwd=tmp_path)) == ["repo/a.md"]


@needs_git
def test_discovery_agrees_with_git(tmp_path):
    repo = git_repo(tmp_path / "repo")
    write(repo / ".gitignore", "*.log.txt\nout/\n/root-only.md\n**/gen/*.md\n!gen/keep.md\n[Dd]rafts/\ndocs/**/tmp.md\n")
    write(repo / "docs" / ".gitignore", "!important.log.txt\n*.bak.md\n")
    write(repo / ".git" / "info" / "exclude", "local-*.md\n")
    names = [
        "a.md", "b.log.txt", "root-only.md", "docs/root-only.md", "out/c.md", "docs/out/d.md", "gen/e.md",
        "gen/keep.md", "docs/gen/f.md", "Drafts/g.md", "drafts/h.md", "docs/a/b/tmp.md", "docs/tmp.md",
        "docs/important.log.txt", "docs/x.bak.md", "x.bak.md", "local-notes.md", "docs/local-2.md", "docs/ok.txt",
    ]
    tree(repo, names)
    git = subprocess.run(["git", "ls-files", "--others", "--exclude-standard"], cwd=repo, capture_output=True, text=True, check=True)
    by_git = sorted(line for line in git.stdout.splitlines() if line.endswith((".md", ".txt")))
    assert sorted(path for path, _ in found(repo)) == by_git


def test_pathspec_is_imported_only_when_a_repository_has_patterns(tmp_path):
    tree(tmp_path / "plain", ["a.md"])
    tree(git_repo(tmp_path / "repo"), ["a.md"])
    code = (
        "import sys\nfrom healthlint.discovery import discover\n"
        f"list(discover([{str(tmp_path / 'plain')!r}, {str(tmp_path / 'repo')!r}]))\n"
        "assert 'pathspec' not in sys.modules, 'imported'\n"
        f"open({str(tmp_path / 'repo' / '.gitignore')!r}, 'w').write('*.txt')\n"
        f"list(discover([{str(tmp_path / 'repo')!r}]))\n"
        "assert 'pathspec' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, timeout=60)


def test_gitignores_matcher_for_folders_and_files(tmp_path):
    repo = git_repo(tmp_path / "repo")
    write(repo / ".gitignore", "logs/\n*.md\n")
    ignored = GitIgnores(repo).matcher(repo)
    assert ignored("logs", True) and not ignored("logs", False)  # "logs/" names folders only
    assert ignored("a.md", False) and not ignored("a.txt", False)


# --- named files are always checked --------------------------------------------------------------


def test_named_files_bypass_gitignore_non_prose_names_and_unknown_suffixes(tmp_path):
    repo = git_repo(tmp_path / "repo")
    write(repo / ".gitignore", "*.md\n")
    tree(repo, ["ignored.md", "requirements.txt", "notes.rst", "page.mdx"])
    assert found(repo, "ignored.md", "requirements.txt", "notes.rst", "page.mdx") == [
        ("ignored.md", "markdown"), ("requirements.txt", "text"), ("notes.rst", None), ("page.mdx", "mdx")
    ]
    assert found(repo) == [("page.mdx", "mdx")]
    proc = run("check", "--no-cache", "ignored.md", "requirements.txt", "notes.rst", cwd=repo)
    assert heads(proc.stdout) == [
        "ignored.md:1:22: warning unhedged-safety-claim",
        "requirements.txt:1:22: warning unhedged-safety-claim",
        "notes.rst:1:22: warning unhedged-safety-claim",  # no format by name: read as plain text
    ]


def test_standard_input_passes_through_without_a_format():
    assert list(discover(["-", "-"])) == [Found("-", None)]


# --- the summary never reads as a clean run when something was not checked -------------------------


def test_one_readable_and_one_missing_file(tmp_path):
    write(tmp_path / "clean.md", "Kratom is a plant from Southeast Asia.\n")
    write(tmp_path / "claim.md", C)
    clean = run("check", "--no-cache", "clean.md", "gone.md", cwd=tmp_path)
    assert (clean.returncode, clean.stdout, clean.stderr) == (
        2,
        "Checked 1 file without finding problems; 1 could not be checked (see the messages above).\n",
        "healthlint: gone.md: no such file or folder\n",
    )
    flagged = run("check", "--no-cache", "claim.md", "gone.md", "gone2.md", cwd=tmp_path)
    assert flagged.returncode == 2
    assert flagged.stdout.splitlines()[-1] == "Found 1 problem (1 warning) in 1 of 1 file; 2 could not be checked (see the messages above)."


def test_one_readable_file_and_a_binary_one_in_a_folder(tmp_path):
    write(tmp_path / "d" / "clean.md", "Kratom is a plant from Southeast Asia.\n")
    (tmp_path / "d" / "broken.txt").write_bytes(b"\x00\x01binary")
    proc = run("check", "--no-cache", "d", cwd=tmp_path)
    assert proc.returncode == 2
    assert "No problems found" not in proc.stdout
    assert proc.stdout == "Checked 1 file without finding problems; 1 could not be checked (see the messages above).\n"


def test_all_read_is_still_the_clean_summary(tmp_path):
    write(tmp_path / "clean.md", "Kratom is a plant from Southeast Asia.\n")
    proc = run("check", "--no-cache", "clean.md", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "No problems found in 1 file.\n")


# --- the language server ----------------------------------------------------------------------------


def test_language_server_format_follows_the_config_map():
    from healthlint.lsp.documents import document_format

    extra = {".mdoc": Format.MARKDOWN, ".txt": Format.MARKDOWN}
    assert document_format("file:///site/a.mdoc", None, extra) is Format.MARKDOWN
    assert document_format("file:///site/a.mdoc", None) is Format.TEXT
    assert document_format("file:///site/notes.txt", "plaintext", extra) is Format.MARKDOWN
    assert document_format("file:///site/notes.txt", "plaintext") is Format.TEXT
    assert document_format("file:///site/a.md", "markdown", extra) is Format.MARKDOWN


def test_language_server_checker_reads_the_configured_format(tmp_path):
    from healthlint.lsp.checker import Checker, LintJob
    from healthlint.lsp.options import Options

    write(tmp_path / ".healthlint.yaml", "formats:\n  .mdoc: markdown\nselect: [unhedged-safety-claim]\n")
    path = write(tmp_path / "a.mdoc", FENCED)
    job = LintJob(path.as_uri(), 1, 0, FENCED, Format.TEXT, path, Options(), tmp_path)
    outcome = Checker().check(job)
    assert outcome.error is None
    assert [(f.start.line, f.start.column, f.rule) for f in outcome.findings] == [(7, 22, "unhedged-safety-claim")]


def test_the_result_cache_follows_a_changed_format(tmp_path):
    config = write(tmp_path / ".healthlint.yaml", "formats:\n  .mdoc: markdown\n")
    write(tmp_path / "a.mdoc", FENCED)
    cache = ["--cache-dir", str(tmp_path / "cache")]
    first = run("check", *cache, ".", cwd=tmp_path)
    again = run("check", *cache, ".", cwd=tmp_path)
    assert heads(first.stdout) == heads(again.stdout) == ["a.mdoc:7:22: warning unhedged-safety-claim"]
    config.write_text("formats:\n  .mdoc: text\n", encoding="utf-8")
    as_text = run("check", *cache, ".", cwd=tmp_path)
    assert heads(as_text.stdout) == ["a.mdoc:4:22: warning unhedged-safety-claim", "a.mdoc:7:22: warning unhedged-safety-claim"]


def test_a_pattern_git_cannot_read_is_passed_over_and_the_rest_still_apply(tmp_path):
    repo = git_repo(tmp_path / "repo")
    write(repo / ".gitignore", "!\n\\\n*.tmp.md\n")
    tree(repo, ["a.md", "b.tmp.md", "z.md"])
    assert found(repo) == [("a.md", "markdown"), ("z.md", "markdown")]
    if shutil.which("git"):
        git = subprocess.run(["git", "ls-files", "--others", "--exclude-standard"], cwd=repo, capture_output=True, text=True, check=True)
        assert sorted(line for line in git.stdout.splitlines() if line.endswith(".md")) == ["a.md", "z.md"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_gitignore_or_git_file_that_is_a_named_pipe_does_not_make_the_walk_wait(tmp_path):
    repo = git_repo(tmp_path / "repo")
    os.mkfifo(repo / ".gitignore")  # opened for reading, a pipe with no writer would wait for ever
    tree(repo, ["a.md"])
    other = tmp_path / "other"
    os.mkfifo(tmp_path / "other.git")
    other.mkdir()
    os.symlink(tmp_path / "other.git", other / ".git")
    tree(other, ["b.md"])
    assert found(repo) == [("a.md", "markdown")]
    assert found(other) == [("b.md", "markdown")]
