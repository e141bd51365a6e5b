"""Load rules from YAML files: the built-in ones under rules/, and any folder given.

Each rule file declares one rule: its id, kind, severity, documentation, lexicons, patterns,
message, suggestion and examples. Files whose names start with "_" hold lexicons shared by
the rules of their folder. Every problem is reported as a DataError naming the file and line.

Each lexicon has one home. A name is defined once in a folder's shared files, and a rule (or
a custom folder's shared file, over the built-in ones) that defines a name already shared is
an error unless it says ``override: true``: a silent copy is how lists drift apart. Rules in
a custom folder may also name a built-in rule's own lexicons, as "rule-id.name".
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from healthlint.kinds import COMMON_KEYS, Kind, Rule, RuleInfo, kind_registry
from healthlint.kinds.base import TEMPLATE_KEYS, Example, template_problem
from healthlint.lexicon import Lexicons, RuleLexicons
from healthlint.model import Severity
from healthlint.wordpattern import PatternError, lexicon_entry
from healthlint.yamlfile import DataError, LineDict, key_place, load_yaml

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


@dataclass(frozen=True)
class LexiconDef:
    """One lexicon as a file defines it: its words, where, and whether it replaces a shared one."""

    words: tuple[str, ...]
    path: Path
    line: int
    override: bool = False


LEXICON_FORM_KEYS = ("override", "words")
EXAMPLE_KEYS = {"text", "suggestion", "markdown", "pattern", "flags"}


def _lexicon_words(name: str, entries, path: Path, line: int) -> tuple[str, ...]:
    if not isinstance(entries, list) or not entries or not all(isinstance(e, (str, int, float, dict)) for e in entries):
        raise DataError(path, line, f"lexicon '{name}' must be a non-empty list of words or phrases")
    flags = [e for e in entries if isinstance(e, bool)]
    if flags:
        raise DataError(
            path,
            line,
            f"lexicon '{name}' has an entry YAML reads as {flags[0]} (on, off, yes or no); put it in quotes, e.g. \"on\"",
        )
    out = []
    for i, entry in enumerate(entries):
        try:
            out.append(lexicon_entry(entry))
        except PatternError as exc:
            entry_line = entries.item_lines[i] if hasattr(entries, "item_lines") else line
            raise DataError(path, entry_line, f"lexicon '{name}': {exc}") from None
    return tuple(out)


def _lexicon_def(name: str, value, path: Path, line: int) -> LexiconDef:
    """A list of entries, or {override: true, words: [...]} to replace a shared lexicon."""
    if not isinstance(value, dict):
        return LexiconDef(_lexicon_words(name, value, path, line), path, line)
    for key in value:
        if key not in LEXICON_FORM_KEYS:
            import difflib  # only for an error message

            close = difflib.get_close_matches(str(key), LEXICON_FORM_KEYS, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(LEXICON_FORM_KEYS)}"
            raise key_place(path, value, key, line).error(f"lexicon '{name}' has an unknown key '{key}'{hint}")
    if "words" not in value:
        raise DataError(path, line, f"lexicon '{name}' needs 'words': the list of words or phrases")
    override = value.get("override", False)
    if not isinstance(override, bool):
        raise DataError(path, value.line_of("override") if isinstance(value, LineDict) else line, f"lexicon '{name}': 'override' must be true or false")
    words_line = value.line_of("words") if isinstance(value, LineDict) else line
    return LexiconDef(_lexicon_words(name, value["words"], path, words_line), path, line, override)


def parse_lexicons(value, path: Path, line: int) -> dict[str, LexiconDef]:
    """A file's ``lexicons:`` mapping, each with the line it is defined on."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise DataError(path, line, "'lexicons' must map names to lists of words or phrases")
    out = {}
    for name, entries in value.items():
        entry_line = value.line_of(name) if isinstance(value, LineDict) else line
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", str(name)):
            raise DataError(path, entry_line, f"lexicon name '{name}' must be lower_case_with_underscores")
        out[str(name)] = _lexicon_def(str(name), entries, path, entry_line)
    return out


def layer_lexicons(shared: Mapping[str, LexiconDef], added: Mapping[str, LexiconDef]) -> dict[str, LexiconDef]:
    """``added`` laid over ``shared``: a name both define must say ``override: true``, and an
    override must replace something (a typo, or a shared lexicon renamed, would leave it
    replacing nothing)."""
    for name, lexicon in added.items():
        if name in shared and not lexicon.override:
            home = shared[name]
            raise DataError(
                lexicon.path,
                lexicon.line,
                f"lexicon '{name}' is already defined in {home.path}:{home.line}; use that one, give this one another "
                f"name, or replace it on purpose with '{name}: {{override: true, words: [...]}}'",
            )
        if lexicon.override and name not in shared:
            raise DataError(lexicon.path, lexicon.line, f"lexicon '{name}' says 'override: true', but no shared lexicon has that name")
    return {**shared, **added}


