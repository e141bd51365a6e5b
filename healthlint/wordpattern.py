"""Word patterns: claim patterns written as a sequence of words, not as a regular expression.

A rule author writes what the words are, and the engine decides how words are matched: case,
white space between words, hyphen and apostrophe variants ("built-up", "built up", "don’t"),
and where a word starts and ends. A pattern is a list of items, read left to right:

    words:
      - "{be_word}"                        # a word or phrase from a lexicon
      - gap: up to 3 words                 # any 0-3 words
        of: "{degree}"                     # ... drawn from this lexicon
        commas: true                       # ... each may be followed by a comma
      - claim: "{safe_word}"               # the claim: the words whose context matters
      - not_followed_by: ["{not_health_sense}", to say]

Items:
- a string: words and {lexicon} references, separated by spaces ("lead to {harm}"). A token of
  punctuation only ("," or "—") may touch the word before it.
- a list: any one of its items (`[a, an, the]`).
- `{words: [...]}`: a sequence inside an item (an alternative of several words and items).
- `{optional: item}`: the item, or nothing.
- `{claim: item}` or `{capture: name, words: [...]}` (words in a row): a named part of the match, for
  messages ({claim}, {natural}) and for context (the claim is what a hedge or negation must
  reach). `{refers: item}` names the words that refer back to a subject named before the claim
  ("it", "this tea"), for the pattern's `refers_to:` (healthlint.topic).
- `{gap: "N-M words"}` ("up to 3 words", "2 words", "0-80 characters"): words the pattern does
  not care about. Options: `of:` (each word must be one of these), `not:` (no word of the gap
  may be one of these: "a gap that may not cross 'but'"), `commas: true` (a comma may follow
  each word), `stop_at:` (for a gap in characters: the punctuation it may not cross, by
  default `. ; : ! ?`). A gap is as short as it can be.
- `{followed_by: item}` / `{not_followed_by: item}`: what must (or must not) come next; not part
  of the match.
- `{not_preceded_by: item}`: words that must not come just before the next item. Only plain
  words and phrases, and lexicons of them.
- `{at: start}`: the sentence starts here (after any opening quote or bullet); `{at: end}`
  (inside followed_by): the sentence ends here (before any closing punctuation or quote).
- `{one_of: [...]}`: the same as a list, for where a list would read as words in a row (the
  `words:` of a capture).
- `{regex: '...', why: '...'}`: the escape hatch, for the rare pattern words cannot say; `why`
  is required, so every use is explained where it is.

The compiled form is a regular expression with the {lexicon} references left in place, so
lexicons are expanded (and their literals prefiltered) exactly as for a `regex:` pattern.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence

from healthlint.lexicon import NAME, RULE_QUALIFIER, alternation, phrase_regex

GAP_WORD = r"[\w'’-]+"  # a word inside a gap: hyphenated and contracted words count as one
DEFAULT_STOPS = ".;:!?"
START_BOUNDARY = r"(?:(?<![\w-])|(?!\w))"  # a word does not start inside another word
END_BOUNDARY = r"(?:(?![\w-])|(?<!\w))"  # nor end inside one
# After a choice that may end in a word or not: white space after a word, else any or none.
MIXED_SEPARATOR = r"(?:(?<!\w)\s*|\s+)"
ITEM_KEYS = {
    "words": set(),
    "optional": set(),
    "claim": set(),
    "refers": set(),
    "capture": {"words"},
    "gap": {"of", "not", "commas", "stop_at"},
    "followed_by": set(),
    "not_followed_by": set(),
    "not_preceded_by": set(),
    "at": set(),
    "regex": {"why"},
    "one_of": set(),
}
_REFERENCE = re.compile(rf"\{{((?:{RULE_QUALIFIER}\.)?{NAME})\}}")
_PUNCTUATION = re.compile(r"[^\w\s{}]+")
_GAP = re.compile(r"^\s*(?:(?:up\s+to\s+(?P<upto>\d+))|(?P<low>\d+)(?:\s*-\s*(?P<high>\d+))?)\s*(?P<unit>words?|characters?|chars?)?\s*$")


class PatternError(ValueError):
    """A word pattern that cannot be compiled; the message says what to write instead."""


def compile_words(items, entries_of: Callable[[str], Sequence[str]] | None = None, *, edges: bool = True) -> str:
    """The regex source of a word pattern (``items``: a list, or one item). ``entries_of``
    returns a lexicon's entries, needed only for ``not_preceded_by`` a lexicon. Without
    ``edges`` (a lexicon entry), the word boundaries at either end are left to the pattern
    that uses it, as for a phrase entry."""
    seq = items if isinstance(items, list) else [items]
    if not seq:
        raise PatternError("a word pattern needs at least one item")
    body, _ = _Compiler(entries_of).sequence(seq, None)
    if not edges:
        return body
    start = START_BOUNDARY if _starts_with_words(seq) else ""
    last = seq[-1]
    end = "" if isinstance(last, dict) and ("regex" in last or "at" in last) else END_BOUNDARY
    return start + body + end


def _starts_with_words(seq: list) -> bool:
    """Does the pattern start with words (so it needs a word boundary before it)?"""
    head = seq[0]
    if isinstance(head, dict) and "not_preceded_by" in head:
        return len(seq) > 1 and _starts_with_words(seq[1:])
    return not (isinstance(head, dict) and ("at" in head or "regex" in head))


# How an item is joined to what came before it. ``lead`` says what that was: None (nothing: the
# start of the pattern, or a gap that ends in white space), "word", "punct", or "mixed" (a choice
# or an optional item whose ways of ending differ: "[at: start, ',']"). A word after a word needs
# white space; punctuation may touch the word before it; after "mixed", each way gets its own.
# ``before`` is a guard (not_preceded_by) that belongs just before the next item's first word.
class _Compiler:
    def __init__(self, entries_of) -> None:
        self.entries_of = entries_of

    def sequence(self, seq: list, lead: str | None, before: str = "") -> tuple[str, str | None]:
        if not seq:
            if before:
                raise PatternError("'not_preceded_by' needs an item after it: the words it guards")
            return "", lead
        head, rest = seq[0], seq[1:]
        if isinstance(head, dict) and "optional" in head and lead is None and rest:
            # An optional item where nothing comes before it takes the separator after it, so
            # without it the match starts at the next word, not at the space before it.
            inner, inner_lead = self.emit(head["optional"], None, before)
            tail, after = self.sequence(rest, None)
            joint = _separator(inner_lead, self.starts_punct(rest[0]))
            return f"(?:{inner}{joint})?" + before + tail, after
        regex, after, carry = self.emit_in_sequence(head, lead, before)
        tail, end = self.sequence(rest, after, carry)
        return regex + tail, end

    def starts_punct(self, item) -> bool:
        """Does an item start with punctuation? (Known for words and lists of words; other
        items are taken to start with a word.)"""
        if isinstance(item, (str, int, float)) and not isinstance(item, bool):
            return self.phrase(str(item))[1]
        if isinstance(item, list) and item and all(isinstance(a, (str, int, float)) for a in item):
            return all(self.phrase(str(a))[1] for a in item)
        return False

    def emit_in_sequence(self, item, lead, before) -> tuple[str, str | None, str]:
        """An item in a sequence: its regex, what it leaves for the next, and any guard that
        still applies to the next item."""
        if isinstance(item, dict) and set(item) == {"not_preceded_by"}:
            return "", lead, before + self.lookbehinds(item["not_preceded_by"])
        if isinstance(item, dict) and set(item) <= {"followed_by", "not_followed_by"} and len(item) == 1:
            return self.lookahead(item), lead, before
        if isinstance(item, dict) and "optional" in item and len(item) == 1:
            inner, inner_lead = self.emit(item["optional"], lead, before)
            return f"(?:{inner})?", _merged_lead({lead, inner_lead}), before  # absent, the guard still applies to what follows
        regex, after = self.emit(item, lead, before)
        return regex, after, ""

    def emit(self, item, lead: str | None, before: str = "") -> tuple[str, str | None]:
        """An item joined to what came before: its regex with the separator, and its end."""
        if isinstance(item, bool) or item is None:
            raise PatternError(f"{item!r} is not a word or an item; put words in quotes")
        if isinstance(item, (str, int, float)):
            regex, starts, ends = self.phrase(str(item))
            return _separator(lead, starts) + _guarded(before, regex), "punct" if ends else "word"
        if isinstance(item, list):
            return self.alternatives(item, lead, before)
        if not isinstance(item, dict):
            raise PatternError(f"an item must be words, a list, or a mapping, not {item!r}")
        key = _main_key(item)
        value = item[key]
        if key == "one_of":
            if not isinstance(value, list):
                raise PatternError("'one_of' takes a list of alternatives")
            return self.alternatives(value, lead, before)
        if key == "words":
            inner, after = self.sequence(value if isinstance(value, list) else [value], lead, before)
            return f"(?:{inner})", after
        if key == "optional":
            inner, inner_lead = self.emit(value, lead, before)
            return f"(?:{inner})?", _merged_lead({lead, inner_lead})
        if key in ("claim", "refers", "capture"):
            return self.capture(item, key, lead, before)
        if key == "gap":
            return self.gap(item, lead, before)
        if key in ("followed_by", "not_followed_by"):
            return before + self.lookahead(item), lead
        if key == "not_preceded_by":
            raise PatternError("'not_preceded_by' goes in a sequence, just before the words it guards")
        if key == "at":
            if value == "start":
                return r"^\W*" + before, None
            if value == "end":
                return r"\W*$", "punct"  # closing punctuation and quotes may follow
            raise PatternError(f"'at' is 'start' or 'end', not {value!r}")
        if key == "regex":
            if not str(item.get("why", "")).strip():
                raise PatternError("a 'regex' item needs 'why': say why words could not express it")
            try:
                re.compile(_REFERENCE.sub("x", str(value)))
            except re.error as exc:
                raise PatternError(f"the regex item is not a valid regular expression: {exc}") from None
            return _separator(lead, False) + before + f"(?:{value})", "word"
        raise AssertionError(key)

    def phrase(self, text: str) -> tuple[str, bool, bool]:
        """Words and {lexicon} references: (regex, starts with punctuation, ends with it)."""
        tokens = text.split()
        if not tokens:
            raise PatternError("an item is empty; write the words it should match")
        out: list[str] = []
        previous = None
        for token in tokens:
            punct = bool(_PUNCTUATION.fullmatch(token))
            if previous is not None:
                out.append(r"\s*" if punct or previous else r"\s+")
            ref = _REFERENCE.fullmatch(token)
            if ref:
                out.append("{" + ref.group(1) + "}")
            elif "{" in token or "}" in token:
                raise PatternError(f"'{token}' mixes a lexicon reference with other characters; write {{name}} on its own, separated by spaces")
            else:
                out.append(phrase_regex(token))
            previous = punct
        return "(?:" + "".join(out) + ")", bool(_PUNCTUATION.fullmatch(tokens[0])), bool(previous)

    def alternatives(self, alternatives: list, lead, before) -> tuple[str, str | None]:
        if not alternatives:
            raise PatternError("a list of alternatives is empty")
        if any(isinstance(alt, list) for alt in alternatives):
            raise PatternError("a list inside a list of alternatives: write {words: [...]} for words in a row")
        if all(_plain_words(alt) for alt in alternatives):
            # Plain words share their prefixes in a trie behind one separator, as a lexicon's
            # do: the regex engine does not factor a flat list, and tries each word in turn.
            return _separator(lead, False) + _guarded(before, alternation(str(alt) for alt in alternatives)), "word"
        emitted = [self.emit(alt, lead, before) for alt in alternatives]
        ends = {after for _, after in emitted}
        regexes = [regex for regex, _ in emitted]
        separator = _separator(lead, False)
        if separator and all(regex.startswith(separator + "(") for regex in regexes):
            # One separator before the alternatives, not one in each (each would be re-matched).
            return separator + "(?:" + "|".join(regex[len(separator):] for regex in regexes) + ")", _merged_lead(ends)
        return "(?:" + "|".join(regexes) + ")", _merged_lead(ends)

    def capture(self, item: dict, key: str, lead, before) -> tuple[str, str | None]:
        name = key if key in ("claim", "refers") else str(item["capture"])
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise PatternError(f"a capture's name must be lower_case_with_underscores, not '{name}'")
        if key == "capture" and "words" not in item:
            raise PatternError("'capture' needs 'words': what the named part matches")
        seq = item["words"] if key == "capture" else item[key]
        seq = [seq] if key != "capture" or not isinstance(seq, list) else seq
        first = seq[0]
        simple = isinstance(first, (str, int, float)) or (isinstance(first, list) and all(isinstance(a, (str, int, float)) for a in first))
        if simple and lead is not None:
            # The separator stays outside the group: a claim starts at its first word.
            starts = {self.phrase(str(a))[1] for a in (first if isinstance(first, list) else [first])}
            if len(starts) == 1:
                inner, after = self.sequence(seq, None)
                return _separator(lead, starts.pop()) + before + f"(?P<{name}>{inner})", after
        inner, after = self.sequence(seq, lead, before)
        return f"(?P<{name}>{inner})", after

    def gap(self, item: dict, lead, before) -> tuple[str, str | None]:
        low, high, unit = _gap_bounds(item["gap"])
        if unit == "characters":
            if "of" in item or "commas" in item:
                raise PatternError("a gap in characters takes 'not' and 'stop_at', not 'of' or 'commas'")
            stops = str(item.get("stop_at", DEFAULT_STOPS)).replace(" ", "")
            char = "[^" + re.escape(stops) + "]"
            if "not" in item:
                char = rf"(?:(?!\b{self.emit(item['not'], None)[0]}\b){char})"
            return rf"\b{char}{{{low},{high}}}?\b" + before, None
        if "stop_at" in item:
            raise PatternError("'stop_at' is for a gap in characters; a gap of words never crosses punctuation other than commas")
        word = self.emit(item["of"], None)[0] if "of" in item else GAP_WORD
        if "not" in item:
            word = f"(?!{self.emit(item['not'], None)[0]}{END_BOUNDARY}){word}"
        comma = ",?" if item.get("commas") else ""
        if lead is None:
            return before + rf"(?:{word}{comma}\s+){{{low},{high}}}?", None
        if before:
            raise PatternError("'not_preceded_by' guards words, not a gap; put it after the gap")
        separator = MIXED_SEPARATOR if lead == "mixed" else r"\s+"  # (never inside a word)
        return rf"(?:{separator}{word}{comma}){{{low},{high}}}?", "word"

    def lookahead(self, item: dict) -> str:
        key = _main_key(item)
        inner, after = self.emit(item[key], "word")
        boundary = END_BOUNDARY if after in ("word", "mixed") else ""
        return ("(?=" if key == "followed_by" else "(?!") + inner + boundary + ")"

    def lookbehinds(self, value) -> str:
        """One fixed-width look-behind per concrete string: Python's look-behind must have a
        fixed width, so each phrase and each of its spellings gets its own."""
        strings: list[str] = []
        for alternative in value if isinstance(value, list) else [value]:
            if not isinstance(alternative, str):
                raise PatternError("'not_preceded_by' takes words, phrases or {lexicon} references")
            ref = _REFERENCE.fullmatch(alternative.strip())
            if ref:
                if self.entries_of is None:
                    raise PatternError("'not_preceded_by' a lexicon is for patterns, not lexicon entries")
                entries = self.entries_of(ref.group(1))
                if any(str(e).startswith("re:") for e in entries):
                    raise PatternError(f"'not_preceded_by' {alternative}: that lexicon has patterns in it; list the words instead")
                strings.extend(str(e) for e in entries)
            elif "{" in alternative:
                raise PatternError("'not_preceded_by' takes words, phrases or one {lexicon} per entry")
            else:
                strings.append(alternative)
        out = []
        for text in dict.fromkeys(s for phrase in strings for s in _spellings(phrase)):
            lead = r"\b" if text[:1].isalnum() else ""
            out.append(f"(?<!{lead}" + re.escape(text).replace("\\ ", r"\s") + r"\s)")
        return "".join(out)


def _plain_words(item) -> bool:
    """Words with no lexicon reference and no punctuation of their own ("side effects", "won't")."""
    if isinstance(item, bool) or not isinstance(item, (str, int, float)):
        return False
    tokens = str(item).split()
    return bool(tokens) and "{" not in str(item) and "}" not in str(item) and not any(_PUNCTUATION.fullmatch(t) for t in tokens)


def _guarded(guard: str, regex: str) -> str:
    """Words behind a not_preceded_by guard. The words are tried first, in a look-ahead, so
    the guard's look-behinds (one per spelling, often dozens) run only where the words are,
    not at every word in the text: same matches, several times faster."""
    return f"(?={regex}){guard}{regex}" if guard else regex


def _main_key(item: dict) -> str:
    main = [k for k in item if k in ITEM_KEYS]
    if not main:
        unknown = str(sorted(item, key=str)[0])
        if len(item) == 1 and item[unknown] is None and re.fullmatch(rf"(?:{RULE_QUALIFIER}\.)?{NAME}", unknown):
            # YAML reads an unquoted {name} as a mapping with one key.
            raise PatternError(f'{{{unknown}}} needs double quotes around it: write "{{{unknown}}}"')
        raise PatternError(f"unknown item '{unknown}'{_did_you_mean(unknown, ITEM_KEYS)}; items are: {', '.join(sorted(ITEM_KEYS))}")
    if len(main) > 1 and not (set(main) == {"capture", "words"}):
        raise PatternError(f"an item has both '{main[0]}' and '{main[1]}'; give each its own line")
    key = "capture" if "capture" in main else main[0]
    extra = set(item) - {key} - ITEM_KEYS[key]
    if extra:
        bad = sorted(extra)[0]
        allowed = ", ".join(sorted(ITEM_KEYS[key])) or "none"
        raise PatternError(f"'{bad}' is not an option of '{key}'{_did_you_mean(bad, ITEM_KEYS[key])}; its options: {allowed}")
    return key


def _spellings(phrase: str) -> list[str]:
    """Every spelling lexicon.phrase_regex accepts for a phrase, with one space between words."""
    words = phrase.lower().split()
    text = " ".join(words)
    options = []
    for char in text:
        if char == "-":
            options.append(["-", "\u2010", "\u2011", " ", ""])
        elif char in "'\u2019":
            options.append(["'", "\u2019"])
        else:
            options.append([char])
    return ["".join(p) for p in itertools.product(*options)]


def _separator(lead: str | None, starts_punct: bool) -> str:
    if lead is None:
        return ""
    if lead == "mixed" and not starts_punct:
        return MIXED_SEPARATOR
    return r"\s*" if starts_punct or lead == "punct" else r"\s+"


def _merged_lead(ends: set[str | None]) -> str | None:
    """How the next item joins a choice whose alternatives end differently: "mixed", so that
    after "[at: start, ',']" the word "totally" matches "Totally" at the start, and ", totally"
    after a comma (not "word", which would want a space at the start of the sentence)."""
    return next(iter(ends)) if len(ends) == 1 else "mixed"


def _gap_bounds(value) -> tuple[int, int, str]:
    if isinstance(value, int) and not isinstance(value, bool):
        return 0, value, "words"
    m = _GAP.match(str(value))
    if not m:
        raise PatternError(f"a gap is 'up to N words', 'N-M words' or 'N-M characters', not {value!r}")
    if m.group("upto"):
        low, high = 0, int(m.group("upto"))
    else:
        low = int(m.group("low"))
        high = int(m.group("high")) if m.group("high") else low
    if high < low:
        raise PatternError(f"a gap of {value!r} ends before it starts")
    unit = "characters" if (m.group("unit") or "words").startswith("char") else "words"
    return low, high, unit


def _gap_unit(item: dict) -> str:
    return _gap_bounds(item["gap"])[2]


def _did_you_mean(name: str, known) -> str:
    import difflib  # only for an error message

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def lexicon_entry(entry, entries_of: Callable[[str], Sequence[str]] | None = None) -> str:
    """A lexicon entry as the lexicon module stores it: a phrase as written; another lexicon
    ("{name}"), a word pattern ({words: [...]}) or an explained regex ({regex: ..., why: ...})
    as a "re:" entry."""
    if isinstance(entry, dict):
        if set(entry) == {"words"}:
            # No word edges of its own: like a phrase entry, it leaves those to the pattern that
            # uses the lexicon (a boundary in each of a lexicon's entries costs at every word).
            return "re:" + compile_words(entry["words"], entries_of, edges=False)
        if "regex" in entry:
            return "re:" + _Compiler(entries_of).emit(entry, None)[0]
        raise PatternError("a lexicon entry is a phrase, {words: [...]}, or {regex: ..., why: ...}")
    if isinstance(entry, str) and _REFERENCE.fullmatch(entry.strip()):
        # "{other}": every entry of another lexicon, as if listed here (no word edges of its
        # own: like a phrase entry, it leaves those to the pattern that uses the lexicon).
        return "re:" + entry.strip()
    return str(entry)


def names_used(items) -> set[str]:
    """The lexicons a word pattern refers to (for did-you-mean and dependency checks)."""
    found: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, str):
            found.update(_REFERENCE.findall(node))
        elif isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, Mapping):
            for child in node.values():
                walk(child)

    walk(items)
    return found
