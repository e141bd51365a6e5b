"""The engine's reading of context, which every rule shares: negation and its reach, hedges,
citations, questions, embedded questions and purposes, reported and debunked claims; and the
cue records of data/context.yaml that say so (direction, scope, terminators, pseudo cues)."""

from __future__ import annotations

import dataclasses
import re
import textwrap
from functools import lru_cache
from importlib import resources

import pytest

import healthlint.context as context_module
from healthlint.context import SentenceView, cues, load_cues
from healthlint.lexicon import compile_words
from healthlint.parse.blocks import BlockKind, ProseBlock
from healthlint.sentences import split_sentences
from healthlint.yamlfile import DataError, load_yaml


def context_of(text: str, phrase: str) -> set[str]:
    """Context flags of the first occurrence of ``phrase`` in ``text``."""
    block = ProseBlock(BlockKind.PARAGRAPH, text, list(range(len(text))))
    sentences = split_sentences(text)
    at = text.index(phrase)
    for i, s in enumerate(sentences):
        if s.start <= at < s.end:
            return SentenceView(block, sentences, i).context(at - s.start, at - s.start + len(phrase)).active()
    raise AssertionError("phrase not in any sentence")


@pytest.mark.parametrize(
    "text, phrase, expected",
    [
        ("Kratom is not safe for the liver.", "safe", {"negated"}),
        ("Kratom has not been shown to be safe.", "safe", {"negated"}),
        ("There is no good evidence that kratom is safe for anyone.", "safe", {"negated"}),
        ("No dose of kratom is known to be safe.", "safe", {"negated"}),
        ("It's not without risks.", "without risks", {"negated"}),
        ("Natural does not mean safe.", "safe", {"negated"}),
        ("It is not so safe after all.", "safe", {"negated"}),
        # Negation does not reach across a new clause, and pseudo-negations do not negate.
        ("It's not synthetic, so it's completely safe.", "safe", set()),
        ("Kratom is not addictive, and it is completely safe for the liver.", "safe", set()),
        ("It contains no chemicals, which means it is safe for kids.", "safe", set()),
        # "so" and a subject with its verb opens a new clause even with no comma; "not so safe" does not.
        ("It has no chemicals so it's completely safe.", "safe", set()),
        ("It is not a drug so they are safe for kids.", "safe", set()),
        ("It is not so it seems safe.", "safe", {"negated"}),  # no verb right after the subject
        ("It is not also safe.", "safe", {"negated"}),  # "also" holds no "so" of its own
        # An emoji between words ends a clause, as a full stop would.
        ("Chill without the hangover \U0001F33A way safer than wine.", "safer", set()),
        ("Chill without the hangover and way safer than wine.", "safer", {"negated"}),
        ("Kratom doesn't just ease pain, it is safe.", "safe", set()),
        ("You don't just get relief, you get safe sleep.", "safe", set()),
        ("Please don't just stop your antidepressant because a tea helped.", "stop your antidepressant", {"negated"}),
        ("Don't just quit your painkillers for kratom.", "quit your painkillers", {"negated"}),
        ("It's no surprise that kratom is safe.", "safe", set()),
        ("Big Pharma doesn't want you to know that kava is completely safe.", "completely safe", set()),
        ("The drug companies do not want the public to find out that kava is safe.", "safe", set()),
        ("I don't want you to think it is safe.", "safe", {"negated"}),
        # Hedges on the claim itself; approximators and vague attribution are not hedges.
        ("Kava may be safe for some adults.", "safe", {"hedged"}),
        ("Kratom is generally safe for the liver.", "safe", set()),
        ("Research suggests that kratom is safe.", "safe", set()),
        # Citations of every style.
        ("Kava is safe in short-term use [3].", "safe", {"cited", "cited_nearby"}),
        ("Kava is safe (Sarris et al., 2013).", "safe", {"cited", "cited_nearby"}),
        ("A 2019 Cochrane review found it is safe.", "safe", {"cited", "cited_nearby"}),
        ("Studies suggest it helps. See Smith et al. (2020).", "Studies suggest", {"cited_nearby"}),
        # The next sentence backs the claim as a pointer or by reporting evidence itself; a body
        # named there that speaks for itself does not (third corpus, held wa-010).
        ("Research has shown it eases anxiety. The World Health Organization has said it has no abuse potential.", "Research has shown", set()),
        ("Studies show it helps. The American College of Physicians recommends therapy first.", "Studies show", set()),
        ("Research has shown it eases anxiety. A 2019 trial of 80 adults found the same.", "Research has shown", {"cited_nearby"}),
        ("Research suggests it may reduce seizures. In 2018 the FDA approved Epidiolex for two rare epilepsies.", "Research suggests", {"cited_nearby"}),
        # One study, whose author the next sentence names in any way.
        ("A survey found most adults trust herbs. The Royal Pharmaceutical Society advises caution.", "A survey found", {"cited_nearby"}),
        ("Trials show a modest benefit, for example the review by Vickers and colleagues in 2018.", "Trials show", {"cited", "cited_nearby"}),
        ("Studies show it helps, as Lee et al. reported in 2021.", "Studies show", {"cited", "cited_nearby"}),
        ("Studies show it helps, says Dr Lee and colleagues at the clinic.", "Studies show", set()),  # no year: not findable
        # Questions, embedded questions and purposes.
        ("Is kratom safe?", "safe", {"question"}),
        ("Honest question, is kratom actually safe long term?", "safe", {"question"}),
        ("(Is kratom safe for the liver?)", "safe", {"question"}),  # a question in brackets of its own
        ("Why risk opioids when kratom is completely safe?", "safe", set()),
        ("Clinical trials find out if new treatments are safe and effective.", "safe", {"embedded"}),
        ("Individuals should use it under supervision, ensuring a safe and effective dosage.", "safe", {"embedded"}),
        # Reported and debunked claims.
        ("Sellers claim it is 'completely safe', but it is not.", "completely safe", {"reported"}),
        ("Kratom is marketed by some sellers as a natural alternative to opioids.", "alternative to opioids", {"reported"}),
        ("People died after being told they must come off their insulin.", "come off their insulin", {"reported"}),
        ("I was told kratom is totally safe.", "totally safe", {"reported"}),
        ('"Clinically proven" appears on a lot of labels.', "Clinically proven", {"reported"}),
    ],
)
def test_context_flags(text, phrase, expected):
    flags = context_of(text, phrase) - {"clinician"}
    assert flags == expected


