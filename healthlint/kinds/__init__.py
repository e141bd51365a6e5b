"""Rule kinds: the few kinds of check the engine knows. Rules are YAML files that pick one."""

from __future__ import annotations

from healthlint.kinds.base import Rule, RuleInfo


def kind_registry() -> dict:
    """Kind name -> factory(info, data, lexicons). Imported lazily to keep start-up fast."""
    from healthlint.kinds.claim import build_claim_rule
    from healthlint.kinds.metric import build_metric_rule
    from healthlint.kinds.substitution import build_substitution_rule

    def build_grammar_rule(*args):
        from healthlint.kinds.grammar import build_grammar_rule as build

        return build(*args)

    return {
        "claim": build_claim_rule,
        "phrase": build_claim_rule,
        "metric": build_metric_rule,
        "substitution": build_substitution_rule,
        "grammar": build_grammar_rule,
    }


__all__ = ["Rule", "RuleInfo", "kind_registry"]
