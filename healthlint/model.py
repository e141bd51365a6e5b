"""The few value types every stage shares: severities, positions and findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    """How serious a finding is. Ordered: info < warning < error."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    @classmethod
    def parse(cls, value: str) -> "Severity":
        try:
            return cls(value.strip().lower())
        except ValueError:
            choices = ", ".join(s.value for s in cls)
            raise ValueError(f"'{value}' is not a severity; use one of: {choices}") from None


_RANKS = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True, order=True, slots=True)
class Position:
    """A place in a source file: 1-based line and 1-based column counted in characters."""

    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace source[start:end] (offsets into the decoded, newline-normalised text)."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A change that resolves a finding. "safe" keeps the meaning (a plain-word swap); "unsafe"
    rewrites a claim and needs a person to check it (applied only with --unsafe-fixes)."""

    edits: tuple[Edit, ...]
    applicability: str  # "safe" or "unsafe"
    description: str

    @property
    def is_safe(self) -> bool:
        return self.applicability == "safe"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in one file. The JSON report is built from these fields."""

    path: str
    start: Position
    end: Position
    rule: str
    severity: Severity
    message: str
    suggestion: str | None
    text: str
    # Offsets into the decoded source, for fixes and de-duplication; not part of the JSON contract.
    span: tuple[int, int] = field(default=(0, 0), compare=False)
    # A stable identity for baselines when the flagged text is not one (a whole-document finding).
    key: str = field(default="", compare=False)
    fix: Fix | None = field(default=None, compare=False)

    def sort_key(self) -> tuple:
        # The order of (path, start, end, rule), in plain values: comparing Position objects
        # calls Python code, a cost each of a finding-dense file's many comparisons paid.
        start, end = self.start, self.end
        return (self.path, start.line, start.column, end.line, end.column, self.rule)
