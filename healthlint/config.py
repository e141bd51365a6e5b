"""Configuration: found from the linted file's folder upwards, one schema for every form.

    .healthlint.yaml  |  healthlint.yaml  |  [tool.healthlint] in pyproject.toml

The nearest file wins (no merging across folders, as in ruff). `--config FILE` uses one file for
everything; `--isolated` ignores all of them. A bad file is a ConfigError naming the file, the
line and what was expected, with a did-you-mean for near misses.

A file may name a base with `extend: PATH` (relative to the file), as ruff's `extend` does: the
base is read first and this file's settings are laid over it (Config.extended_by); bases may
extend others in turn. Paths and globs stay relative to the file that wrote them.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path, PurePosixPath

from healthlint.formats import Format, parse_format
from healthlint.yamlfile import DataError, LineDict, load_yaml

CONFIG_NAMES = (".healthlint.yaml", "healthlint.yaml", "pyproject.toml")
SEVERITY_LEVELS = ("info", "warning", "error")
FAIL_ON_LEVELS = SEVERITY_LEVELS + ("never",)


class ConfigError(DataError):
    """A configuration file that cannot be used."""


def _list_of_str(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _list_of_keys(value) -> bool:
    """Front matter keys: words such as "title" (an empty list reads none)."""
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() and v == v.strip() for v in value)


# key -> (check, what is expected, in words)
_SETTINGS = {
    "select": (_list_of_str, "a list of rule ids"),
    "extend-select": (_list_of_str, "a list of rule ids"),
    "ignore": (_list_of_str, "a list of rule ids"),
    "fail-on": (lambda v: v in FAIL_ON_LEVELS, "one of " + ", ".join(FAIL_ON_LEVELS)),
    "min-severity": (lambda v: v in SEVERITY_LEVELS, "one of " + ", ".join(SEVERITY_LEVELS)),
    "audience": (lambda v: v in ("patient", "public", "professional"), "one of patient, public, professional"),
    "grade-target": (lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and 1 <= v <= 20, "a grade from 1 to 20"),
    "rules": (lambda v: isinstance(v, dict), "a mapping of rule id to its settings"),
    "languagetool-url": (lambda v: isinstance(v, str), "a URL such as http://localhost:8081"),
    "front-matter-keys": (_list_of_keys, "a list of front matter keys to check, such as [title, description, summary] ([] checks none)"),
}
_SIZE_UNITS = {"": 1, "b": 1, "kb": 1024, "k": 1024, "mb": 1024**2, "m": 1024**2, "gb": 1024**3, "g": 1024**3}


def parse_size(value) -> int | None:
    """A file size: a whole number of bytes, or text such as "10MB", "500 KB"; None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if not isinstance(value, str):
        return None
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", value)
    if not m or m.group(2).lower() not in _SIZE_UNITS:
        return None
    size = int(float(m.group(1)) * _SIZE_UNITS[m.group(2).lower()])
    return size if size > 0 else None


_TOP_ONLY = {
    "extend": (lambda v: isinstance(v, str) and v.strip() != "", "the path of another configuration file, relative to this one"),
    "max-file-size": (lambda v: parse_size(v) is not None, "a size such as 10MB or 500KB"),
    "include": (_list_of_str, "a list of glob patterns"),
    "exclude": (_list_of_str, "a list of glob patterns"),
    "rule-folders": (_list_of_str, "a list of folders"),
    "overrides": (lambda v: isinstance(v, list) and all(isinstance(i, dict) for i in v), "a list of overrides, each with 'files'"),
    "formats": (lambda v: isinstance(v, dict), 'a mapping of file suffix to format, e.g. {".mdoc": markdown}'),
    "respect-gitignore": (lambda v: isinstance(v, bool), "true or false"),
}
TOP_KEYS = {**_SETTINGS, **_TOP_ONLY}
OVERRIDE_KEYS = {"files": (_list_of_str, "a list of glob patterns"), **_SETTINGS}