def test_clinician_is_noticed():
    assert "clinician" in context_of("Ask your doctor what kinds of activity are safe for you.", "safe")



# --- debunked claims: backward cues -------------------------------------------------------------


@lru_cache(maxsize=1)
def default_rules():
    from healthlint.ruleset import load_rules

    return [r for r in load_rules().rules if r.info.enabled]


def findings(text: str) -> list[tuple[str, str]]:
    from healthlint.engine import lint_source
    from healthlint.source import from_text

    return [(f.rule, f.text) for f in lint_source(from_text(text, "t.md", True), default_rules()).findings]


@pytest.mark.parametrize(
    "text, flagged",
    [
        ("That CBD cures anxiety is a myth.", []),
        ("CBD curing anxiety has been ruled out.", []),
        # The same claims, asserted: the rule does flag them.
        ("That CBD cures anxiety is well known.", [("unhedged-efficacy-claim", "cures anxiety")]),
        ("CBD curing anxiety has been shown.", [("unhedged-efficacy-claim", "curing anxiety")]),
    ],
)
def test_a_claim_named_to_be_refuted_is_not_flagged(text, flagged):
    assert findings(text) == flagged


# One sentence per backward cue (every entry of the debunk cues is used by one: see the test after).
DEBUNKED = [
    ("That CBD cures anxiety is a myth.", "cures anxiety"),
    ("That CBD cures anxiety is just a myth.", "cures anxiety"),
    ("That CBD cures anxiety is only a myth.", "cures anxiety"),
    ("That CBD cures anxiety is simply a myth.", "cures anxiety"),
    ("That CBD cures anxiety is a common myth.", "cures anxiety"),
    ("That CBD cures anxiety is a popular myth.", "cures anxiety"),
    ("That CBD cures anxiety is a persistent myth.", "cures anxiety"),
    ("That CBD cures anxiety is a dangerous myth.", "cures anxiety"),
    ("Kratom curing pain and kava curing anxiety are myths.", "curing anxiety"),
    ("Kratom curing pain and kava curing anxiety are a myth.", "curing anxiety"),
    ("That kratom cures pain is a misconception.", "cures pain"),
    ("That kratom cures pain is a common misconception.", "cures pain"),
    ("Kratom cures pain, which is false.", "cures pain"),
    ("Kratom cures pain and anxiety, which are false.", "cures pain"),
    ("That kratom cures pain is simply false.", "cures pain"),
    ("That kratom cures pain is untrue.", "cures pain"),
    ("Kratom curing pain and kava curing anxiety are untrue.", "curing anxiety"),
    ("That kratom cures pain is not true.", "cures pain"),
    ("Kratom curing pain and kava curing anxiety are not true.", "curing anxiety"),
    ("That kratom cures pain is simply not true.", "cures pain"),
    ("That kratom cures pain isn’t true.", "cures pain"),
    ("Kratom curing pain and kava curing anxiety aren't true.", "curing anxiety"),
    ("That kratom cures pain has been debunked.", "cures pain"),
    ("Kratom curing pain and anxiety have been debunked.", "curing pain"),
    ("That kratom cures pain was debunked in 2020.", "cures pain"),
    ("Kratom cures pain and anxiety were debunked.", "cures pain"),
    ("That kratom cures pain has been disproven.", "cures pain"),
    ("Kratom cures pain and anxiety have been disproven.", "cures pain"),
    ("That kratom cures pain was disproven.", "cures pain"),
    ("That kratom cures pain has been disproved.", "cures pain"),
    ("Kratom cures pain and anxiety have been disproved.", "cures pain"),
    ("That kratom cures pain was disproved.", "cures pain"),
    ("That kratom cures pain has been refuted.", "cures pain"),
    ("Kratom cures pain and anxiety have been refuted.", "cures pain"),
    ("That kratom cures pain was refuted.", "cures pain"),
    ("That kratom cures pain is unfounded.", "cures pain"),
    ("Kratom cures pain and anxiety are unfounded.", "cures pain"),
    ("That kratom cures pain is baseless.", "cures pain"),
    ("Kratom cures pain and anxiety are baseless.", "cures pain"),
    ("Kratom cures pain, which has no basis in fact.", "cures pain"),
    ("Kratom cures pain, which has no scientific basis.", "cures pain"),
    ("That kratom cures pain is not supported by evidence.", "cures pain"),
    ("Kratom cures pain, which isn't backed by any good evidence.", "cures pain"),
    ("CBD curing anxiety has been ruled out.", "curing anxiety"),
    ("Kratom curing pain and anxiety have been ruled out.", "curing pain"),
    ("Kratom curing pain was ruled out.", "curing pain"),
    ("Kratom curing pain and anxiety were ruled out.", "curing pain"),
    # Verdicts on "this" or "that", opening the next sentence or later in the clause.
    ("Kratom cures pain. That is a myth.", "cures pain"),
    ("Kratom cures pain. That's just a myth.", "cures pain"),
    ("Kratom cures pain. This is simply not true.", "cures pain"),
    ("Kratom cures pain. That isn't the case.", "cures pain"),
    ("Kratom cures pain. None of this is true.", "cures pain"),
    ("Kratom cures pain. These claims are unfounded.", "cures pain"),
    ("Kratom cures pain. Don't believe it.", "cures pain"),
    ("Kratom cures pain. The evidence says otherwise.", "cures pain"),
    ("Kratom cures pain. Nothing could be further from the truth.", "cures pain"),
]


