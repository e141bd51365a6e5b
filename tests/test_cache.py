"""The result cache: a warm run gives the same report without linting, and anything that could
change a file's findings makes it lint again. A cache that cannot be used is never an error.

The CLI runs in this process (conftest.invoke); ``lints`` counts what is really linted.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, invoke, write

from healthlint import cache, engine
from healthlint.model import Edit, Finding, Fix, Position, Severity

C = "Our CBD gummies have zero side effects.\n"  # unhedged-safety-claim (warning)
O = "Kratom offers a natural alternative to opioids.\n"  # opioid-substitution (error)
LONG = "The clinic, which opened in 2019 and which serves patients from across the county and beyond, offers care that many people in the area have come to rely on every single day.\n"
CACHE = ".healthlint_cache"


@pytest.fixture
def lints(monkeypatch) -> list[str]:
    """The display path of every file linted, in order."""
    seen: list[str] = []
    real = engine.lint_source

    def counting(source, rules, **kwargs):
        seen.append(source.path)
        return real(source, rules, **kwargs)

    monkeypatch.setattr(engine, "lint_source", counting)
    return seen


@pytest.fixture
def docs(tmp_path) -> Path:
    write(tmp_path / "docs" / "a.txt", C + LONG)
    write(tmp_path / "docs" / "b.md", "# Kratom\n\n" + O + "\n<!-- healthlint-disable-next-line -->\n" + C)
    write(tmp_path / "docs" / "c.txt", "Kratom is a plant from Southeast Asia.\n")
    return tmp_path


def check(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return invoke("check", "--jobs", "1", *args, cwd=cwd, env=env)


def entries(root: Path, kind: str = "files") -> list[Path]:
    folder = root / cache.LAYOUT / kind
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


# --- hits --------------------------------------------------------------------------------------


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github", "rdjson"])
def test_a_warm_run_prints_the_same_report_without_linting(docs, lints, output_format):
    cold = check("--format", output_format, "docs", cwd=docs)
    assert lints == ["docs/a.txt", "docs/b.md", "docs/c.txt"]
    warm = check("--format", output_format, "docs", cwd=docs)
    assert lints == ["docs/a.txt", "docs/b.md", "docs/c.txt"]  # nothing more
    assert (warm.returncode, warm.stdout, warm.stderr) == (cold.returncode, cold.stdout, cold.stderr)
    assert cold.returncode == 1


def test_the_findings_really_come_from_the_cache(docs):
    """Doctor a stored message: a warm run prints it, --no-cache does not."""
    cold = check("docs/a.txt", cwd=docs)
    (entry,) = entries(docs / CACHE)
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["findings"][0][7] = "DOCTORED"
    entry.write_text(json.dumps(data), encoding="utf-8")
    assert "DOCTORED" in check("docs/a.txt", cwd=docs).stdout
    assert check("--no-cache", "docs/a.txt", cwd=docs).stdout == cold.stdout


def test_every_field_of_a_finding_survives_the_cache():
    finding = Finding(
        path="docs/a.md",
        start=Position(3, 7),
        end=Position(4, 2),
        rule="plain-language",
        severity=Severity.INFO,
        message="m \u201cquoted\u201d \U0001f600",
        suggestion=None,
        text="hepatic",
        span=(40, 47),
        key="k",
        fix=Fix((Edit(40, 47, "liver"), Edit(50, 50, "!")), "safe", "Replace it"),
    )
    other = dataclasses.replace(finding, path="elsewhere.md", fix=None, suggestion="s")
    as_json = json.loads(json.dumps([cache.finding_to_json(f, "docs/a.md") for f in (finding, other)]))
    back = [cache.finding_from_json(row, "docs/a.md") for row in as_json]
    assert [dataclasses.astuple(f) for f in back] == [dataclasses.astuple(finding), dataclasses.astuple(other)]
    assert as_json[0][0] is None  # the file's own path is not repeated
    # A new field on Finding must be taught to the cache (this test then fails).
    assert [f.name for f in dataclasses.fields(Finding)] == ["path", "start", "end", "rule", "severity", "message", "suggestion", "text", "span", "key", "fix"]


def test_rule_infos_and_options_survive_the_cache(ruleset):
    from healthlint.filters import rule_options

    infos = [rule.info for rule in ruleset.rules]
    assert [cache.info_from_json(json.loads(json.dumps(cache.info_to_json(i)))) for i in infos] == infos
    known = {rule.info.id: rule_options(rule) for rule in ruleset.rules}
    assert cache.catalogue_from_json(json.loads(json.dumps(cache.catalogue_to_json(known)))) == known


def test_fail_on_and_baselines_apply_to_cached_findings(docs, lints):
    check("docs", cwd=docs)
    assert check("--fail-on", "never", "docs", cwd=docs).returncode == 0
    assert check("--fail-on", "error", "docs", cwd=docs).returncode == 1
    assert check("--write-baseline", "base.json", "docs", cwd=docs).returncode == 0
    kept = check("--baseline", "base.json", "docs", cwd=docs)
    assert (kept.returncode, kept.stdout) == (0, "No problems found in 3 files.\n")
    assert len(lints) == 3  # every run after the first was served from the cache


def test_a_warm_run_in_a_new_process_loads_no_rule(docs):
    """The point of the cache: no rule kind, engine or textstat is even imported on a hit."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("HEALTHLINT_LANGUAGETOOL_URL", None)
    script = (
        "import sys\n"
        "from healthlint.cli import app\n"
        "try:\n"
        "    app(['check', '--jobs', '1', 'docs'])\n"
        "except SystemExit as exit:\n"
        "    code = exit.code\n"
        "loaded = sorted(m for m in ('healthlint.engine', 'healthlint.kinds.claim', 'healthlint.kinds.metric', 'healthlint.ruleset', 'textstat') if m in sys.modules)\n"
        "print('loaded:', loaded, 'exit:', code, file=sys.stderr)\n"
    )
    runs = [subprocess.run([sys.executable, "-c", script], cwd=docs, env=env, capture_output=True, text=True, timeout=180) for _ in range(2)]
    cold, warm = runs
    assert cold.stderr.endswith("exit: 1\n") and "'healthlint.kinds.claim'" in cold.stderr
    assert warm.stdout == cold.stdout
    assert warm.stderr == "loaded: ['healthlint.ruleset'] exit: 1\n"