@dataclass
class Settings:
    """Settings that may differ per path."""

    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: str | None = None
    min_severity: str | None = None  # findings below it are not shown (nor fail the run)
    audience: str | None = None
    grade_target: float | None = None
    rules: dict[str, dict] = field(default_factory=dict)  # rule id -> {"severity": ..., option: value}
    languagetool_url: str | None = None
    front_matter_keys: list[str] | None = None  # None: healthlint.parse.frontmatter.DEFAULT_KEYS

    def merged(self, other: "Settings") -> "Settings":
        """These settings with ``other`` laid on top (an override)."""
        rules = {k: dict(v) for k, v in self.rules.items()}
        for rule_id, options in other.rules.items():
            rules.setdefault(rule_id, {}).update(options)
        return Settings(
            select=other.select if other.select is not None else self.select,
            extend_select=self.extend_select + other.extend_select,
            ignore=self.ignore + other.ignore,
            fail_on=other.fail_on or self.fail_on,
            min_severity=other.min_severity or self.min_severity,
            audience=other.audience or self.audience,
            grade_target=other.grade_target if other.grade_target is not None else self.grade_target,
            rules=rules,
            languagetool_url=other.languagetool_url or self.languagetool_url,
            front_matter_keys=other.front_matter_keys if other.front_matter_keys is not None else self.front_matter_keys,
        )

    def extended_by(self, child: "Settings", child_sets_select: bool) -> "Settings":
        """A base file's settings with the settings of a file that extends it laid on top.

        Rule selection follows ruff: a child that sets ``select`` starts afresh (the base's
        select, extend-select and ignore are dropped); otherwise the child's ``ignore`` and
        ``extend-select`` are applied after the base's, so each can undo the other's."""
        if child_sets_select:
            select, extend, ignore = child.select, list(child.extend_select), list(child.ignore)
        else:
            select = self.select
            extend = [e for e in self.extend_select if e not in child.ignore] + list(child.extend_select)
            ignore = [i for i in self.ignore if i not in child.extend_select] + list(child.ignore)
        layered = self.merged(replace(child, select=None, extend_select=[], ignore=[]))
        return replace(layered, select=select, extend_select=_unique(extend), ignore=_unique(ignore))


@dataclass
class Override:
    files: list[str]
    settings: Settings
    root: Path | None = None  # the folder its globs are relative to (None: the config's)
    keys: frozenset[str] = frozenset()  # the settings it writes, for --show-settings


