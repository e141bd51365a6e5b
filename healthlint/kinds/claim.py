"""The claim kind: patterns that flag a claim unless its context clears it.

A pattern is a regular expression over one sentence, with {lexicon} references. A group
named ``claim`` marks the words whose context matters (the "safe" in "natural does not
mean safe"); without it, the whole match is the claim. ``unless`` lists the context flags
that clear a finding (see healthlint.context.ClaimContext). ``requires`` asks for a
lexicon word nearby: in the sentence, anywhere in the paragraph, or anywhere in the document up
to the end of the claim's paragraph (``@document``: what the article is about, named in its
title or an earlier paragraph, so "It lowers blood pressure." can refer back to it). ``excludes`` names a
lexicon whose presence in the sentence clears the finding, unless a required word is in the
sentence too ("physical therapy is an alternative to opioids" passes; "kratom, not
methadone, helps you wean off" does not). ``forbids`` names a lexicon that must not appear in
its scope at all ("researchers are studying whether ...": a question, not a claim).
``subject_not`` names lexicons that must not name what the claim is about: a word from one in
the words just before the claim, in its clause ("most palpitations are harmless": a symptom,
not a product), clears the finding, unless a word of the rule's ``subject`` lexicon is there too.
``refers_to`` names lexicons a claim refers back to ("Kratom comes from Asia. It is safe."): the
pattern's ``refers`` part ("it"), or its whole claim when it has none, needs a word of each
named in its sentence, the two before it or the heading above (healthlint.topic).
The ``phrase`` kind is the same with no context checks by default.
"""

from __future__ import annotations

import bisect
import copy
import re
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from healthlint.context import CONTEXT_FLAGS
from healthlint.kinds.base import COMMON_KEYS, Items, Kind, RuleInfo, template_problem
from healthlint.lexicon import (
    PATTERN_SECONDS_VARIABLE,
    LazyRegex,
    LimitedRegex,
    PatternTimeout,
    closest_name,
    expand,
    lazy_words,
    pattern_seconds,
)
from healthlint.model import Finding
from healthlint.parse import BlockKind
from healthlint.prefilter import LiteralScreen, Prefilter, Requirement as Needed, StartsIndex, all_of, fold, match_starts, requirement
from healthlint.topic import BACK_SENTENCES, Topic, window
from healthlint.wordpattern import ITEM_KEYS, PatternError, compile_words
from healthlint.yamlfile import DataError, LineDict, Place, item_place, key_place

if TYPE_CHECKING:
    from healthlint.document import SentenceRun
    from healthlint.sentences import Sentence

CLAIM_DEFAULT_UNLESS = frozenset({"negated", "hedged", "cited", "question", "embedded", "reported"})
SCOPES = ("sentence", "paragraph", "document")
# The keys a claim rule may have besides COMMON_KEYS, and the keys of each of its patterns.
RULE_KEYS = frozenset({"patterns", "message", "suggestion", "unless", "subject", "subject_default", "fix_scope", "subject_not"})
PATTERN_KEYS = frozenset({"name", "words", "regex", "why", "requires", "excludes", "forbids", "subject_not", "refers_to", "unless", "message", "suggestion", "note", "fix_scope"})
REFERS = "refers"  # the named part of a match that refers back to a ``refers_to`` subject
# What counts as "just before the claim" for ``subject_not``: this many words back, no further
# than the start of the clause (a clause mark, or a word that turns to a new idea).
SUBJECT_WORDS = 12
_CLAUSE_BREAK = re.compile(r"[;:()\u2014\u2013]|\b(?:but|however|although|though|whereas|while|unlike|yet|except)\b", re.IGNORECASE)
_WORD = re.compile(r"[\w'’-]+")
FIX_SCOPES = ("none", "sentence")


@dataclass(frozen=True)
class Requirement:
    """A lexicon that must (or, for ``excludes``, must not) appear within a scope."""

    lexicon: str
    regex: LazyRegex
    scope: str
    # For the claim's sentence: the lexicon's literals, looked for before its regex searches a
    # sentence (worked out when rules load, so it is kept with the cached rules).
    screen: LiteralScreen | None = None


