"""What every rule has, whatever its kind."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from healthlint.model import Finding, Severity

if TYPE_CHECKING:
    from healthlint.document import AnalyzedDocument


@dataclass(frozen=True)
class Example:
    text: str
    suggestion: str | None = None  # for "flag" examples: the exact suggestion expected
    markdown: bool = False
    line: int = 0  # where the example sits in its rule file, for test reports
    pattern: str | None = None  # for "flag" examples of pattern rules: the pattern that flags it
    flags: str | None = None  # for "flag" examples: the exact words flagged


@dataclass(frozen=True)
class RuleInfo:
    id: str
    kind: str
    severity: Severity
    summary: str  # one line, for `healthlint rules`
    description: str = ""  # what it finds
    why: str = ""  # why it matters to a reader
    better: str = ""  # what to write instead
    source: str = "built-in"  # the file it was loaded from
    enabled: bool = True  # False: runs only when selected by name (e.g. grammar, which needs a server)
    flag_examples: tuple[Example, ...] = field(default=())
    pass_examples: tuple[Example, ...] = field(default=())


class Rule(Protocol):
    info: RuleInfo

    def check(self, doc: "AnalyzedDocument") -> Iterator[Finding]: ...
