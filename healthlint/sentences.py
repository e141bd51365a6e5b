"""Stage 3: split prose into sentences.

A rule-based splitter tuned for health copy: it keeps abbreviations (Dr., e.g., et al.,
U.S.), decimals ("2.5 mg"), initials ("J. K. Smith") and citations ("[1].",
"(Smith et al., 2020).", "safe.[2]") with the sentence they belong to. In posts, an emoji
before a capital ends a sentence too: "asking what changed 🙌 We stopped his meds".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations that (almost) never end a sentence in health copy, lower-cased, without the final dot.
ABBREVIATIONS = frozenset(
    """
    dr mr mrs ms prof sr jr st mt vs al e.g eg i.e ie approx appr ca cf fig figs vol vols ed eds
    corp dept jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u ph.d m.d b.sc m.sc
    d.o r.n n.p mph incl ref refs ch govt univ assn natl
    """.split()
)

# Words that usually open a sentence, to tell "vitamin D. It helps" from "by R. Patel".
SENTENCE_STARTERS = frozenset(
    """a an the this that these those it its they we you he she i if in on at for but and or so
    some most many more much too also then there here what when where why how who take ask talk
    do don't never always people your our my his her their each every all no not one two after
    before while as because although however see call keep try use read""".split()
)

# Abbreviations that are only abbreviations before a number: "No. 5", "p. 12".
NUMBER_ABBREVIATIONS = frozenset({"no", "nos", "p", "pp", "vol", "ch"})

# Candidate end: terminal punctuation, closing quotes/brackets, then citations glued after the stop.
# It finds the same ends as trying every split of every run, in linear time: giving a character
# back (possessive quantifiers) or starting inside a run of stops (the look-behinds) leaves a stop,
# closer or citation next, never the white space an end needs. The pattern opens with a character
# class, so the regex engine jumps from stop to stop instead of trying the whole pattern at every
# character (a leading look-behind hides that class from it); the look-behinds after the class
# then say what ``(?<![.!?])[.!?]++`` says: the run of stops starts here.
_END = re.compile(
    r"""(?P<stop>[.!?\u2026](?:(?<=[.!?])(?<![.!?][.!?])[.!?]*+|(?<=\u2026))
            |[\u2600-\u27bf\U0001f000-\U0001faff](?<![\u2600-\u27bf\U0001f000-\U0001faff\ufe0f\u200d][\u2600-\u27bf\U0001f000-\U0001faff])[\u2600-\u27bf\U0001f000-\U0001faff\ufe0f\u200d]*+)
        (?P<close>["'\u201d\u2019)\]*_]*+)
        (?P<cite>(?:\[\^?[\w,\s\u2013-]{1,20}\]|[\u00b9\u00b2\u00b3\u2070-\u2079]++)*+)
        (?=\s+|$)""",
    re.X,
)
_NEXT_START = re.compile(r"\s+([\"'\u201c\u2018(\[*_]*)(\S)")
_DIGIT_NEXT = re.compile(r"\s*\d")
_WORD_NEXT = re.compile(r"\s+([A-Za-z]+)")
_INITIALS = re.compile(r"(?:[a-z]\.)*[a-z]")  # "j", "u.s", "e.g"

# Look-backs read the run of characters that ends at the full stop. Each is found by matching the
# last character outside the run in a short window, widened only while the run fills it, so the
# work is proportional to the run, never to the text before it.
_LOOK_BACK = 64
_LAST_NON_WORD = re.compile(r"(?s:.*)[^\w.\u00c0-\u024f-]")
_WORD_RUN = re.compile(r"[\w.\u00c0-\u024f-]+")  # the characters _LAST_NON_WORD stops at
_LAST_SPACE = re.compile(r"(?s:.*)\s")
_LAST_NON_SPACE = re.compile(r"(?s:.*)\S")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int  # offsets into the block's text
    end: int
    text: str


def _run_start(text: str, end: int, last_outside: re.Pattern) -> int:
    """Start of the run of characters that ends at ``end``: just after the last character before
    ``end`` that is not in the run (``last_outside`` is ``.*`` then one such character), or 0."""
    window = _LOOK_BACK
    while True:
        low = max(0, end - window)
        m = last_outside.match(text, low, end)
        if m:
            return m.end()
        if low == 0:
            return 0
        window *= 4


def _run_end(text: str, stop_at: int) -> int:
    """Where the word before a stop ends: at the stop, or before a line break just before it
    (as ``$`` matched at the end of ``text[:stop_at]``: "Dr" + line break + ".")."""
    return stop_at - 1 if text[stop_at - 1 : stop_at] == "\n" else stop_at


def _word_before(text: str, stop_at: int) -> str:
    """The word before a full stop ("Dr", "e.g", "U.S"), or "" when a space or mark precedes it."""
    if text[stop_at - 1 : stop_at] != "\n":
        # Most often a space comes just before the word: found with one rfind, the long way
        # below only when some other mark or a line break is in the way.
        space = text.rfind(" ", max(0, stop_at - _LOOK_BACK), stop_at)
        if space == stop_at - 1:
            return ""
        if space >= 0 and _WORD_RUN.fullmatch(text, space + 1, stop_at):
            return text[space + 1 : stop_at]
    end = _run_end(text, stop_at)
    return text[_run_start(text, end, _LAST_NON_WORD) : end]


def _previous_word_start(text: str, stop_at: int) -> int | None:
    """Start of the word before the one ending at the stop ("by" in "by R."), or None."""
    word_start = _run_start(text, _run_end(text, stop_at), _LAST_SPACE)
    if word_start == 0:
        return None
    gap_start = _run_start(text, word_start, _LAST_NON_SPACE)
    if gap_start == 0:
        return None
    return _run_start(text, gap_start, _LAST_SPACE)


def _is_abbreviation(text: str, stop_at: int) -> bool:
    word = _word_before(text, stop_at).lower()
    if not word:
        return False
    if len(word) > 1 and word.isalpha() and word not in ABBREVIATIONS and word not in NUMBER_ABBREVIATIONS and not word.endswith("al"):
        return False  # most words: no dots, so no initials; "al" may be "et al." (checked below)
    if word in NUMBER_ABBREVIATIONS:
        return bool(_DIGIT_NEXT.match(text, stop_at + 1))
    if word in ABBREVIATIONS or word.rstrip(".") in ABBREVIATIONS:
        return True
    if word.endswith("et al") or text[max(0, stop_at - 6) : stop_at].lower().endswith("et al"):
        return True
    # Initials and dotted acronyms: "J.", "U.S", "e.g" (single letters between dots). A lone capital
    # after a lower-case word ends the sentence: "vitamin D.", "hepatitis C.".
    if not _INITIALS.fullmatch(word):
        return False
    if len(word) == 1:
        previous = _previous_word_start(text, stop_at)
        following = _WORD_NEXT.match(text, stop_at + 1)
        if previous is not None and text[previous].islower() and (not following or following.group(1).lower() in SENTENCE_STARTERS):
            return False  # "vitamin D. It helps" ends; "a review by R. Patel" does not
    return True


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    start = 0
    content_end = len(text.rstrip())
    for m in _END.finditer(text):
        if m.group("stop") == "." and _is_abbreviation(text, m.start()):
            nxt = _NEXT_START.match(text, m.end())
            # An abbreviation ends the sentence only before a new paragraph-like start we cannot see;
            # keep going unless the next word is clearly a sentence start after "etc.".
            if not (nxt and text[m.start() - 3 : m.start()].lower() == "etc" and nxt.group(2).isupper()):
                continue
        end = m.end()
        nxt = _NEXT_START.match(text, end)
        if nxt:
            following = nxt.group(2)
            # A new sentence starts with a capital, a digit or an opening mark; not "approx. five".
            if not (following.isupper() or following.isdigit() or nxt.group(1)):
                continue
        elif end < content_end:
            continue
        sentence = _make(text, start, end)
        if sentence.text:
            sentences.append(sentence)
        start = end
    if text[start:].strip():
        sentences.append(_make(text, start, len(text)))
    return sentences


def _make(text: str, start: int, end: int) -> Sentence:
    # str.strip() drops exactly the characters str.isspace() accepts, in C.
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return Sentence(end, end, "")
    start += len(piece) - len(piece.lstrip())
    return Sentence(start, start + len(stripped), stripped)
