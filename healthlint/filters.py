"""Stage 5: choose which rules run and which findings count."""

from __future__ import annotations

import difflib

from healthlint.kinds import Rule
from healthlint.model import Finding, Severity
from healthlint.ruleset import RuleSet


def nearest_id(given: str, known: list[str]) -> str | None:
    """The rule id ``given`` most likely means: a close spelling ("natural-means-saf"), else the
    one id that starts with or holds it as a word ("natural", "safety"); None when unsure."""
    near = difflib.get_close_matches(given, known, n=1)
    if near:
        return near[0]
    word = given.strip().lower()
    if not word:
        return None
    holding = [rule_id for rule_id in known if word in rule_id.replace("/", "-").split("-") or rule_id.startswith(word)]
    return holding[0] if len(holding) == 1 else None


def check_ids(ruleset: RuleSet, ids: list[str], option: str) -> None:
    """ValueError for the first id that names no rule in ``ruleset``, with a did-you-mean."""
    known = ruleset.ids()
    for rule_id in ids:
        if rule_id not in known:
            near = nearest_id(rule_id, known)
            hint = f"; did you mean '{near}'?" if near else "; run 'healthlint rules' to see them all"
            raise ValueError(f"{option}: there is no rule '{rule_id}'{hint}")


def select_rules(
    ruleset: RuleSet,
    select: list[str],
    ignore: list[str],
    audience: str | None = None,
    extend: list[str] | None = None,
) -> list[Rule]:
    extend = extend or []
    check_ids(ruleset, select, "--select")
    check_ids(ruleset, ignore, "--ignore")
    check_ids(ruleset, extend, "--extend-select")
    # Rules that are off by default (enabled: false) run only when selected by name.
    rules = [
        r
        for r in ruleset.rules
        if ((r.info.id in select if select else r.info.enabled) or r.info.id in extend) and r.info.id not in ignore
    ]
    if audience is not None:
        rules = [with_audience(r, audience) for r in rules]
    return rules


def with_audience(rule: Rule, audience: str) -> Rule:
    """The rule aimed at another audience, if it is aimed at one (``aimed_at``, as the
    reading-level rule is); other rules unchanged."""
    aimed_at = getattr(rule, "aimed_at", None)
    if aimed_at is None:
        return rule
    try:
        return aimed_at(audience=audience)
    except ValueError as exc:
        raise ValueError(f"--audience: {exc}") from None


TYPE_NAMES = {int: "whole number", float: "number", str: "text", dict: "mapping", list: "list", bool: "true or false"}


def type_name(expected) -> str:
    types = expected if isinstance(expected, tuple) else (expected,)
    return " or ".join(TYPE_NAMES.get(t, t.__name__) for t in types)


def rule_options(rule: Rule) -> dict[str, tuple]:
    """The options a configuration may set for a rule (besides severity):
    name -> (attribute, type, allowed values or None)."""
    choices_of = getattr(rule, "option_choices", None)  # for options only some values of a type suit
    options = {}
    for name, spec in dict(getattr(rule, "OPTIONS", {})).items():
        attribute, expected = spec[0], spec[1]
        options[name] = (attribute, expected, choices_of(name) if choices_of else None)
    return options


def configure(rule: Rule, settings: dict) -> Rule:
    """A copy of ``rule`` with a configuration's severity and options applied.

    Raises ValueError for an option the rule does not have or a value of the wrong type."""
    import copy
    from dataclasses import replace

    if not settings:
        return rule
    changed = copy.copy(rule)
    options = rule_options(rule)
    for key, value in settings.items():
        if key == "severity":
            changed.info = replace(rule.info, severity=Severity.parse(str(value)))
            continue
        if key not in options:
            near = difflib.get_close_matches(key, list(options), n=1)
            hint = f"; did you mean '{near[0]}'?" if near else (f"; its options are: {', '.join(options)}" if options else "; it has no options besides severity")
            raise ValueError(f"rule '{rule.info.id}' has no option '{key}'{hint}")
        attribute, expected, choices = options[key]
        if not isinstance(value, expected) or isinstance(value, bool):
            raise ValueError(f"option '{key}' of rule '{rule.info.id}' must be a {type_name(expected)}, not {value!r}")
        if choices and value not in choices:
            raise ValueError(f"option '{key}' of rule '{rule.info.id}' must be one of {', '.join(choices)}, not {value!r}")
        setattr(changed, attribute, value)
    return changed


def with_grade_target(rule: Rule, grade: float) -> Rule:
    """The rule with its current audience aimed at ``grade``, if it is aimed at one (``aimed_at``);
    other rules unchanged."""
    aimed_at = getattr(rule, "aimed_at", None)
    return aimed_at(grade=grade) if aimed_at else rule


def at_or_above(findings: list[Finding], level: Severity) -> list[Finding]:
    return [f for f in findings if f.severity.rank >= level.rank]


def shown_and_hidden(findings: list[Finding], min_severity_of: dict[str, str]) -> tuple[list[Finding], dict[Severity, int]]:
    """The findings at or above their file's minimum severity (``min_severity_of``: path ->
    level; a path not in it shows everything), and how many of each severity were left out."""
    shown: list[Finding] = []
    hidden: dict[Severity, int] = {}
    for f in findings:
        level = Severity(min_severity_of.get(f.path, "info"))
        if f.severity.rank >= level.rank:
            shown.append(f)
        else:
            hidden[f.severity] = hidden.get(f.severity, 0) + 1
    return shown, hidden