@dataclass
class Config:
    path: Path | None  # None: built-in defaults
    root: Path
    settings: Settings = field(default_factory=Settings)
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    rule_folders: list[Path] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)
    max_file_size: int | None = None  # bytes; None: the default (source.DEFAULT_MAX_BYTES)
    formats: dict[str, Format] = field(default_factory=dict)  # suffix (".mdoc") -> format, over the defaults
    respect_gitignore: bool = True  # folder walks leave out what .gitignore files ignore
    chain: list[Path] = field(default_factory=list)  # this file, then the files it extends, in order
    written: dict[str, list[Path]] = field(default_factory=dict)  # setting -> the files whose value counts, nearest first
    include_root: Path | None = None  # the folder include globs are relative to (None: root)
    exclude_root: Path | None = None  # the same for exclude: a base's globs stay the base's

    def relative(self, path: Path, root: Path | None = None) -> str:
        try:
            return PurePosixPath(path.resolve().relative_to((root or self.root).resolve())).as_posix()
        except ValueError:
            return PurePosixPath(path).as_posix()

    def settings_for(self, path: Path) -> Settings:
        settings = self.settings
        for override in self.matching_overrides(path):
            settings = settings.merged(override.settings)
        return settings

    def matching_overrides(self, path: Path) -> list[Override]:
        """The overrides whose globs match ``path``, in the order they apply."""
        return [o for o in self.overrides if any(glob_match(self.relative(path, o.root), pattern) for pattern in o.files)]

    def excludes(self, path: Path) -> bool:
        rel = self.relative(path, self.exclude_root)
        return any(glob_match(rel, pattern) for pattern in self.exclude)

    def includes(self, path: Path) -> bool:
        rel = self.relative(path, self.include_root)
        return not self.include or any(glob_match(rel, p) for p in self.include)

    def extended_by(self, child: "Config", child_keys: set[str]) -> "Config":
        """This (base) configuration with ``child``, a file that extends it, laid on top.

        As in ruff, a setting the child writes replaces the base's, lists included (include,
        exclude, overrides, front-matter-keys); select, ignore and extend-select follow
        Settings.extended_by; mappings (rules, formats) are merged key by key, the child's
        winning. Rule folders add up, so rules the base configures or selects stay known."""

        def pick(key: str, mine, theirs):
            return mine if key in child_keys else theirs

        folders = list(self.rule_folders) + [f for f in child.rule_folders if f not in self.rule_folders]
        return Config(
            path=child.path,
            root=child.root,
            settings=self.settings.extended_by(child.settings, "select" in child_keys),
            include=pick("include", child.include, self.include),
            exclude=pick("exclude", child.exclude, self.exclude),
            rule_folders=folders,
            overrides=pick("overrides", child.overrides, self.overrides),
            max_file_size=pick("max-file-size", child.max_file_size, self.max_file_size),
            formats={**self.formats, **child.formats},
            respect_gitignore=pick("respect-gitignore", child.respect_gitignore, self.respect_gitignore),
            chain=[*child.chain, *self.chain],
            written=self._written_with(child, child_keys),
            include_root=pick("include", child.include_root, self.include_root or self.root),
            exclude_root=pick("exclude", child.exclude_root, self.exclude_root or self.root),
        )


    def _written_with(self, child: "Config", child_keys: set[str]) -> dict[str, list[Path]]:
        """Which files' values count for each setting once ``child`` is laid over this base."""
        restarted = {"select", "ignore", "extend-select"} if "select" in child_keys else set()
        layered = {"rules", "formats", "rule-folders", "ignore", "extend-select"} - restarted
        written = {}
        for key in {**self.written, **child.written}:
            mine, theirs = child.written.get(key, []), self.written.get(key, [])
            if key in restarted or (key in child_keys and key not in layered):
                theirs = []
            if mine + theirs:
                written[key] = mine + theirs
        return written


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


@lru_cache(maxsize=512)
def _glob_regex(pattern: str) -> re.Pattern:
    """Translate a glob: "**/" any folders (or none), "**" anything, "*" and "?" within a folder."""
    pattern = pattern.strip()
    if pattern.startswith("./"):
        pattern = pattern[2:]
    if pattern.endswith("/"):
        pattern += "**"
    if "/" not in pattern.rstrip("*"):
        pattern = "**/" + pattern  # like .gitignore: "*.txt" matches at any depth
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def glob_match(rel_path: str, pattern: str) -> bool:
    """Does a path relative to the config's folder match a glob ("patients/**", "**/*.md")?"""
    return bool(_glob_regex(pattern).match(rel_path))


def _counts(value: int | float) -> bool:
    """Is a rule option's number usable? Every numeric option counts or measures something
    (words, paragraphs, grades above a target), so it is finite and not negative; NaN
    would make every comparison false and silently turn the check off."""
    return math.isfinite(value) and value >= 0


def _shown_number(value: int | float) -> str:
    return ".nan (not a number)" if math.isnan(value) else repr(value)


def _near(word: str, choices) -> str:
    near = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{near[0]}'?" if near else ""