@dataclass(frozen=True)
class Pattern:
    name: str
    regex: LazyRegex
    unless: frozenset[str]
    requires: tuple[Requirement, ...]
    excludes: tuple[Requirement, ...]
    forbids: tuple[Requirement, ...]  # never in the scope, whatever else is there
    message: str
    suggestion: str | None
    fix_scope: str = "none"  # "sentence": an unsafe fix replaces the sentence with the suggestion
    subject_not: tuple[Requirement, ...] = ()  # lexicons that must not name the claim's subject
    starts: frozenset[str] | None = None  # what every match begins with (prefilter.match_starts); None: unknown
    refers_to: tuple[Requirement, ...] = ()  # lexicons the claim refers back to (healthlint.topic)

    @cached_property
    def needs(self) -> Needed:
        """The literals any match must contain (healthlint.prefilter); None: run always. Only
        the rule's prefilter reads them, when it is built."""
        return _needs(self.regex, self.requires)

    @cached_property
    def marks_claim(self) -> bool:
        """Does the pattern mark its claim words with a ``claim`` group?"""
        return "claim" in self.regex.compiled.groupindex

    @cached_property
    def fields_used(self) -> tuple[str, ...]:
        """The template values the message and suggestion read (see _fields_used)."""
        return _fields_used(self.message, self.suggestion)

    @cached_property
    def names_product(self) -> bool:
        """Does the message or suggestion say {product} (or {Product})?"""
        return "product" in self.fields_used

    def __getstate__(self) -> dict:
        # Not kept with the cached rules: the prefilter kept there holds what they gave, and
        # they were a third of the objects a cached rule set made at start-up (30 ms). The
        # other cached properties are cheap to work out again when a document first needs them.
        state = dict(self.__dict__)
        for name in ("needs", "marks_claim", "fields_used", "names_product"):
            state.pop(name, None)
        return state


class _Template(string.Formatter):
    """str.format with {Name} meaning the capitalised value of {name}."""

    def get_value(self, key, args, kwargs):  # noqa: D401 - Formatter API
        if isinstance(key, str) and key not in kwargs and key[:1].isupper() and key.lower() in kwargs:
            value = str(kwargs[key.lower()])
            return value[:1].upper() + value[1:]
        return kwargs[key]


_FORMATTER = _Template()


@lru_cache(maxsize=None)
def _plain_fields(template: str) -> tuple[tuple[str, str | None], ...] | None:
    """A template as (literal text, field name) pairs, parsed once; None if a field has a
    format spec, a conversion or an index (those go through the formatter itself)."""
    parsed = list(_FORMATTER.parse(template))
    if any(name is not None and (spec or conversion or not name.isidentifier()) for _, name, spec, conversion in parsed):
        return None
    return tuple((literal, name) for literal, name, _, _ in parsed)


def render(template: str, values: Mapping[str, str]) -> str:
    """``template`` with its {fields} filled in, as _Template.vformat would fill them: a
    finding-dense text formats two templates per finding, so they are parsed only once."""
    parts = _plain_fields(template)
    if parts is None:
        return _FORMATTER.vformat(template, (), values)
    out = []
    for literal, name in parts:
        out.append(literal)
        if name is not None:
            out.append(str(_FORMATTER.get_value(name, (), values)))
    return "".join(out)


def template_fields(template: str) -> set[str]:
    return {name.lower() for _, name, _, _ in _FORMATTER.parse(template) if name}


_RENDERED_KEPT = 4096  # rendered messages kept per document (a few MB at most)


@lru_cache(maxsize=None)
def _fields_used(message: str, suggestion: str | None) -> tuple[str, ...]:
    """The template values a message and suggestion read, as the keys of the values dict:
    {Product} reads "product" (see _Template)."""
    names: set[str] = set()
    for template in (message, suggestion):
        if template:
            for _, name, _, _ in _FORMATTER.parse(template):
                if name:
                    names.add(name.split(".")[0].split("[")[0])
                    names.add(name.lower())
    return tuple(sorted(names))


@lru_cache(maxsize=256)  # one per lexicon that rules require or exclude, shared by them all
def _screen(pattern: str, flags: int) -> LiteralScreen:
    return LiteralScreen(requirement(pattern, flags))


