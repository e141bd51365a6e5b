from __future__ import annotations

import os
import re
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEED = SHARED / "fixtures" / "kratom-article.txt"
NIH = SHARED / "corpus" / "nih"

# Tests never talk to a real LanguageTool. A developer's own server URL must not reach them,
# neither the processes they start nor rules loaded in this process (the grammar rule reads
# the variable when it is loaded, and the built-in rules are loaded once per session).
LANGUAGETOOL_URL = "HEALTHLINT_LANGUAGETOOL_URL"


def pytest_configure(config) -> None:
    os.environ.pop(LANGUAGETOOL_URL, None)


@pytest.fixture(scope="session")
def ruleset():
    from healthlint.ruleset import load_rules

    return load_rules()


@pytest.fixture
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip("../shared/fixtures/kratom-article.txt is not present")
    return SEED


# --- the command line, in this process --------------------------------------------------------
#
# Starting `python -m healthlint` costs about a second (interpreter, imports, loading the rules),
# so almost every CLI test runs the typer app in this process instead, as click's CliRunner
# does. tests/test_smoke.py keeps a few real processes (run_process) to check that the two
# agree on what matters.

FINDING = re.compile(r"^(?P<head>.+?:\d+:\d+: (?:error|warning|info) \S+) ")

# lru_caches kept between in-process runs: their results come only from healthlint's own files
# and the installed distributions (plugins), which do not change while the tests run
# (tests/test_plugins.py installs its plugin into a separate environment). They are most of a
# run's start-up. Every other healthlint cache is cleared before each run: those hold what a
# previous run found on disk (config files, rule folders), which a fresh process would look up
# again. A cache added later is cleared too, until it is listed here. rulecache.code_fingerprint is
# not kept, though it is healthlint's own files: tests stand in a new version for it
# (test_cache.py), and it costs only about 10 ms.
SESSION_STABLE_CACHES = frozenset(
    {
        "healthlint.ruleset.builtin_rules",
        "healthlint.ruleset.builtin_lexicons",
        "healthlint.ruleset.plugin_rules",
        "healthlint.plugins.load_plugins",
        "healthlint.context.cues",
        "healthlint.readability.pronouncing_dictionary",
        "healthlint.readability.textstat",
        "healthlint.readability._hyphenator",
        "healthlint.readability._hyphenation_points",
        "healthlint.installed.installed",
    }
)


def _healthlint_caches() -> Iterator[tuple[str, object]]:
    """(qualified name, function) of every lru_cache'd function in the loaded healthlint modules."""
    for module_name, module in list(sys.modules.items()):
        if module is None or not (module_name == "healthlint" or module_name.startswith("healthlint.")):
            continue
        for name, value in list(vars(module).items()):
            if callable(getattr(value, "cache_clear", None)) and getattr(value, "__module__", None) == module_name:
                yield f"{module_name}.{name}", value


def forget_process_state() -> None:
    """What a fresh process would not know: cached file-system look-ups and grammar notices."""
    for qualified_name, function in _healthlint_caches():
        if qualified_name not in SESSION_STABLE_CACHES:
            function.cache_clear()
    grammar = sys.modules.get("healthlint.kinds.grammar")  # only if loaded: it is a heavy import
    if grammar is not None:
        grammar.reset_state()


@contextmanager
def cached_rules_restored() -> Iterator[None]:
    """The cached built-in and plugin rule objects are shared by every in-process run, and a run
    may set attributes on them in place (settings.Resolver sets the grammar rule's server_url
    from --languagetool-url). Put their attributes back afterwards so nothing leaks into the next run."""
    from healthlint.ruleset import builtin_rules, plugin_rules

    saved = [(rule, dict(vars(rule))) for rule in (*builtin_rules(), *plugin_rules()) if hasattr(rule, "__dict__")]
    try:
        yield
    finally:
        for rule, state in saved:
            vars(rule).clear()
            vars(rule).update(state)


@contextmanager
def working_directory(path: Path | None) -> Iterator[None]:
    """chdir for the block and back, as a process started in ``path`` would be."""
    if path is None:
        yield
        return
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def invoke(
    *args: str,
    cwd: Path | None,
    stdin: str | bytes | None = None,
    env: Mapping[str, str | None] | None = None,
) -> subprocess.CompletedProcess:
    """Run ``healthlint ARGS`` in this process: exit code, stdout and stderr (kept apart, decoded
    as UTF-8, newlines as written), in ``cwd``, with ``stdin`` and the ``env`` changes (None
    removes a variable). An exception escaping the app fails the test with its traceback."""
    # typer's runner, not click's: typer 0.29 carries its own copy of click (typer._click), and
    # its runner patches that copy. Like click 8.2+, it keeps stderr apart from stdout.
    from typer.testing import CliRunner

    from healthlint.cli import app

    forget_process_state()
    changes = {LANGUAGETOOL_URL: None, **(env or {})}
    with working_directory(cwd), cached_rules_restored():
        result = CliRunner().invoke(
            app,
            list(args),
            input=stdin,
            env=changes,
            catch_exceptions=False,
            prog_name="python -m healthlint",
        )
    stdout = result.stdout_bytes.decode("utf-8")
    stderr = result.stderr_bytes.decode("utf-8")
    assert "Traceback" not in stderr, stderr
    assert "Traceback" not in stdout, stdout
    return subprocess.CompletedProcess(["healthlint", *args], result.exit_code, stdout, stderr)


def text_mode(output: str) -> str:
    """Output as subprocess.run(text=True) gives it: universal newlines."""
    return output.replace("\r\n", "\n").replace("\r", "\n")


def run(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    """``healthlint ARGS`` in ``cwd``, in this process (see invoke); never a traceback."""
    proc = invoke(*args, cwd=cwd, stdin=stdin if stdin is not None else "")
    return subprocess.CompletedProcess(proc.args, proc.returncode, text_mode(proc.stdout), text_mode(proc.stderr))


def run_process(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    """``python -m healthlint ARGS`` on this checkout as a real process, in ``cwd``; never a traceback."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop(LANGUAGETOOL_URL, None)
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


def team_rules(tmp_path: Path, file_name: str, rule_yaml: str):
    """The rules of one rule file, written into a team rule folder under ``tmp_path``."""
    from healthlint.ruleset import load_folder

    folder = tmp_path / "team"
    write(folder / file_name, rule_yaml)
    return load_folder(folder, "test")


def heads(stdout: str) -> list[str]:
    """"PATH:LINE:COL: SEVERITY RULE" of every finding line, in order."""
    return [m.group("head") for line in stdout.splitlines() if (m := FINDING.match(line))]