def test_jobs_and_cache_together_give_the_same_report(docs, lints, monkeypatch):
    from healthlint import jobs

    monkeypatch.setattr(jobs, "MIN_PARALLEL_CHARS", 1)
    cold = invoke("check", "--jobs", "2", "docs", cwd=docs)
    write(docs / "docs" / "c.txt", O)  # one file changes: only it is linted again
    lints.clear()
    warm = invoke("check", "--jobs", "2", "docs", cwd=docs)
    assert lints == ["docs/c.txt"]
    assert "docs/c.txt:1:25: error opioid-substitution" in warm.stdout and "docs/c.txt" not in cold.stdout
    assert check("--no-cache", "docs", cwd=docs).stdout == warm.stdout


# --- what invalidates an entry ------------------------------------------------------------------


def test_changing_the_file_lints_it_again(docs, lints):
    check("docs", cwd=docs)
    write(docs / "docs" / "c.txt", C)
    lints.clear()
    result = check("docs", cwd=docs)
    assert lints == ["docs/c.txt"]
    assert "docs/c.txt:1:22: warning unhedged-safety-claim" in result.stdout


def test_changing_a_config_option_lints_again(docs, lints):
    write(docs / ".healthlint.yaml", "rules:\n  long-sentence: {max_words: 40}\n")
    assert "long-sentence" not in check("docs/a.txt", cwd=docs).stdout
    write(docs / ".healthlint.yaml", "rules:\n  long-sentence: {max_words: 20}\n")
    lints.clear()
    assert "docs/a.txt:2:1: info long-sentence This sentence has 32 words, more than 20." in check("docs/a.txt", cwd=docs).stdout
    assert lints == ["docs/a.txt"]


@pytest.mark.parametrize(
    "options",
    [["--select", "long-sentence"], ["--ignore", "unhedged-safety-claim"], ["--audience", "professional"], ["--report-unused-suppressions"], ["--isolated"]],
)
def test_each_command_line_setting_has_its_own_entry(docs, lints, options):
    plain = check("--no-cache", *options, "docs", cwd=docs)
    check("docs", cwd=docs)
    lints.clear()
    assert check(*options, "docs", cwd=docs).stdout == plain.stdout
    assert lints == ["docs/a.txt", "docs/b.md", "docs/c.txt"]


