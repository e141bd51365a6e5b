"""Python plugins: installed packages that add rules or rule kinds.

A package registers an entry point in the group ``healthlint.rules``:

    [project.entry-points."healthlint.rules"]
    acme = "acme_healthlint"

The object it names (a module, class or function) may provide any of:
    KINDS        {kind name: factory(info, data, lexicons, path) -> rule}
    RULE_FOLDERS [folder of YAML rule files, which may use the plugin's kinds]
    rules()      -> iterable of rule objects (each with .info and .check(doc))
A function itself is treated as rules(). Plugin rule ids are prefixed with the entry point's
name ("acme/banned-claim") so they never clash with built-in rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from healthlint.installed import installed
from healthlint.yamlfile import DataError


@dataclass
class Plugin:
    name: str
    source: str  # "plugin acme (acme-healthlint 1.0)"
    kinds: dict = field(default_factory=dict)
    rule_folders: list[Path] = field(default_factory=list)
    rules: list = field(default_factory=list)


@lru_cache(maxsize=1)
def load_plugins() -> tuple[Plugin, ...]:
    plugins = []
    for ep in installed().entry_points:
        where = f"plugin '{ep.name}' ({ep.distribution or ep.value})"
        try:
            target = ep.load()
        except Exception as exc:  # a broken plugin must not take the linter down with a traceback
            raise DataError(where, None, f"could not be loaded: {type(exc).__name__}: {exc}") from None
        plugin = Plugin(ep.name, where)
        plugin.kinds = dict(getattr(target, "KINDS", {}) or {})
        plugin.rule_folders = [Path(f) for f in getattr(target, "RULE_FOLDERS", []) or []]
        make_rules = target if callable(target) and not hasattr(target, "KINDS") and not isinstance(target, type) else getattr(target, "rules", None)
        if callable(make_rules):
            try:
                plugin.rules = list(make_rules())
            except Exception as exc:
                raise DataError(where, None, f"rules() failed: {type(exc).__name__}: {exc}") from None
        for rule in plugin.rules:
            if not hasattr(rule, "info") or not callable(getattr(rule, "check", None)):
                raise DataError(where, None, "rules() must give objects with .info and .check(doc)")
        plugins.append(plugin)
    return tuple(plugins)
