"""The literal prefilter, compiled-program reuse and the rule cache: fast, and never wrong."""

from __future__ import annotations

import pickle
import re
import subprocess
import sys

import pytest

from healthlint import prefilter
from healthlint.lexicon import LazyRegex
from healthlint.prefilter import SPACE, Prefilter, clauses, fold, requirement
from healthlint.regexcode import Program, compile_with_program, from_program

I = re.IGNORECASE


# --- what a pattern needs ------------------------------------------------------------------


def test_a_literal_needs_itself_case_folded():
    assert requirement("Safe", I) == ("lit", "safe")


def test_words_joined_by_white_space_each_needed():
    assert requirement(r"\bis\s+generally\s+safe\b", I) == ("and", (("lit", "generally"), ("lit", "safe")))


def test_short_words_dropped_when_longer_ones_are_needed():
    # "is" finds nearly every sentence; "safe" alone is the better filter.
    assert requirement(r"is\s+safe", I) == ("lit", "safe")


def test_alternatives_become_an_or():
    assert requirement(r"(?:cures|heals)\s+cancer", I) == ("and", (("or", (("lit", "cures"), ("lit", "heals"))), ("lit", "cancer")))


def test_optional_parts_need_nothing():
    assert requirement(r"(?:very\s+)?safe", I) == ("lit", "safe")
    assert requirement(r"(?:very)?", I) is None
    assert requirement(r"\w+", I) is None


def test_hyphen_variants_spelled_out():
    req = requirement(r"side[-\u2010 ]?effects", I)
    # (whitespace, the space too, is prefilter.SPACE in literals, as in folded text)
    assert clauses(req) == (frozenset({"side-effects", "side\u2010effects", f"side{SPACE}effects", "sideeffects"}),)


def test_whitespace_between_words_is_part_of_their_literals():
    """A regex's \\s+ after a word is SPACE after its literal, so "is" then whitespace is not
    found in "disease", whatever whitespace the text has there."""
    assert set(clauses(requirement(r"ok\s+to", I))) == {frozenset({f"ok{SPACE}"}), frozenset({"to"})}
    assert prefilter.match_starts(r"(?:(?<![\w-])|(?!\w))(?:is|so)\s+safe", I) == {f"is{SPACE}", f"so{SPACE}"}
    text = "The disease is\tsafe,\nso\u00a0safe."
    assert prefilter.StartScanner({f"is{SPACE}", f"so{SPACE}"}).offsets(fold(text)) == [12, 21]
    # A long or common word needs no SPACE beside it; whitespace with one letter says nothing.
    assert clauses(requirement(r"kratom\s+\w+", I)) == (frozenset({"kratom"}),)
    assert clauses(requirement(r"the\s+\w+", I)) == (frozenset({"the"}),)
    assert requirement(r"n\s+\w+", I) is None


def test_fold_makes_whitespace_space_and_nothing_else():
    """Every character the regex \\s matches, and only those, is SPACE in folded text."""
    spaces = "".join(chr(c) for c in range(0x110000) if re.match(r"\s", chr(c)))
    assert fold(spaces) == SPACE * len(spaces)
    others = "".join(chr(c) for c in range(0x3100) if not re.match(r"\s", chr(c)) and len(chr(c).lower()) == 1)
    assert SPACE not in fold(others.replace(SPACE, ""))


def test_look_arounds_and_anchors_need_nothing_themselves():
    assert requirement(r"(?<![\w-])(?:kratom)(?![\w-])", I) == ("lit", "kratom")
    assert requirement(r"^\s*safe$", I) == ("lit", "safe")


def test_an_alternative_that_needs_nothing_makes_the_whole_need_nothing():
    assert requirement(r"safe|\w+", I) is None


def test_invalid_patterns_need_nothing_and_do_not_raise():
    assert requirement("(unclosed", I) is None


def test_clauses_distribute_small_ors_and_summarise_large_ones():
    small = ("or", (("and", (("lit", "aa1"), ("lit", "bb1"))), ("lit", "cc1")))
    assert set(clauses(small)) == {frozenset({"aa1", "cc1"}), frozenset({"bb1", "cc1"})}
    many = ("or", tuple(("and", (("lit", f"a{i}x"), ("lit", f"b{i}x"))) for i in range(6)))
    (only,) = clauses(many)  # 2**6 clauses would be too many: one implied clause instead
    assert len(only) == 6


