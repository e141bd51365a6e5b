"""Python plugins, installed for real into a throwaway virtual environment.

tests/plugin_pkg is a tiny plugin package ("acme-healthlint", entry point "acme" in the group
"healthlint.rules") with a new rule kind written in Python ("max-exclamations"), a YAML rule in
its RULE_FOLDERS that uses that kind, and a rules() function giving one Python rule.

The environment is built offline (pip never sees an index):

* ``python -m venv --system-site-packages``; if this interpreter is itself a virtual
  environment, its site-packages are added with a .pth file, so healthlint's dependencies come
  from the environment running the tests.
* healthlint: ``pip install --no-deps --no-build-isolation -e ROOT`` when hatchling is
  importable; otherwise the checkout goes on PYTHONPATH.
* the plugin: ``pip install --no-index --no-deps --no-build-isolation`` of a copy of
  tests/plugin_pkg (a copy, so no build files land in the checkout). setuptools older than 70.1
  cannot build a wheel without the ``wheel`` package; when neither is there, setuptools still
  builds the package (egg_info, build_py), the test packs those files into a wheel, and pip
  installs that wheel with --no-index.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import run

ROOT = Path(__file__).resolve().parents[1]
PLUGIN_SRC = ROOT / "tests" / "plugin_pkg"

FINDING = re.compile(r"^(?P<head>.+?:\d+:\d+: (?:error|warning|info) \S+) ")
SOURCE = "plugin 'acme' (acme-healthlint 0.1.0)"
TEXT = "Kratom is amazing! Try it today! Results guaranteed.\n"


@dataclass
class PluginEnv:
    python: Path
    env: dict = field(default_factory=dict)  # for running healthlint in the environment
    how: list = field(default_factory=list)  # how healthlint and the plugin were installed

    def run(self, *args: str, cwd: Path) -> subprocess.CompletedProcess:
        """``venv/bin/python -m healthlint ARGS``; never a traceback."""
        proc = subprocess.run(
            [str(self.python), "-m", "healthlint", *args],
            cwd=cwd,
            input="",
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=self.env,
            timeout=180,
        )
        assert "Traceback" not in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stdout, proc.stdout
        return proc


def _quiet_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PIP_USER", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "HEALTHLINT_LANGUAGETOOL_URL")}
    env.update(PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", PYTHONNOUSERSITE="1")
    return env


def _py(python: Path, *args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(python), *args], cwd=cwd, capture_output=True, text=True, env=env or _quiet_env(), timeout=300)


def _must(proc: subprocess.CompletedProcess, what: str) -> subprocess.CompletedProcess:
    if proc.returncode != 0:
        pytest.fail(f"{what} failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def _pack_wheel(build_lib: Path, egg_info: Path, out: Path) -> Path:
    """A pure-Python wheel from setuptools' build_py output and egg_info metadata."""
    metadata = (egg_info / "PKG-INFO").read_text(encoding="utf-8")
    fields = dict(line.split(": ", 1) for line in metadata.splitlines() if ": " in line and not line.startswith(" "))
    dist = f"{re.sub(r'[-_.]+', '_', fields['Name'])}-{fields['Version']}"
    info = f"{dist}.dist-info"
    files = {p.relative_to(build_lib).as_posix(): p.read_bytes() for p in sorted(build_lib.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}
    files[f"{info}/METADATA"] = metadata.encode("utf-8")
    files[f"{info}/entry_points.txt"] = (egg_info / "entry_points.txt").read_bytes()
    files[f"{info}/top_level.txt"] = (egg_info / "top_level.txt").read_bytes()
    files[f"{info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: healthlint-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    record = [
        f"{name},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},{len(data)}"
        for name, data in files.items()
    ]
    files[f"{info}/RECORD"] = ("\n".join(record + [f"{info}/RECORD,,"]) + "\n").encode("utf-8")
    wheel = out / f"{dist}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return wheel


@pytest.fixture(scope="module")
def plugin_env(tmp_path_factory) -> PluginEnv:
    if os.name == "nt":
        pytest.skip("the throwaway environment is built the POSIX way (venv/bin/python)")
    base = tmp_path_factory.mktemp("plugin-env")
    venv = base / "venv"
    _must(_py(Path(sys.executable), "-m", "venv", "--system-site-packages", "--without-pip", str(venv)), "python -m venv")
    python = venv / "bin" / "python"
    how: list[str] = []

    # This interpreter's own site-packages (when it is a virtual environment, --system-site-packages
    # reaches only the base interpreter's).
    seen = {os.path.realpath(p) for p in json.loads(_must(_py(python, "-c", "import json, sys; print(json.dumps(sys.path))"), "sys.path").stdout)}
    import site

    candidates = [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    if site.ENABLE_USER_SITE:  # pip install --user; the new environment runs with PYTHONNOUSERSITE
        candidates.append(site.getusersitepackages())
    ours = []
    for candidate in candidates:
        path = os.path.realpath(candidate)
        if os.path.isdir(path) and path not in seen and path not in ours:
            ours.append(path)
    site_packages = Path(_must(_py(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"), "purelib").stdout.strip())
    if ours:
        # addsitedir, not a bare path: .pth files in those folders (editable installs, a parent
        # environment's own .pth) are processed as they are for this interpreter.
        lines = [f"import site; site.addsitedir({path!r})" for path in ours]
        (site_packages / "zz_parent_environment.pth").write_text("\n".join(lines) + "\n", encoding="utf-8")
        how.append(f"dependencies from {', '.join(ours)}")
    # Found, not imported: importing them (textstat pulls in NLTK) takes seconds, and every
    # healthlint run below imports them anyway.
    _must(
        _py(python, "-c", "import importlib.util, sys; sys.exit(' '.join(m for m in ('typer', 'yaml', 'markdown_it', 'textstat') if importlib.util.find_spec(m) is None) or None)"),
        "finding healthlint's dependencies in the new environment",
    )

    # pip: seen through the system site-packages, or installed from the bundled wheel (offline).
    if _py(python, "-m", "pip", "--version").returncode != 0:
        _must(_py(python, "-m", "ensurepip", "--default-pip"), "ensurepip")

    def pip(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        return _py(python, "-m", "pip", "install", "--no-index", "--no-deps", "--no-build-isolation", "--no-cache-dir", *args, cwd=cwd)

    # healthlint from this checkout.
    env = _quiet_env()
    editable, why = False, "hatchling is not importable"
    if _py(python, "-c", "import hatchling.build").returncode == 0:
        attempt = pip("-e", str(ROOT))
        located = _py(python, "-c", "import healthlint; print(healthlint.__file__)", cwd=base)
        editable = attempt.returncode == 0 and located.returncode == 0 and Path(located.stdout.strip()).resolve().is_relative_to(ROOT)
        last = (attempt.stderr.strip().splitlines() or [""])[-1]
        why = f"pip install -e does not work offline here: {last}" if attempt.returncode else "the installed healthlint is not this checkout"
    if editable:
        how.append("healthlint: pip install --no-deps --no-build-isolation -e (hatchling)")
    else:
        env["PYTHONPATH"] = str(ROOT)
        how.append(f"healthlint: PYTHONPATH ({why})")

    # The plugin, from a copy of tests/plugin_pkg.
    src = base / "plugin_pkg"
    shutil.copytree(PLUGIN_SRC, src, ignore=shutil.ignore_patterns("build", "dist", "*.egg-info", "__pycache__"))
    # One probe, not one process per question: setuptools builds wheels itself from 70.1 on,
    # or with the `wheel` package.
    probe = "import importlib.util as u, setuptools; print(bool(u.find_spec('wheel') or u.find_spec('setuptools.command.bdist_wheel')))"
    builds_wheels = _must(_py(python, "-c", probe), "importing setuptools").stdout.strip() == "True"
    if builds_wheels:
        _must(pip(str(src)), "pip install tests/plugin_pkg")
        how.append("plugin: pip install --no-index --no-deps --no-build-isolation")
    else:
        egg_base, build_lib = base / "egg-info", base / "build-lib"
        egg_base.mkdir()
        _must(
            _py(python, "-c", "import setuptools; setuptools.setup()", "-q", "egg_info", "--egg-base", str(egg_base), "build_py", "--build-lib", str(build_lib), cwd=src),
            "setuptools egg_info build_py",
        )
        wheel = _pack_wheel(build_lib, next(egg_base.glob("*.egg-info")), base)
        _must(pip(str(wheel)), "pip install of the plugin wheel")
        how.append("plugin: setuptools egg_info + build_py, packed as a wheel, pip install --no-index (no `wheel` package here)")

    installed = _must(
        _py(
            python,
            "-c",
            "import acme_healthlint, importlib.metadata as m; print(acme_healthlint.__file__); print(sorted(e.name for e in m.entry_points(group='healthlint.rules')))",
            cwd=base,
        ),
        "importing the installed plugin",
    ).stdout.splitlines()
    assert Path(installed[0]).resolve().is_relative_to(venv.resolve()), installed
    assert installed[1] == "['acme']"
    print("plugin environment:", "; ".join(how))
    return PluginEnv(python, env, how)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    return tmp_path


def heads(stdout: str) -> list[str]:
    return [m.group("head") for line in stdout.splitlines() if (m := FINDING.match(line))]


def rules_table(stdout: str) -> dict[str, tuple[str, str, str | None]]:
    """`healthlint rules` as {id: (severity, summary, source or None)}."""
    table: dict[str, tuple[str, str, str | None]] = {}
    last = None
    for line in stdout.splitlines():
        if line.startswith(" "):
            severity, summary, _ = table[last]
            table[last] = (severity, summary, line.strip().removeprefix("from "))
            continue
        rule_id, severity, summary = re.split(r"\s{2,}", line.strip(), maxsplit=2)
        table[rule_id] = (severity, summary, None)
        last = rule_id
    return table


# --- the plugin's rules fire -----------------------------------------------------------------------


def test_plugin_rules_fire(plugin_env, project):
    proc = plugin_env.run("check", "--select", "acme/too-many-exclamations,acme/no-guarantees", "a.txt", cwd=project)
    assert proc.stdout.splitlines() == [
        "a.txt:1:32: warning acme/too-many-exclamations This paragraph has 2 exclamation marks; keep it to 1.",
        "    suggestion: Replace the extra exclamation marks with full stops.",
        'a.txt:1:42: error acme/no-guarantees "guaranteed" promises a result no health product can promise.',
        "    suggestion: Say what a trial found and for how many people, with a source.",
        "By rule: acme/no-guarantees 1, acme/too-many-exclamations 1.",
        "Found 2 problems (1 error, 1 warning) in 1 of 1 file.",
    ]
    assert proc.stderr == ""
    assert proc.returncode == 1


def test_plugin_rules_are_on_by_default(plugin_env, project):
    proc = plugin_env.run("check", "a.txt", cwd=project)
    found = heads(proc.stdout)
    assert "a.txt:1:32: warning acme/too-many-exclamations" in found
    assert "a.txt:1:42: error acme/no-guarantees" in found
    assert proc.returncode == 1


def test_plugin_kind_counts_per_paragraph(plugin_env, tmp_path):
    (tmp_path / "a.md").write_text("# Wow!\n\nKratom is amazing!\n\nTry it today! Really!\n\n- One! Two! Three!\n", encoding="utf-8")
    proc = plugin_env.run("check", "--select", "acme/too-many-exclamations", "a.md", cwd=tmp_path)
    # Headings are not counted; a paragraph with one "!" passes.
    assert heads(proc.stdout) == ["a.md:5:21: warning acme/too-many-exclamations", "a.md:7:11: warning acme/too-many-exclamations"]
    assert "a.md:7:11: warning acme/too-many-exclamations This paragraph has 3 exclamation marks; keep it to 1." in proc.stdout.splitlines()


def test_plugin_rules_take_config_severity_ignore_and_suppressions(plugin_env, tmp_path):
    (tmp_path / ".healthlint.yaml").write_text(
        "select: [acme/too-many-exclamations, acme/no-guarantees]\nfail-on: error\nrules:\n  acme/no-guarantees: {severity: info}\n",
        encoding="utf-8",
    )
    (tmp_path / "a.md").write_text(
        "Results guaranteed! Buy now!\n\n<!-- healthlint-disable-next-line acme/too-many-exclamations -->\nWow! Wow!\n",
        encoding="utf-8",
    )
    proc = plugin_env.run("check", "a.md", cwd=tmp_path)
    assert heads(proc.stdout) == ["a.md:1:9: info acme/no-guarantees", "a.md:1:28: warning acme/too-many-exclamations"]
    assert proc.returncode == 0
    ignored = plugin_env.run("check", "--ignore", "acme/no-guarantees", "a.md", cwd=tmp_path)
    assert heads(ignored.stdout) == ["a.md:1:28: warning acme/too-many-exclamations"]
    typo = plugin_env.run("check", "--select", "acme/no-guarantee", "a.md", cwd=tmp_path)
    assert typo.returncode == 2
    assert typo.stderr == "healthlint: --select: there is no rule 'acme/no-guarantee'; did you mean 'acme/no-guarantees'?\n"


def test_plugin_is_not_seen_outside_its_environment(project):
    # In the interpreter running the tests (in process: plugins are looked up again each run).
    proc = run("check", "--select", "acme/no-guarantees", "a.txt", cwd=project)
    assert proc.returncode == 2
    assert proc.stderr.startswith("healthlint: --select: there is no rule 'acme/no-guarantees'")


# --- listed and explained with their source -------------------------------------------------------------


def test_rules_lists_plugin_rules_with_their_source(plugin_env, tmp_path):
    proc = plugin_env.run("rules", cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (0, "")
    table = rules_table(proc.stdout)
    assert table["acme/no-guarantees"] == ("error", "Promises a guaranteed result.", SOURCE)
    assert table["acme/too-many-exclamations"] == ("warning", "More than one exclamation mark in a paragraph.", SOURCE)
    assert table["missing-citation"][2] is None  # built-in rules have no "from" line
    ids = list(table)
    assert ids.index("acme/no-guarantees") > ids.index("unhedged-safety-claim")  # built-in first


def test_explain_plugin_rules(plugin_env, tmp_path):
    python_rule = plugin_env.run("explain", "acme/no-guarantees", cwd=tmp_path)
    assert python_rule.returncode == 0
    assert python_rule.stdout.splitlines()[:4] == [
        "# acme/no-guarantees",
        "",
        "Promises a guaranteed result.",
        f"Severity: error. Kind: python. Source: {SOURCE}. On by default.",
    ]
    yaml_rule = plugin_env.run("explain", "acme/too-many-exclamations", cwd=tmp_path)
    lines = yaml_rule.stdout.splitlines()
    assert lines[3] == f"Severity: warning. Kind: max-exclamations. Source: {SOURCE}. On by default."
    assert lines[lines.index("## Flagged") + 2] == "- Kratom is amazing! Try it today! You will love it!"
    typo = plugin_env.run("explain", "acme/no-guarantee", cwd=tmp_path)
    assert (typo.returncode, typo.stderr) == (2, "healthlint: there is no rule 'acme/no-guarantee'; did you mean 'acme/no-guarantees'?\n")


# --- a project's own YAML rules may use the plugin's kind ------------------------------------------------

NO_EXCLAMATIONS = """\
id: no-exclamations
kind: max-exclamations
severity: info
summary: No exclamation marks at all in patient leaflets.
max: 0
message: 'Leaflets use no exclamation marks; this paragraph has {count}.'
examples:
  flag:
    - Take it with food!
  pass:
    - Take it with food.
"""


def test_project_rule_folder_can_use_a_plugin_kind(plugin_env, project):
    (project / "leaflets").mkdir()
    (project / "leaflets" / "no-exclamations.yaml").write_text(NO_EXCLAMATIONS, encoding="utf-8")
    (project / ".healthlint.yaml").write_text("rule-folders: [leaflets]\n", encoding="utf-8")
    proc = plugin_env.run("check", "--select", "leaflets/no-exclamations,acme/too-many-exclamations", "a.txt", cwd=project)
    assert proc.stdout.splitlines() == [
        "a.txt:1:18: info leaflets/no-exclamations Leaflets use no exclamation marks; this paragraph has 2.",
        "a.txt:1:32: warning acme/too-many-exclamations This paragraph has 2 exclamation marks; keep it to 1.",
        "    suggestion: Replace the extra exclamation marks with full stops.",
        "By rule: acme/too-many-exclamations 1, leaflets/no-exclamations 1.",
        "Found 2 problems (1 warning, 1 info) in 1 of 1 file.",
    ]
    table = rules_table(plugin_env.run("rules", cwd=project).stdout)
    assert table["leaflets/no-exclamations"] == ("info", "No exclamation marks at all in patient leaflets.", str(project.resolve() / "leaflets"))


def test_plugin_kind_errors_name_the_rule_file_and_line(plugin_env, project):
    (project / "leaflets").mkdir()
    (project / "leaflets" / "bad.yaml").write_text(NO_EXCLAMATIONS.replace("max: 0", "max: lots"), encoding="utf-8")
    (project / ".healthlint.yaml").write_text("rule-folders: [leaflets]\n", encoding="utf-8")
    proc = plugin_env.run("check", "a.txt", cwd=project)
    assert proc.returncode == 2
    assert proc.stderr == f"healthlint: {project.resolve() / 'leaflets' / 'bad.yaml'}:5: 'max' must be a whole number, 0 or more\n"


def test_test_rules_on_a_folder_using_a_plugin_kind(plugin_env, project):
    (project / "leaflets").mkdir()
    (project / "leaflets" / "no-exclamations.yaml").write_text(NO_EXCLAMATIONS, encoding="utf-8")
    proc = plugin_env.run("test-rules", "leaflets", cwd=project)
    assert (proc.stdout, proc.returncode) == ("2 passed, 0 failed\n", 0), proc.stderr
