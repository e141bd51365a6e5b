"""The substitution kind: a word or phrase with a plainer swap ("hepatic" -> "liver").

A term explained in place is not flagged: "hepatic (liver)", "hypertension, or high blood
pressure", "high blood pressure (hypertension)", and neither are its later uses in the same
document. The swap keeps the term's capitalisation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from healthlint.kinds.base import Kind, RuleInfo
from healthlint.lexicon import LazyRegex, alternation, phrase_regex
from healthlint.model import Finding
from healthlint.prefilter import LiteralScreen, StartScanner, fold, match_starts, requirement
from healthlint.yamlfile import DataError, LineDict

# The keys a substitution rule may have besides COMMON_KEYS.
RULE_KEYS = frozenset({"swap", "message", "suggestion"})

# What may follow a term to explain it: "(liver)", ", or high blood pressure", "- also called ...".
_EXPLAINED_AFTER = re.compile(
    r"\s*(?:\(\s*(?:or\s+|i\.e\.,?\s+|meaning\s+|also\s+called\s+)?(?P<paren>[^()]{1,60})\)"
    r"|,?\s*(?:or|also\s+called|also\s+known\s+as|meaning|which\s+means|i\.e\.,?|that\s+is,?|[\u2014\u2013-])\s+(?P<gloss>[^,.;:()]{1,60}))",
    re.IGNORECASE,
)
_EXPLAINED_BEFORE = re.compile(
    r"(?P<plain>[^,.;:()]{1,60}?)\s*(?:\(\s*(?:also\s+called\s+|also\s+known\s+as\s+|or\s+)?|,?\s*(?:or|(?:also|sometimes|often)\s+(?:called|known\s+as)|known\s+medically\s+as|medically\s+called)\s+)$",
    re.IGNORECASE,
)
# What _EXPLAINED_BEFORE needs at its end: "(", "or", "called" or "as", then only white space.
# Much cheaper to look for than the whole pattern, which tries 60 lengths at each of 70 starts.
_BEFORE_TAIL = re.compile(r"(?:\(|or|called|as)\s*$", re.IGNORECASE)
_BEFORE_WINDOW = 70  # how far before a term _EXPLAINED_BEFORE looks
_EXCEPTION_WINDOW = 60  # how far around a term an exception phrase is looked for


@dataclass(frozen=True)
class Swap:
    term: str
    replacements: tuple[str, ...]
    exceptions: tuple[str, ...] = ()  # longer phrases containing the term that are fine as they are


@lru_cache(maxsize=4096)
def _word_pattern(word: str) -> re.Pattern:
    """A lower-cased plain word as a whole word, compiled once (not looked up in re's cache)."""
    return re.compile(r"(?<!\w)" + re.escape(word.lower()) + r"(?!\w)")


@lru_cache(maxsize=4096)
def _exception_pattern(phrase: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + phrase_regex(phrase) + r"(?!\w)", re.IGNORECASE)


def _mentions(text: str, plain_words: tuple[str, ...]) -> bool:
    lowered = text.lower()
    return any(_word_pattern(p).search(lowered) for p in plain_words)


def explained_in_place(text: str, start: int, end: int, replacements: tuple[str, ...]) -> bool:
    """Is the term at text[start:end] glossed right beside it with one of its plain swaps?"""
    after = _EXPLAINED_AFTER.match(text, end)
    if after and _mentions(after.group("paren") or after.group("gloss") or "", replacements):
        return True
    # "high blood pressure (hypertension)": the term stands in brackets after its plain form.
    closing = text[end : end + 2].lstrip()[:1] in (")", ",", ".", ";", "") or text[end:end + 1] == ")"
    if not closing:
        return False
    low = max(0, start - _BEFORE_WINDOW)
    if not _BEFORE_TAIL.search(text, low, start):
        return False
    before = _EXPLAINED_BEFORE.search(text, low, start)
    return bool(before and _mentions(before.group("plain"), replacements))


def _inside_exception(text: str, start: int, end: int, exceptions: tuple[str, ...]) -> bool:
    # The phrase is looked for in a slice, as before: a slice's edges count as word boundaries.
    offset = max(0, start - _EXCEPTION_WINDOW)
    window = text[offset : end + _EXCEPTION_WINDOW]
    for phrase in exceptions:
        for m in _exception_pattern(phrase).finditer(window):
            if m.start() + offset <= start and end <= m.end() + offset:
                return True
    return False


_ARTICLE_BEFORE = re.compile(r"(?<![\w'’-])(an?)(\s+)$", re.IGNORECASE)
# Words spelt with a vowel that start with a consonant sound, and the reverse.
_CONSONANT_SOUND = re.compile(r"^(?:u[bcdfghjklmnpqrstvwxyz][aeiou]|eu|ewe|one|once|uni)", re.IGNORECASE)
_VOWEL_SOUND = re.compile(r"^(?:hour|honest|honou?r|heir|[aeiou])", re.IGNORECASE)


def indefinite_article(word: str) -> str:
    """"a" or "an" before a word, by its first sound as far as spelling shows it."""
    if _CONSONANT_SOUND.match(word):
        return "a"
    return "an" if _VOWEL_SOUND.match(word) else "a"


def match_case(replacement: str, original: str) -> str:
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


class SubstitutionRule:
    def __init__(self, info: RuleInfo, swaps: list[Swap], message: str, suggestion: str) -> None:
        self.info = info
        self.swaps = {s.term.lower(): s for s in swaps}
        self._by_key = {_key(s.term): s for s in swaps}
        # One trie of the terms (shared prefixes matched once), not a flat list of 380 alternatives.
        self.regex = LazyRegex(r"(?<![\w-])" + alternation(s.term for s in swaps) + r"(?![\w-])").prepare()
        self.message = message
        self.suggestion = suggestion
        self.needs = requirement(self.regex.pattern, self.regex.flags)
        self.starts = match_starts(self.regex.pattern, self.regex.flags)  # how each term can begin
        self._screen: LiteralScreen | None = None
        self._scanner: StartScanner | None = None

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_screen": None, "_scanner": None}

    def _matches(self, text: str) -> Iterator[re.Match]:
        """The terms in a block. Most paragraphs hold no term's words, and then the large
        alternation never runs; in the others it is tried only where a term could begin (not
        at every character, which costs twice as much on the NIH corpus)."""
        if self._screen is None:
            self._screen = LiteralScreen(self.needs)
        folded = fold(text)
        if len(folded) != len(text):  # cannot be folded in place: search it all
            return self.regex.finditer(text) if self._screen.may_match(text) else iter(())
        if not self._screen.may_match_folded(folded):
            return iter(())
        if self.starts is None:
            return self.regex.finditer(text)
        if self._scanner is None:
            self._scanner = StartScanner(self.starts)
        return self.regex.finditer_at(text, self._scanner.offsets(folded))

    def _swap_for(self, found: str) -> Swap | None:
        return self._by_key.get(_key(found))

    def check(self, doc) -> Iterator[Finding]:
        # The advice is "explain the term once where it first appears": once a term is explained
        # in place, its later uses in the document are not flagged (earlier ones still are).
        explained: set[str] = set()
        for block in doc.blocks:
            text = block.text
            for m in self._matches(text):
                start, end = m.span()
                if block.is_protected(start, end):
                    continue
                found = m.group()
                swap = self._swap_for(found)
                if swap is None or swap.term in explained:
                    continue
                if explained_in_place(text, start, end, swap.replacements):
                    explained.add(swap.term)
                    continue
                if swap.exceptions and _inside_exception(text, start, end, swap.exceptions):
                    continue
                yield self._finding(doc, block, start, end, found, swap)

    def _finding(self, doc, block, start: int, end: int, found: str, swap: Swap) -> Finding:
        replacement = match_case(swap.replacements[0], found)
        values = {"text": found, "replacement": replacement, "alternatives": " or ".join(swap.replacements)}
        # "an analgesic" becomes "a painkiller", not "an painkiller": the fix takes in the article.
        replace_span, fixed = (start, end), replacement
        article = _ARTICLE_BEFORE.search(block.text, max(0, start - 4), start)
        if article and article.end() == start:
            wanted = indefinite_article(replacement)
            if wanted != article.group(1).lower():
                replace_span, fixed = (article.start(1), end), match_case(wanted, article.group(1)) + article.group(2) + replacement
        return doc.finding(
            block,
            start,
            end,
            rule=self.info.id,
            severity=self.info.severity,
            message=self.message.format(**values),
            suggestion=self.suggestion.format(**values),
            replacement=fixed,
            replace_span=replace_span,
            applicability="safe",
            fix_description=f'Replace "{found}" with "{replacement}"',
        )


_KEY_GAPS = re.compile(r"[\s\u2010\u2011-]+")


@lru_cache(maxsize=4096)
def _key(text: str) -> str:
    # "post-operative", "post operative" and "postoperative" are one term.
    return _KEY_GAPS.sub("", text.lower()).replace("\u2019", "'")


def build_substitution_rule(info: RuleInfo, data: LineDict, lexicons: Mapping, path: str) -> SubstitutionRule:
    raw = data.get("swap")
    if not isinstance(raw, dict) or not raw:
        raise DataError(path, data.line_of("swap") if "swap" in data else data.line, "a substitution rule needs a 'swap' mapping of term: plain word")
    swaps = []
    for term, value in raw.items():
        line = raw.line_of(term) if isinstance(raw, LineDict) else data.line
        exceptions: list = []
        if isinstance(value, dict):
            extra = set(value) - {"use", "except"}
            if extra or "use" not in value:
                raise DataError(path, line, f"the swap for '{term}' takes 'use' (and optionally 'except'), not {sorted(extra) or 'nothing'}")
            exceptions = value.get("except") or []
            value = value["use"]
        replacements = [value] if isinstance(value, str) else value
        if not isinstance(replacements, list) or not replacements or not all(isinstance(r, str) and r.strip() for r in replacements):
            raise DataError(path, line, f"the swap for '{term}' must be a word or a list of words")
        if not isinstance(exceptions, list) or not all(isinstance(e, str) for e in exceptions):
            raise DataError(path, line, f"'except' for '{term}' must be a list of phrases")
        swaps.append(Swap(str(term), tuple(r.strip() for r in replacements), tuple(exceptions)))
    for key in ("message", "suggestion"):
        if not isinstance(data.get(key), str):
            raise DataError(path, data.line, f"a substitution rule needs a '{key}'")
        unknown = set(re.findall(r"\{(\w+)\}", data[key])) - {"text", "replacement", "alternatives"}
        if unknown:
            raise DataError(path, data.line_of(key), f"'{key}' uses {{{sorted(unknown)[0]}}}; available: text, replacement, alternatives")
    return SubstitutionRule(info, swaps, data["message"], data["suggestion"])


SUBSTITUTION_KIND = Kind(build_substitution_rule, RULE_KEYS)
