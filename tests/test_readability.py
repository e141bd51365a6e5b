"""Readability: scores that match textstat, sections, audiences, long sentences, plain words."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import run

from healthlint.document import AnalyzedDocument
from healthlint.engine import lint_text
from healthlint.parse.prose import prose_text
from healthlint.parse import parse
from healthlint.readability import METRICS, document_readability, textstat
from healthlint.source import from_text

ARTICLE_MD = """\
---
title: Sleep
---
# Sleep and your health

Most adults need seven to nine hours of sleep a night. Children need more.
Poor sleep raises the risk of accidents, and over time it is linked to heart disease.

## When to get help

Talk to your doctor if you snore loudly, stop breathing in your sleep, or feel tired all day.
Pharmacological interventions necessitate individualized consideration of comorbidities.
Bring a list of your medicines to the visit.

```
code blocks are not prose
```
"""


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return run(*args, cwd=Path.cwd(), stdin=stdin)


def test_json_values_match_textstat_on_the_same_prose(tmp_path):
    path = tmp_path / "sleep.md"
    path.write_text(ARTICLE_MD, encoding="utf-8")
    proc = _cli("readability", "--format", "json", str(path))
    assert proc.returncode == 0, proc.stderr
    (report,) = json.loads(proc.stdout)
    doc = parse(from_text(ARTICLE_MD, "sleep.md"))
    prose = prose_text(doc.blocks)
    assert "code blocks" not in prose and "title:" not in prose and "Sleep and your health" not in prose
    ts = textstat()
    for key, _, function, _ in METRICS:
        assert report[key] == round(getattr(ts, function)(prose), 2), key
    assert report["words"] == ts.lexicon_count(prose)
    assert report["sentences"] == ts.sentence_count(prose)
    assert report["words_per_sentence"] == round(ts.words_per_sentence(prose), 2)
    assert report["long_word_share"] == round(ts.polysyllabcount(prose) / ts.lexicon_count(prose), 4)


def test_sections_follow_markdown_headings_with_their_lines(tmp_path):
    path = tmp_path / "sleep.md"
    path.write_text(ARTICLE_MD, encoding="utf-8")
    (report,) = json.loads(_cli("readability", "--format", "json", str(path)).stdout)
    # The front matter title is the page's heading: a section of its own, here with no prose.
    assert [(s["heading"], s["line"]) for s in report["sections"]] == [("Sleep", 2), ("Sleep and your health", 4), ("When to get help", 9)]
    second = report["sections"][2]
    prose = (
        "Talk to your doctor if you snore loudly, stop breathing in your sleep, or feel tired all day.\n"
        "Pharmacological interventions necessitate individualized consideration of comorbidities.\n"
        "Bring a list of your medicines to the visit."
    )
    assert second["words"] == 34 and second["result"] == "above target"  # 30 words or more: scored
    assert second["flesch_kincaid_grade"] == round(textstat().flesch_kincaid_grade(prose), 2)


def test_table_on_the_seed_article_has_every_metric(seed_path):
    proc = _cli("readability", str(seed_path))
    assert proc.returncode == 0
    header = proc.stdout.splitlines()[1].split()
    assert header[:7] == ["section", "FK", "SMOG", "Fog", "CLI", "Ease", "D-C"]
    doc = AnalyzedDocument(parse(from_text(seed_path.read_text(encoding="utf-8"), str(seed_path))))
    whole = document_readability(doc).measures
    row = next(line for line in proc.stdout.splitlines() if line.startswith("whole document")).split()
    assert float(row[2]) == round(whole.values["flesch_kincaid_grade"], 1)
    assert whole.values["flesch_kincaid_grade"] > 14  # the seed is far from patient-friendly


def test_readability_of_a_missing_file_is_a_usage_error(tmp_path):
    proc = _cli("readability", str(tmp_path / "nope.md"))
    assert proc.returncode == 2 and "no such file" in proc.stderr and "Traceback" not in proc.stderr


def _reading_level(text: str, audience: str = "patient") -> list:
    from healthlint.filters import with_audience
    from healthlint.ruleset import load_rules

    rule = with_audience(load_rules().get("reading-level"), audience)
    return lint_text(text, [rule])


HARD = (
    "Pharmacokinetic considerations regarding hepatic metabolism necessitate individualized therapeutic "
    "monitoring among patients demonstrating compromised physiological functionality. Consequently, "
    "practitioners should systematically evaluate pharmacological interactions before initiating "
    "intervention, documenting contraindications comprehensively and communicating recommendations.\n"
    "Sleep helps your body heal. Most adults need seven to nine hours. Go to bed at the same time each "
    "night. Keep your room dark and cool. Put your phone away an hour before bed. If you still cannot "
    "sleep, talk to your doctor.\n"
)


def test_reading_level_reports_the_document_and_the_far_above_paragraph():
    findings = _reading_level(HARD)
    assert [(f.start.line, f.rule) for f in findings] == [(1, "reading-level"), (1, "reading-level")]
    assert "above the grade-8 target for patient copy" in findings[0].message
    assert "This paragraph reads at grade" in findings[1].message
    assert "words a sentence" in findings[1].message and "long words" in findings[1].message


@pytest.mark.parametrize("audience, flagged", [("patient", True), ("public", True), ("professional", False)])
def test_reading_level_target_follows_the_audience(audience, flagged):
    assert bool(_reading_level(HARD, audience)) is flagged


def test_the_reading_level_rule_aimed_at_another_audience_or_grade(ruleset):
    rule = ruleset.get("reading-level")
    assert rule.aimed_at(audience=rule.audience) is rule and rule.aimed_at() is rule  # nothing to change
    public = rule.aimed_at(audience="public")
    assert (public.audience, rule.audience) == ("public", "patient")  # a copy: the loaded rule is shared
    graded = public.aimed_at(grade=12)
    assert graded.target == 12.0 and public.target == rule.audiences["public"]
    with pytest.raises(ValueError, match="'teen' is not one of patient, public, professional"):
        rule.aimed_at(audience="teen")
    assert rule.option_choices("audience") == ("patient", "public", "professional") and rule.option_choices("min_words") is None


def test_plain_copy_passes_reading_level():
    easy = "Sleep helps your body heal. Most adults need seven to nine hours. " * 6
    assert _reading_level(easy) == []


def test_long_sentence_suggests_a_split_rewrite(ruleset):
    text = (
        "While generally safe for liver health, excessive use of the powder can cause damage, emphasizing the "
        "need for close professional supervision during kratom therapy to protect vital organs."
    )
    (finding,) = lint_text(text, [ruleset.get("long-sentence")])
    assert (finding.start.line, finding.start.column) == (1, 1)
    assert finding.suggestion == (
        'Split it: "While generally safe for liver health, excessive use of the powder can cause damage. This '
        'emphasizes the need for close professional supervision during kratom therapy to protect vital organs."'
    )


def test_sentences_at_the_limit_pass(ruleset):
    words_25 = " ".join(["word"] * 24) + " end."
    assert lint_text(words_25, [ruleset.get("long-sentence")]) == []


def test_plain_language_on_the_seed_flags_lines_8_10_14_not_11(seed_path, ruleset):
    findings = lint_text(seed_path.read_text(encoding="utf-8"), [ruleset.get("plain-language")], path="seed.txt")
    lines = {f.start.line for f in findings}
    assert {8, 10, 14} <= lines
    assert 11 not in lines  # "hepatic (liver)" is explained where it stands ...
    assert not [f for f in findings if f.text.lower() == "hepatic"]  # ... so line 14's "hepatic damage" is not flagged again
    analgesic = next(f for f in findings if f.text.lower() == "analgesic")
    assert (analgesic.start.line, analgesic.start.column) == (10, 539) and analgesic.suggestion.startswith('Use "painkiller"')


def test_plain_language_keeps_capitals_and_respects_explanations(ruleset):
    rule = ruleset.get("plain-language")
    (finding,) = lint_text("Hypertension raises your risk of stroke.", [rule])
    assert finding.suggestion.startswith('Use "High blood pressure"')
    for explained in (
        "It may cause hepatic (liver) problems.",
        "Hypertension, or high blood pressure, is common.",
        "High blood pressure (hypertension) is common.",
    ):
        assert lint_text(explained, [rule]) == [], explained


def test_a_causal_clause_splits_into_a_full_sentence():
    from healthlint.splitting import propose_split

    split = propose_split(
        "Research suggests that kratom use is generally safe for the liver, even at higher doses, as it does "
        "not induce the same level of hepatic damage seen with long-term opioid use."
    )
    assert split.second == "This is because it does not induce the same level of hepatic damage seen with long-term opioid use."


# --- targets, pass/fail and sections too short to score -----------------------------------------

SHORT_SECTIONS = "# Tips\n\nDrink water.\n\n## Sleep\n\n" + "Most adults need seven to nine hours of sleep a night, and children need more. " * 3 + "\n"


def test_json_gives_the_target_and_a_result_per_document_and_section(tmp_path):
    (tmp_path / "tips.md").write_text(SHORT_SECTIONS, encoding="utf-8")
    (report,) = json.loads(_cli("readability", "--format", "json", str(tmp_path / "tips.md")).stdout)
    assert (report["audience"], report["target_grade"], report["result"]) == ("patient", 8, "meets target")
    tips, sleep = report["sections"]
    # Two words: no scores at all (Coleman-Liau would give a nonsense -10.6), only the count.
    assert tips == {"heading": "Tips", "line": 1, "words": 2, "result": "too short to score"}
    assert sleep["result"] == "meets target" and sleep["words"] == 45 and sleep["flesch_kincaid_grade"] < 8


def test_a_hard_section_is_above_the_patient_target_and_has_none_for_professionals(tmp_path):
    path = tmp_path / "hard.md"
    path.write_text("# Dosing\n\n" + HARD, encoding="utf-8")
    (patient,) = json.loads(_cli("readability", "-f", "json", str(path)).stdout)
    (professional,) = json.loads(_cli("readability", "-f", "json", "--audience", "professional", str(path)).stdout)
    (public,) = json.loads(_cli("readability", "-f", "json", "--audience", "public", str(path)).stdout)
    assert (patient["result"], patient["sections"][0]["result"]) == ("above target", "above target")
    assert (public["target_grade"], professional["target_grade"]) == (10, None)
    assert professional["result"] == "no target"


def test_table_says_too_short_and_the_target(tmp_path):
    (tmp_path / "tips.md").write_text(SHORT_SECTIONS, encoding="utf-8")
    proc = _cli("readability", str(tmp_path / "tips.md"))
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert lines[1].split()[-1] == "result"
    tips = next(line for line in lines if "line 1: Tips" in line)
    assert tips.split()[3:] == ["-", "-", "-", "-", "-", "-", "2", "-", "-", "-", "too", "short", "to", "score"]
    assert next(line for line in lines if line.startswith("whole document")).endswith("meets target")
    assert "Target: grade 8 or below (Flesch-Kincaid) for patient copy; choose the audience with --audience." in lines
    assert "A document or section of fewer than 30 words is too short to score." in lines


@pytest.mark.parametrize("fmt, hint", [("sarif", True), ("github", True), ("xml", False)])
def test_a_format_readability_cannot_write_is_a_usage_error(tmp_path, fmt, hint):
    (tmp_path / "tips.md").write_text(SHORT_SECTIONS, encoding="utf-8")
    proc = _cli("readability", "-f", fmt, str(tmp_path / "tips.md"))
    assert proc.returncode == 2 and proc.stdout == ""
    message = f"healthlint: --format {fmt}: readability writes text or json, not {fmt}"
    if hint:
        message += f"; for findings in {fmt} format use 'healthlint check --format {fmt}'"
    assert proc.stderr == message + "\n"


def test_the_target_follows_the_configuration_unless_the_command_line_says(tmp_path):
    # As for check: --audience over the configuration's audience; grade-target sets the grade.
    (tmp_path / "hard.md").write_text("# Dosing\n\n" + HARD, encoding="utf-8")
    (tmp_path / ".healthlint.yaml").write_text("audience: public\n", encoding="utf-8")
    (configured,) = json.loads(run("readability", "-f", "json", "hard.md", cwd=tmp_path).stdout)
    assert (configured["audience"], configured["target_grade"]) == ("public", 10)
    (patient,) = json.loads(run("readability", "-f", "json", "--audience", "patient", "hard.md", cwd=tmp_path).stdout)
    assert (patient["audience"], patient["target_grade"]) == ("patient", 8)
    (tmp_path / ".healthlint.yaml").write_text("grade-target: 20\n", encoding="utf-8")
    (lenient,) = json.loads(run("readability", "-f", "json", "hard.md", cwd=tmp_path).stdout)
    assert (lenient["audience"], lenient["target_grade"], lenient["result"]) == ("patient", 20, "meets target")
    (tmp_path / ".healthlint.yaml").write_text("audience: teens\n", encoding="utf-8")
    broken = run("readability", "hard.md", cwd=tmp_path)
    assert broken.returncode == 2 and broken.stdout == "" and ".healthlint.yaml" in broken.stderr