@pytest.mark.parametrize("text, phrase", DEBUNKED)
def test_a_backward_cue_marks_the_claim_before_it_reported(text, phrase, monkeypatch):
    assert context_of(text, phrase) == {"reported"}
    # ... and only the backward cue does: without the debunk cues, nothing clears the claim.
    loaded = cues()
    without = dataclasses.replace(loaded, records=tuple(r for r in loaded.records if r.category != "debunk"))
    monkeypatch.setattr(context_module, "cues", lambda: without)
    assert context_of(text, phrase) == set()


def test_every_backward_cue_has_a_sentence():
    backward = [r for r in cues().records if r.category == "debunk" and r.direction == "backward"]
    assert len(backward) >= 3
    data = load_yaml(str(resources.files("healthlint") / "data" / "context.yaml"))
    entries = [e for record in data["cues"] if record["category"] == "debunk" and record["direction"] == "backward" for e in record["words"]]
    for entry in entries:
        assert any(compile_words([entry]).search(text) for text, _ in DEBUNKED), f"no sentence for the backward cue {entry!r}"


@pytest.mark.parametrize(
    "text, phrase, embedded",
    [
        ("When clinical trials show that a new treatment is better, it becomes the standard.", "clinical trials show", True),
        ("Once research shows a treatment is safe, larger trials begin.", "safe", True),
        ("Until studies show it works, doctors will not prescribe it.", "works", True),
        ("If it is safe for you, your doctor will say so.", "safe", True),
        # The condition is only its own clause: after its comma, the claim is made.
        ("If used as directed, kratom is completely safe.", "safe", False),
        ("When it comes to your liver, kratom is completely safe.", "safe", False),
        # And only where it opens a clause.
        ("Kratom is completely safe when used as directed.", "safe", False),
    ],
)
def test_a_condition_embeds_the_claims_in_its_own_clause(text, phrase, embedded):
    assert ("embedded" in context_of(text, phrase)) is embedded


@pytest.mark.parametrize(
    "text, phrase, reported",
    [
        ("Myth: natural remedies are always safe.", "safe", True),
        ("Myth #3: CBD cures anxiety.", "cures anxiety", True),
        ("MYTH — kava is completely safe.", "safe", True),
        ("The myth: kratom is safe.", "safe", True),
        # Only as a label opening the sentence, and only over its own sentence.
        ("Kratom is safe, myth: it is addictive.", "safe", False),
        ("Myth: kratom is addictive. In fact, kratom is completely safe.", "safe", False),
    ],
)
def test_a_myth_label_marks_the_sentence_after_it_reported(text, phrase, reported):
    at = text.rindex(phrase) if phrase == "safe" else text.index(phrase)
    block = ProseBlock(BlockKind.PARAGRAPH, text, list(range(len(text))))
    sentences = split_sentences(text)
    i = next(i for i, s in enumerate(sentences) if s.start <= at < s.end)
    start = at - sentences[i].start
    flags = SentenceView(block, sentences, i).context(start, start + len(phrase)).active()
    assert ("reported" in flags) is reported


@pytest.mark.parametrize(
    "text",
    [
        'One advert promises that kratom is completely safe. In fact, it can damage the liver.',
        'A website promising "zero side effects" sold the capsules.',
        "The label said the tea was totally harmless. It was not.",
        "A seller told us the drops were completely safe, but they were not.",
    ],
)
def test_a_claim_an_advert_or_a_label_makes_is_reported(text):
    phrase = next(p for p in ("zero side effects", "totally harmless", "completely safe") if p in text)
    assert "reported" in context_of(text, phrase)


@pytest.mark.parametrize(
    "text",
    ["Kratom is a promising treatment that is completely safe.", "The label is clear: the tea is totally harmless."],
)
def test_a_promising_treatment_and_a_label_alone_do_not_report(text):
    phrase = next(p for p in ("totally harmless", "completely safe") if p in text)
    assert "reported" not in context_of(text, phrase)