def test_fold_matches_what_ignorecase_treats_as_equal():
    assert fold("SAFE") == "safe"
    assert fold("\u017fafe") == "safe"  # long s: re.IGNORECASE matches "safe" here
    assert re.search("safe", "\u017fafe", I)
    assert fold("\u0130") == ""  # dotted capital I lowers to two characters: no in-place fold


# --- candidates ----------------------------------------------------------------------------


def test_candidates_per_span_in_pattern_order():
    pf = Prefilter([requirement(r"generally\s+safe", I), requirement(r"\w+", I), requirement(r"cures?", I)])
    text = "Kratom is generally SAFE. It cures pain. Nothing here."
    spans = [(0, 25), (26, 40), (41, 54)]
    assert pf.candidates(text, spans) == [(0, 1), (1, 2), (1,)]


def test_a_literal_across_a_span_boundary_does_not_count():
    pf = Prefilter([requirement("safe", I)])
    assert pf.candidates("xx sa fe", [(0, 5), (5, 8)]) == [(), ()]
    assert pf.candidates("it is safe", [(0, 8), (8, 10)]) == [(), ()]


def test_text_that_cannot_be_folded_in_place_runs_every_pattern():
    pf = Prefilter([requirement("safe", I)])
    assert pf.candidates("\u0130stanbul is safe", [(0, 16)]) is None


def test_prefilter_never_skips_a_pattern_that_matches(ruleset):
    """Soundness on real text: every built-in pattern, every sentence of the rule examples and
    the labeled corpus. Wherever a pattern could be reported (its regex matches and every
    lexicon it requires in the sentence is there) it must be a candidate."""
    import yaml

    from healthlint.sentences import split_sentences
    from conftest import REPO

    texts = [e.text for r in ruleset.rules for e in r.info.flag_examples + r.info.pass_examples]
    for path in sorted((REPO / "tests" / "corpus").glob("*.yaml")):
        texts += [str(item["text"]) for item in yaml.safe_load(path.read_text(encoding="utf-8"))]
    texts.append("Kratom is generally \u017fafe. \u041a\u0440\u0430\u0442\u043e\u043c is SAFE for the LIVER.")
    checked = matched = 0
    for rule in ruleset.rules:
        patterns = getattr(rule, "patterns", None)
        if not patterns:
            continue
        pf = Prefilter([p.needs for p in patterns])
        for text in texts:
            sentences = split_sentences(text)
            candidates = pf.candidates(text, [(s.start, s.end) for s in sentences])
            for s, sentence in enumerate(sentences):
                for i, pattern in enumerate(patterns):
                    checked += 1
                    in_sentence = [r for r in getattr(pattern, "requires", ()) if r.scope == "sentence"]
                    if pattern.regex.search(sentence.text) and all(r.regex.search(sentence.text) for r in in_sentence):
                        matched += 1
                        assert candidates is None or i in candidates[s], (rule.info.id, pattern.name, sentence.text)
    assert matched > 1000 and checked > 100_000  # the check really ran on matching text


RULE_WITH_REQUIRES = """\
id: herb-heals
kind: claim
severity: warning
summary: A herb said to heal.
message: Says a herb heals.
lexicons:
  herb: [kratom, kava]
patterns:
  - name: heals
    regex: '\\bheals?\\b'
    requires: herb
  - name: heals-nearby
    regex: '\\bcures?\\b'
    requires: herb@paragraph
"""


def test_a_lexicon_required_in_the_sentence_is_part_of_what_a_pattern_needs(tmp_path):
    from healthlint.engine import lint_text
    from healthlint.ruleset import load_rule_file, load_shared_lexicons
    from conftest import REPO

    path = tmp_path / "herb-heals.yaml"
    path.write_text(RULE_WITH_REQUIRES, encoding="utf-8")
    rule = load_rule_file(path, load_shared_lexicons(REPO / "rules"))
    text = "Rest heals and cures. Kratom heals."
    spans = [(0, 21), (22, len(text))]
    # "heals" needs a herb in its sentence; "cures" needs one only somewhere in the paragraph.
    assert rule.prefilter.candidates(text, spans) == [(1,), (0,)]
    found = [(f.rule, f.start.column, f.text) for f in lint_text(text, [rule])]
    assert found == [("herb-heals", 16, "cures"), ("herb-heals", 30, "heals")]


