"""What is installed (plugins, library versions): looked up once per set of installed packages."""

from __future__ import annotations

import os

import pytest

from healthlint import installed as installed_module


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """A folder of its own on the import path and an empty cache; counts the real look-ups."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("HEALTHLINT_NO_RULE_CACHE", raising=False)
    site = tmp_path / "site-packages"
    site.mkdir()
    monkeypatch.setattr(installed_module.sys, "path", [str(site), *installed_module.sys.path])
    lookups = []
    real = installed_module._read_installed

    def counting():
        lookups.append(1)
        return real()

    monkeypatch.setattr(installed_module, "_read_installed", counting)
    installed_module.installed.cache_clear()
    yield site, lookups
    installed_module.installed.cache_clear()


def again():
    installed_module.installed.cache_clear()  # as a new process would
    return installed_module.installed()


def test_a_second_run_reads_the_answer_from_the_cache(fresh):
    _, lookups = fresh
    first = again()
    assert again() == first
    assert len(lookups) == 1
    assert [name for name, _ in first.versions] == list(installed_module.TRACKED_LIBRARIES)


def test_installing_a_package_changes_its_folder_and_looks_again(fresh):
    site, lookups = fresh
    again()
    stamp = os.stat(site).st_mtime_ns
    (site / "acme_healthlint-1.0.dist-info").mkdir()  # what pip does
    os.utime(site, ns=(stamp + 1_000_000_000, stamp + 1_000_000_000))  # the folder's time moved on
    again()
    assert len(lookups) == 2


def test_without_the_rule_cache_it_looks_every_time(fresh, monkeypatch):
    _, lookups = fresh
    monkeypatch.setenv("HEALTHLINT_NO_RULE_CACHE", "1")
    again()
    again()
    assert len(lookups) == 2


def test_no_plugins_means_importlib_metadata_is_not_needed(fresh):
    """With the answer cached and no plugins, loading plugins imports nothing more."""
    import subprocess
    import sys

    code = (
        "import sys; from healthlint.plugins import load_plugins; load_plugins(); "
        "print('importlib.metadata' in sys.modules)"
    )
    env = {**os.environ, "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"]}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout.strip() for _ in range(2)]
    assert runs[1] == "False", runs
