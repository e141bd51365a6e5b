"""The result cache: a file's findings, reused while nothing that could change them has changed.

An entry is found by the file's display path and its effective settings (its *slot*), and is
used only if its *check* still matches: the text, the rule definitions (the bytes of every file
ruleset.rule_files names, plugin versions), healthlint's code, its version and Python's
(rulecache.code_fingerprint, shared with the rule cache), and the versions of the libraries it
scores with. All of that is computed from files and configuration alone, so a run whose files
are all cached never compiles, or even loads, a rule.

Everything here fails quietly: a cache that cannot be read or written (read-only, corrupt, disk
full) only makes a run slower. Entries are JSON, never pickle, so a cache folder from somewhere
else can at worst give wrong findings, never run code. Layout (folder: --cache-dir,
HEALTHLINT_CACHE_DIR, or .healthlint_cache in the current folder):

    .gitignore           "*": git ignores the folder
    CACHEDIR.TAG         backup tools skip it (https://bford.info/cachedir/)
    v1/files/SLOT.json   one file under one set of settings: the check and its findings
    v1/rules/KEY.json    the rules that ran under one set of settings (SARIF lists them)
    v1/catalogue/FP.json the rule ids and options of one set of rule folders (to validate configs)
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from healthlint.atomicfile import write_atomic
from healthlint.model import Edit, Finding, Fix, Position, Severity
from healthlint.rulecache import code_fingerprint

if TYPE_CHECKING:
    from healthlint.config import Config, Settings
    from healthlint.kinds import RuleInfo
    from healthlint.settings import CommandLine, Resolver
    from healthlint.source import SourceText

CACHE_DIR_NAME = ".healthlint_cache"
CACHE_DIR_ENV = "HEALTHLINT_CACHE_DIR"
LAYOUT = "v1"  # bump when an entry's shape changes; old folders are then simply not read
GITIGNORE = "# Created by healthlint: this folder is a cache and never needs committing.\n*\n"
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by healthlint.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n"
)


def cache_root(given: Path | None) -> Path:
    """--cache-dir (or HEALTHLINT_CACHE_DIR), else .healthlint_cache in the current folder."""
    return Path(given) if given is not None and str(given) else Path(CACHE_DIR_NAME)


def digest(*parts: object) -> str:
    """A short stable hash of some values: bytes as they are, tuples part by part, the rest by repr."""
    h = hashlib.blake2b(digest_size=16)
    _feed(h, parts)
    return h.hexdigest()


def _feed(h, part: object) -> None:
    if isinstance(part, tuple):
        h.update(b"(%d" % len(part))
        for item in part:
            _feed(h, item)
        return
    data = part if isinstance(part, bytes) else repr(part).encode("utf-8", "surrogatepass")
    h.update(len(data).to_bytes(8, "little"))
    h.update(data)


class Unavailable(Exception):
    """This file cannot be cached (a fingerprint could not be taken); lint it as usual."""


# --- fingerprints of what the findings depend on -----------------------------------------------


def library_versions() -> tuple:
    """The versions of the libraries findings depend on (scores, parsing), None if missing."""
    from healthlint.installed import installed

    return installed().versions


def plugins_fingerprint() -> str:
    """Installed plugins by entry point and distribution version, without importing them."""
    from healthlint.installed import installed

    return digest([(ep.name, ep.value, ep.distribution) for ep in installed().entry_points])


def rules_fingerprint(folders: tuple[Path, ...]) -> str:
    """Everything that defines the rules for a set of custom rule folders: healthlint's code,
    the libraries', the plugins', and the bytes of every rule file the loader reads."""
    from healthlint.ruleset import builtin_rules_dir, rule_files

    try:
        files = [(str(path), path.read_bytes()) for path in rule_files((builtin_rules_dir(), *folders))]
        code = code_fingerprint()
    except OSError as exc:
        raise Unavailable(str(exc)) from None
    where = tuple(str(Path(f).resolve()) for f in folders)  # their rules' ids and source come from these
    return digest(code, library_versions(), plugins_fingerprint(), where, *files)


# --- JSON forms of findings, rule infos and rule options ---------------------------------------


def finding_to_json(f: Finding, path: str) -> list:
    """A compact row; the path is left out when it is the file's own."""
    fix = None if f.fix is None else [[[e.start, e.end, e.replacement] for e in f.fix.edits], f.fix.applicability, f.fix.description]
    return [
        None if f.path == path else f.path,
        f.start.line,
        f.start.column,
        f.end.line,
        f.end.column,
        f.rule,
        f.severity.value,
        f.message,
        f.suggestion,
        f.text,
        list(f.span),
        f.key,
        fix,
    ]