# --- compiled programs ---------------------------------------------------------------------


def test_a_kept_program_gives_the_same_regex():
    pattern = r"(?P<claim>is\s+(?:generally\s+)?safe)\b"
    compiled, program = compile_with_program(pattern, I)
    assert isinstance(program, Program)
    again = from_program(pickle.loads(pickle.dumps(program)), pattern, I)
    assert again is not None and again is not compiled
    text = "Kratom is generally safe, and tea is safe."
    assert [m.span("claim") for m in again.finditer(text)] == [m.span("claim") for m in re.finditer(pattern, text, I)]
    assert again.groupindex == re.compile(pattern, I).groupindex


def test_a_program_for_another_pattern_or_python_is_refused():
    _, program = compile_with_program("safe", I)
    assert from_program(program, "unsafe", I) is None
    other_build = Program(program.pattern, program.flags, program.code, program.groups, program.groupindex, program.indexgroup, build="other")
    assert from_program(other_build, "safe", I) is None


def test_bad_patterns_still_raise_while_loading():
    with pytest.raises(re.error):
        compile_with_program("(?<=a+)b", I)  # look-behind must be fixed width
    with pytest.raises(re.error):
        LazyRegex("(unclosed").prepare()


def test_lazy_regex_pickles_without_compiling_and_compiles_from_its_program():
    lazy = LazyRegex(r"kratom\s+is\s+safe").prepare()
    copy = pickle.loads(pickle.dumps(lazy))
    assert copy._compiled is None  # nothing compiled at load
    assert copy.search("KRATOM is safe").group() == "KRATOM is safe"


# --- the rule cache ------------------------------------------------------------------------


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("HEALTHLINT_NO_RULE_CACHE", raising=False)
    return tmp_path / "healthlint"


def test_cached_builds_once_then_reads(cache_home):
    from healthlint.rulecache import cached

    calls = []

    def build():
        calls.append(1)
        return {"rules": [1, 2, 3]}

    assert cached("demo", "k" * 40, build) == {"rules": [1, 2, 3]}
    assert cached("demo", "k" * 40, build) == {"rules": [1, 2, 3]}
    assert len(calls) == 1
    assert cached("demo", "j" * 40, build) == {"rules": [1, 2, 3]}  # another key builds again
    assert len(calls) == 2


def test_a_corrupt_entry_is_rebuilt_silently(cache_home):
    from healthlint.rulecache import cached

    cached("demo", "k" * 40, lambda: 1)
    (entry,) = cache_home.glob("demo-*.pickle")
    entry.write_bytes(b"not a pickle")
    assert cached("demo", "k" * 40, lambda: 2) == 2


def test_an_unwritable_cache_is_skipped_silently(tmp_path, monkeypatch):
    from healthlint.rulecache import cached

    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert cached("demo", "k" * 40, lambda: 7) == 7


def test_the_cache_can_be_turned_off(cache_home, monkeypatch):
    from healthlint.rulecache import cached

    monkeypatch.setenv("HEALTHLINT_NO_RULE_CACHE", "1")
    assert cached("demo", "k" * 40, lambda: 1) == 1
    assert not cache_home.exists()


def test_a_changed_custom_rule_file_is_loaded_afresh(cache_home, tmp_path):
    from healthlint.ruleset import load_folder

    folder = tmp_path / "house"
    folder.mkdir()
    rule = folder / "miracle.yaml"
    text = (
        "id: miracle\nkind: phrase\nseverity: warning\nsummary: No miracles.\nmessage: 'Do not say \"{text}\".'\n"
        "patterns:\n  - regex: '\\bmiracle\\b'\n"
    )
    rule.write_text(text)
    (first,) = load_folder(folder, str(folder), "house")
    (cached_again,) = load_folder(folder, str(folder), "house")
    assert cached_again.info.summary == "No miracles." and any(cache_home.glob("rules-house-*.pickle"))
    rule.write_text(text.replace("No miracles.", "Never miracles."))
    (changed,) = load_folder(folder, str(folder), "house")
    assert changed.info.summary == "Never miracles."
    assert first.info.id == changed.info.id == "house/miracle"


