"""Load rules from YAML files: the built-in ones under rules/, and any folder given.

Each rule file declares one rule: its id, kind, severity, documentation, lexicons, patterns,
message, suggestion and examples. Files whose names start with "_" hold lexicons shared by
the rules of their folder. Every problem is reported as a DataError naming the file and line.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from healthlint.kinds import Rule, RuleInfo, kind_registry
from healthlint.kinds.base import Example
from healthlint.model import Severity
from healthlint.yamlfile import DataError, LineDict, load_yaml

COMMON_KEYS = {"id", "kind", "severity", "summary", "description", "why", "better", "examples", "lexicons", "enabled"}
KIND_KEYS = {
    "claim": {"patterns", "message", "suggestion", "unless", "subject", "subject_default", "fix_scope"},
    "phrase": {"patterns", "message", "suggestion", "unless", "subject", "subject_default", "fix_scope"},
    "metric": {"metric", "options", "message", "suggestion"},
    "substitution": {"swap", "message", "suggestion"},
    "grammar": {"options", "message"},
}
RULE_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?:/[a-z][a-z0-9]*(?:-[a-z0-9]+)*)?$")


def builtin_rules_dir() -> Path:
    """The packaged rules (healthlint/builtin_rules in a wheel) or, in a checkout, rules/."""
    here = Path(__file__).resolve().parent
    packaged = here / "builtin_rules"
    return packaged if packaged.is_dir() else here.parent / "rules"


@dataclass
class RuleSet:
    rules: list[Rule] = field(default_factory=list)

    def ids(self) -> list[str]:
        return [r.info.id for r in self.rules]

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.info.id == rule_id), None)


def _lexicons(value, path: Path, line: int) -> dict[str, list[str]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise DataError(path, line, "'lexicons' must map names to lists of words or phrases")
    out = {}
    for name, entries in value.items():
        entry_line = value.line_of(name) if isinstance(value, LineDict) else line
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", str(name)):
            raise DataError(path, entry_line, f"lexicon name '{name}' must be lower_case_with_underscores")
        if not isinstance(entries, list) or not entries or not all(isinstance(e, (str, int, float)) for e in entries):
            raise DataError(path, entry_line, f"lexicon '{name}' must be a non-empty list of words or phrases")
        flags = [e for e in entries if isinstance(e, bool)]
        if flags:
            raise DataError(
                path,
                entry_line,
                f"lexicon '{name}' has an entry YAML reads as {flags[0]} (on, off, yes or no); put it in quotes, e.g. \"on\"",
            )
        out[name] = [str(e) for e in entries]
    return out


def load_shared_lexicons(folder: Path) -> dict[str, list[str]]:
    shared: dict[str, list[str]] = {}
    for path in sorted(folder.glob("_*.yaml")):
        data = load_yaml(path)
        if not isinstance(data, dict):
            raise DataError(path, None, "a shared lexicon file must be a mapping with a 'lexicons' key")
        shared.update(_lexicons(data.get("lexicons"), path, data.line_of("lexicons")))
    return shared


def _examples(value, path: Path, key: str) -> tuple[Example, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise DataError(path, None, f"examples '{key}' must be a list")
    out = []
    for i, item in enumerate(value):
        line = value.item_lines[i] if hasattr(value, "item_lines") else 0
        if isinstance(item, str):
            out.append(Example(item, line=line))
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            out.append(Example(item["text"], item.get("suggestion"), bool(item.get("markdown", False)), line))
        else:
            raise DataError(path, line, f"each '{key}' example is a string or has a 'text'")
    return tuple(out)


def load_rule_file(
    path: Path,
    shared_lexicons: dict[str, list[str]],
    source: str = "built-in",
    prefix: str | None = None,
    kinds: dict | None = None,
) -> Rule:
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise DataError(path, None, "a rule file must be a YAML mapping (id: ..., kind: ..., ...)")
    for key in ("id", "kind", "severity", "summary"):
        if key not in data:
            raise DataError(path, data.line, f"missing required key '{key}'")
    kind = str(data["kind"])
    registry = {**kind_registry(), **(kinds or {})}
    if kind not in registry:
        raise DataError(path, data.line_of("kind"), f"unknown kind '{kind}'; known kinds: {', '.join(sorted(registry))}")
    allowed = KIND_KEYS.get(kind)
    unknown = set(data) - COMMON_KEYS - allowed if allowed is not None else set()
    if unknown:
        key = sorted(unknown)[0]
        raise DataError(path, data.line_of(key), f"unknown key '{key}' for a {kind} rule; known keys: {', '.join(sorted(COMMON_KEYS | allowed))}")
    rule_id = str(data["id"])
    if prefix and "/" not in rule_id:
        rule_id = f"{prefix}/{rule_id}"
    if not RULE_ID.match(rule_id):
        raise DataError(path, data.line_of("id"), f"rule id '{rule_id}' must be lower-case words joined by hyphens (with an optional 'pack/' prefix)")
    try:
        severity = Severity.parse(str(data["severity"]))
    except ValueError as exc:
        raise DataError(path, data.line_of("severity"), str(exc)) from None
    examples = data.get("examples") or {}
    if not isinstance(examples, dict):
        raise DataError(path, data.line_of("examples"), "'examples' must have 'flag' and 'pass' lists")
    info = RuleInfo(
        id=rule_id,
        kind=kind,
        severity=severity,
        summary=str(data["summary"]).strip(),
        description=str(data.get("description", "")).strip(),
        why=str(data.get("why", "")).strip(),
        better=str(data.get("better", "")).strip(),
        source=source,
        enabled=bool(data.get("enabled", True)),
        flag_examples=_examples(examples.get("flag"), path, "flag"),
        pass_examples=_examples(examples.get("pass"), path, "pass"),
    )
    lexicons = {**shared_lexicons, **_lexicons(data.get("lexicons"), path, data.line_of("lexicons"))}
    return registry[kind](info, data, lexicons, str(path))


def load_folder(folder: Path, source: str, prefix: str | None = None, kinds: dict | None = None) -> list[Rule]:
    """Every rule in a folder. Rule sets of the built-in kinds come from the rule cache when the
    folder's files (and, for custom folders, the built-in lexicons) are unchanged."""
    if not folder.is_dir():
        raise DataError(folder, None, "rule folder not found")
    if kinds:  # a plugin's kind may build rules from more than the files: load them afresh
        return _load_folder(folder, source, prefix, kinds)
    from healthlint.rulecache import cached, files_key

    try:
        key = files_key(rule_files([folder])) + f":{source}:{prefix}"
    except OSError:
        return _load_folder(folder, source, prefix, kinds)
    name = "rules-" + ("built-in" if source == "built-in" and not prefix else pack_name(folder))
    return cached(name, hashlib.sha256(key.encode()).hexdigest(), lambda: _load_folder(folder, source, prefix, kinds))