def test_an_unused_suppression_is_reported_from_the_cache_too(docs):
    write(docs / "docs" / "d.md", "<!-- healthlint-disable-next-line -->\nKratom is a plant.\n")
    cold = check("--report-unused-suppressions", "docs/d.md", cwd=docs)
    warm = check("--report-unused-suppressions", "docs/d.md", cwd=docs)
    assert "unused-suppression" in cold.stdout and warm.stdout == cold.stdout


def test_changing_a_rule_file_lints_again(docs, lints):
    rule = """\
id: miracle
kind: phrase
severity: warning
summary: We never call a product a miracle.
message: 'House style ONE: do not say "{text}".'
suggestion: Describe what it does instead.
patterns:
  - regex: '\\bmiracle\\b'
"""
    write(docs / "house" / "miracle.yaml", rule)
    write(docs / ".healthlint.yaml", "rule-folders: [house]\n")
    write(docs / "docs" / "m.txt", "Our miracle tea.\n")
    assert "House style ONE" in check("docs/m.txt", cwd=docs).stdout
    assert "House style ONE" in check("docs/m.txt", cwd=docs).stdout
    assert lints == ["docs/m.txt"]
    write(docs / "house" / "miracle.yaml", rule.replace("ONE", "TWO"))
    assert "House style TWO" in check("docs/m.txt", cwd=docs).stdout
    assert lints == ["docs/m.txt", "docs/m.txt"]


def test_a_new_healthlint_version_lints_again(docs, lints, monkeypatch):
    from healthlint import rulecache

    check("docs/a.txt", cwd=docs)
    check("docs/a.txt", cwd=docs)
    assert lints == ["docs/a.txt"]
    monkeypatch.setattr(rulecache, "__version__", "999.0")  # the code fingerprint both caches use
    check("docs/a.txt", cwd=docs)
    assert lints == ["docs/a.txt", "docs/a.txt"]


def test_the_code_fingerprint_covers_code_data_and_python(tmp_path, monkeypatch):
    """One fingerprint for both caches: any .py or .yaml file in the package, healthlint's
    version and Python's change it; other files and bytecode do not."""
    import types

    from healthlint import rulecache

    package = tmp_path / "healthlint"
    write(package / "rulecache.py", "# code\n")
    write(package / "data" / "context.yaml", "hedges: [may]\n")
    write(package / "builtin_rules" / "_lexicons.yaml", "lexicons: {}\n")
    monkeypatch.setattr(rulecache, "__file__", str(package / "rulecache.py"))

    def fingerprint() -> str:
        rulecache.code_fingerprint.cache_clear()
        return rulecache.code_fingerprint()

    try:
        seen = [fingerprint()]
        write(package / "README.txt", "not code\n")
        write(package / "__pycache__" / "x.yaml", "not source\n")
        assert fingerprint() == seen[0]
        for path, text in [("rulecache.py", "# changed\n"), ("data/context.yaml", "hedges: [might]\n"), ("builtin_rules/_lexicons.yaml", "lexicons: {a: [b]}\n"), ("kinds/new.py", "\n")]:
            write(package / path, text)
            seen.append(fingerprint())
        monkeypatch.setattr(rulecache, "__version__", "999.0")
        seen.append(fingerprint())
        monkeypatch.setattr(rulecache, "sys", types.SimpleNamespace(version="3.99.0 (a Python to come)"))
        seen.append(fingerprint())
        assert len(set(seen)) == len(seen) == 7
    finally:
        rulecache.code_fingerprint.cache_clear()  # forget the stand-in package's fingerprint


