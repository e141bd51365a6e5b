"""What every rule has, whatever its kind."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from healthlint.model import Finding, Severity

if TYPE_CHECKING:
    from healthlint.document import AnalyzedDocument

# The keys every rule file may have, whatever its kind.
COMMON_KEYS = frozenset({"id", "kind", "severity", "summary", "description", "why", "better", "examples", "lexicons", "enabled"})


# The keys of a rule (or of one of its patterns) that are message templates: "{text}" is filled in.
TEMPLATE_KEYS = ("message", "suggestion", "paragraph_message")


def template_problem(template: str) -> str | None:
    """What is wrong with a message template's braces, in words; None when it can be filled in.
    A stray "{" or "}" would otherwise fail only when a finding is written."""
    import string

    try:
        list(string.Formatter().parse(template))
    except ValueError:
        return "has a '{' or '}' that does not pair up; a field is written {text}, and a brace itself as '{{' or '}}'"
    return None


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


@dataclass(frozen=True)
class Items:
    """A key of a rule whose value is a list of mappings (a claim rule's ``patterns``), and the
    keys each of those may have: so a key written at the wrong level can be pointed to the right one."""

    key: str  # "patterns"
    item: str  # what one item is called in messages: "pattern"
    keys: frozenset[str]


@dataclass(frozen=True)
class Kind:
    """A rule kind: how a rule is built from its YAML file, and which keys that file may have.

    ``build(info, data, lexicons, path)`` makes the rule. ``keys`` are the kind's own top-level
    keys, besides COMMON_KEYS; None (a plugin's kind that declares none) leaves them unchecked.
    Calling a Kind builds a rule, so it stands wherever a plain factory does."""

    build: Callable[..., Rule]
    keys: frozenset[str] | None = None
    items: tuple[Items, ...] = ()

    def __call__(self, info: RuleInfo, data: Mapping, lexicons: Mapping, path: str) -> Rule:
        return self.build(info, data, lexicons, path)

    @staticmethod
    def of(value: "Kind | Callable[..., Rule]") -> "Kind":
        """A registry entry as a Kind: a plugin may give a bare factory, whose keys are not checked."""
        return value if isinstance(value, Kind) else Kind(value)
