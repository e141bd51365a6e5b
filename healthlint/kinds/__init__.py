"""Rule kinds: the few kinds of check the engine knows. Rules are YAML files that pick one."""

from __future__ import annotations

from healthlint.kinds.base import COMMON_KEYS, Kind, Rule, RuleInfo


def kind_registry() -> dict[str, Kind]:
    """Kind name -> Kind: how each kind builds its rules and which keys their files may have.
    Imported when rules are loaded (not from the rule cache), to keep start-up fast."""
    from healthlint.kinds.claim import CLAIM_KIND
    from healthlint.kinds.grammar import GRAMMAR_KIND
    from healthlint.kinds.metric import METRIC_KIND
    from healthlint.kinds.substitution import SUBSTITUTION_KIND

    return {
        "claim": CLAIM_KIND,
        "phrase": CLAIM_KIND,
        "metric": METRIC_KIND,
        "substitution": SUBSTITUTION_KIND,
        "grammar": GRAMMAR_KIND,
    }


__all__ = ["COMMON_KEYS", "Kind", "Rule", "RuleInfo", "kind_registry"]
