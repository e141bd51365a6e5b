"""Stage 3: split prose into sentences.

A rule-based splitter tuned for health copy: it keeps abbreviations (Dr., e.g., et al.,
U.S.), decimals ("2.5 mg"), initials ("J. K. Smith") and citations ("[1].",
"(Smith et al., 2020).", "safe.[2]") with the sentence they belong to.
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
_END = re.compile(
    r"""(?P<stop>[.!?]+|\u2026)
        (?P<close>["'\u201d\u2019)\]*_]*)
        (?P<cite>(?:\[\^?[\w,\s\u2013-]{1,20}\]|[\u00b9\u00b2\u00b3\u2070-\u2079]+)*)
        (?=\s+|$)""",
    re.X,
)
_WORD_BEFORE = re.compile(r"([\w.\u00c0-\u024f-]+)$")
_NEXT_START = re.compile(r"\s+([\"'\u201c\u2018(\[*_]*)(\S)")


@dataclass(frozen=True)
class Sentence:
    start: int  # offsets into the block's text
    end: int
    text: str


def _is_abbreviation(text: str, stop_at: int) -> bool:
    m = _WORD_BEFORE.search(text, 0, stop_at)
    if not m:
        return False
    word = m.group(1).lower()
    if word in NUMBER_ABBREVIATIONS:
        return bool(re.match(r"\s*\d", text[stop_at + 1 :]))
    if word in ABBREVIATIONS or word.rstrip(".") in ABBREVIATIONS:
        return True
    if word.endswith("et al") or text[max(0, stop_at - 6) : stop_at].lower().endswith("et al"):
        return True
    # Initials and dotted acronyms: "J.", "U.S", "e.g" (single letters between dots). A lone capital
    # after a lower-case word ends the sentence: "vitamin D.", "hepatitis C.".
    if not re.fullmatch(r"(?:[a-z]\.)*[a-z]", word):
        return False
    if len(word) == 1:
        previous = re.search(r"(\S+)\s+\S+$", text[:stop_at])
        following = re.match(r"\s+([A-Za-z]+)", text[stop_at + 1 :])
        if previous and previous.group(1)[:1].islower() and (not following or following.group(1).lower() in SENTENCE_STARTERS):
            return False  # "vitamin D. It helps" ends; "a review by R. Patel" does not
    return True


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    start = 0
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
        elif end < len(text.rstrip()):
            continue
        if text[start:end].strip():
            sentences.append(_make(text, start, end))
        start = end
    if text[start:].strip():
        sentences.append(_make(text, start, len(text)))
    return sentences


def _make(text: str, start: int, end: int) -> Sentence:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Sentence(start, end, text[start:end])