def test_cached_rules_find_what_fresh_rules_find(cache_home, seed_path):
    """The built-in rules loaded from the cache (compiled from kept programs) give the same
    findings on the seed as rules loaded from the YAML."""
    from healthlint.engine import lint_source
    from healthlint.ruleset import builtin_rules_dir, load_folder
    from healthlint.source import read_source

    fresh = [r for r in load_folder(builtin_rules_dir(), "built-in") if r.info.enabled]  # builds and stores
    from_cache = [r for r in load_folder(builtin_rules_dir(), "built-in") if r.info.enabled]
    assert all(p.regex._compiled is None for r in from_cache for p in getattr(r, "patterns", []))
    source = read_source(seed_path)
    assert lint_source(source, from_cache).findings == lint_source(source, fresh).findings


def test_readability_never_imports_nltk():
    code = "import sys; from healthlint.readability import grade; grade('Kratom is a plant. It grows in Asia.'); print('nltk' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_prefilter_module_has_no_import_time_dependency_on_ahocorasick():
    # pyahocorasick loads only when a rule with patterns first checks a document.
    assert "ahocorasick" not in prefilter.__dict__


def test_the_literals_of_every_sentence_are_found_in_one_pass():
    """One pass over the whole text, never one per sentence (a long paragraph would cost its
    length once per sentence if the automaton were given bounds: pyahocorasick copies the
    string for them), and each sentence gets exactly the literals inside it."""
    pf = Prefilter([requirement(r"generally\s+safe", I)])
    seen: list[tuple[int, tuple]] = []

    class Spy:
        def __init__(self, automaton):
            self.automaton = automaton

        def iter(self, text, *bounds):
            seen.append((len(text), bounds))
            return self.automaton.iter(text, *bounds)

    pf._literals = Spy(pf._literals)
    sentence = "Kratom is generally safe. "
    text = sentence * 199 + "Kratom is generally fine. "
    spans = [(i * len(sentence), (i + 1) * len(sentence) - 1) for i in range(200)]
    assert pf.candidates(text, spans) == [(0,)] * 199 + [()]
    assert seen == [(len(text), ())]


def test_literals_by_span_counts_only_what_lies_wholly_inside_a_span():
    automaton = prefilter._automaton(["safe", "is safe", "kratom"])
    text = "kratom is safe|is safe|kratom"
    spans = [(0, 12), (15, 22), (23, 29)]  # "kratom is sa", "is safe", "kratom"
    assert prefilter.literals_by_span(automaton, text, spans) == [frozenset({"kratom"}), frozenset({"safe", "is safe"}), frozenset({"kratom"})]
    assert prefilter.literals_by_span(automaton, "nothing here", [(0, 7), (8, 12)]) == [None, None]


# --- where a match can begin ---------------------------------------------------------------


def test_match_starts_of_a_plain_word_is_the_word():
    assert prefilter.match_starts(r"(?<!not )cure[sd]?", I) == {"cure"}


def test_match_starts_takes_either_side_of_an_optional_part():
    assert prefilter.match_starts(r"(?:very\s+)?safe", I) == {f"very{SPACE}", "safe"}


def test_match_starts_skips_zero_width_boundaries_and_folds_case():
    assert prefilter.match_starts(r"(?:(?<![\w-])|(?!\w))(?:Highly\s+)?EFFECTIVE", I) == {"highly", "effect"}


def test_match_starts_unknown_when_a_match_could_begin_anywhere_or_be_empty():
    assert prefilter.match_starts(r"\w+safe", I) is None
    assert prefilter.match_starts(r"x*", I) is None
    assert prefilter.match_starts(r"(?:a|b)+c", I) == {"a", "b"}


def test_finditer_at_finds_what_finditer_finds_given_the_offsets():
    regex = LazyRegex(r"(?<!not )safe(?:ly)?")
    text = "Safe, not safe, safely and unsafe."
    offsets = prefilter.StartScanner({"safe"}).offsets(fold(text))
    assert offsets == [0, 10, 16, 29]
    found = [(m.start(), m.end()) for m in regex.finditer_at(text, offsets)]
    assert found == [(m.start(), m.end()) for m in regex.finditer(text)] == [(0, 4), (16, 22), (29, 33)]


