"""summary.json's numbers, from the documents' and findings' tables.

Densities are flags per 10,000 words of checked prose: a site of long articles and one of short
ones compare fairly. A "claim" is a finding of a claim rule (unhedged safety or efficacy claims,
natural-means-safe, opioid substitution, missing citations); readability findings are counted
per rule but are not claims.
"""

from __future__ import annotations

from collections import defaultdict

PER = 10_000
MOST = 20  # documents listed with the most claim findings
ERRORS_LISTED = 100  # failed documents named in summary.json (all are in errors.parquet)


def density(count: int, words: int) -> float:
    return round(count * PER / words, 2) if words else 0.0


def _counts(findings, keys: list[str]) -> dict[tuple, int]:
    """How many findings for each combination of ``keys``' values."""
    if findings.num_rows == 0:
        return {}
    grouped = findings.group_by(keys).aggregate([("rule", "count")]).to_pylist()
    return {tuple(row[k] for k in keys): row["rule_count"] for row in grouped}


def _bucket(rows: list[dict], claim_rules: set[str], by_rule: dict[str, int]) -> dict:
    words = sum(r["words"] for r in rows)
    claims = sum(n for rule, n in by_rule.items() if rule in claim_rules)
    return {
        "documents": len(rows),
        "words": words,
        "findings": sum(by_rule.values()),
        "claim_findings": claims,
        "claims_per_10k_words": density(claims, words),
        "per_10k_words": {rule: density(n, words) for rule, n in sorted(by_rule.items())},
    }


def summarise(documents, findings, rule_kinds: dict[str, str], group_names: tuple[str, ...], date_column: str | None) -> dict:
    """The summary of an audit: its totals, per rule, per group value and per month."""
    docs = documents.to_pylist()
    checked = [d for d in docs if d["error"] is None]
    failed = [d for d in docs if d["error"] is not None]
    words = sum(d["words"] for d in checked)
    per_rule = {rule: n for (rule,), n in _counts(findings, ["rule"]).items()}
    claim_rules = {rule for rule, kind in rule_kinds.items() if kind == "claim"}
    claims = sum(n for rule, n in per_rule.items() if rule in claim_rules)
    summary: dict = {
        "documents": len(docs),
        "documents_checked": len(checked),
        "documents_failed": len(failed),
        "words": words,
        "bytes": sum(d["bytes"] for d in docs),
        "findings": sum(per_rule.values()),
        "claim_findings": claims,
        "claims_per_10k_words": density(claims, words),
        "severities": {severity: n for (severity,), n in sorted(_counts(findings, ["severity"]).items())},
        "claim_rules": sorted(claim_rules),
        "rules": {
            rule: {"kind": rule_kinds.get(rule, ""), "findings": per_rule.get(rule, 0), "per_10k_words": density(per_rule.get(rule, 0), words)}
            for rule in sorted(set(rule_kinds) | set(per_rule))
        },
        "groups": {},
    }
    for name in group_names:
        if name == date_column:
            continue
        summary["groups"][name] = _by_value(checked, findings, name, claim_rules, lambda v: v)
    if date_column:
        summary["over_time"] = {"column": date_column, "months": _by_value(checked, findings, date_column, claim_rules, lambda v: v[:7], key="month")}
    worst = sorted((d for d in checked if d["claim_findings"]), key=lambda d: (-d["claim_findings"], -d["findings"], d["doc_id"]))[:MOST]
    summary["most_claims"] = [
        {
            "doc_id": d["doc_id"],
            **{g: d[g] for g in group_names},
            "claim_findings": d["claim_findings"],
            "findings": d["findings"],
            "words": d["words"],
            "claims_per_10k_words": density(d["claim_findings"], d["words"]),
        }
        for d in worst
    ]
    summary["errors"] = [{"doc_id": d["doc_id"], "error": d["error"]} for d in failed[:ERRORS_LISTED]]
    return summary


def _by_value(checked: list[dict], findings, column: str, claim_rules: set[str], bucket_of, key: str = "value") -> list[dict]:
    """One entry per value of ``column`` (as ``bucket_of`` maps it; no value: left out), largest
    first by words, or in time order for months."""
    rows: dict[str, list[dict]] = defaultdict(list)
    for d in checked:
        if d[column] is not None:
            rows[bucket_of(d[column])].append(d)
    by_rule: dict[str, dict[str, int]] = defaultdict(dict)
    for (value, rule), n in _counts(findings, [column, "rule"]).items():
        if value is not None:
            bucket = by_rule[bucket_of(value)]
            bucket[rule] = bucket.get(rule, 0) + n
    entries = [{key: value, **_bucket(members, claim_rules, by_rule.get(value, {}))} for value, members in rows.items()]
    if key == "month":
        return sorted(entries, key=lambda e: e[key])
    return sorted(entries, key=lambda e: (-e["words"], e[key]))
