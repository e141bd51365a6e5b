"""GitLab Code Quality: a JSON array GitLab shows in the merge request's widget and diff.

Each issue has the fields GitLab requires: description, check_name, fingerprint (unique and
stable: the same finding keeps it when lines move above it, as in baselines), severity and
location.path with location.lines.begin."""

from __future__ import annotations

import json

from healthlint.report import readable_path

# GitLab's levels: info, minor, major, critical, blocker.
SEVERITIES = {"info": "info", "warning": "major", "error": "critical"}


def emit(report) -> str:
    from healthlint.baseline import fingerprints

    issues = [
        {
            "description": f"{f.rule}: {' '.join(f.message.split())}",
            "check_name": f.rule,
            "fingerprint": fingerprint,
            "severity": SEVERITIES[f.severity.value],
            "location": {"path": readable_path(f.path), "lines": {"begin": f.start.line, "end": f.end.line}},
        }
        for f, fingerprint in zip(report.findings, fingerprints(report.findings, report.texts))
    ]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