def rule_files(folders: Iterable[Path]) -> list[Path]:
    """Every file that loading these rule folders reads, resolved and sorted: each folder's rule
    files and shared lexicons (``*.yaml``, its ``_*.yaml`` among them) and, for a folder other
    than the built-in one (a custom or plugin folder, loaded with a prefix), the built-in
    lexicons (``_*.yaml``) its rules may use too. Both caches key on these files' bytes, so this
    must list what _load_folder reads."""
    builtin = builtin_rules_dir()
    files: set[Path] = set()
    for folder in folders:
        folder = Path(folder).resolve()
        files.update(folder.glob("*.yaml"))
        if folder != builtin:
            files.update(builtin.glob("_*.yaml"))
    return sorted(files)


def _load_folder(folder: Path, source: str, prefix: str | None, kinds: dict | None) -> list[Rule]:
    shared = {**builtin_lexicons(), **load_shared_lexicons(folder)} if prefix else load_shared_lexicons(folder)
    rules = []
    seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        rule = load_rule_file(path, shared, source, prefix, kinds)
        if rule.info.id in seen:
            raise DataError(path, None, f"rule id '{rule.info.id}' is already defined in {seen[rule.info.id]}")
        seen[rule.info.id] = path
        rules.append(rule)
    return rules


def pack_name(folder: Path) -> str:
    """The prefix for a custom rule folder's ids: its name, lower-cased and hyphenated."""
    name = re.sub(r"[^a-z0-9]+", "-", folder.resolve().name.lower()).strip("-")
    return name if name and name[0].isalpha() else f"pack-{name or 'rules'}"


@lru_cache(maxsize=1)
def builtin_lexicons() -> dict[str, list[str]]:
    """The built-in shared lexicons, which custom rules may use too ({product}, {medicine}, ...)."""
    return load_shared_lexicons(builtin_rules_dir())


@lru_cache(maxsize=1)
def builtin_rules() -> tuple[Rule, ...]:
    return tuple(load_folder(builtin_rules_dir(), "built-in"))


@lru_cache(maxsize=1)
def plugin_rules() -> tuple[Rule, ...]:
    from healthlint.plugins import load_plugins

    rules: list[Rule] = []
    plugins = load_plugins()
    kinds = {name: factory for p in plugins for name, factory in p.kinds.items()}
    for plugin in plugins:
        for rule in plugin.rules:
            if "/" not in rule.info.id:
                from dataclasses import replace

                rule.info = replace(rule.info, id=f"{plugin.name}/{rule.info.id}", source=plugin.source)
            rules.append(rule)
        for folder in plugin.rule_folders:
            rules.extend(load_folder(folder, plugin.source, plugin.name, kinds))
    return tuple(rules)


@lru_cache(maxsize=64)
def folder_rules(folders: tuple[Path, ...]) -> tuple[Rule, ...]:
    from healthlint.plugins import load_plugins

    kinds = {name: factory for p in load_plugins() for name, factory in p.kinds.items()}
    rules: list[Rule] = []
    for folder in folders:
        rules.extend(load_folder(folder, str(folder), pack_name(folder), kinds))
    return tuple(rules)


def load_rules(folders: tuple[Path, ...] = (), *, plugins: bool = True) -> RuleSet:
    """Built-in rules, then plugin rules, then rules from the given folders. Ids must be unique."""
    rules = list(builtin_rules()) + (list(plugin_rules()) if plugins else []) + list(folder_rules(tuple(folders)))
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.info.id in seen:
            raise DataError(rule.info.source, None, f"rule id '{rule.info.id}' is also defined by {seen[rule.info.id]}")
        seen[rule.info.id] = rule.info.source
    return RuleSet(rules)
