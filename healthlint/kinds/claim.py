"""The claim kind: patterns that flag a claim unless its context clears it.

A pattern is a regular expression over one sentence, with {lexicon} references. A group
named ``claim`` marks the words whose context matters (the "safe" in "natural does not
mean safe"); without it, the whole match is the claim. ``unless`` lists the context flags
that clear a finding (see healthlint.context.ClaimContext). ``requires`` asks for a
lexicon word nearby: in the sentence, or anywhere in the paragraph. ``excludes`` names a
lexicon whose presence in the sentence clears the finding, unless a required word is in the
sentence too ("physical therapy is an alternative to opioids" passes; "kratom, not
methadone, helps you wean off" does not). ``forbids`` names a lexicon that must not appear in
its scope at all ("researchers are studying whether ...": a question, not a claim).
The ``phrase`` kind is the same with no context checks by default.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from healthlint.context import CONTEXT_FLAGS
from healthlint.kinds.base import RuleInfo
from healthlint.lexicon import compile_pattern, compile_words
from healthlint.model import Finding
from healthlint.yamlfile import DataError, LineDict

CLAIM_DEFAULT_UNLESS = frozenset({"negated", "hedged", "cited", "question", "embedded", "reported"})
SCOPES = ("sentence", "paragraph")
PATTERN_KEYS = {"name", "regex", "requires", "excludes", "forbids", "unless", "message", "suggestion", "note", "fix_scope"}
FIX_SCOPES = ("none", "sentence")


@dataclass(frozen=True)
class Requirement:
    """A lexicon that must (or, for ``excludes``, must not) appear within a scope."""

    lexicon: str
    regex: re.Pattern
    scope: str


@dataclass(frozen=True)
class Pattern:
    name: str
    regex: re.Pattern
    unless: frozenset[str]
    requires: tuple[Requirement, ...]
    excludes: tuple[Requirement, ...]
    forbids: tuple[Requirement, ...]  # never in the scope, whatever else is there
    message: str
    suggestion: str | None
    fix_scope: str = "none"  # "sentence": an unsafe fix replaces the sentence with the suggestion


class _Template(string.Formatter):
    """str.format with {Name} meaning the capitalised value of {name}."""

    def get_value(self, key, args, kwargs):  # noqa: D401 - Formatter API
        if isinstance(key, str) and key not in kwargs and key[:1].isupper() and key.lower() in kwargs:
            value = str(kwargs[key.lower()])
            return value[:1].upper() + value[1:]
        return kwargs[key]


_FORMATTER = _Template()


def template_fields(template: str) -> set[str]:
    return {name.lower() for _, name, _, _ in _FORMATTER.parse(template) if name}


class ClaimRule:
    def __init__(self, info: RuleInfo, patterns: list[Pattern], subject: re.Pattern | None, subject_default: str) -> None:
        self.info = info
        self.patterns = patterns
        self.subject = subject  # what {product} names in messages
        self.subject_default = subject_default

    def check(self, doc) -> Iterator[Finding]:
        for b, block in enumerate(doc.blocks):
            for s, sentence in enumerate(doc.sentences[b]):
                yield from self._check_sentence(doc, b, s, block, sentence)

    def _check_sentence(self, doc, b, s, block, sentence) -> Iterator[Finding]:
        taken: list[tuple[int, int]] = []
        for pattern in self.patterns:
            for m in pattern.regex.finditer(sentence.text):
                start, end = sentence.start + m.start(), sentence.start + m.end()
                if start == end or block.is_protected(start, end):
                    continue
                if any(start < t_end and t_start < end for t_start, t_end in taken):
                    continue
                claim = m.span("claim") if "claim" in m.re.groupindex and m.group("claim") else m.span()
                context = doc.view(b, s).context(*claim)
                if context.active() & pattern.unless:
                    continue
                if not self._requirements_met(pattern, block, sentence, start):
                    continue
                taken.append((start, end))
                values = self._template_values(m, doc, b, sentence, start)
                suggestion = " ".join(_FORMATTER.vformat(pattern.suggestion, (), values).split()) if pattern.suggestion else None
                rewrite = pattern.fix_scope == "sentence" and suggestion is not None
                yield doc.finding(
                    block,
                    start,
                    end,
                    rule=self.info.id,
                    severity=self.info.severity,
                    message=_FORMATTER.vformat(pattern.message, (), values),
                    suggestion=suggestion,
                    replacement=suggestion if rewrite else None,
                    applicability="unsafe",
                    replace_span=(sentence.start, sentence.end) if rewrite else None,
                    fix_description="Replace the sentence with the plain rewrite",
                )

    @staticmethod
    def _scope_text(req: Requirement, block, sentence) -> str:
        return sentence.text if req.scope == "sentence" else block.text

    def _requirements_met(self, pattern: Pattern, block, sentence, start: int) -> bool:
        if not all(req.regex.search(self._scope_text(req, block, sentence)) for req in pattern.requires):
            return False
        if any(req.regex.search(self._scope_text(req, block, sentence)) for req in pattern.forbids):
            return False
        if any(req.regex.search(sentence.text) for req in pattern.requires):
            return True  # the subject is right here: an approved name elsewhere in the sentence does not clear it
        return not any(req.regex.search(sentence.text) for req in pattern.excludes)

    def _template_values(self, m: re.Match, doc, b: int, sentence, start: int) -> dict[str, str]:
        values = {k: (v or "") for k, v in m.groupdict().items()}
        values["text"] = m.group()
        values["sentence"] = sentence.text
        values["product"] = self._subject(doc, b, start)
        return values

    def _subject(self, doc, b: int, start: int) -> str:
        """The product a claim is about: the nearest mention before it in the paragraph, else
        after it, else the nearest in earlier paragraphs (the article's topic), else a default."""
        if self.subject is None:
            return self.subject_default
        text = doc.blocks[b].text
        before = list(self.subject.finditer(text, 0, start))
        found = before[-1] if before else self.subject.search(text, start)
        for earlier in range(b - 1, -1, -1):
            if found:
                break
            mentions = list(self.subject.finditer(doc.blocks[earlier].text))
            found = mentions[-1] if mentions else None
        return _clean_subject(found.group()) if found else self.subject_default


def _clean_subject(text: str) -> str:
    text = re.sub(r"\s+", " ", text.strip())
    # Acronyms and names written in capitals (CBD, THC) keep them; other words are lower-cased.
    words = [w if w.isupper() and len(w) > 1 else w.lower() for w in text.split(" ")]
    return re.sub(r"^(this|our|the|these|your)\s+", "", " ".join(words))


def _flags(value, path: str, line: int, what: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataError(path, line, f"'{what}' must be a list of context flags")
    unknown = [v for v in value if v not in CONTEXT_FLAGS]
    if unknown:
        raise DataError(path, line, f"unknown context flag '{unknown[0]}' in '{what}'; known flags: {', '.join(sorted(CONTEXT_FLAGS))}")
    return frozenset(value)


def _requirements(value, lexicons: Mapping, path: str, line: int, what: str) -> tuple[Requirement, ...]:
    """Parse "lexicon" or "lexicon@scope" entries (a string or a list of them)."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        raise DataError(path, line, f"'{what}' must be a lexicon name like 'product@paragraph', or a list of them")
    out = []
    for item in items:
        name, _, scope = str(item).partition("@")
        scope = scope or "sentence"
        if name not in lexicons:
            raise DataError(path, line, f"'{what}' names the lexicon '{name}', which is not defined")
        if scope not in SCOPES:
            raise DataError(path, line, f"'{what}' scope must be one of {', '.join(SCOPES)}, not '{scope}'")
        out.append(Requirement(name, compile_words(lexicons[name], lexicons), scope))
    return tuple(out)


def _compile(regex: str, lexicons: Mapping, path: str, line: int) -> re.Pattern:
    try:
        return compile_pattern(regex, lexicons)
    except KeyError as exc:
        raise DataError(path, line, f"the pattern refers to {{{exc.args[0]}}}, but no lexicon has that name") from None
    except (re.error, ValueError) as exc:
        raise DataError(path, line, f"the pattern is not a valid regular expression: {exc}") from None


def _fix_scope(value, path: str, line: int) -> str:
    if value not in FIX_SCOPES:
        raise DataError(path, line, f"'fix_scope' must be one of {', '.join(FIX_SCOPES)}, not {value!r}")
    return value


def build_claim_rule(info: RuleInfo, data: LineDict, lexicons: Mapping, path: str) -> ClaimRule:
    default_unless = CLAIM_DEFAULT_UNLESS if info.kind == "claim" else frozenset()
    unless = _flags(data["unless"], path, data.line_of("unless"), "unless") if "unless" in data else default_unless
    message = data.get("message")
    if not isinstance(message, str) or not message.strip():
        raise DataError(path, data.line_of("message") if "message" in data else data.line, "a rule needs a 'message'")
    suggestion = data.get("suggestion")
    raw_patterns = data.get("patterns")
    if not isinstance(raw_patterns, list) or not raw_patterns:
        raise DataError(path, data.line_of("patterns"), "a rule of this kind needs a non-empty 'patterns' list")
    patterns = []
    for i, raw in enumerate(raw_patterns):
        line = raw_patterns.item_lines[i] if hasattr(raw_patterns, "item_lines") else data.line
        if isinstance(raw, str):
            raw = {"regex": raw}
        if not isinstance(raw, dict) or "regex" not in raw:
            raise DataError(path, line, "each pattern needs a 'regex'")
        extra = set(raw) - PATTERN_KEYS
        if extra:
            raise DataError(path, line, f"unknown key '{sorted(extra)[0]}' in a pattern; known keys: {', '.join(sorted(PATTERN_KEYS))}")
        regex = _compile(str(raw["regex"]), lexicons, path, line)
        p_message = raw.get("message", message)
        p_suggestion = raw.get("suggestion", suggestion)
        allowed = {"text", "sentence", "product"} | {g.lower() for g in regex.groupindex}
        for template in (p_message, p_suggestion):
            missing = template_fields(template) - allowed if template else set()
            if missing:
                raise DataError(path, line, f"the message or suggestion uses {{{sorted(missing)[0]}}}; available: {', '.join(sorted(allowed))}")
        patterns.append(
            Pattern(
                name=str(raw.get("name", f"pattern-{i + 1}")),
                regex=regex,
                unless=_flags(raw["unless"], path, line, "unless") if "unless" in raw else unless,
                requires=_requirements(raw["requires"], lexicons, path, line, "requires") if "requires" in raw else (),
                excludes=_requirements(raw["excludes"], lexicons, path, line, "excludes") if "excludes" in raw else (),
                forbids=_requirements(raw["forbids"], lexicons, path, line, "forbids") if "forbids" in raw else (),
                message=p_message,
                suggestion=p_suggestion,
                fix_scope=_fix_scope(raw.get("fix_scope", data.get("fix_scope", "none")), path, line),
            )
        )
    subject_name = data.get("subject", "product")
    subject = compile_words(lexicons[subject_name], lexicons) if subject_name in lexicons else None
    return ClaimRule(info, patterns, subject, str(data.get("subject_default", "this product")))