@pytest.mark.parametrize(
    "cleared, kept",
    [
        # A verdict does not reach across a clause boundary or a contrast ...
        ("Kratom cures pain, which is a myth.", "Kratom cures pain; the myth is that it is addictive."),
        ("Kratom cures pain, which is a myth.", "Kratom cures pain; which is a myth."),
        ("Kratom cures pain, which is a myth.", "Kratom cures pain, but that is a myth."),
        ("Kratom cures pain, which is a myth.", "Kratom cures pain \u2014 which is a myth."),
        ("Kratom cures pain, which is a myth.", "Kratom cures pain (which is a myth)."),
        ("Kratom cures pain. That is a myth.", "Kratom cures pain. Some say that is a myth."),
        ("Kratom cures pain. That is a myth.", "Kratom cures pain. It's a myth that it is addictive."),
        ("Kratom cures pain. This is not true.", "Kratom cures pain. This is not true of kava."),
        ("Kratom cures pain. This is false.", "Kratom cures pain, but this is false."),
        # ... nor past what it is about: a proposition or a clause of its own.
        ("Kratom is completely safe, which is a myth.", "Kratom is completely safe, and the claim that it is addictive is a myth."),
        ("Kratom is safe, which is unfounded.", "Kratom is safe and fears that it is addictive are unfounded."),
        ("Kratom is safe, which is unfounded.", "Kratom is safe and the risks are unfounded."),
        ("Kratom is safe, addiction is a myth.", "Kratom is safe, and addiction is a myth."),
        ("Kava is safe, which has been disproven.", "Kava is safe once liver damage has been disproven."),
        ("Kava is safe, which has been disproven.", "Kava is safe because the risk has been disproven."),
        ("Kava being safe has been ruled out.", "Kava is safe and liver damage has been ruled out."),
        # Verdicts that open a claim of their own, or are about something else.
        ("Kratom is safe and it is false.", "Kratom is safe and it is false that it is addictive."),
        ("Kratom is completely safe, which is not true.", "Kratom is completely safe, which is not true of opioids."),
        ("Kratom is completely safe, which was ruled out.", "Kratom is completely safe, which was ruled out as a cause."),
        # "There is no evidence for this" is a forward negation, not a verdict on what came before.
        ("Kratom cures pain, which is not supported by evidence.", "Kratom cures pain and there is no evidence for this."),
    ],
)
def test_a_backward_cue_stays_in_its_clause_and_on_its_claim(cleared, kept):
    phrase = "cures pain" if "cures pain" in cleared else "safe"
    assert context_of(cleared, phrase) == {"reported"}
    assert context_of(kept, phrase) == set()


@pytest.mark.parametrize(("fillers", "reported"), [(0, True), (5, True), (6, False)])
def test_a_verdict_reaches_six_words_back(fillers, reported):
    # "safe" is fillers + 1 words before "is"; the debunk scope is 6 words.
    assert ("reported" in context_of("That it is safe " + "w " * fillers + "is a myth.", "safe")) is reported


@pytest.mark.parametrize(("fillers", "reported"), [(0, True), (2, True), (3, False)])
def test_ruled_out_reaches_only_a_claim_just_before_it(fillers, reported):
    # "Kratom is completely safe and liver damage has been ruled out" is a safety claim.
    assert ("reported" in context_of("Kratom being safe " + "w " * fillers + "has been ruled out.", "safe")) is reported


# --- the cue mechanism, on a small cue set of its own -------------------------------------------

BASE = """
categories: {negation: negated, hedge: hedged, debunk: reported, reported: reported, embedded: embedded,
             citation: cited, contrast: null, reporting-verb: null, helper: null, pseudo: null, terminator: null}
cited_nearby: {following_sentences: 1}
questions: {openers: [is], rhetorical: [why]}
cues:
  - {name: citations, category: citation, direction: both, scope: sentence, patterns: ['\\[\\d+\\]']}
  - {name: named-sources, category: citation, direction: both, scope: sentence, patterns: ['NoSuchSource']}
  - {name: stop, category: terminator, direction: terminate, patterns: [';']}
"""


def cue_set(records: str):
    return load_cues(load_yaml("test.yaml", BASE + textwrap.indent(textwrap.dedent(records), "  ")), "test.yaml")


@pytest.fixture
def use_cues(monkeypatch):
    def install(records: str) -> None:
        loaded = cue_set(records)
        monkeypatch.setattr(context_module, "cues", lambda: loaded)

    return install


def test_forward_backward_and_both_reach_their_own_side_within_their_scope(use_cues):
    use_cues(
        """
        - {name: fwd, category: negation, direction: forward, scope: 2, words: [fwd]}
        - {name: bwd, category: debunk, direction: backward, scope: 2, words: [bwd]}
        - {name: two, category: hedge, direction: both, scope: 2, words: [two]}
        """
    )
    assert context_of("fwd x CLAIM.", "CLAIM") == {"negated"}
    assert context_of("fwd x x CLAIM.", "CLAIM") == set()
    assert context_of("CLAIM fwd.", "CLAIM") == set()
    assert context_of("CLAIM x bwd.", "CLAIM") == {"reported"}
    assert context_of("CLAIM x x bwd.", "CLAIM") == set()
    assert context_of("bwd CLAIM.", "CLAIM") == set()
    assert context_of("two x CLAIM.", "CLAIM") == context_of("CLAIM x two.", "CLAIM") == {"hedged"}
    assert context_of("CLAIM two CLAIM.", "CLAIM two CLAIM") == {"hedged"}  # on the claim
    assert context_of("two x x CLAIM x x two.", "CLAIM") == set()