def test_rule_files_are_exactly_the_files_the_loader_reads(tmp_path, monkeypatch):
    """Both caches key on ruleset.rule_files: it must name every file loading a folder reads
    (and nothing else), for the built-in folder and for a custom one, which may use the
    built-in lexicons."""
    from healthlint import ruleset

    house = tmp_path / "house"
    write(house / "miracle.yaml", "id: miracle\nkind: phrase\nseverity: warning\nsummary: No.\nmessage: 'No \"{text}\".'\npatterns:\n  - regex: '\\b{ours}\\b'\n")
    write(house / "_ours.yaml", "lexicons:\n  ours: [miracle]\n")
    write(house / "notes.txt", "not a rule\n")
    read: list[Path] = []
    real_load_yaml = ruleset.load_yaml

    def recording(path):
        read.append(Path(path).resolve())
        return real_load_yaml(path)

    monkeypatch.setattr(ruleset, "load_yaml", recording)
    monkeypatch.setenv("HEALTHLINT_NO_RULE_CACHE", "1")
    ruleset.builtin_lexicons.cache_clear()  # so the built-in lexicons are read again here
    for folder, prefix in [(house, "house"), (ruleset.builtin_rules_dir(), None)]:
        read.clear()
        ruleset.load_folder(folder, str(folder), prefix)
        assert sorted(set(read)) == ruleset.rule_files([folder]), folder
    builtin_lexicons = sorted(ruleset.builtin_rules_dir().glob("_*.yaml"))
    assert builtin_lexicons and set(builtin_lexicons) <= set(ruleset.rule_files([house]))
    assert house.resolve() / "notes.txt" not in ruleset.rule_files([house])
    assert ruleset.rule_files([ruleset.builtin_rules_dir(), house]) == sorted(set(ruleset.rule_files([house])) | set(ruleset.rule_files([ruleset.builtin_rules_dir()])))


def test_changing_a_custom_folders_lexicon_lints_again(docs, lints):
    write(docs / "house" / "miracle.yaml", "id: miracle\nkind: phrase\nseverity: warning\nsummary: No.\nmessage: 'House: \"{text}\".'\npatterns:\n  - regex: '\\b{ours}\\b'\n")
    write(docs / "house" / "_ours.yaml", "lexicons:\n  ours: [miracle]\n")
    write(docs / ".healthlint.yaml", "rule-folders: [house]\n")
    write(docs / "docs" / "m.txt", "Our miracle tea is a wonder.\n")
    assert 'House: "miracle"' in check("docs/m.txt", cwd=docs).stdout
    check("docs/m.txt", cwd=docs)
    assert lints == ["docs/m.txt"]
    write(docs / "house" / "_ours.yaml", "lexicons:\n  ours: [wonder]\n")
    assert 'House: "wonder"' in check("docs/m.txt", cwd=docs).stdout
    assert lints == ["docs/m.txt", "docs/m.txt"]


def test_the_resolver_checks_configurations_against_the_known_rules_it_is_given(tmp_path, monkeypatch):
    """The hook the cache plans with: settings_for gives a file's configuration, settings and
    fail-on level from known_rules alone, without building a rule."""
    from healthlint import settings
    from healthlint.config import ConfigError

    def no_building(*args, **kwargs):
        raise AssertionError("a rule was built")

    monkeypatch.setattr(settings, "load_rules", no_building)
    known = {"long-sentence": {"max_words": ("max_words", int, None)}, "reading-level": {}}
    write(tmp_path / ".healthlint.yaml", "fail-on: error\nrules:\n  long-sentence: {max_words: 9}\noverrides:\n  - files: ['news/**']\n    fail-on: info\n")
    resolver = settings.Resolver(settings.CommandLine(), known_rules=lambda folders: known)
    applies = resolver.settings_for(tmp_path / "a.md")
    assert (applies.config.path, applies.settings.rules, applies.fail_on) == (tmp_path / ".healthlint.yaml", {"long-sentence": {"max_words": 9}}, "error")
    assert resolver.settings_for(tmp_path / "news" / "b.md").fail_on == "info"
    assert settings.Resolver(settings.CommandLine(fail_on="never"), known_rules=lambda folders: known).settings_for(tmp_path / "news" / "b.md").fail_on == "never"
    write(tmp_path / "other" / ".healthlint.yaml", "ignore: [missing-citation]\n")  # a real rule, but not one it was told of
    with pytest.raises(ConfigError, match="'ignore' names an unknown rule 'missing-citation'"):
        resolver.settings_for(tmp_path / "other" / "c.md")


