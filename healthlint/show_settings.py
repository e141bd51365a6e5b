"""`healthlint check --show-settings PATH`: what applies to one file, in words.

Which configuration files apply (the file found for PATH, then each file it extends), the
settings they give this file (overrides for its path applied), the command-line options that
win over them, and the rules that will run with their severities. Nothing is linted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from healthlint.config import Config, Override, Settings
from healthlint.settings import CommandLine, Resolver

_DEFAULTS = {
    "fail-on": "warning",
    "min-severity": "info",
    "audience": "patient",
    "grade-target": "the audience's",
    "languagetool-url": "none",
    "front-matter-keys": "[title, description, summary]",
}


@dataclass(frozen=True)
class ShownRule:
    id: str
    severity: str
    source: str


def _listed(items) -> str:
    return "[" + ", ".join(str(i) for i in items) + "]"


def _value(value, key: str) -> str:
    """A setting as written in a configuration file, or its default in words."""
    if value is None:
        return f"{_DEFAULTS[key]} (default)"
    return _listed(value) if isinstance(value, list) else str(value)


def shown_path(path: Path) -> str:
    """A configuration file as the user knows it: relative to the current folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)


# Settings whose values from several places add up; for the others the nearest place wins.
_ADDING = {"extend-select", "ignore", "rules", "formats", "rule-folders"}


def _origin(key: str, config: Config | None, overrides: list[tuple[int, Override]]) -> str:
    """Where a setting's value comes from: the matching overrides that write it, then the files."""
    if config is None:
        return ""
    places = [f"overrides[{i}]" for i, o in reversed(overrides) if key in o.keys]
    if not places or key in _ADDING:
        places += [shown_path(f) for f in config.written.get(key, [])]
    if key not in _ADDING:
        places = places[:1]
    return f" (from {', '.join(places)})" if places else ""


def _config_lines(config: Config | None, cli: CommandLine) -> list[str]:
    if cli.isolated:
        return ["Configuration files: none (--isolated ignores them)"]
    if config is None:
        return ["Configuration files: none found, so healthlint's defaults apply"]
    how = " (given with --config)" if cli.config else ""
    lines = [f"Configuration files{how}, nearest first (each extends the one below it):" if len(config.chain) > 1 else f"Configuration file{how}:"]
    lines += [f"  {shown_path(path)}" for path in config.chain]
    return lines


def _settings_lines(config: Config | None, settings: Settings, path: Path | None, folder: bool) -> list[str]:
    what = "the files in this folder" if folder else "this file"
    matching = [(config.overrides.index(o) + 1, o) for o in config.matching_overrides(path)] if config and path else []

    def line(key: str, shown: str, default: bool = False) -> str:
        return f"  {key}: {shown}" + (" (default)" if default else _origin(key, config, matching))

    lines = [f"Settings for {what} (where each comes from; defaults where nothing is set):"]
    if settings.select is None:
        lines.append(line("select", "every rule that is on by default", default=True))
    else:
        lines.append(line("select", _listed(settings.select)))
    lines.append(line("extend-select", _listed(settings.extend_select), default=not settings.extend_select))
    lines.append(line("ignore", _listed(settings.ignore), default=not settings.ignore))
    for key, value in (
        ("fail-on", settings.fail_on),
        ("min-severity", settings.min_severity),
        ("audience", settings.audience),
        ("grade-target", settings.grade_target),
        ("languagetool-url", settings.languagetool_url),
        ("front-matter-keys", settings.front_matter_keys),
    ):
        lines.append(f"  {key}: {_value(value, key)}" if value is None else line(key, _value(value, key)))
    if settings.rules:
        lines.append("  rules:" + _origin("rules", config, matching))
        for rule_id, options in settings.rules.items():
            shown = ", ".join(f"{k}: {v}" for k, v in options.items())
            lines.append(f"    {rule_id}: {{{shown}}}")
    if config is None:
        return lines
    if config.overrides:
        applied = ", ".join(f"overrides[{i}] {_listed(o.files)}" for i, o in matching) or "none"
        lines.append(f"  overrides that apply: {applied}{' (to every file in the folder)' if folder else ''}{_origin('overrides', config, [])}")
    lines.append(line("include", _listed(config.include), default=not config.include))
    lines.append(line("exclude", _listed(config.exclude), default=not config.exclude))
    lines.append(line("rule-folders", _listed(shown_path(f) for f in config.rule_folders), default=not config.rule_folders))
    if config.max_file_size is None:
        lines.append(line("max-file-size", "10MB", default=True))
    else:
        lines.append(line("max-file-size", f"{config.max_file_size} bytes"))
    formats = ", ".join(f"{suffix}: {fmt.value}" for suffix, fmt in config.formats.items())
    lines.append(line("formats", formats or "the built-in table", default=not formats))
    lines.append(line("respect-gitignore", "true" if config.respect_gitignore else "false", default="respect-gitignore" not in config.written))
    return lines


def _cli_lines(cli: CommandLine) -> list[str]:
    given = []
    if cli.select is not None:
        given.append(f"--select {','.join(cli.select)}")
    if cli.extend_select:
        given.append(f"--extend-select {','.join(cli.extend_select)}")
    if cli.ignore:
        given.append(f"--ignore {','.join(cli.ignore)}")
    for option, value in (("--fail-on", cli.fail_on), ("--audience", cli.audience), ("--languagetool-url", cli.languagetool_url)):
        if value:
            given.append(f"{option} {value}")
    if not given:
        return []
    return ["Command-line options, which win over the configuration:"] + [f"  {g}" for g in given]


def rules_that_run(resolver: Resolver, path: Path | None) -> list[ShownRule]:
    return [ShownRule(r.info.id, r.info.severity.value, r.info.source) for r in resolver.resolve(path).rules]


def describe(shown: str, path: Path | None, resolver: Resolver) -> str:
    """Everything --show-settings prints for one path (a file, or a folder: its files)."""
    folder = path is not None and path.is_dir()
    # A folder stands for its files: "*" matches the overrides that apply to every one of them.
    probe = path / "*" if folder else path
    applies = resolver.settings_for(probe)
    rules = rules_that_run(resolver, probe)
    lines = [f"Settings for {shown}", ""]
    lines += _config_lines(applies.config, resolver.cli)
    lines += [""] + _settings_lines(applies.config, applies.settings, probe, folder)
    cli_lines = _cli_lines(resolver.cli)
    if cli_lines:
        lines += [""] + cli_lines
    lines += ["", f"Exit code 1 for findings at or above: {applies.fail_on}"]
    if path is not None and not folder and resolver.excluded(path, explicit=False):
        lines.append("A folder run leaves this file out (exclude or include); named on the command line, it is checked.")
    lines += ["", f"Rules that will run ({len(rules)}):"]
    width = max((len(r.id) for r in rules), default=0)
    lines += [f"  {r.id:<{width}}  {r.severity:<7}  {r.source}" for r in rules] or ["  none"]
    return "\n".join(lines) + "\n"