def test_a_scope_of_a_clause_stops_at_terminators_and_a_sentence_does_not(use_cues):
    use_cues(
        """
        - {name: clause, category: negation, direction: forward, scope: clause, words: [clause]}
        - {name: whole, category: debunk, direction: backward, scope: sentence, words: [whole]}
        """
    )
    assert context_of("clause " + "x " * 50 + "CLAIM.", "CLAIM") == {"negated"}
    assert context_of("clause x; CLAIM.", "CLAIM") == set()
    assert context_of("CLAIM; " + "x " * 50 + "whole.", "CLAIM") == {"reported"}
    assert context_of("CLAIM. Whole x.", "CLAIM") == set()  # the next sentence is not this one


def test_a_terminator_with_ends_ends_only_those_categories(use_cues):
    use_cues(
        """
        - {name: fwd, category: negation, direction: forward, scope: 8, words: [fwd]}
        - {name: may, category: hedge, direction: forward, scope: 8, words: [may]}
        - {name: only-negation, category: terminator, direction: terminate, ends: [negation], words: [stop]}
        """
    )
    assert context_of("fwd may stop CLAIM.", "CLAIM") == {"hedged"}
    assert context_of("fwd may CLAIM.", "CLAIM") == {"negated", "hedged"}


def test_a_terminator_with_boundary_last_opens_the_clause_at_its_last_word(use_cues):
    use_cues(
        """
        - {name: may, category: hedge, direction: forward, scope: 8, words: [may]}
        - {name: aside, category: terminator, direction: terminate, boundary: last, patterns: [',\\s*which\\s[^,]*,']}
        """
    )
    assert context_of("X, which may vary, CLAIM.", "CLAIM") == set()  # the hedge stays in the aside
    assert context_of("X, which may CLAIM, is sold.", "CLAIM") == {"hedged"}  # a claim in the aside keeps it
    assert context_of("X, which is rare, may CLAIM.", "CLAIM") == {"hedged"}  # the main clause's own hedge


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Kratom, which may help some people, is completely safe.", [("unhedged-safety-claim", "is completely safe")]),
        ("CBD, which does not cause a high, has no known side effects.", [("unhedged-safety-claim", "has no known side effects")]),
        ("Our tea, which may taste bitter, cures insomnia.", [("unhedged-efficacy-claim", "cures insomnia")]),
        ("Kratom, which may be safe for some adults, is sold online.", []),
        ("Kava, which is not safe, is sold online.", []),
    ],
)
def test_a_hedge_or_negation_in_an_aside_stays_in_the_aside(text, flagged):
    assert findings(text) == flagged


def test_a_pseudo_cue_masks_the_categories_it_names_where_it_overlaps(use_cues):
    use_cues(
        """
        - {name: fwd, category: negation, direction: forward, scope: 8, words: [not]}
        - {name: may, category: hedge, direction: forward, scope: 8, words: [not]}
        - {name: not-only, category: pseudo, direction: pseudo, masks: [negation], words: [not only]}
        """
    )
    assert context_of("not only CLAIM.", "CLAIM") == {"hedged"}
    assert context_of("not CLAIM.", "CLAIM") == {"negated", "hedged"}


def test_at_clause_start_reached_by_and_with(use_cues):
    use_cues(
        """
        - {name: cond, category: embedded, direction: forward, scope: 8, at: clause-start, words: [if]}
        - {name: whether, category: embedded, direction: forward, scope: 8, reached_by: helper, words: [whether]}
        - {name: ask, category: helper, direction: forward, scope: 2, words: [ask]}
        - {name: they, category: reported, direction: forward, scope: clause, with: contrast, words: [they]}
        - {name: but, category: contrast, direction: backward, scope: sentence, from_next_sentence: true, words: [but]}
        """
    )
    assert context_of("If CLAIM.", "CLAIM") == context_of("x, if CLAIM.", "CLAIM") == {"embedded"}
    assert context_of("x if CLAIM.", "CLAIM") == set()
    assert context_of("ask x whether CLAIM.", "CLAIM") == {"embedded"}
    assert context_of("ask x x whether CLAIM.", "CLAIM") == set()
    assert context_of("they CLAIM but x.", "CLAIM") == {"reported"}
    assert context_of("they CLAIM. But x.", "CLAIM") == {"reported"}
    assert context_of("they CLAIM. X but.", "CLAIM") == set()
    assert context_of("they CLAIM x.", "CLAIM") == set()


def test_undone_by_cancels_a_cue_when_its_category_reaches_the_claim_too(use_cues):
    use_cues(
        """
        - {name: may, category: hedge, direction: forward, scope: 4, undone_by: helper, words: [may]}
        - {name: even, category: helper, direction: backward, scope: clause, words: [even]}
        """
    )
    assert context_of("may CLAIM.", "CLAIM") == {"hedged"}
    assert context_of("may CLAIM x even.", "CLAIM") == set()
    assert context_of("even may CLAIM.", "CLAIM") == {"hedged"}  # a booster before the claim does not reach it
    assert context_of("may CLAIM; even.", "CLAIM") == {"hedged"}  # nor one in the next clause


@pytest.mark.parametrize(
    "text, hedged",
    [
        ("Kratom may be safe for the liver.", True),
        ("Kratom may be safe for the liver, even at higher doses.", False),
        ("It might be safe even for older adults.", False),
        ("It may be safe to use even during pregnancy.", False),
        ("It may be safe, no matter how much you take.", False),
        # The booster belongs to another clause, or says something else.
        ("Kava may be safe for most adults, but even at low doses it can harm the liver.", True),
        ("It may be safe; even so, ask your pharmacist.", True),
        ("CBD may be safe for adults, even if research is thin.", True),
    ],
)
def test_a_booster_after_a_hedged_claim_undoes_the_hedge(text, hedged):
    assert ("hedged" in context_of(text, "safe")) is hedged