class _Reader:
    """Validates one config file's data, reporting errors at the right line."""

    def __init__(self, path: Path, line_of) -> None:
        self.path = path
        self.line_of = line_of  # (mapping, key) -> line number or None
        self.current_override: int | None = None  # index of the override being read

    def fail(self, mapping, key, message: str) -> ConfigError:
        return ConfigError(self.path, self.line_of(mapping, key), message)

    def settings(self, data: dict, allowed: dict, known_rules: dict, where: str = "") -> Settings:
        for key in data:
            if key not in allowed:
                raise self.fail(data, key, f"unknown setting '{where}{key}'{_near(str(key), allowed)}; known settings: {', '.join(allowed)}")
            check, expected = allowed[key]
            if not check(data[key]):
                raise self.fail(data, key, f"'{where}{key}' must be {expected}, not {data[key]!r}")
        for key in ("select", "extend-select", "ignore"):
            for rule_id in data.get(key, []):
                if rule_id not in known_rules:
                    raise self.fail(data, key, f"'{where}{key}' names an unknown rule '{rule_id}'{_near(rule_id, known_rules)}")
        rules = {}
        for rule_id, options in (data.get("rules") or {}).items():
            if rule_id not in known_rules:
                raise self.fail(data["rules"], rule_id, f"'rules' names an unknown rule '{rule_id}'{_near(str(rule_id), known_rules)}")
            if not isinstance(options, dict):
                raise self.fail(data["rules"], rule_id, f"settings for '{rule_id}' must be a mapping, e.g. {{severity: error}}")
            severity = options.get("severity")
            if severity is not None and severity not in SEVERITY_LEVELS:
                raise self.fail(options, "severity", f"severity for '{rule_id}' must be one of {', '.join(SEVERITY_LEVELS)}, not {severity!r}")
            allowed = known_rules[rule_id]
            for option, value in options.items():
                if option == "severity":
                    continue
                if option not in allowed:
                    hint = _near(str(option), allowed) or (f"; its options are: {', '.join(allowed)}" if allowed else "; it has no options besides severity")
                    raise self.fail(options, option, f"rule '{rule_id}' has no option '{option}'{hint}")
                from healthlint.filters import type_name

                expected, choices = allowed[option][1], allowed[option][2]
                if not isinstance(value, expected) or isinstance(value, bool):
                    raise self.fail(options, option, f"option '{option}' of rule '{rule_id}' must be a {type_name(expected)}, not {value!r}")
                if isinstance(value, (int, float)) and not _counts(value):
                    raise self.fail(options, option, f"option '{option}' of rule '{rule_id}' must be a number from 0 up, not {_shown_number(value)}")
                if choices and value not in choices:
                    raise self.fail(options, option, f"option '{option}' of rule '{rule_id}' must be one of {', '.join(choices)}, not {value!r}")
            rules[rule_id] = dict(options)
        return Settings(
            select=list(data["select"]) if "select" in data else None,
            extend_select=list(data.get("extend-select", [])),
            ignore=list(data.get("ignore", [])),
            fail_on=data.get("fail-on"),
            min_severity=data.get("min-severity"),
            audience=data.get("audience"),
            grade_target=data.get("grade-target"),
            rules=rules,
            languagetool_url=data.get("languagetool-url"),
            front_matter_keys=list(data["front-matter-keys"]) if "front-matter-keys" in data else None,
        )


def _toml_line_of(text: str, reader_ref: list):
    """Find a key's line inside [tool.healthlint] (or the override being read), not elsewhere."""
    lines = text.split("\n")
    header = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
    tables: list[tuple[str, int, int]] = []  # (table name, first line, last line)
    for number, line in enumerate(lines, start=1):
        m = header.match(line)
        if m:
            if tables:
                tables[-1] = (tables[-1][0], tables[-1][1], number - 1)
            tables.append((m.group(1).replace('"', ""), number, len(lines)))

    def line_of(mapping, key) -> int | None:
        override = reader_ref[0].current_override if reader_ref else None
        if override is not None:
            candidates = [t for t in tables if t[0].startswith("tool.healthlint.overrides")]
            candidates = candidates[override : override + 1]
        else:
            candidates = [t for t in tables if t[0] == "tool.healthlint" or t[0].startswith("tool.healthlint.")]
        pattern = re.compile(r"^\s*\"?" + re.escape(str(key)) + r"\"?\s*=")
        for _name, first, last in candidates:
            for number in range(first, last + 1):
                if pattern.match(lines[number - 1]):
                    return number
        for _name, first, _last in candidates:
            if _name.endswith("." + str(key)):
                return first
        return candidates[0][1] if candidates else None

    return line_of


