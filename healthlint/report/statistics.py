"""`--statistics`: how many findings each rule made, most first, with a total that equals the
number of findings shown."""

from __future__ import annotations

from collections import Counter

from healthlint.model import Finding


def counts(findings: list[Finding]) -> list[tuple[str, str, int]]:
    """(rule id, severity, count), most findings first, then by rule id. A rule whose findings
    have more than one severity (a configuration override for some files) has a row for each."""
    counted = Counter((f.rule, f.severity.value) for f in findings)
    return sorted(((rule, severity, n) for (rule, severity), n in counted.items()), key=lambda row: (-row[2], row[0], row[1]))


def table(findings: list[Finding]) -> list[str]:
    """The table's lines: a header, a row per rule and severity, and the total."""
    rows = [("rule", "severity", "count")] + [(rule, severity, str(n)) for rule, severity, n in counts(findings)]
    rows.append(("total", "", str(len(findings))))
    rule_width = max(len(r[0]) for r in rows)
    severity_width = max(len(r[1]) for r in rows)
    count_width = max(len(r[2]) for r in rows)
    return [f"{rule:<{rule_width}}  {severity:<{severity_width}}  {count:>{count_width}}" for rule, severity, count in rows]