@pytest.mark.parametrize(
    "record, message",
    [
        ("{name: a, category: negation, direction: forwards, scope: 2, words: [x]}", "'direction' must be one of forward, backward, both"),
        ("{name: a, category: negaton, direction: forward, scope: 2, words: [x]}", "unknown category 'negaton'; did you mean 'negation'?"),
        ("{name: a, category: negation, direction: forward, scop: 2, words: [x]}", "unknown key 'scop'; did you mean 'scope'?"),
        ("{name: a, category: negation, direction: forward, words: [x]}", "a forward cue needs 'scope'"),
        ("{name: a, category: terminator, direction: terminate, scope: 2, words: [x]}", "a terminate cue takes no 'scope'"),
        ("{name: a, category: negation, direction: forward, scope: far, words: [x]}", "'scope' must be a number of words, 'clause' or 'sentence'"),
        ("{name: a, category: pseudo, direction: pseudo, words: [x]}", "a pseudo cue needs 'masks'"),
        ("{name: a, category: negation, direction: forward, scope: 2, words: ['re:(']}", "bad regular expression"),
        ("{name: a, category: negation, direction: forward, scope: 2}", "give either 'words'"),
        ("{name: a, category: negation, direction: forward, scope: 2, words: [x], from_next_sentence: true}", "a forward cue takes no 'from_next_sentence'"),
        ("{name: stop, category: negation, direction: forward, scope: 2, words: [x]}", "two cues are named 'stop'"),
        ("{name: a, category: negation, direction: forward, scope: 2, words: [x], boundary: last}", "a forward cue takes no 'boundary'"),
        ("{name: a, category: terminator, direction: terminate, words: [x], boundary: end}", "'boundary' can only be 'first' or 'last'"),
    ],
)
def test_a_bad_cue_record_names_the_file_the_line_and_the_mistake(record, message):
    with pytest.raises(DataError) as error:
        cue_set("- " + record)
    assert str(error.value).startswith("test.yaml:10: ")
    assert message in str(error.value)


def test_cited_nearby_pointers_must_name_a_cue():
    data = load_yaml("test.yaml", BASE.replace("{following_sentences: 1}", "{following_sentences: 1, pointers: [citation]}"))
    with pytest.raises(DataError) as error:
        load_cues(data, "test.yaml")
    assert "cited_nearby: 'pointers' names no cue 'citation'; did you mean 'citations'?" in str(error.value)


def test_without_evidence_words_any_citation_in_the_next_sentence_counts(use_cues):
    use_cues("")
    assert context_of("Studies show it helps. The body NoSuchSource says so.", "Studies show") == {"cited_nearby"}


def test_the_record_format_is_documented_where_editors_read_it():
    path = resources.files("healthlint") / "data" / "context.yaml"
    header = re.match(r"(?:#.*\n|\n)+", path.read_text(encoding="utf-8")).group()
    for key in ("direction", "scope", "words", "patterns", "masks", "ends", "boundary", "at", "reached_by", "with", "from_next_sentence"):
        assert re.search(rf"#\s+{key}:", header), key


CLEARS_TEXTS = [
    "Kratom is not safe for the liver. Kava may be safe [3]. Is kratom safe?",
    'Sellers claim it is "completely safe", but it is not. Kratom is safe. See Smith et al. (2020).',
    "Ask your doctor whether it is safe. Clinical trials find out if treatments are safe.",
]


@pytest.mark.parametrize("text", CLEARS_TEXTS)
def test_clears_answers_as_the_whole_context_does(text):
    """``clears`` stops at the first flag that holds; it must agree with ``context`` for every
    word of every sentence and every set of flags a rule may list."""
    from itertools import combinations

    block = ProseBlock(BlockKind.PARAGRAPH, text, list(range(len(text))))
    sentences = split_sentences(text)
    flags = sorted(context_module.CONTEXT_FLAGS)
    flag_sets = [frozenset(c) for n in (1, 2, 6) for c in combinations(flags, n)]
    checked = held = 0
    for i, sentence in enumerate(sentences):
        view = SentenceView(block, sentences, i)
        for m in re.finditer(r"\w+", sentence.text):
            active = view.context(*m.span()).active()
            for wanted in flag_sets:
                checked += 1
                held += bool(active & wanted)
                assert view.clears(*m.span(), wanted) == bool(active & wanted), (sentence.text, m.group(), wanted)
    assert held and held < checked  # both answers were met


def test_a_question_with_a_note_after_it_is_still_a_question():
    # (With a space, the note is a sentence of its own; without one, it is part of the question.)
    assert findings("Is kratom safe for the liver?(see below)") == []
    assert findings("Kratom is safe for the liver (see below).") == [("unhedged-safety-claim", "is safe for the liver")]


