"""Stage 5: choose which rules run and which findings count."""

from __future__ import annotations

import difflib

from healthlint.kinds import Rule
from healthlint.model import Finding, Severity
from healthlint.ruleset import RuleSet


def _check_ids(ruleset: RuleSet, ids: list[str], option: str) -> None:
    known = ruleset.ids()
    for rule_id in ids:
        if rule_id not in known:
            near = difflib.get_close_matches(rule_id, known, n=1)
            hint = f"; did you mean '{near[0]}'?" if near else f"; run 'healthlint rules' to see them all"
            raise ValueError(f"{option}: there is no rule '{rule_id}'{hint}")


def select_rules(
    ruleset: RuleSet,
    select: list[str],
    ignore: list[str],
    audience: str | None = None,
    extend: list[str] | None = None,
) -> list[Rule]:
    extend = extend or []
    _check_ids(ruleset, select, "--select")
    _check_ids(ruleset, ignore, "--ignore")
    _check_ids(ruleset, extend, "--extend-select")
    # Rules that are off by default (enabled: false) run only when selected by name.
    rules = [
        r
        for r in ruleset.rules
        if (r.info.id in select if select else r.info.enabled or r.info.id in extend) and r.info.id not in ignore
    ]
    if audience is not None:
        rules = [with_audience(r, audience) for r in rules]
    return rules


def with_audience(rule: Rule, audience: str) -> Rule:
    """A copy of a reading-level rule aimed at another audience; other rules unchanged."""
    audiences = getattr(rule, "audiences", None)
    if audiences is None or audience == getattr(rule, "audience", None):
        return rule
    if audience not in audiences:
        raise ValueError(f"--audience: '{audience}' is not one of {', '.join(audiences)}")
    import copy

    changed = copy.copy(rule)
    changed.audience = audience
    return changed


def at_or_above(findings: list[Finding], level: Severity) -> list[Finding]:
    return [f for f in findings if f.severity.rank >= level.rank]