def _read_utf8(path: Path) -> str:
    """A configuration file's text; ConfigError naming the file when it is not UTF-8."""
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(path, None, f"byte {exc.start} is not valid UTF-8; save the file as UTF-8 and try again") from None
    except OSError as exc:
        raise ConfigError(path, None, f"cannot be read ({exc.strerror or exc})") from None


def _toml_key_line(text: str, key: str) -> int | None:
    """The first line that assigns ``key`` (``key = ...``), for errors about a whole table."""
    pattern = re.compile(r"^\s*(?:tool\.)?\"?" + re.escape(key) + r"\"?\s*=")
    for number, line in enumerate(text.split("\n"), start=1):
        if pattern.match(line):
            return number
    return None


def _yaml_line_of(mapping, key) -> int | None:
    if isinstance(mapping, LineDict):
        return mapping.line_of(key)
    return None


def load_config(path: Path, known_rules, _extending: tuple[Path, ...] = ()) -> Config:
    """Read and validate one configuration file, and the files it extends.

    ``known_rules(folders)`` gives {rule id: {option: (attribute, type)}} for the built-in rules
    plus those in the config's own rule folders (and its bases'). ``_extending``: the files
    whose `extend` led here, to find a loop."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(path, None, "configuration file not found")
    if path.name == "pyproject.toml":
        try:
            import tomllib
        except ModuleNotFoundError:  # Python 3.10
            import tomli as tomllib

        text = _read_utf8(path)
        try:
            tool = tomllib.loads(text).get("tool", {})
        except tomllib.TOMLDecodeError as exc:
            line = re.search(r"line (\d+)", str(exc))
            raise ConfigError(path, int(line.group(1)) if line else None, f"TOML syntax error: {exc}") from None
        data = tool.get("healthlint", {}) if isinstance(tool, dict) else {}
        if not isinstance(data, dict):  # "[tool] healthlint = 5"
            raise ConfigError(path, _toml_key_line(text, "healthlint"), "'tool.healthlint' must be a table of settings, e.g. [tool.healthlint] with ignore = [\"long-sentence\"] below it")
        ref: list = []
        reader = _Reader(path, _toml_line_of(text, ref))
        ref.append(reader)
    else:
        data = load_yaml(path)
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise ConfigError(path, getattr(data, "line", 1), "a configuration file must be a mapping of settings, e.g. 'ignore: [long-sentence]'")
        reader = _Reader(path, _yaml_line_of)
    try:
        return _build(path, data, reader, known_rules, (*_extending, path.resolve()))
    except DataError as exc:
        raise ConfigError(exc.path, exc.line, exc.message, exc.column) from None


def _base_config(path: Path, data: dict, reader: _Reader, known_rules, extending: tuple[Path, ...]) -> Config:
    """The configuration `extend` names, read (with its own bases) before this file."""
    written = data["extend"].strip()
    target = path.parent / Path(written).expanduser()
    resolved = target.resolve()
    if resolved in extending:
        loop = " extends ".join(str(p) for p in (*extending[extending.index(resolved):], resolved))
        raise reader.fail(data, "extend", f"'extend' goes round in a loop ({loop}); a file cannot extend itself, even through others, so remove one of these 'extend' settings")
    if not target.exists():
        raise reader.fail(data, "extend", f"'extend': the base configuration '{written}' does not exist (looked for {resolved})")
    if not target.is_file():
        raise reader.fail(data, "extend", f"'extend': '{written}' is a folder; name the configuration file in it, such as '{Path(written, '.healthlint.yaml').as_posix()}'")
    if target.name == "pyproject.toml" and not _has_tool_section(target):
        raise reader.fail(data, "extend", f"'extend': '{written}' has no [tool.healthlint] table, so there is nothing to extend")
    return load_config(resolved, known_rules, extending)


def _build(path: Path, data: dict, reader: _Reader, known_rules, extending: tuple[Path, ...] = ()) -> Config:
    for key in data:
        if key not in TOP_KEYS:
            raise reader.fail(data, key, f"unknown setting '{key}'{_near(str(key), TOP_KEYS)}; known settings: {', '.join(TOP_KEYS)}")
    for key in _TOP_ONLY:
        if key in data:
            check, expected = TOP_KEYS[key]
            if not check(data[key]):
                raise reader.fail(data, key, f"'{key}' must be {expected}" + (f", not {data[key]!r}" if key in ("max-file-size", "extend") else ""))
    base = _base_config(path, data, reader, known_rules, extending) if "extend" in data else None
    root = path.parent
    folders = [(root / f) for f in data.get("rule-folders", [])]
    for folder, name in zip(folders, data.get("rule-folders", [])):
        if not folder.is_dir():
            raise reader.fail(data, "rule-folders", f"rule folder '{name}' does not exist (looked in {folder})")
    known_rules = known_rules(tuple([*(base.rule_folders if base else []), *folders]))
    settings = reader.settings(_without(data, _TOP_ONLY), TOP_KEYS, known_rules)
    overrides = []
    for i, item in enumerate(data.get("overrides", [])):
        reader.current_override = i
        if "files" not in item:
            raise reader.fail(data, "overrides", f"override {i + 1} needs 'files', a list of glob patterns")
        body = _without(item, {"files"})
        check, expected = OVERRIDE_KEYS["files"]
        if not check(item["files"]):
            raise reader.fail(item, "files", f"'overrides[{i + 1}].files' must be {expected}")
        settings_here = reader.settings(body, _SETTINGS, known_rules, f"overrides[{i + 1}].")
        overrides.append(Override(list(item["files"]), settings_here, root, frozenset(body)))
    reader.current_override = None
    size = parse_size(data["max-file-size"]) if "max-file-size" in data else None
    formats = _formats(data.get("formats") or {}, reader)
    respect = data.get("respect-gitignore", True)
    own = Config(
        path, root, settings, list(data.get("include", [])), list(data.get("exclude", [])), folders, overrides, size, formats, respect,
        chain=[path], written={key: [path] for key in data if key != "extend"}, include_root=root, exclude_root=root,
    )
    return base.extended_by(own, set(data)) if base else own


def _formats(mapping: dict, reader: _Reader) -> dict[str, Format]:
    """`formats:` checked: each key a file suffix with its dot (".mdoc"), each value a format."""
    formats: dict[str, Format] = {}
    for suffix, name in mapping.items():
        shown = str(suffix)
        if not isinstance(suffix, str) or not re.fullmatch(r"\.[^./\\*?\s]+", suffix.strip()):
            if isinstance(suffix, str) and re.fullmatch(r"[^./\\*?\s]+", suffix.strip()):
                hint = f'write it with its dot: ".{suffix.strip()}"'
            elif isinstance(suffix, str) and re.fullmatch(r"(?:\.[^./\\*?\s]+){2,}", suffix.strip()):
                last = "." + suffix.strip().rsplit(".", 1)[1]
                hint = f'healthlint goes by the last part of a file name only, so write "{last}"'
            else:
                hint = 'write a suffix such as ".mdoc" (a dot, then letters or digits)'
            raise reader.fail(mapping, suffix, f"'formats': \"{shown}\" is not a file suffix; {hint}")
        if not isinstance(name, str):
            raise reader.fail(mapping, suffix, f"'formats': the format for \"{shown}\" must be a name such as markdown, not {name!r}")
        try:
            fmt = parse_format(name)
        except ValueError as exc:
            raise reader.fail(mapping, suffix, f"'formats' for \"{shown}\": {exc}{_near(name.strip().lower(), [f.value for f in Format])}") from None
        formats[suffix.strip().lower()] = fmt
    return formats


def _without(data: dict, keys) -> dict:
    """A copy of a mapping without some keys, keeping its line numbers."""
    if isinstance(data, LineDict):
        copy = LineDict((k, v) for k, v in data.items() if k not in keys)
        copy.line, copy.key_lines = data.line, data.key_lines
        return copy
    return {k: v for k, v in data.items() if k not in keys}


def _has_tool_section(path: Path) -> bool:
    """Does a pyproject.toml configure healthlint? A table header ([tool.healthlint]) says so
    at once; any other mention ("[tool] healthlint = 5", dotted keys) is settled by parsing,
    so a wrong value there is reported rather than the file being passed over."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    if re.search(rb"^\s*\[tool\.healthlint(?:\.|\])", data, re.M):
        return True
    if b"healthlint" not in data:
        return False
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    try:
        tool = tomllib.loads(data.decode("utf-8")).get("tool")
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return re.search(rb"^\s*(?:tool\.)?healthlint\s*=", data, re.M) is not None  # load_config names the problem
    return isinstance(tool, dict) and "healthlint" in tool