def test_match_starts_never_hides_a_match(ruleset):
    """Soundness on real text: for every built-in pattern and every sentence of the rule examples
    and the labeled corpus, trying only the offsets where a beginning occurs finds exactly the
    matches a full search finds."""
    import yaml

    from conftest import REPO
    from healthlint.sentences import split_sentences

    texts = [e.text for r in ruleset.rules for e in r.info.flag_examples + r.info.pass_examples]
    for path in sorted((REPO / "tests" / "corpus").glob("*.yaml")):
        texts += [str(item["text"]) for item in yaml.safe_load(path.read_text(encoding="utf-8"))]
    texts.append("Kratom is generally \u017fafe. KRATOM CURES pain. \u041a\u0440\u0430\u0442\u043e\u043c is SAFE.")
    sentences = [s.text for text in texts for s in split_sentences(text)]
    compared = matched = 0
    # Claim patterns, and the plain-language terms (tried the same way, in whole blocks).
    regexes = [(rule, pattern.name, pattern.regex) for rule in ruleset.rules for pattern in getattr(rule, "patterns", ())]
    regexes += [(rule, "terms", rule.regex) for rule in ruleset.rules if getattr(rule, "swaps", None)]
    assert any(name == "terms" for _, name, _ in regexes)
    for rule, name, regex in regexes:
        starts = prefilter.match_starts(regex.pattern, regex.flags)
        if not starts:
            continue
        scanner = prefilter.StartScanner(starts)
        for sentence in sentences:
            folded = fold(sentence)
            if len(folded) != len(sentence):
                continue
            full = [m.span() for m in regex.finditer(sentence)]
            assert [m.span() for m in regex.finditer_at(sentence, scanner.offsets(folded))] == full, (rule.info.id, name, sentence)
            compared += 1
            matched += bool(full)
    assert compared > 100_000 and matched > 1000


def test_a_shared_literal_index_gives_each_rule_its_own_candidates(ruleset):
    """The claim rules' literals found together (engine.literal_index) must let each rule judge
    exactly the candidates its own two passes would give, sentence by sentence."""
    from healthlint.engine import literal_index
    from healthlint.sentences import split_sentences

    rules = [r for r in ruleset.rules if getattr(r, "patterns", None)]
    index = literal_index(rules)
    assert index is not None and all(index.covers(r.prefilter) for r in rules)
    texts = [e.text for r in ruleset.rules for e in r.info.flag_examples + r.info.pass_examples]
    compared = differing = 0
    for text in texts:
        folded = fold(text)
        if len(folded) != len(text):
            continue
        spans = [(s.start, s.end) for s in split_sentences(text)]
        present = index.present(folded, spans)
        for rule in rules:
            own = rule.prefilter.folded_candidates(folded, spans)
            assert [rule.prefilter.judge(p) for p in present] == own, (rule.info.id, text)
            slot = index.slot(rule.prefilter)
            assert [index.judge_all(p)[slot] for p in present] == own, (rule.info.id, text)  # all rules judged at once
            compared += len(spans)
            differing += sum(c != rule.prefilter.always for c in own)
    assert compared > 3000 and differing > 500  # rules really had candidates to agree on


def test_a_literal_index_covers_only_the_prefilters_it_was_built_from():
    one, other = Prefilter([requirement(r"safe", I)]), Prefilter([requirement(r"cure", I)])
    index = prefilter.LiteralIndex([one])
    assert index.covers(one) and not index.covers(other)
    assert index.present("it is safe. it cures.", [(0, 11), (12, 21)]) == [frozenset({"safe"}), None]


def test_judge_all_gives_each_member_what_its_own_judge_gives():
    safety = Prefilter([requirement(r"is\s+safe", I), requirement(r"gentle", I), None])
    cures = Prefilter([requirement(r"cures?\s+cancer", I)])
    index = prefilter.LiteralIndex([safety, cures])
    assert (index.slot(safety), index.slot(cures)) == (0, 1)
    sets = [None, frozenset({"safe"}), frozenset({"safe", "is"}), frozenset({"gentle", "cure", "cancer"}), frozenset({"cure"}), frozenset({"unrelated"})]
    for _ in range(2):  # the second time from what the index remembered
        for present in sets:
            assert index.judge_all(present) == (safety.judge(present), cures.judge(present)), present
    assert index.judge_all(frozenset({"safe", "is", "cure", "cancer"})) == ((0, 2), (0,))
    assert index.judge_all(frozenset({"gentle"})) == ((1, 2), ())  # (2: a pattern with no literals runs everywhere)


