"""Resolve what applies to each file: its configuration, the command line, and the defaults.

Precedence: command-line options > the file's configuration (with matching overrides) >
built-in defaults. Rule sets are built once per distinct set of settings.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from healthlint.config import Config, ConfigError, Settings, find_config_file, load_config
from healthlint.discovery import FolderRules
from healthlint.filters import configure, rule_options, select_rules, with_grade_target
from healthlint.formats import DEFAULT_FRONT_MATTER_KEYS as DEFAULT_KEYS
from healthlint.ruleset import load_rules


@dataclass
class CommandLine:
    """Options given on the command line; None means "not given"."""

    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: str | None = None
    min_severity: str | None = None  # show findings at or above it
    audience: str | None = None
    languagetool_url: str | None = None
    config: Path | None = None
    isolated: bool = False
    respect_gitignore: bool | None = None  # --respect-gitignore / --no-respect-gitignore; None: the config's


# {rule id: {option: (attribute, type, allowed values)}} for the rules of some rule folders.
KnownRules = Callable[[tuple[Path, ...]], dict[str, dict]]


def known_rules(folders: tuple[Path, ...]) -> dict[str, dict]:
    """The known rules, from the rules themselves (loads and builds them)."""
    return {rule.info.id: rule_options(rule) for rule in load_rules(folders).rules}


@dataclass
class Resolved:
    rules: list
    fail_on: str
    config: Config | None
    front_matter_keys: tuple[str, ...] = DEFAULT_KEYS  # whose values in front matter are prose
    min_severity: str = "info"  # findings below it are not shown


@dataclass(frozen=True)
class FileSettings:
    """What applies to one file before any rule is built."""

    config: Config | None  # the file's configuration, if any
    settings: Settings  # that configuration's settings for the file (matching overrides applied)
    fail_on: str  # the command line's, else the configuration's, else "warning"
    min_severity: str = "info"  # the command line's, else the configuration's, else every finding


class Resolver:
    """Each file's configuration, settings and rules.

    Configuration files are checked against ``known_rules(folders)``: {rule id: options} for
    the built-in and plugin rules and those in the given folders. The default builds the rules;
    the result cache passes one that reads a stored catalogue, so a cached run builds none."""

    def __init__(self, cli: CommandLine, known_rules: KnownRules = known_rules) -> None:
        self.cli = cli
        self.known_rules = known_rules
        self._configs: dict[Path, Config] = {}
        self._rules: dict[tuple, list] = {}
        self.explicit = self._load(cli.config) if cli.config and not cli.isolated else None

    def _load(self, path: Path) -> Config:
        path = Path(path)
        if path not in self._configs:
            self._configs[path] = load_config(path, self.known_rules)
        return self._configs[path]

    def config_for(self, path: Path | None) -> Config | None:
        return self.folder_config(path.parent if path else Path.cwd())

    def folder_config(self, folder: Path) -> Config | None:
        """The configuration that governs the files of ``folder``."""
        if self.cli.isolated:
            return None
        if self.explicit:
            return self.explicit
        found = find_config_file(folder.resolve())
        return self._load(found) if found else None

    def folder_rules(self, folder: Path) -> FolderRules:
        """What a folder walk needs from the configuration: its formats and gitignore choice."""
        config = self.folder_config(folder)
        if config is None:
            return FolderRules()
        return FolderRules(config.formats, config.respect_gitignore)

    def settings_for(self, path: Path | None) -> FileSettings:
        """The file's configuration, settings and fail-on level, without building a rule."""
        config = self.config_for(path)
        settings = config.settings_for(path) if config and path else (config.settings if config else Settings())
        min_severity = self.cli.min_severity or settings.min_severity or "info"
        return FileSettings(config, settings, self.cli.fail_on or settings.fail_on or "warning", min_severity)

    def resolve(self, path: Path | None) -> Resolved:
        applies = self.settings_for(path)
        config, settings = applies.config, applies.settings
        cli = self.cli
        select = cli.select if cli.select is not None else settings.select
        extend = list(settings.extend_select) + list(cli.extend_select)
        # Rules named on the command line win over the configuration's top-level ignore list;
        # ignores from per-path overrides still apply (they are policy for those paths).
        named = set(cli.select or ()) | set(cli.extend_select)
        top = config.settings.ignore if config else []
        from_overrides = [i for i in settings.ignore if i not in top]
        ignore = [i for i in top if i not in named] + from_overrides + list(cli.ignore)
        audience = cli.audience or settings.audience
        url = cli.languagetool_url or settings.languagetool_url
        if url and "grammar" not in extend:
            extend.append("grammar")
        key = (config.path if config else None, tuple(select or ()), select is None, tuple(extend), tuple(ignore), audience, settings.grade_target, url, repr(sorted(settings.rules.items())))
        if key not in self._rules:
            folders = tuple(config.rule_folders) if config else ()
            ruleset = load_rules(folders)
            try:
                rules = select_rules(ruleset, list(select or []), ignore, audience, [e for e in extend if e in ruleset.ids()])
                configured = []
                for rule in rules:
                    rule = configure(rule, settings.rules.get(rule.info.id, {}))
                    if settings.grade_target is not None:
                        rule = with_grade_target(rule, settings.grade_target)
                    if url and hasattr(rule, "server_url"):
                        rule = copy.copy(rule)  # the loaded rule is shared by every run in this process
                        rule.server_url = url
                    configured.append(rule)
            except ValueError as exc:
                if config:
                    raise ConfigError(config.path, None, str(exc)) from None
                raise
            self._rules[key] = configured
        keys = DEFAULT_KEYS if settings.front_matter_keys is None else tuple(settings.front_matter_keys)
        return Resolved(self._rules[key], applies.fail_on, config, keys, applies.min_severity)

    def excluded(self, path: Path, explicit: bool) -> bool:
        """Files matching the config's exclude globs are skipped; include globs narrow folder walks."""
        config = self.config_for(path)
        if config is None:
            return False
        return config.excludes(path) or (not explicit and not config.includes(path))
