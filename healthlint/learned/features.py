"""Sentence text -> hashed feature indices: word unigrams and bigrams, and character 3- to
5-grams inside each word (with a space at either end, so "safe" gives " sa", "afe ", ...).

Standard library only: training and inference must hash exactly alike, and inference must not
need more than numpy. zlib.crc32 is stable across processes (Python's hash() is not).
"""

from __future__ import annotations

import re
import zlib
from functools import lru_cache

# What a stored weights file was built with; a file with other values is refused, not misread.
FEATURE_VERSION = 1
DEFAULT_BITS = 18  # 262,144 buckets: few collisions for a vocabulary of a few tens of thousands

_TOKEN = re.compile(r"[0-9a-z]+(?:['’-][0-9a-z]+)*")
_DIGITS = re.compile(r"[0-9]")


def tokens(text: str) -> list[str]:
    """Lower-cased words; digits all read as 0 (doses and years differ, their role does not)."""
    return _TOKEN.findall(_DIGITS.sub("0", text.lower().replace("’", "'")))


@lru_cache(maxsize=65536)  # words repeat: each is cut into n-grams once
def _word_hashes(word: str) -> tuple[int, ...]:
    out = [zlib.crc32(b"w\0" + word.encode())]
    padded = f" {word} ".encode()
    for n in (3, 4, 5):
        for i in range(len(padded) - n + 1):
            out.append(zlib.crc32(b"c\0" + padded[i : i + n]))
    return tuple(out)


def hashed(words: list[str]) -> set[int]:
    """Every feature's 32-bit hash for a sentence's words (a set: presence, not counts)."""
    found: set[int] = set()
    for word in words:
        found.update(_word_hashes(word))
    for a, b in zip(words, words[1:]):
        found.add(zlib.crc32(f"b\0{a} {b}".encode()))
    return found


@lru_cache(maxsize=65536)
def _word_buckets(word: str, bits: int) -> frozenset[int]:
    mask = (1 << bits) - 1
    return frozenset(h & mask for h in _word_hashes(word))


def indices(text: str, bits: int = DEFAULT_BITS) -> list[int]:
    """The sentence's feature buckets, sorted (each feature has weight 1/sqrt(count)).
    The same buckets as masking every hash of ``hashed``, a word's own looked up once."""
    mask = (1 << bits) - 1
    words = tokens(text)
    found: set[int] = set()
    for word in words:
        found |= _word_buckets(word, bits)
    for a, b in zip(words, words[1:]):
        found.add(zlib.crc32(f"b\0{a} {b}".encode()) & mask)
    return sorted(found)


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """Each word's [start, end) in ``text`` and its token (for placing a finding's claim words).
    Lower-casing and the apostrophe swap keep lengths, so offsets match the original text."""
    folded = text.lower().replace("’", "'")
    return [(m.start(), m.end(), _DIGITS.sub("0", m.group())) for m in _TOKEN.finditer(folded)]


def word_hash(word: str, bits: int = DEFAULT_BITS) -> int:
    """The bucket of a word's unigram feature."""
    return zlib.crc32(b"w\0" + word.encode()) & ((1 << bits) - 1)