class ClaimRule:
    def __init__(self, info: RuleInfo, patterns: list[Pattern], subject: LazyRegex | None, subject_default: str) -> None:
        self.info = info
        self.patterns = patterns
        self.subject = subject  # what {product} names in messages
        self.subject_default = subject_default
        self._prefilter: Prefilter | None = None
        self._starts: StartsIndex | None = None

    def __getstate__(self) -> dict:
        # Kept with the cached rules: working out the clauses of every pattern takes 80 ms,
        # loading them 4 ms.
        return {**self.__dict__, "_prefilter": self.prefilter, "_starts": self.starts}

    def with_patterns(self, patterns: list[Pattern]) -> "ClaimRule":
        """A copy of the rule that runs only ``patterns``, on every sentence. (Its prefilter
        would have to read each pattern's regex again, which costs far more than the rule's
        short examples that such copies are made for; and a prefilter never changes findings.)"""
        changed = copy.copy(self)
        changed.patterns = patterns
        changed._prefilter = Prefilter([None] * len(patterns))
        changed._starts = None
        return changed

    @property
    def prefilter(self) -> Prefilter:
        if self._prefilter is None:
            self._prefilter = Prefilter([p.needs for p in self.patterns])
        return self._prefilter

    @property
    def starts(self) -> StartsIndex:
        """Where in a sentence each pattern's matches can begin, for the patterns that know."""
        if self._starts is None:
            self._starts = StartsIndex([p.starts for p in self.patterns])
        return self._starts

    def check(self, doc) -> Iterator[Finding]:
        """The rule's findings; a custom pattern that runs past its time limit stops the rule
        for this document (findings made before it stand), with one notice on stderr."""
        at: list[tuple[int, int]] = []  # the sentence being checked, to place a time-out
        try:
            yield from self._check(doc, at)
        except PatternTimeout as exc:
            if at:
                yield self._stopped(doc, *at[-1], exc)

    def _stopped(self, doc, b: int, s: int, exc: PatternTimeout) -> Finding:
        """The finding that says the rule was stopped: on the sentence's first line (at most 80
        characters of it), so it is cached, shown and counted like any other finding."""
        block, sentence = doc.blocks[b], doc.sentences[b][s]
        line_end = block.text.find("\n", sentence.start, sentence.end)
        end = min(sentence.end if line_end == -1 else line_end, sentence.start + 80)
        return doc.finding(block, sentence.start, max(end, sentence.start + 1), rule=self.info.id, severity=self.info.severity, message=slow_pattern_message(self, exc), suggestion=None)

    def _check(self, doc, at: list[tuple[int, int]]) -> Iterator[Finding]:
        memo = _DocumentMemo()
        every = tuple(range(len(self.patterns)))
        for run, candidates in self._candidates(doc):
            for k, (b, s) in enumerate(run.sentences):
                # In pattern order: an earlier pattern's finding wins an overlap.
                indices = every if candidates is None else candidates[k]
                if indices:
                    at[:] = [(b, s)]
                    folded = None if run.folded is None else run.folded[run.spans[k][0] : run.spans[k][1]]
                    sentence = doc.sentences[b][s]
                    memo.enter_sentence(b, sentence, folded)
                    yield from self._check_sentence(doc, b, s, doc.blocks[b], sentence, indices, folded, memo)

    def _candidates(self, doc) -> Iterator[tuple[SentenceRun, list[tuple[int, ...]] | None]]:
        """Each run of sentences with, for each sentence, the patterns that could match in it
        (None: every pattern, for a run that cannot be folded in place). From the literals the
        document found once for all rules when it can, else by this rule's own search."""
        prefilter = self.prefilter
        scanned = doc.literal_scan(prefilter)
        if scanned is None:
            for run in doc.sentence_runs():
                yield run, None if run.folded is None else prefilter.folded_candidates(run.folded, run.spans)
            return
        yield from doc.candidate_scan(prefilter)

    def _check_sentence(self, doc, b, s, block, sentence, indices, folded: str | None, memo: "_DocumentMemo") -> Iterator[Finding]:
        taken: _Taken | None = None  # made for the sentence's first finding
        clause_words: ClauseWords | None = None  # built for the first match that asks
        text, base, patterns = sentence.text, sentence.start, self.patterns
        # Where the candidate patterns could begin: one pass over the sentence for all of them.
        offsets = None if folded is None else self.starts.offsets(folded, indices)
        for i in indices:
            pattern = patterns[i]
            if offsets is None or pattern.starts is None:
                found = pattern.regex.finditer(text)
            elif i in offsets:
                found = pattern.regex.finditer_at(text, offsets[i])
            else:
                continue  # none of its beginnings is in the sentence (most candidates)
            for m in found:
                start, end = base + m.start(), base + m.end()
                if start == end or (block.protected and block.is_protected(start, end)):
                    continue
                if taken is not None and taken.overlaps(start, end):
                    continue
                # The lexicons a finding needs nearby before its context: their look-ups are
                # memoised per sentence and paragraph. (Not before matching: the product-name
                # regex costs more than the patterns.)
                if not self._requirements_met(pattern, memo, doc, b):
                    continue
                # (A block none of whose sentences could name a subject_not word asks no further.)
                if pattern.subject_not and any(memo.block_may_hold(req, doc, b) for req in pattern.subject_not):
                    if self._about_other(pattern, clause_words or (clause_words := ClauseWords(text)), m.start()):
                        continue
                if pattern.refers_to and not self._refers_back(pattern, m, memo, doc, b, s):
                    continue
                claim = m.span("claim") if pattern.marks_claim and m.group("claim") else m.span()
                if doc.views(b).clears(s, *claim, pattern.unless):
                    continue
                if taken is None:
                    taken = _Taken()
                taken.add(start, end)
                message, suggestion = memo.rendered(pattern, self._template_values(m, doc, b, sentence, start, memo, pattern))
                rewrite = pattern.fix_scope == "sentence" and suggestion is not None
                yield doc.finding(
                    block,
                    start,
                    end,
                    rule=self.info.id,
                    severity=self.info.severity,
                    message=message,
                    suggestion=suggestion,
                    replacement=suggestion if rewrite else None,
                    applicability="unsafe",
                    replace_span=(sentence.start, sentence.end) if rewrite else None,
                    fix_description="Replace the sentence with the plain rewrite",
                )

    @staticmethod
    def _requirements_met(pattern: Pattern, memo: "_DocumentMemo", doc, b: int) -> bool:
        """Are the lexicons a pattern requires in their scopes, and those it forbids absent? An
        excluded lexicon in the sentence clears the claim, unless a required one is there too."""
        holds = memo.holds  # (loops, not any() and all(): asked for nearly every match)
        for req in pattern.requires:
            if not holds(req, req.scope, doc, b):
                return False
        for req in pattern.forbids:
            if holds(req, req.scope, doc, b):
                return False
        if not pattern.excludes:
            return True
        for req in pattern.requires:
            if holds(req, "sentence", doc, b):
                return True  # the subject is right here: an approved name elsewhere in the sentence does not clear it
        for req in pattern.excludes:
            if holds(req, "sentence", doc, b):
                return False
        return True

    @staticmethod
    def _refers_back(pattern: Pattern, m: re.Match, memo: "_DocumentMemo", doc, b: int, s: int) -> bool:
        """Is each ``refers_to`` lexicon named in the claim's sentence, the few before it, or the
        heading above (healthlint.topic)? A pattern whose ``refers`` part is left out of a match
        (an alternative named the subject itself) asks nothing."""
        if REFERS in m.re.groupindex and m.group(REFERS) is None:
            return True
        heading_above = b > 0 and doc.blocks[b - 1].kind == BlockKind.HEADING
        where = window(doc.sentences[b], s, b, heading_above)
        topic = memo.topic(doc)
        return all(topic.named(req.regex, where) for req in pattern.refers_to)

    def _about_other(self, pattern: Pattern, words: "ClauseWords", start: int) -> bool:
        """Do the words just before a match (in its clause, at most SUBJECT_WORDS) name a
        ``subject_not`` word ("most arrhythmias are harmless"), and no word of the rule's
        subject ("kratom")? Then the claim is about that, not about a product."""
        before = words.before(start)
        if not before or not any(req.regex.search(before) for req in pattern.subject_not):
            return False
        return self.subject is None or self.subject.search(before) is None

    def _template_values(self, m: re.Match, doc, b: int, sentence, start: int, memo: "_DocumentMemo", pattern: Pattern) -> dict[str, str]:
        values = m.groupdict("")  # a group that took no part is empty, not None
        values["text"] = m.group()
        values["sentence"] = sentence.text
        if pattern.names_product:  # finding the subject may search every earlier paragraph: only when named
            values["product"] = self._subject(doc, b, start, memo)
        return values

    def _subject(self, doc, b: int, start: int, memo: "_DocumentMemo") -> str:
        """The product a claim is about: the nearest mention before it in the paragraph, else
        after it, else the nearest in earlier paragraphs (the article's topic), else a default."""
        if self.subject is None:
            return self.subject_default
        found = self._mention_near(doc, b, start, memo)
        for earlier in range(b - 1, -1, -1):
            if found:
                break
            mentions = memo.mentions(self.subject, doc, earlier)
            found = mentions[-1][2] if mentions else None
        return _clean_subject(found) if found else self.subject_default

    def _mention_near(self, doc, b: int, start: int, memo: "_DocumentMemo") -> str | None:
        """The last mention ending before ``start`` in block b, else the first after it. Looked up
        in the block's mentions, found once; the rare cases where a search of the text cut at
        ``start`` could differ (a mention across it, a word running into it) search directly."""
        text = doc.blocks[b].text
        mentions, ends = memo.mentions_with_ends(self.subject, doc, b)
        i = bisect.bisect_right(ends, start)  # mentions[:i] end at or before start
        crossing = i < len(mentions) and mentions[i][0] < start
        if crossing or (start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_-")):
            before = list(self.subject.finditer(text, 0, start))
            found = before[-1] if before else self.subject.search(text, start)
            return found.group() if found else None
        if i:
            return mentions[i - 1][2]
        return mentions[i][2] if i < len(mentions) else None


def slow_part(rule: "ClaimRule", pattern: str) -> str:
    """What a slow regex is in the rule's own words: its pattern's name, or the lexicon."""
    for p in rule.patterns:
        if p.regex.pattern == pattern:
            return f"its pattern '{p.name}'"
        for req in (*p.requires, *p.excludes, *p.forbids, *p.subject_not, *p.refers_to):
            if req.regex.pattern == pattern:
                return f"the lexicon '{req.lexicon}' (in its pattern '{p.name}')"
    return "its subject lexicon" if rule.subject is not None and rule.subject.pattern == pattern else "one of its patterns"


def slow_pattern_message(rule: "ClaimRule", exc: PatternTimeout) -> str:
    try:
        pattern_seconds()
        more = f"set {PATTERN_SECONDS_VARIABLE} to a number of seconds to allow more"
    except ValueError as problem:
        more = f"{problem}, so {exc.seconds:g} s was used"
    return (
        f"The rule '{rule.info.id}' (from {rule.info.source}) was stopped here: {slow_part(rule, exc.pattern)} took "
        f"longer than {exc.seconds:g} s on this passage, so the rest of the file was not checked by this rule (the "
        "other rules ran as usual). Whoever maintains the rule should simplify the pattern: a repeat inside a repeat, "
        f"like (a+)+ or (a|aa)+, can take minutes on some text, and `healthlint test-rules` points them out. Or {more}."
    )


def backtracking_warnings(rule) -> list[str]:
    """For `healthlint test-rules`: one line for each pattern of a claim or phrase rule whose
    regex may backtrack without end ("(a+)+", "(a|aa)+"), saying why and what to do."""
    from healthlint.regexcode import backtracking_risks

    lines = []
    for p in getattr(rule, "patterns", ()):
        for risk in backtracking_risks(p.regex.pattern, p.regex.flags):
            lines.append(
                f"WARNING {rule.info.id} pattern '{p.name}': it has {risk}. On some lines such a pattern tries "
                "every way to split the text and can run for minutes (healthlint stops it after its time limit). "
                "Rewrite it so each piece of text can match one way only: (a+)+ becomes a+, (a|aa)+ becomes a+."
            )
    return lines


class ClauseWords:
    """Where the words and clause breaks of one sentence fall, found once: the words before any
    claim are then two binary searches. (A long sentence can hold thousands of candidate claims;
    reading back from each one made it quadratic.)"""

    def __init__(self, text: str) -> None:
        self.text = text
        self.break_ends = [m.end() for m in _CLAUSE_BREAK.finditer(text)]
        self._word_starts: list[int] | None = None

    @property
    def word_starts(self) -> list[int]:
        if self._word_starts is None:
            self._word_starts = [m.start() for m in _WORD.finditer(self.text)]
        return self._word_starts

    def before(self, start: int) -> str:
        """The words just before ``start``: back to the start of their clause, and at most
        SUBJECT_WORDS of them."""
        i = bisect.bisect_right(self.break_ends, start)
        cut = self.break_ends[i - 1] if i else 0
        if start - cut < 2 * SUBJECT_WORDS:
            # Words start at least two characters apart, so this stretch holds at most
            # SUBJECT_WORDS of them: no need to find where they are.
            return self.text[cut:start]
        first = bisect.bisect_left(self.word_starts, cut)
        end = bisect.bisect_left(self.word_starts, start)
        if end - first > SUBJECT_WORDS:
            return self.text[self.word_starts[end - SUBJECT_WORDS] : start]
        return self.text[cut:start]


class _Taken:
    """Spans already flagged in a sentence (never overlapping each other), for overlap checks."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end)  # spans before i start before ``end``
        return i > 0 and self.ends[i - 1] > start

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


class _DocumentMemo:
    """What one rule's check learns about one document, so no match rescans a paragraph."""

    def __init__(self) -> None:
        self._block = -1
        self._sentence: "Sentence | None" = None
        self._folded: str | None = None  # the sentence folded in place, when it could be
        # Whether each lexicon (by its pattern) occurs in the current sentence; in the current
        # block; and could occur in the block at all (its literals' screen of the whole block).
        self._in_sentence: dict[str, bool] = {}
        self._in_block: dict[str, bool] = {}
        self._block_may: dict[str, bool] = {}
        self._block_folded: str | None = None
        self._mentions: dict[tuple[str, int], list[tuple[int, int, str]]] = {}
        self._ends: dict[tuple[str, int], list[int]] = {}
        self._first: dict[str, tuple[int, int]] = {}  # pattern -> (blocks searched, first block holding it)
        self._rendered: dict[tuple, tuple[str, str | None]] = {}
        self._topic: Topic | None = None

    def topic(self, doc) -> Topic:
        """The lexicon mentions claims refer back to, found when a claim first asks."""
        if self._topic is None:
            self._topic = Topic(doc.blocks)
        return self._topic

    def rendered(self, pattern: Pattern, values: Mapping[str, str]) -> tuple[str, str | None]:
        """A pattern's message and suggestion for these template values. The same claim words
        recur through a document ("is safe" again and again), and with them the same texts,
        so each is rendered once: the key holds only the values the templates use."""
        key = (pattern.message, pattern.suggestion, tuple([values.get(name, "") for name in pattern.fields_used]))
        found = self._rendered.get(key)
        if found is None:
            if len(self._rendered) >= _RENDERED_KEPT:
                self._rendered.clear()
            suggestion = " ".join(render(pattern.suggestion, values).split()) if pattern.suggestion else None
            found = self._rendered[key] = (render(pattern.message, values), suggestion)
        return found

    def enter_sentence(self, b: int, sentence: "Sentence", folded: str | None) -> None:
        """Sentences are checked in order: what was looked up in an earlier sentence or block is
        not asked again, so it is let go (a long document would otherwise keep an entry per
        sentence). ``folded``: the sentence folded in place, when it could be (None otherwise)."""
        if b != self._block:
            self._block = b
            self._in_block.clear()
            self._block_may.clear()
            self._block_folded = None
        if sentence is not self._sentence:
            self._sentence, self._folded = sentence, folded
            self._in_sentence.clear()

    def holds(self, req: Requirement, scope: str, doc, b: int) -> bool:
        """Does the lexicon occur in the scope of the current sentence (block b)? Asked once per
        sentence or block, however many matches ask; for the document, once per document: the
        first block holding a word is remembered."""
        key = req.regex.pattern
        if scope == "sentence":
            found = self._in_sentence.get(key)
            if found is None:
                found = self._in_sentence[key] = self.block_may_hold(req, doc, b) and self._sentence_holds(req)
            return found
        if scope == "paragraph":
            found = self._in_block.get(key)
            if found is None:
                # (The block's literal screen first: a lexicon's regex costs about 0.1 ms a paragraph.)
                found = self._in_block[key] = self.block_may_hold(req, doc, b) and req.regex.search(doc.blocks[b].text) is not None
            return found
        return self.first_block(req.regex, doc, b) <= b

    def _sentence_holds(self, req: Requirement) -> bool:
        # A sentence is short: a pass for the lexicon's literals rules most out before the
        # regex is tried at every position.
        text = self._sentence.text
        if req.screen is not None:
            screened = req.screen.may_match_folded(self._folded) if self._folded is not None else req.screen.may_match(text)
            if not screened:
                return False
        return req.regex.search(text) is not None

    def block_may_hold(self, req: Requirement, doc, b: int) -> bool:
        """Could any sentence of block b (the current block, as enter_sentence set it) hold the
        lexicon? One pass over the block for its literals answers for all of its sentences,
        where most of a long paragraph's sentences would each make their own. (Sentences are
        slices of their block, as the folded runs they come with are.)"""
        if req.screen is None:
            return True
        key = req.regex.pattern
        found = self._block_may.get(key)
        if found is None:
            if self._block_folded is None:
                self._block_folded = fold(doc.blocks[b].text)
            folded = self._block_folded
            found = self._block_may[key] = req.screen.may_match_folded(folded) if len(folded) == len(doc.blocks[b].text) else True
        return found

    def first_block(self, regex: LazyRegex, doc, upto: int) -> int:
        """The first block (up to ``upto``) holding a match of ``regex``; past ``upto`` if none does.
        Blocks are searched in order and only once, however many claims ask."""
        searched, first = self._first.get(regex.pattern, (0, -1))
        if first >= 0:
            return first
        for b in range(searched, min(upto, len(doc.blocks) - 1) + 1):
            if regex.search(doc.blocks[b].text):
                self._first[regex.pattern] = (b + 1, b)
                return b
            searched = b + 1
        self._first[regex.pattern] = (searched, -1)
        return upto + 1

    def mentions(self, regex: LazyRegex, doc, b: int) -> list[tuple[int, int, str]]:
        """The matches of ``regex`` in block b as (start, end, text), found once per block."""
        key = (regex.pattern, b)
        found = self._mentions.get(key)
        if found is None:
            found = self._mentions[key] = [(m.start(), m.end(), m.group()) for m in regex.finditer(doc.blocks[b].text)]
        return found

    def mentions_with_ends(self, regex: LazyRegex, doc, b: int) -> tuple[list[tuple[int, int, str]], list[int]]:
        """mentions() and, for binary searches, where each ends (worked out once per block)."""
        mentions = self.mentions(regex, doc, b)
        key = (regex.pattern, b)
        ends = self._ends.get(key)
        if ends is None:
            ends = self._ends[key] = [end for _, end, _ in mentions]
        return mentions, ends


@lru_cache(maxsize=1024)  # a product is named the same way again and again
def _clean_subject(text: str) -> str:
    text = re.sub(r"\s+", " ", text.strip())
    # Acronyms and names written in capitals (CBD, THC) keep them; other words are lower-cased.
    words = [w if w.isupper() and len(w) > 1 else w.lower() for w in text.split(" ")]
    return re.sub(r"^(this|our|the|these|your)\s+", "", " ".join(words))


def _flags(value, at: Place, what: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise at.error(f"'{what}' must be a list of context flags")
    unknown = [v for v in value if v not in CONTEXT_FLAGS]
    if unknown:
        raise at.error(f"unknown context flag '{unknown[0]}' in '{what}'; known flags: {', '.join(sorted(CONTEXT_FLAGS))}")
    return frozenset(value)


def _did_you_mean(name: str, lexicons: Mapping, quote: str) -> str:
    close = closest_name(name, lexicons)
    return f"; did you mean {quote.format(close)}?" if close else ""


def _requirements(value, lexicons: Mapping, at: Place, what: str, limited: bool = False) -> tuple[Requirement, ...]:
    """Parse "lexicon" or "lexicon@scope" entries (a string or a list of them). The lexicon may
    be qualified by a built-in rule's id: "natural-means-safe.natural_source@paragraph"."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        raise at.error(f"'{what}' must be a lexicon name like 'product@paragraph', or a list of them")
    out = []
    for item in items:
        name, _, scope = str(item).partition("@")
        scope = scope or "sentence"
        if name not in lexicons:
            raise at.error(f"'{what}' names the lexicon '{name}', which is not defined" + _did_you_mean(name, lexicons, "'{}'"))
        if scope not in SCOPES:
            raise at.error(f"'{what}' scope must be one of {', '.join(SCOPES)}, not '{scope}'")
        if what == "excludes" and scope != "sentence":
            raise at.error(f"'excludes' is checked in the claim's sentence only; write '{name}', or use 'forbids: [{name}@{scope}]' to refuse the word anywhere in the {scope}")
        regex = lazy_words(lexicons[name], lexicons, limited=limited)
        out.append(Requirement(name, regex, scope, _screen(regex.pattern, regex.flags)))
    return tuple(out)


def _compile(regex: str, lexicons: Mapping, at: Place, limited: bool = False) -> LazyRegex:
    """Expand and check a pattern. Compiled here once to report errors at the author's line;
    rule sets loaded from the cache compile each pattern only when a document needs it.
    ``limited``: a custom rule's pattern, whose searches are stopped after a time limit."""
    try:
        return (LimitedRegex if limited else LazyRegex)(expand(regex, lexicons)).prepare()
    except KeyError as exc:
        name = exc.args[0]
        raise at.error(f"the pattern refers to {{{name}}}, but no lexicon has that name" + _did_you_mean(name, lexicons, "{{{}}}")) from None
    except (re.error, ValueError) as exc:
        raise at.error(f"the pattern is not a valid regular expression: {exc}") from None


def _pattern_source(raw: Mapping, lexicons: Mapping, at: Place) -> str:
    """A pattern's regex source: its word pattern compiled, or its escape-hatch regex."""
    if "regex" in raw:
        return str(raw["regex"])
    if "why" in raw:
        raise at.error("'why' explains a 'regex' pattern; a 'words' pattern needs none")

    def entries_of(name: str):
        if name not in lexicons:
            raise at.error(f"the pattern refers to {{{name}}}, but no lexicon has that name" + _did_you_mean(name, lexicons, "{{{}}}"))
        return lexicons[name]

    try:
        return compile_words(raw["words"], entries_of)
    except PatternError as exc:
        raise at.error(f"in the pattern's words: {exc}") from None


def _misplaced_in_pattern(key: str) -> str:
    """Why a key does not belong in a pattern, and where it goes instead ("" if nothing is known)."""
    if key in COMMON_KEYS or key in RULE_KEYS:
        return f"; '{key}' belongs at the top of the rule, not inside a pattern"
    if key in ITEM_KEYS:
        return f"; '{key}' goes inside the pattern's 'words' list, as one of its items: {{{key}: ...}}"
    import difflib  # only for an error message

    close = difflib.get_close_matches(key, sorted(PATTERN_KEYS), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _needs(regex: LazyRegex, requires: tuple[Requirement, ...]) -> Needed:
    """The literals a finding needs in its sentence: the pattern's own, and those of every
    lexicon it requires in the sentence (a match without one is never reported)."""
    in_sentence = [requirement(r.regex.pattern, r.regex.flags) for r in requires if r.scope == "sentence"]
    return all_of([requirement(regex.pattern, regex.flags), *in_sentence])


def _fix_scope(value, at: Place) -> str:
    if value not in FIX_SCOPES:
        raise at.error(f"'fix_scope' must be one of {', '.join(FIX_SCOPES)}, not {value!r}")
    return value


def build_claim_rule(info: RuleInfo, data: LineDict, lexicons: Mapping, path: str) -> ClaimRule:
    default_unless = CLAIM_DEFAULT_UNLESS if info.kind == "claim" else frozenset()
    limited = info.source != "built-in"  # users' and plugins' patterns run with a time limit
    unless = _flags(data["unless"], key_place(path, data, "unless"), "unless") if "unless" in data else default_unless
    message = data.get("message")
    if not isinstance(message, str) or not message.strip():
        raise DataError(path, data.line_of("message") if "message" in data else data.line, "a rule needs a 'message'")
    suggestion = data.get("suggestion")
    raw_patterns = data.get("patterns")
    if not isinstance(raw_patterns, list) or not raw_patterns:
        raise DataError(path, data.line_of("patterns"), "a rule of this kind needs a non-empty 'patterns' list")

    def subject_not_of(holder) -> tuple[Requirement, ...]:
        at = key_place(path, holder, "subject_not") if isinstance(holder, LineDict) else Place(path, data.line)
        found = _requirements(holder["subject_not"], lexicons, at, "subject_not", limited)
        if any(req.scope != "sentence" for req in found):
            raise at.error("'subject_not' looks at the words just before the claim; write the lexicon without '@'")
        return found

    rule_subject_not = subject_not_of(data) if "subject_not" in data else ()

    def refers_to_of(raw, at: Place, regex: LazyRegex) -> tuple[Requirement, ...]:
        marks = REFERS in regex.compiled.groupindex
        if "refers_to" not in raw:
            if marks:
                raise at.error("the pattern marks words with 'refers:' but does not say what they refer to; add 'refers_to:' with a lexicon, for example 'refers_to: product'")
            return ()
        where = key_place(path, raw, "refers_to") if isinstance(raw, LineDict) else at
        value = raw["refers_to"]
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items or not all(isinstance(item, str) for item in items):
            raise where.error("'refers_to' must be a lexicon name like 'product', or a list of them: what the claim refers back to")
        if any("@" in item for item in items):
            raise where.error(f"'refers_to' looks in the claim's sentence and the {BACK_SENTENCES} before it (and a heading just above); write the lexicon without '@'")
        return _requirements(value, lexicons, where, "refers_to", limited)
    patterns = []
    for i, raw in enumerate(raw_patterns):
        at = item_place(raw_patterns, i, Place(path, data.line))  # errors in a pattern point at where it starts
        if isinstance(raw, str):
            raw = {"regex": raw}
        if not isinstance(raw, dict) or ("regex" in raw) == ("words" in raw):
            raise at.error("each pattern needs 'words' (or, for the rare case words cannot say, 'regex')")
        extra = set(raw) - PATTERN_KEYS
        if extra:
            key = sorted(extra)[0]
            where = key_place(path, raw, key) if isinstance(raw, LineDict) else at
            raise where.error(f"unknown key '{key}' in a pattern{_misplaced_in_pattern(key)}; known keys: {', '.join(sorted(PATTERN_KEYS))}")
        regex = _compile(_pattern_source(raw, lexicons, at), lexicons, at, limited)
        p_message = raw.get("message", message)
        p_suggestion = raw.get("suggestion", suggestion)
        allowed = {"text", "sentence", "product"} | {g.lower() for g in regex.compiled.groupindex}
        for template in (p_message, p_suggestion):
            problem = template_problem(template) if isinstance(template, str) else None
            if problem:  # the rule file's loader says so at the key's line first; this is for other callers
                raise at.error(f"the message or suggestion {problem}")
            missing = template_fields(template) - allowed if template else set()
            if missing:
                raise at.error(f"the message or suggestion uses {{{sorted(missing)[0]}}}; available: {', '.join(sorted(allowed))}")
        requires = _requirements(raw["requires"], lexicons, at, "requires", limited) if "requires" in raw else ()
        patterns.append(
            Pattern(
                name=str(raw.get("name", f"pattern-{i + 1}")),
                regex=regex,
                unless=_flags(raw["unless"], at, "unless") if "unless" in raw else unless,
                requires=requires,
                excludes=_requirements(raw["excludes"], lexicons, at, "excludes", limited) if "excludes" in raw else (),
                forbids=_requirements(raw["forbids"], lexicons, at, "forbids", limited) if "forbids" in raw else (),
                subject_not=subject_not_of(raw) if "subject_not" in raw else rule_subject_not,
                message=p_message,
                suggestion=p_suggestion,
                fix_scope=_fix_scope(raw.get("fix_scope", data.get("fix_scope", "none")), at),
                starts=match_starts(regex.pattern, regex.flags),
                refers_to=refers_to_of(raw, at, regex),
            )
        )
    subject_name = data.get("subject", "product")
    if "subject" in data and subject_name not in lexicons:
        raise DataError(path, data.line_of("subject"), f"'subject' names the lexicon '{subject_name}', which is not defined" + _did_you_mean(str(subject_name), lexicons, "'{}'"))
    subject = lazy_words(lexicons[subject_name], lexicons, limited=limited) if subject_name in lexicons else None
    return ClaimRule(info, patterns, subject, str(data.get("subject_default", "this product")))


# Claim and phrase rules: the same keys, the same patterns (phrase rules check no context by default).
CLAIM_KIND = Kind(build_claim_rule, RULE_KEYS, (Items("patterns", "pattern", PATTERN_KEYS),))