def test_cached_patterns_leave_their_literals_out_and_work_them_out_again(ruleset):
    """A claim pattern's needs are kept with the cached rules only inside the rule's prefilter;
    a pattern loaded from the cache works them out again, the same, if something asks."""
    rule = next(r for r in ruleset.rules if r.info.id == "opioid-substitution")
    pattern = next(p for p in rule.patterns if p.needs is not None)
    assert "needs" not in pattern.__getstate__()
    loaded = pickle.loads(pickle.dumps(pattern))
    assert "needs" not in vars(loaded)
    assert loaded.needs == pattern.needs
    # The rule's own prefilter is kept whole, so it judges a sentence as before.
    again = pickle.loads(pickle.dumps(rule))
    text = "Switch to kratom and stop taking your oxycodone."
    assert again.prefilter.candidates(text, [(0, len(text))]) == rule.prefilter.candidates(text, [(0, len(text))])
    assert again.prefilter.candidates(text, [(0, len(text))])[0]  # some pattern is a candidate there


def test_a_clause_another_implies_is_dropped_and_nothing_else():
    """ "o(?:n|ver) to" once needed "n" or "ver" as well as "on" or "over": met wherever the
    second is, and "n" turned up in nearly every sentence. The same requirement, fewer literals."""
    found = prefilter._without_implied(clauses(requirement(r"(?:across\s+to|o(?:n(?:\s+to|to)|ver\s+to)|straight\s+onto)", re.I)))
    assert set(found) == {frozenset({"onto", "to"}), frozenset({"on", "onto", "over", "across"})}
    # Two clauses that imply each other: one of them stays.
    assert prefilter._without_implied((frozenset({"ab", "b"}), frozenset({"b"}))) in ((frozenset({"b"}),), (frozenset({"ab", "b"}),))
    # Neither implies the other: both stay.
    both = (frozenset({"safe"}), frozenset({"liver", "kidney"}))
    assert prefilter._without_implied(both) == both


def test_judging_a_span_without_any_trigger_gives_the_patterns_that_need_nothing():
    pf = Prefilter([requirement(r"kratom is safe", re.I), None, requirement(r"no side effects", re.I)])
    assert pf.judge(frozenset({"unrelated"})) == (1,)
    assert pf.judge(None) == (1,)
    assert pf.judge(pf.literals) == (0, 1, 2)


def test_starts_index_gives_each_wanted_pattern_the_offsets_its_own_scan_gives():
    """Patterns with short beginnings have a pass each, the others share the index's one pass;
    either way each pattern gets what a scan of its own finds, whatever other patterns are
    wanted with it and in whatever text the same set was asked of before."""
    import pickle

    starts = [frozenset({"is", "safe"}), frozenset({"safe", "gentle"}), None, frozenset({"no", "zero"}), frozenset({"natural"}), frozenset({"a"})]
    index = prefilter.StartsIndex(starts)
    texts = ["kratom is safe and natural.", "no, zero risk: a gentle, safe herb is natural.", "nothing here", ""]
    wanted_sets = [(0,), (1, 4), (0, 3, 5), (0, 1, 2, 3, 4, 5), (2,), frozenset({3, 4}), {1, 5}]
    for _ in range(2):  # the second round asks with plans already made
        for wanted in wanted_sets:
            for text in texts:
                expected = {}
                for i in sorted(wanted):
                    if starts[i]:
                        found = prefilter.StartScanner(starts[i]).offsets(text)
                        if found:
                            expected[i] = found
                assert index.offsets(text, wanted) == expected, (wanted, text)
    assert index.offsets("kratom is safe", ()) == {}
    restored = pickle.loads(pickle.dumps(index))
    assert restored._plans == {}  # what a run learnt is not kept with the cached rules
    assert restored.offsets("a safe tea", (0, 5)) == {0: [2], 5: [0, 3, 9]}