def test_config_errors_are_reported_as_without_a_cache(docs):
    check("docs", cwd=docs)
    write(docs / ".healthlint.yaml", "ignore: [reading-levl]\n")
    with_cache, without = check("docs", cwd=docs), check("--no-cache", "docs", cwd=docs)
    assert (with_cache.returncode, with_cache.stdout, with_cache.stderr) == (without.returncode, without.stdout, without.stderr)
    assert with_cache.stderr == f"healthlint: {docs / '.healthlint.yaml'}:1: 'ignore' names an unknown rule 'reading-levl'; did you mean 'reading-level'?\n"
    (docs / ".healthlint.yaml").unlink()
    assert check("--select", "long-sentenc", "docs", cwd=docs).stderr == "healthlint: --select: there is no rule 'long-sentenc'; did you mean 'long-sentence'?\n"


def test_excluded_files_stay_excluded_on_a_warm_run(docs, lints):
    write(docs / ".healthlint.yaml", "exclude: ['docs/b.md']\n")
    cold = check("docs", cwd=docs)
    warm = check("docs", cwd=docs)
    assert warm.stdout == cold.stdout and "b.md" not in warm.stdout
    assert lints == ["docs/a.txt", "docs/c.txt"]


# --- what is never cached ----------------------------------------------------------------------


def test_no_cache_writes_nothing(docs):
    check("--no-cache", "docs", cwd=docs)
    assert not (docs / CACHE).exists()


def test_fix_diff_and_standard_input_bypass_the_cache(docs, lints):
    write(docs / "docs" / "h.txt", "The drug is a strong analgesic.\n")
    check("--diff", "docs/h.txt", cwd=docs)
    invoke("check", "-", "--stdin-filename", "x.txt", cwd=docs, stdin=C)
    assert not (docs / CACHE).exists()
    check("--fix", "docs/h.txt", cwd=docs)
    assert not (docs / CACHE).exists()
    assert (docs / "docs" / "h.txt").read_text(encoding="utf-8") == "The drug is a strong painkiller.\n"


def test_the_grammar_rule_is_never_cached(docs, lints):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    for _ in range(2):
        check("--languagetool-url", url, "docs/a.txt", cwd=docs)
    assert lints == ["docs/a.txt", "docs/a.txt"]
    assert entries(docs / CACHE) == []


# --- a cache that cannot be used ---------------------------------------------------------------