def words_of(lexicons: Mapping[str, LexiconDef]) -> dict[str, tuple[str, ...]]:
    return {name: lexicon.words for name, lexicon in lexicons.items()}


def load_shared_lexicons(folder: Path, base: Mapping[str, LexiconDef] | None = None) -> dict[str, LexiconDef]:
    """A folder's shared lexicon files (``_*.yaml``), laid over ``base`` (for a custom folder,
    the built-in shared lexicons). Two of the folder's files may not define the same name."""
    own: dict[str, LexiconDef] = {}
    for path in sorted(folder.glob("_*.yaml")):
        data = load_yaml(path)
        if not isinstance(data, dict):
            raise DataError(path, None, "a shared lexicon file must be a mapping with a 'lexicons' key")
        for name, lexicon in parse_lexicons(data.get("lexicons"), path, data.line_of("lexicons")).items():
            if name in own:
                first = own[name]
                raise DataError(path, lexicon.line, f"lexicon '{name}' is defined twice: also in {first.path}:{first.line}")
            own[name] = lexicon
    return layer_lexicons(base or {}, own)


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
            unknown = set(item) - EXAMPLE_KEYS
            if unknown:
                extra = sorted(unknown)[0]
                raise key_place(path, item, extra, line).error(f"unknown key '{extra}' in an example; known keys: {', '.join(sorted(EXAMPLE_KEYS))}")
            named = {k: item.get(k) for k in ("pattern", "flags")}
            if key == "pass" and any(named.values()):
                raise DataError(path, line, "a 'pass' example flags nothing, so it names no 'pattern' or 'flags'")
            if any(v is not None and not isinstance(v, str) for v in named.values()):
                raise DataError(path, line, "an example's 'pattern' and 'flags' are text")
            out.append(Example(item["text"], item.get("suggestion"), bool(item.get("markdown", False)), line, named["pattern"], named["flags"]))
        else:
            raise DataError(path, line, f"each '{key}' example is a string or has a 'text'")
    return tuple(out)


def load_rule_file(
    path: Path,
    shared_lexicons: Mapping[str, LexiconDef],
    source: str = "built-in",
    prefix: str | None = None,
    kinds: dict | None = None,
    other_rules: RuleLexicons | None = None,
) -> Rule:
    """One rule. ``other_rules``: the built-in rules' own lexicons, by qualified name."""
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise DataError(path, None, "a rule file must be a YAML mapping (id: ..., kind: ..., ...)")
    for key in ("id", "kind", "severity", "summary"):
        if key not in data:
            raise DataError(path, data.line, f"missing required key '{key}'")
    kind = str(data["kind"])
    registry = {name: Kind.of(value) for name, value in {**kind_registry(), **(kinds or {})}.items()}
    if kind not in registry:
        raise DataError(path, data.line_of("kind"), f"unknown kind '{kind}'; known kinds: {', '.join(sorted(registry))}")
    _check_keys(data, kind, registry, path)
    _check_templates(data, path)
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
    own = parse_lexicons(data.get("lexicons"), path, data.line_of("lexicons"))
    # A rule's override applies wherever the rule expands the name, shared lexicons that refer
    # to it included.
    lexicons = Lexicons(words_of(layer_lexicons(shared_lexicons, own)), other_rules)
    rule = registry[kind](info, data, lexicons, str(path))
    _check_example_patterns(rule, path)
    return rule


def _check_templates(data: LineDict, path: Path) -> None:
    """Message templates whose braces do not pair up, in the rule and in each of its patterns
    (and other lists of mappings), as errors at their line, whatever the rule's kind."""
    holders = [data] + [item for value in data.values() if isinstance(value, list) for item in value if isinstance(item, LineDict)]
    for holder in holders:
        for key in TEMPLATE_KEYS:
            value = holder.get(key)
            problem = template_problem(value) if isinstance(value, str) else None
            if problem:
                raise key_place(path, holder, key).error(f"the '{key}' {problem}")


