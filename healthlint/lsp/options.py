"""The editor's settings for healthlint, and how they map to ``healthlint check``'s options."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from healthlint.settings import CommandLine

DEFAULT_DEBOUNCE = 0.3
AUDIENCES = ("patient", "public", "professional")
# Each setting and the spellings clients send it in; the first is the one docs/editors.md names.
SPELLINGS = {
    "config": ("config", "configFile", "config_file"),
    "isolated": ("isolated",),
    "select": ("select",),
    "ignore": ("ignore",),
    "extend_select": ("extendSelect", "extend-select", "extend_select"),
    "audience": ("audience",),
    "languagetool_url": ("languagetoolUrl", "languagetool-url", "languagetool_url"),
    "debounce": ("debounce",),
}
_KEYS = frozenset(name for names in SPELLINGS.values() for name in names)
_CLI_OPTION = re.compile(r"--(select|ignore|extend-select)\b")


@dataclass
class Options:
    """Settings from the client (initializationOptions or workspace/didChangeConfiguration), under
    a "healthlint" key or at the top level. Each maps to the ``healthlint check`` option of that name."""

    config: str | None = None
    isolated: bool = False
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    audience: str | None = None
    languagetool_url: str | None = None
    debounce: float = DEFAULT_DEBOUNCE

    @staticmethod
    def given(value: Any) -> bool:
        """Whether client settings say anything about healthlint (many clients send {} or only
        other tools' sections, which must not wipe the initialization options)."""
        return isinstance(value, dict) and (isinstance(value.get("healthlint"), dict) or bool(_KEYS & set(value)))

    @classmethod
    def parse(cls, value: Any, base: Options | None = None) -> Options:
        """The options in client settings; a missing or out-of-range debounce keeps ``base``'s."""
        base = base or cls()
        if not isinstance(value, dict):
            return base
        if isinstance(value.get("healthlint"), dict):
            value = value["healthlint"]

        def get(setting: str) -> Any:
            return next((value[name] for name in SPELLINGS[setting] if name in value), None)

        config, audience, url, debounce = get("config"), get("audience"), get("languagetool_url"), get("debounce")
        return cls(
            config=str(config) if config else None,
            isolated=bool(get("isolated")),
            select=rule_ids(get("select")) or None,
            ignore=rule_ids(get("ignore")) or [],
            extend_select=rule_ids(get("extend_select")) or [],
            audience=str(audience) if audience in AUDIENCES else None,
            languagetool_url=str(url) if url else None,
            debounce=float(debounce) if is_number(debounce) and 0 <= debounce <= 10 else base.debounce,
        )

    def command_line(self, root: Path | None) -> CommandLine:
        """The ``healthlint check`` options these settings stand for; a relative config file is
        found from the workspace root, not from wherever the editor started the server."""
        from healthlint.settings import CommandLine

        config = None
        if self.config:
            config = Path(self.config).expanduser()
            if not config.is_absolute() and root is not None:
                config = root / config
        return CommandLine(
            select=self.select,
            extend_select=list(self.extend_select),
            ignore=list(self.ignore),
            audience=self.audience,
            languagetool_url=self.languagetool_url,
            config=config,
            isolated=self.isolated,
        )


def rule_ids(raw: Any) -> list[str] | None:
    """A list of rule ids from a list or a comma-separated string; None if it is neither."""
    if isinstance(raw, str):
        raw = raw.split(",")
    if not isinstance(raw, list):
        return None
    return [str(part).strip() for part in raw if str(part).strip()]


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def in_settings_terms(message: str) -> str:
    """Rule ids from the editor's settings are checked as if given on the command line: name the
    setting in the message, not the option."""
    return _CLI_OPTION.sub(lambda m: f"the '{SPELLINGS[m.group(1).replace('-', '_')][0]}' setting", message)