def finding_from_json(row: list, path: str) -> Finding:
    own_path, line, column, end_line, end_column, rule, severity, message, suggestion, text, span, key, fix = row
    return Finding(
        path=path if own_path is None else own_path,
        start=Position(line, column),
        end=Position(end_line, end_column),
        rule=rule,
        severity=Severity(severity),
        message=message,
        suggestion=suggestion,
        text=text,
        span=(span[0], span[1]),
        key=key,
        fix=None if fix is None else Fix(tuple(Edit(*e) for e in fix[0]), fix[1], fix[2]),
    )


def info_to_json(info: RuleInfo) -> dict:
    from healthlint.kinds import RuleInfo

    if type(info) is not RuleInfo:  # a plugin's own info class: nothing here knows how to rebuild it
        raise Unavailable(f"rule info of type {type(info).__name__}")
    return dataclasses.asdict(info)


def info_from_json(data: dict) -> RuleInfo:
    from healthlint.kinds import RuleInfo
    from healthlint.kinds.base import Example

    examples = {key: tuple(Example(**e) for e in data[key]) for key in ("flag_examples", "pass_examples")}
    return RuleInfo(**{**data, "severity": Severity(data["severity"]), **examples})


# Option types a configuration can check against (see filters.rule_options), by name.
OPTION_TYPES: dict[str, type] = {t.__name__: t for t in (int, float, str, bool, list, dict)}


def _type_names(expected) -> list[str]:
    types = expected if isinstance(expected, tuple) else (expected,)
    names = [t.__name__ for t in types]
    if any(OPTION_TYPES.get(n) is not t for n, t in zip(names, types)):
        raise Unavailable(f"option type {expected!r}")
    return names


def catalogue_to_json(known: dict[str, dict]) -> dict:
    """{rule id: {option: (attribute, type, choices)}} as JSON (ids keep their order)."""
    return {
        rule_id: {name: [spec[0], _type_names(spec[1]), None if spec[2] is None else list(spec[2])] for name, spec in options.items()}
        for rule_id, options in known.items()
    }


def catalogue_from_json(data: dict) -> dict[str, dict]:
    def expected(names: list[str]):
        types = tuple(OPTION_TYPES[n] for n in names)
        return types[0] if len(types) == 1 else types

    return {
        rule_id: {name: (spec[0], expected(spec[1]), None if spec[2] is None else tuple(spec[2])) for name, spec in options.items()}
        for rule_id, options in data.items()
    }


# --- the folder on disk ------------------------------------------------------------------------

_NAME = re.compile(r"^[0-9a-f]{32}$")