def test_the_folder_ignores_itself_in_git_and_is_tagged(docs):
    check("docs", cwd=docs)
    root = docs / CACHE
    assert "*" in (root / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert (root / "CACHEDIR.TAG").read_text(encoding="utf-8").startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert len(entries(root)) == 3
    # Nothing else: no temporary files left, nothing outside the layout.
    entry = re.compile(rf"^{cache.LAYOUT}/(files|rules|catalogue)/[0-9a-f]{{32}}\.json$")
    stray = [p for p in root.rglob("*") if p.is_file() and p.name not in (".gitignore", "CACHEDIR.TAG") and not entry.match(p.relative_to(root).as_posix())]
    assert stray == []


def test_a_cache_that_cannot_be_written_is_skipped_silently(docs, lints):
    write(docs / "in-the-way", "a file where the cache folder would go\n")
    plain = check("--no-cache", "docs", cwd=docs)
    for _ in range(2):
        result = check("--cache-dir", "in-the-way/cache", "docs", cwd=docs)
        assert (result.returncode, result.stdout, result.stderr) == (plain.returncode, plain.stdout, plain.stderr)
    assert len(lints) == 9


def test_a_cache_on_a_read_only_file_system_is_read_but_never_written(docs, lints, monkeypatch):
    """As a read-only mount behaves (root included): every write fails with EROFS."""
    import errno

    check("docs", cwd=docs)

    def read_only(target, data):
        raise OSError(errno.EROFS, "Read-only file system", str(target))

    monkeypatch.setattr(cache, "write_atomic", read_only)
    write(docs / "docs" / "a.txt", O)
    lints.clear()
    first, second = check("docs", cwd=docs), check("docs", cwd=docs)
    assert first.stderr == second.stderr == "" and first.stdout == second.stdout
    assert "docs/a.txt:1:25: error opioid-substitution" in first.stdout
    assert lints == ["docs/a.txt", "docs/a.txt"]  # b.md and c.txt still come from the cache


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_cache_is_read_but_never_written(docs, lints):
    check("docs/a.txt", cwd=docs)
    root = docs / CACHE
    folders = [root, *[p for p in root.rglob("*") if p.is_dir()]]
    for folder in folders:
        folder.chmod(0o555)
    try:
        write(docs / "docs" / "a.txt", O)  # a miss whose entry cannot be stored
        first, second = check("docs/a.txt", cwd=docs), check("docs/a.txt", cwd=docs)
    finally:
        for folder in folders:
            folder.chmod(0o755)
    assert first.stderr == second.stderr == "" and first.stdout == second.stdout
    assert "opioid-substitution" in first.stdout
    assert lints == ["docs/a.txt"] * 3


@pytest.mark.parametrize("garbage", [b"", b"{not json", b"[1, 2, 3]", b'{"check": 5}', b"\xff\xfe\x00", b'{"check": null, "findings": [[1]]}'])
def test_a_corrupt_entry_is_ignored_and_replaced(docs, lints, garbage):
    cold = check("docs", cwd=docs)
    for entry in entries(docs / CACHE):
        entry.write_bytes(garbage)
    again = check("docs", cwd=docs)
    assert (again.returncode, again.stdout, again.stderr) == (cold.returncode, cold.stdout, cold.stderr)
    assert len(lints) == 6
    assert all(json.loads(e.read_bytes())["check"] for e in entries(docs / CACHE))  # rewritten whole


def test_a_corrupt_rules_entry_or_catalogue_is_ignored(docs, lints):
    write(docs / ".healthlint.yaml", "rules:\n  long-sentence: {max_words: 20}\n")
    cold = check("--select", "long-sentence,unhedged-safety-claim", "docs", cwd=docs)
    for kind in ("rules", "catalogue"):
        assert entries(docs / CACHE, kind)
        for entry in entries(docs / CACHE, kind):
            entry.write_text('{"long-sentence": {"max_words": ["x", ["nosuchtype"], null]}}', encoding="utf-8")
    again = check("--select", "long-sentence,unhedged-safety-claim", "docs", cwd=docs)
    assert (again.returncode, again.stdout, again.stderr) == (cold.returncode, cold.stdout, cold.stderr)
    assert len(lints) == 6


def test_the_cache_folder_can_be_moved(docs, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    check("docs", cwd=docs, env={cache.CACHE_DIR_ENV: str(elsewhere / "by-env")})
    check("--cache-dir", str(elsewhere / "by-option"), "docs", cwd=docs)
    assert not (docs / CACHE).exists()
    assert len(entries(elsewhere / "by-env")) == len(entries(elsewhere / "by-option")) == 3
    assert (elsewhere / "by-env" / ".gitignore").is_file()


def test_writes_are_atomic_renames(tmp_path, monkeypatch):
    """A reader sees the old entry or the new one, never part of one: the bytes go to a
    temporary file that is renamed over the entry. Both caches and --fix write this way."""
    from healthlint import atomicfile, rulecache

    assert cache.write_atomic is rulecache.write_atomic is atomicfile.write_atomic
    target = tmp_path / "entry.json"
    target.write_bytes(b"old")
    renames = []
    real_replace = os.replace

    def replace(src, dst):
        renames.append((Path(src).name, Path(src).read_bytes(), target.read_bytes()))
        real_replace(src, dst)

    monkeypatch.setattr(atomicfile.os, "replace", replace)
    atomicfile.write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    ((temporary, written, before),) = renames
    assert temporary.startswith(".entry.json.") and temporary.endswith(".healthlint-tmp")
    assert written == b"new" and before == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entry.json"]


def test_an_atomic_write_keeps_a_files_permissions_and_leaves_nothing_on_failure(tmp_path, monkeypatch):
    from healthlint import atomicfile

    page = tmp_path / "page.md"
    page.write_bytes(b"old")
    page.chmod(0o640)
    atomicfile.write_atomic(page, b"new")
    assert (page.read_bytes(), page.stat().st_mode & 0o777) == (b"new", 0o640)
    atomicfile.write_atomic(tmp_path / "fresh.json", b"{}")
    assert (tmp_path / "fresh.json").read_bytes() == b"{}"

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomicfile.os, "replace", full_disk)
    with pytest.raises(OSError):
        atomicfile.write_atomic(page, b"newer")
    assert page.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.json", "page.md"]
