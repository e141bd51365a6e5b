"""Baselines: adopt healthlint on existing content without fixing everything first.

`--write-baseline FILE` records today's findings; `--baseline FILE` then reports only new ones.
A finding's fingerprint is its path, rule, the normalised text of the sentence it sits in and
the flagged words, and its occurrence number among identical ones. Line numbers are left out,
so edits above a finding do not turn it into a "new" one.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

from healthlint.model import Finding

VERSION = 1
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n\s*\n")


class BaselineError(Exception):
    pass


def _normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _sentence_around(text: str, start: int, end: int) -> str:
    """The sentence around a finding, within its own line: a new line, heading or list item
    above it never changes the fingerprint."""
    if not text:
        return ""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    before = [m.end() for m in _SENTENCE_END.finditer(text, line_start, start)]
    after = _SENTENCE_END.search(text, end, line_end)
    return text[(before[-1] if before else line_start) : (after.end() if after else line_end)]


def normalise_path(path: str) -> str:
    """"./content/a.md", "content//a.md" and an absolute path under the working folder are one path."""
    import os

    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute)
    except ValueError:  # another drive on Windows
        return Path(absolute).as_posix()
    return Path(absolute if relative.startswith("..") else relative).as_posix()


def fingerprints(findings: list[Finding], texts: dict[str, str]) -> list[str]:
    seen: Counter = Counter()
    out = []
    for f in findings:
        path = normalise_path(f.path)
        if f.key:
            base = "\x1f".join((path, f.rule, f.key))
        else:
            sentence = _sentence_around(texts.get(f.path, ""), *f.span) if f.span != (0, 0) else ""
            base = "\x1f".join((path, f.rule, _normalise(sentence), _normalise(f.text)))
        seen[base] += 1
        out.append(hashlib.sha256(f"{base}\x1f{seen[base]}".encode()).hexdigest()[:20])
    return out


def write_baseline(path: Path, findings: list[Finding], texts: dict[str, str]) -> None:
    entries = [
        {"path": f.path, "rule": f.rule, "fingerprint": fp, "line": f.start.line, "text": f.text[:80]}
        for f, fp in zip(findings, fingerprints(findings, texts))
    ]
    data = {"tool": "healthlint", "version": VERSION, "findings": entries}
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(path).with_name(Path(path).name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def filter_new(path: Path, findings: list[Finding], texts: dict[str, str]) -> list[Finding]:
    """Findings not recorded in the baseline file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found; create it with --write-baseline {path}") from None
    except (OSError, ValueError) as exc:
        raise BaselineError(f"{path}: not a healthlint baseline ({exc})") from None
    if not isinstance(data, dict) or data.get("tool") != "healthlint" or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not a healthlint baseline file (expected the JSON that --write-baseline writes)")
    known = Counter(str(e.get("fingerprint")) for e in data["findings"] if isinstance(e, dict))
    kept = []
    for f, fp in zip(findings, fingerprints(findings, texts)):
        if known[fp] > 0:
            known[fp] -= 1
        else:
            kept.append(f)
    return kept
