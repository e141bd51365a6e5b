"""Propose where to split a long sentence, and write the two sentences out.

Candidates are clause joints: a semicolon, a dash, ", and" / ", but" / ", so", ", which",
", while" and similar, and a comma before an -ing clause ("..., providing relief"). The joint
nearest the middle wins, so both halves are readable. The second half gets a subject where it
needs one: ", which causes" -> ". This causes"; ", providing relief" -> ". This provides relief".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_JOINTS = [
    (re.compile(r"\s*;\s+"), "keep"),
    (re.compile(r"\s+[\u2014\u2013]\s+|\u2014"), "keep"),
    (re.compile(r",\s+(?:and|so)\s+(?=\w)"), "drop"),  # ", and it helps" -> ". It helps"
    (re.compile(r",\s+(?=(?:but|yet)\s)"), "keep"),  # ", but it" -> ". But it"
    (re.compile(r",\s+(?:which|this)\s+(?=\w)"), "this"),
    (re.compile(r",\s+(?=(?:while|whereas|although|though)\s)"), "keep"),
    (re.compile(r",\s+(?=[a-z]+ing\s)"), "ing"),
    (re.compile(r",\s+(?:as|because|since)\s+(?=\w)"), "reason"),  # ", as it does" -> ". This is because it does"
]

_IRREGULAR = {"going": "goes", "doing": "does", "having": "has", "being": "is", "lying": "lies", "dying": "dies"}


def _base_form(verb_ing: str) -> str:
    """ "providing" -> "provide", "stopping" -> "stop", "carrying" -> "carry", using a word list."""
    from healthlint.readability import pronouncing_dictionary

    words = pronouncing_dictionary()
    stem = verb_ing[:-3]
    if len(stem) > 2 and stem[-1] == stem[-2]:
        # "stopping" -> "stop", "calling" -> "call"
        candidates = [stem, stem[:-1]] if stem[-1] in "lsz" else [stem[:-1], stem]
    elif re.search(r"(?:^|[^aeiou])[aeiou][^aeiouwxy]$", stem) or stem.endswith(("c", "v", "z", "g", "s")):
        candidates = [stem + "e", stem]  # "using" -> "use", "caring" -> "care", "reducing" -> "reduce"
    else:
        candidates = [stem, stem + "e"]  # "reading" -> "read", "offering" -> "offer"
    for candidate in candidates:
        if candidate in words:
            return candidate
    return stem


def third_person(verb_ing: str) -> str:
    """The present tense that follows "This": "emphasizing" -> "emphasizes"."""
    word = verb_ing.lower()
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    base = _base_form(word)
    if base.endswith(("s", "sh", "ch", "x", "z", "o")):
        return base + "es"
    if base.endswith("y") and len(base) > 1 and base[-2] not in "aeiou":
        return base[:-1] + "ies"
    return base + "s"


def _conjugate_following(text: str) -> str:
    """ "interacts with receptors and reducing inflammation" -> "... and reduces inflammation"."""
    return re.sub(r"\b(and|or)\s+([a-z]+ing)\b", lambda m: f"{m.group(1)} {third_person(m.group(2))}", text)


@dataclass(frozen=True)
class Split:
    at: int  # where the first sentence ends, in the original
    first: str
    second: str

    @property
    def text(self) -> str:
        return f"{self.first} {self.second}"


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def propose_split(sentence: str, min_words: int = 6) -> Split | None:
    """Split a sentence at the clause joint nearest its middle; None if there is none."""
    body = sentence.rstrip()
    end_punct = body[-1] if body[-1:] in ".!?" else "."
    core = body[:-1] if body[-1:] in ".!?" else body
    middle = len(core) / 2
    best = None
    for pattern, mode in _JOINTS:
        for m in pattern.finditer(core):
            left, right = core[: m.start()].rstrip(" ,"), core[m.end() :].strip()
            if len(left.split()) < min_words or len(right.split()) < min_words:
                continue
            score = abs(m.start() - middle)
            if best is None or score < best[0]:
                best = (score, m, mode, left, right)
    if best is None:
        return None
    _, m, mode, left, right = best
    if mode == "this":
        right = "This " + right
    elif mode == "reason":
        right = "This is because " + right
    elif mode == "ing":
        verb, _, rest = right.partition(" ")
        right = f"This {third_person(verb)} {_conjugate_following(rest)}".rstrip()
    right = re.sub(r"^(?:while|whereas)\s+", "", right, flags=re.I) if mode == "keep" and re.match(r"(?:while|whereas)\s", right, re.I) else right
    return Split(m.start(), _capitalise(left.rstrip(",;")) + ".", _capitalise(right.rstrip()) + end_punct)