@pytest.mark.parametrize(
    "text",
    [
        "Kratom is safe for the liver (2).",
        "Kratom is safe for the liver (1,4,5).",
        "Kratom is safe for the liver (3-6), and kava too.",
        "Kratom is safe for the liver.[xi]",
        "Kratom is safe for the liver [IV].",
        "Kratom is safe for the liver (American Heart Association, 2020).",
        "Kratom is safe for the liver (World Health Organization 2019).",
        "Kratom is safe, in line with the CDC's recommendation.",
        "Kratom is safe, as recommended by the WHO.",
        "Kratom is safe, as NICE guideline NG59 sets out.",
        "Kratom is safe (NICE CG90).",
        "Kratom is safe according to SIGN 158.",
        "Kratom is safe: https://pubmed.ncbi.nlm.nih.gov/123456/",
    ],
)
def test_citations_of_every_style_are_recognised(text):
    assert "cited" in context_of(text, "safe")


@pytest.mark.parametrize(
    "text",
    [
        # Lists and step numbers are not references.
        "Ask about (1) dose, (2) timing and whether it is safe.",
        "Kratom is safe, see step (2).",
        "[I]t is safe.",
        # A shop is not a source.
        "Kratom is safe: https://shop.example.com/products/kratom",
        "Kratom is safe, buy it at https://www.amazon.com/dp/B0123 today.",
        "Kratom is safe: www.example.com/collections/kratom?ref=blog",
        "Kratom is safe. It is sold in 200 shops (2019 figures are lower).",
    ],
)
def test_lists_step_numbers_and_shop_links_are_not_citations(text):
    assert "cited" not in context_of(text, "safe")


def test_a_markdown_link_to_a_shop_is_not_a_source():
    def flagged(text: str) -> list[str]:
        return [rule for rule, _ in findings(text) if rule == "unhedged-safety-claim"]

    assert flagged("Kratom is completely safe for the liver ([source](https://pubmed.ncbi.nlm.nih.gov/123456/)).\n") == []
    assert flagged("Kratom is completely safe for the liver ([buy here](https://www.amazon.com/dp/B0123)).\n") == ["unhedged-safety-claim"]
    assert flagged("Kratom is completely safe for the liver ([our shop](https://example.com/shop/kratom)).\n") == ["unhedged-safety-claim"]


@pytest.mark.parametrize(
    "text, cited",
    [
        ("A 2021 trial of 300 adults found it lowered stress (Lopresti, 2021). The researchers also found it was safe.", True),
        ("A 2021 trial found it lowered stress [4]. In the same study, it was safe for the liver.", True),
        ("A 2021 trial found it lowered stress [4]. Its results showed it was safe.", True),
        # Not after a sentence without a source, nor two sentences on.
        ("Ashwagandha lowers stress. The researchers also found it was safe.", False),
        ("Studies show it lowers stress. The researchers also found it was safe.", False),
        ("It lowered stress [4]. Many people take it. The researchers also found it was safe.", False),
        # Only opening a clause: "the study" in passing is not a reference back.
        ("It lowered stress [4]. Kratom was safe in more people than the study drug.", False),
    ],
)
def test_a_follow_up_to_a_named_study_is_cited(text, cited):
    assert ("cited" in context_of(text, "safe")) is cited


def test_an_after_cue_is_loaded_and_checked(use_cues):
    use_cues(
        """
        - {name: followup, category: citation, direction: both, scope: sentence, after: citation, words: [they also]}
        """
    )
    assert context_of("X [1]. They also CLAIM.", "CLAIM") == {"cited", "cited_nearby"}
    assert context_of("X. They also CLAIM.", "CLAIM") == set()
    # A chain of follow-ups does not reach back: each needs a source of its own just before it.
    assert context_of("X [1]. They also Y. They also CLAIM.", "CLAIM") == set()


@pytest.mark.parametrize(
    "text, phrase, cited",
    [
        # A source named in the text backs its own clause, not a separate claim later on.
        ("A 2019 Cochrane review found kava eases anxiety, but studies show it is completely safe.", "studies show", False),
        ("According to the FDA, kratom is not approved; experts agree it is safe.", "experts agree", False),
        ("According to the FDA, kratom is not approved for any use.", "approved", True),
        # A reference in brackets backs the clause it closes, across the brackets ...
        ("Small trials suggest kava eases anxiety (Pittler and Ernst, Cochrane Database of Systematic Reviews, 2003).", "trials suggest", True),
        ("Small trials suggest kava eases anxiety (see the Cochrane review).", "trials suggest", True),
        # ... and a reference marker ("[3]", "(Smith, 2020)") the whole sentence.
        ("Kratom is safe for most adults, but liver injury is reported [3].", "safe", True),
    ],
)
def test_a_named_source_backs_its_clause_and_a_reference_marker_its_sentence(text, phrase, cited):
    assert ("cited" in context_of(text, phrase)) is cited


@pytest.mark.parametrize(
    "text, embedded",
    [
        ("The vaccine will be offered if it is shown to be safe.", True),
        ("Regulators asked for more trials to prove it was safe.", True),
        ("Many parents wait until they are convinced it is safe.", True),
        ("The jab is offered unless it is found to be unsafe for you.", True),
        # A claim before the condition is made; "as if" and "even if" set no condition.
        ("Kratom is safe if you use it as directed.", False),
        ("It works as if it is completely safe.", False),
        ("Take it even if it is not completely safe for you.", False),
    ],
)
def test_a_condition_or_a_proof_still_needed_embeds_the_claim(text, embedded):
    phrase = "unsafe" if "unsafe" in text else "safe"
    assert ("embedded" in context_of(text, phrase)) is embedded