class ResultCache:
    """JSON entries in a folder. Reads give None and writes give up quietly on any problem."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._writable = True
        self._prepared = False

    def _entry(self, kind: str, name: str) -> Path:
        assert _NAME.match(name), name
        return self.root / LAYOUT / kind / f"{name}.json"

    def read(self, kind: str, name: str) -> Any:
        try:
            return json.loads(self._entry(kind, name).read_bytes())
        except Exception:  # noqa: BLE001 - missing, unreadable or corrupt: a miss
            return None

    def write(self, kind: str, name: str, value: Any) -> None:
        if not self._writable:
            return
        try:
            data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        except (TypeError, ValueError):  # a value JSON cannot hold (a plugin's finding): skip it
            return
        try:
            self._prepare()
            target = self._entry(kind, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, data)
        except OSError:  # read-only, disk full, a file in the way: run on without the cache
            self._writable = False

    def _prepare(self) -> None:
        """Create the folder with the files that keep it out of git and backups."""
        if self._prepared:
            return
        self.root.mkdir(parents=True, exist_ok=True)
        for name, text in ((".gitignore", GITIGNORE), ("CACHEDIR.TAG", CACHEDIR_TAG)):
            if not (self.root / name).exists():
                write_atomic(self.root / name, text.encode("utf-8"))
        self._prepared = True


# --- planning: a file's cache key from its configuration alone ---------------------------------


@dataclass(frozen=True)
class FilePlan:
    """What the configuration says about one file, computed without loading a rule."""

    excluded: bool
    fail_on: str = "warning"
    min_severity: str = "info"
    settings: str = ""  # digest of the effective settings
    rules: str = ""  # fingerprint of the rule definitions


@dataclass(frozen=True)
class Hit:
    findings: list[Finding]
    infos: list[RuleInfo]  # the rules that ran, for reports


class CachePlanner:
    """Finds each file's configuration and cache entry with a settings.Resolver whose
    configurations are checked against a stored catalogue of rule ids and options instead of
    the built rules, so planning builds no rule. Any surprise returns None, and the caller takes
    the usual path (which reports errors exactly as without a cache)."""

    def __init__(self, cli: CommandLine, cache: ResultCache, report_unused_suppressions: bool) -> None:
        self.cli = cli
        self.cache = cache
        self.report_unused_suppressions = report_unused_suppressions
        self._resolver: Resolver | None = None
        self._fingerprints: dict[tuple[Path, ...], str] = {}
        self._infos: dict[tuple[str, str], list | None] = {}
        self._stored_infos: set[tuple[str, str]] = set()

    @property
    def resolver(self) -> Resolver:
        """Made on first use, inside the callers' guards: a bad --config file raises here."""
        if self._resolver is None:
            from healthlint.settings import Resolver

            self._resolver = Resolver(self.cli, known_rules=self.known_rules)
        return self._resolver

    def known_rules(self, folders: tuple[Path, ...]) -> dict[str, dict]:
        """settings.known_rules, read from the catalogue when the rules have not changed."""
        from healthlint.settings import known_rules as built_known_rules

        fingerprint = self.fingerprint(folders)
        stored = self.cache.read("catalogue", fingerprint)
        if isinstance(stored, dict):
            try:
                return catalogue_from_json(stored)
            except Exception:  # noqa: BLE001 - corrupt: rebuild it below
                pass
        known = built_known_rules(folders)
        try:
            self.cache.write("catalogue", fingerprint, catalogue_to_json(known))
        except Unavailable:
            pass
        return known

    def fingerprint(self, folders: tuple[Path, ...]) -> str:
        if folders not in self._fingerprints:
            self._fingerprints[folders] = rules_fingerprint(folders)
        return self._fingerprints[folders]

    def cli_ids_known(self) -> bool:
        """Are the rule ids on the command line all known? False also when unsure."""
        try:
            ids = [*(self.cli.select or []), *self.cli.ignore, *self.cli.extend_select]
            config = self.resolver.config_for(None)
            if not ids:
                return True
            known = self.known_rules(tuple(config.rule_folders) if config else ())
            return all(rule_id in known for rule_id in ids)
        except Exception:  # noqa: BLE001 - the usual path will say what is wrong
            return False

    def plan(self, path: Path, explicit: bool) -> FilePlan | None:
        """The file's exclusion, fail-on and keys; None when only the usual path can tell."""
        try:
            if path.exists() and self.resolver.excluded(path, explicit):
                return FilePlan(excluded=True)
            applies = self.resolver.settings_for(path)
            folders = tuple(applies.config.rule_folders) if applies.config else ()
            return FilePlan(
                False,
                applies.fail_on,
                settings=self._settings_digest(applies.config, applies.settings),
                rules=self.fingerprint(folders),
                min_severity=applies.min_severity,
            )
        except Exception:  # noqa: BLE001
            return None

    def _settings_digest(self, config: Config | None, settings: Settings) -> str:
        # Everything settings.Resolver builds a file's rules from (more is harmless: a miss).
        cli = dataclasses.replace(self.cli, fail_on=None, min_severity=None)  # they choose among the findings, after
        where = (str(config.path), [str(f) for f in config.rule_folders], config.settings.ignore) if config else None
        return digest(LAYOUT, repr(cli), where, repr(settings), self.report_unused_suppressions)

    # entries
    def _check(self, plan: FilePlan, source: SourceText) -> str:
        return digest(plan.rules, plan.settings, source.path, source.format.value, source.text.encode("utf-8", "surrogatepass"), repr(source.structure()))

    def _slot(self, plan: FilePlan, source: SourceText) -> str:
        return digest(source.path, plan.settings)

    def _rule_infos(self, plan: FilePlan) -> list | None:
        key = (plan.settings, plan.rules)
        if key not in self._infos:
            stored = self.cache.read("rules", digest(*key))
            try:
                self._infos[key] = [info_from_json(d) for d in stored] if isinstance(stored, list) else None
            except Exception:  # noqa: BLE001
                self._infos[key] = None
        return self._infos[key]

    def lookup(self, plan: FilePlan, source: SourceText) -> Hit | None:
        infos = self._rule_infos(plan)
        if infos is None:
            return None
        entry = self.cache.read("files", self._slot(plan, source))
        try:
            if not isinstance(entry, dict) or entry.get("check") != self._check(plan, source):
                return None
            return Hit([finding_from_json(row, source.path) for row in entry["findings"]], infos)
        except Exception:  # noqa: BLE001 - a corrupt entry is a miss
            return None

    def store(self, plan: FilePlan, source: SourceText, findings: list[Finding], infos: list) -> None:
        try:
            key = (plan.settings, plan.rules)
            if key not in self._stored_infos:
                self.cache.write("rules", digest(*key), [info_to_json(i) for i in infos])
                self._stored_infos.add(key)
            rows = [finding_to_json(f, source.path) for f in findings]
        except Unavailable:
            return
        self.cache.write("files", self._slot(plan, source), {"check": self._check(plan, source), "findings": rows})
