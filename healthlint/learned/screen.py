"""Which sentences the model scores: those holding a health word, found as the engine's
prefilter finds literals (healthlint.prefilter: case-folded text, one Aho-Corasick pass).

The words are data (healthlint/data/model.yaml): the plain entries of some built-in shared
lexicons, and health words they lack. A word counts wherever it occurs ("safe" in "unsafe"):
the screen only rules sentences out, the model judges the rest. The list is sorted, so the
screen, and with it training, is the same in every process.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from healthlint.prefilter import fold

SCREEN_FILE = Path(__file__).resolve().parent.parent / "data" / "model.yaml"
_PLAIN = re.compile(r"[a-z0-9][a-z0-9 '’-]*")
_REFERENCE = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def plain_words(names: Iterable[str], lexicons: Mapping[str, Sequence[str]]) -> set[str]:
    """The plain entries of the named lexicons, a whole-entry {reference} followed to its
    lexicon; entries with pattern syntax are left out (the screen is a list of literals)."""
    found: set[str] = set()
    pending, seen = list(names), set()
    while pending:
        name = pending.pop()
        if name in seen or name not in lexicons:
            continue
        seen.add(name)
        for entry in lexicons[name]:
            entry = str(entry).strip().lower()
            if entry.startswith("re:"):  # a regex entry: only a bare reference is followed
                entry = entry[3:]
            reference = _REFERENCE.fullmatch(entry)
            if reference:
                pending.append(reference.group(1))
            elif _PLAIN.fullmatch(entry):
                found.add(entry)
    return found


class HealthScreen:
    def __init__(self, words: Iterable[str]) -> None:
        import ahocorasick

        self.words = tuple(sorted(set(words)))
        self._automaton = ahocorasick.Automaton()
        for word in self.words:
            self._automaton.add_word(word, word)
        self._automaton.make_automaton()

    def may_match(self, text: str) -> bool:
        folded = fold(text) or text.lower()
        for _ in self._automaton.iter(folded):
            return True
        return False


def screen_words() -> tuple[str, ...]:
    """The screen's words, from data/model.yaml and the built-in shared lexicons."""
    from healthlint.ruleset import builtin_lexicons, words_of
    from healthlint.yamlfile import load_yaml

    data = load_yaml(SCREEN_FILE)
    shared = words_of(builtin_lexicons().shared)
    return tuple(sorted(plain_words(data["lexicons"], shared) | {str(w).lower() for w in data["words"]}))


@lru_cache(maxsize=1)
def health_screen() -> HealthScreen:
    """The screen. Its words are kept in the rule cache (keyed on the rule files and
    model.yaml): working them out parses every rule file, 0.4 s of a run's start."""
    from healthlint.ruleset import builtin_rules_dir, rule_files
    from healthlint.rulecache import cached, files_key

    try:
        key = files_key([*rule_files([builtin_rules_dir()]), SCREEN_FILE])
    except OSError:
        return HealthScreen(screen_words())
    import hashlib

    return HealthScreen(cached("model-screen", hashlib.sha256(key.encode()).hexdigest(), screen_words))


MIN_WORDS = 4  # a heading such as "Side effects" names a topic; it makes no claim


def is_health_related(text: str) -> bool:
    """Does the model score this sentence? A health word, and at least MIN_WORDS words."""
    return len(text.split(None, MIN_WORDS - 1)) >= MIN_WORDS and health_screen().may_match(text)