@pytest.mark.parametrize(
    "text, embedded",
    [
        ("It is all natural, so it is safe for babies.", False),  # a result: the claim is made
        ("We boil the water so it is safe to drink.", True),  # a purpose: "so that it is"
        ("Nobody knows whether it is safe.", True),
        ("Nobody knew if it was safe.", True),
    ],
)
def test_so_after_a_comma_is_a_result_and_knowing_embeds(text, embedded):
    assert ("embedded" in context_of(text, "safe")) is embedded


@pytest.mark.parametrize(
    "text, phrase, negated",
    [
        ("\u201cI've never seen anything like it,\u201d says one physician we spoke to.", "says one physician", False),
        ('"I have never seen anything like it," says one physician we spoke to.', "says one physician", False),
        ('"It may work," says one physician we spoke to.', "says one physician", False),
        # Before the quote, or inside it, a negation still reaches.
        ('It is not "completely safe".', "completely safe", True),
        ('"It is not completely safe," she said.', "completely safe", True),
    ],
)
def test_a_negation_or_hedge_inside_a_quote_stays_inside_it(text, phrase, negated):
    flags = context_of(text, phrase)
    assert ("negated" in flags) is negated
    assert "hedged" not in flags or phrase == "completely safe"


def _corpus_sentences() -> list[str]:
    """Every sentence of the labeled corpus's passages: varied health copy with every kind of cue."""
    import yaml

    from pathlib import Path

    texts = []
    for path in sorted((Path(__file__).parent / "corpus").glob("*.yaml")):
        texts.extend(item["text"] for item in yaml.safe_load(path.read_text(encoding="utf-8")))
    return texts


def test_cues_tried_only_where_they_can_begin_find_every_match_a_full_search_finds(monkeypatch):
    # A cue's pattern runs only at the offsets where one of its beginnings occurs; that must
    # find exactly the matches (and so the token spans) that searching every position finds.
    loaded = cues()
    assert sum(loaded.starts[r.name] is not None for r in loaded.records) >= 0.75 * len(loaded.records)
    texts = _corpus_sentences() + ["It is not safe. Is it a long way from safe? There is no proof, says 'a' myth-buster."]
    records = loaded.records

    def spans(text: str) -> list[list]:
        block = ProseBlock(BlockKind.PARAGRAPH, text, list(range(len(text))))
        sentences = split_sentences(text)
        out = []
        for i in range(len(sentences)):
            view = SentenceView(block, sentences, i)
            out.append([view._found_spans(r).pairs for r in records])
        return out

    scanned = [spans(t) for t in texts]
    monkeypatch.setattr(type(loaded), "scanner", lambda self, name: None)
    searched = [spans(t) for t in texts]
    assert scanned == searched
    assert any(pairs for text in scanned for sentence in text for pairs in sentence)  # cues were found


@pytest.mark.parametrize(
    "text",
    [
        '"Our drops have zero side effects," said founder Ada Reyes.',
        '"It has zero side effects," one longtime customer told us.',
        '"I get zero side effects and I sleep all night," writes Tom, 61, from Ohio.',
        '"Our customers tell us the drops have zero side effects."',
    ],
)
def test_a_quoted_promise_in_the_sellers_own_voice_is_not_reported(text):
    # A founder's, owner's or customer's quoted promise is the page's claim, not a report of
    # someone else's: the reporting verb does not clear it.
    assert "reported" not in context_of(text, "zero side effects")


@pytest.mark.parametrize(
    "text",
    [
        '"It has zero side effects," she said.',  # a third party, quoted: reported
        '"It has zero side effects," said founder Ada Reyes, but doctors disagree.',  # a contrast still reports
        'Dispensary staff told reporters the drops had "zero side effects".',  # the phrase alone in quotes
    ],
)
def test_a_quote_from_someone_else_or_with_a_contrast_is_still_reported(text):
    assert "reported" in context_of(text, "zero side effects")


@pytest.mark.parametrize(
    "text, negated",
    [
        ("With no synthetic additives, the blend is completely safe.", False),
        ("Without a prescription, you can buy tea that is completely safe.", False),
        ("Without doubt, the tea is completely safe.", False),
        ("It comes without any proof that it is completely safe.", True),  # not an opening phrase
        ("Without medical advice, no one should assume it is completely safe.", True),  # a negation of its own
    ],
)
def test_an_opening_without_phrase_negates_only_itself(text, negated):
    assert ("negated" in context_of(text, "completely safe")) is negated


@pytest.mark.parametrize(
    "text, negated",
    [
        ("Kratom is not a controlled substance and is completely safe.", False),  # a second predicate
        ("It is not cheap and it is completely safe.", False),
        ("It is not approved and not completely safe.", True),  # the negation runs on
        ("It is not sweet and completely safe.", True),  # no second verb: one predicate
    ],
)
def test_and_opening_a_second_predicate_ends_a_negation(text, negated):
    assert ("negated" in context_of(text, "completely safe")) is negated


@pytest.mark.parametrize(
    "text, phrase, negated",
    [
        ("It has no side effects, according to our experts.", "according to our experts", False),
        ("There is no evidence, say experts, that it is completely safe.", "completely safe", True),  # an aside
        ("There is no proof that it is completely safe, according to the agency.", "completely safe", True),
    ],
)
def test_a_closing_attribution_after_a_comma_is_not_negated(text, phrase, negated):
    assert ("negated" in context_of(text, phrase)) is negated