def _check_keys(data: LineDict, kind: str, registry: Mapping[str, Kind], path: Path) -> None:
    """Every top-level key must be one the rule's kind accepts (a kind that declares no keys
    accepts any). The message says where a key written at the wrong level belongs."""
    allowed = registry[kind].keys
    if allowed is None:
        return
    unknown = set(data) - COMMON_KEYS - allowed
    if unknown:
        key = sorted(unknown)[0]
        hint = _misplaced_key_hint(str(key), kind, registry)
        known = ", ".join(sorted(COMMON_KEYS | allowed))
        raise key_place(path, data, key).error(f"unknown key '{key}' for a {kind} rule{hint}; known keys: {known}")


def _misplaced_key_hint(key: str, kind: str, registry: Mapping[str, Kind]) -> str:
    """For a top-level key a rule's kind does not accept: where it belongs instead (inside one
    of the kind's list items, such as a pattern), or the key it is close to, or the kinds that
    use it ("" if none of these)."""
    own = registry[kind]
    for items in own.items:
        if key in items.keys:
            return f"; '{key}' belongs inside a {items.item}, under '{items.key}:'"
    import difflib  # only for an error message

    close = difflib.get_close_matches(key, sorted(COMMON_KEYS | (own.keys or frozenset())), n=1)
    if close:
        return f"; did you mean '{close[0]}'?"
    users = sorted(name for name, other in registry.items() if key in (other.keys or ()) or any(key in i.keys for i in other.items))
    if not users:
        return ""
    names = users[0] if len(users) == 1 else f"{', '.join(users[:-1])} and {users[-1]}"
    return f"; '{key}' is for {names} rules, not {kind} rules"


def _check_example_patterns(rule: Rule, path: Path) -> None:
    """An example that names its pattern must name one the rule has."""
    names = [p.name for p in getattr(rule, "patterns", ())]
    for example in rule.info.flag_examples:
        if example.pattern is None:
            continue
        if not names:
            raise DataError(path, example.line, f"the example names the pattern '{example.pattern}', but a {rule.info.kind} rule has no patterns")
        if example.pattern not in names:
            import difflib  # only for an error message

            close = difflib.get_close_matches(example.pattern, names, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; this rule's patterns: {', '.join(names)}"
            raise DataError(path, example.line, f"the example names the pattern '{example.pattern}', which this rule does not have{hint}")


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
    than the built-in one (a custom or plugin folder, loaded with a prefix), every built-in
    rule file too: its rules may use the built-in shared lexicons and, by qualified name, a
    built-in rule's own. Both caches key on these files' bytes, so this must list what
    _load_folder reads."""
    builtin = builtin_rules_dir()
    files: set[Path] = set()
    for folder in folders:
        folder = Path(folder).resolve()
        files.update(folder.glob("*.yaml"))
        if folder != builtin:
            files.update(builtin.glob("*.yaml"))
    return sorted(files)


def _load_folder(folder: Path, source: str, prefix: str | None, kinds: dict | None) -> list[Rule]:
    if prefix:
        builtin = builtin_lexicons()
        shared, other_rules = load_shared_lexicons(folder, builtin.shared), builtin.rules
    else:
        shared, other_rules = load_shared_lexicons(folder), None
    rules = []
    seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        rule = load_rule_file(path, shared, source, prefix, kinds, other_rules)
        if rule.info.id in seen:
            raise DataError(path, None, f"rule id '{rule.info.id}' is already defined in {seen[rule.info.id]}")
        seen[rule.info.id] = path
        rules.append(rule)
    return rules


def pack_name(folder: Path) -> str:
    """The prefix for a custom rule folder's ids: its name, lower-cased and hyphenated."""
    name = re.sub(r"[^a-z0-9]+", "-", folder.resolve().name.lower()).strip("-")
    return name if name and name[0].isalpha() else f"pack-{name or 'rules'}"


@dataclass(frozen=True)
class BuiltinLexicons:
    """What custom rules may use of the built-in rules' lexicons: the shared ones by name
    ({product}, {medicine}, ...) and each rule's own by qualified name
    ({unhedged-efficacy-claim.extra_product})."""

    shared: dict[str, LexiconDef]
    rules: RuleLexicons


@lru_cache(maxsize=1)
def builtin_lexicons() -> BuiltinLexicons:
    folder = builtin_rules_dir()
    shared = load_shared_lexicons(folder)
    scopes: dict[str, dict[str, tuple[str, ...]]] = {}
    own: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        data = load_yaml(path)
        if not isinstance(data, dict) or "id" not in data:
            continue  # loading the built-in rules reports it
        lexicons = parse_lexicons(data.get("lexicons"), path, data.line_of("lexicons"))
        scopes[str(data["id"])] = words_of(layer_lexicons(shared, lexicons))
        own[str(data["id"])] = list(lexicons)
    return BuiltinLexicons(shared, RuleLexicons(scopes, own))


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