@lru_cache(maxsize=256)
def find_config_file(folder: Path) -> Path | None:
    """The nearest configuration file from ``folder`` upwards, or None."""
    for directory in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            try:
                is_file = candidate.is_file()
            except OSError:  # a folder that cannot be looked into: reading the file reports it
                continue
            if is_file and (name != "pyproject.toml" or _has_tool_section(candidate)):
                return candidate
    return None


# The JSON Schema of a configuration file, shipped in the package; `healthlint init` writes a copy
# under this name beside the file, which the starter's first comment points editors at.
SCHEMA_FILE_NAME = ".healthlint.schema.json"


def schema_text() -> str:
    """The configuration's JSON Schema (healthlint/data/config.schema.json), as shipped."""
    from importlib import resources

    return (resources.files("healthlint") / "data" / "config.schema.json").read_text(encoding="utf-8")


STARTER = f"""\
# healthlint configuration. Every setting is optional; delete what you do not need.
# Docs: healthlint explain RULE, healthlint rules, and the README's Configuration section.
# The next line lets editors (VS Code with the YAML extension) complete and check this file:
# yaml-language-server: $schema={SCHEMA_FILE_NAME}

# Start from another configuration file (relative to this one) and change only what differs:
# extend: ../.healthlint.yaml

# Exit with 1 when a finding is at or above this level: info, warning, error, or never.
fail-on: warning
# Show only findings at or above this level (info, warning, error); the summary counts the rest.
# min-severity: warning

# Reading-level target: patient (grade 8), public (grade 10) or professional (no target).
audience: patient
# Or set the grade yourself (many organisations ask for grade 6):
# grade-target: 6

# Rules to turn off everywhere, or to add (grammar needs a LanguageTool server).
ignore: []
# extend-select: [grammar]
# languagetool-url: http://localhost:8081

# Per-rule settings: severity (info, warning, error) and the rule's own options.
rules:
  long-sentence:
    max_words: 25
  # opioid-substitution:
  #   severity: error

# Front matter values checked as copy (title, description and summary unless you say).
# front-matter-keys: [title, description, summary]

# Files to leave alone, as globs relative to this file's folder.
exclude:
  - "drafts/**"

# More kinds of file to read, by suffix: markdown, mdx, text, html or docx.
# formats:
#   .mdoc: markdown

# Folder runs leave out what .gitignore ignores; set false to check those files too.
# respect-gitignore: true

# Folders of your own rules (YAML files, same format as the built-in rules).
# rule-folders: [house-rules]

# Different settings for some paths.
overrides:
  - files: ["patients/**"]
    grade-target: 6
  - files: ["news/**"]
    ignore: [missing-citation]
"""
