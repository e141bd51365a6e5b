"""The stored weights of the learned claim detector, and scoring with them (numpy only).

A weights file is a NumPy ``.npz`` archive, read with ``allow_pickle=False`` (it can hold numbers
and text only, never code):
    matrix  float16 [2**bits, rules]  one weight per feature bucket and claim rule
    bias    float32 [rules]
    meta    JSON text: rules, thresholds (None: the model never flags that rule), bits,
            feature_version, what it was trained on and its cross-validated accuracy
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from healthlint.learned.features import FEATURE_VERSION, indices, word_hash, word_spans

DEFAULT_WEIGHTS = Path(__file__).resolve().parent.parent / "data" / "claim-model.npz"
INSTALL_HINT = 'pip install "healthlint[model]"'


# Words that carry no claim themselves ("and", "that"): a claim's context is judged at a word
# that does, and a long sentence's many function words must not stand in for it.
FUNCTION_WORDS = frozenset(
    "a an the and or but so of to in on at for with by from as is are was were be been being it its this that these those "
    "there their they them you your we our i my he she his her not no can could may might will would should".split()
)


class ModelUnavailable(ValueError):
    """The model cannot run: numpy is missing, or the weights file cannot be read. The message
    says what to do, in words (the command line exits 2 with it)."""


def numpy():
    """numpy, or a ModelUnavailable that names the install command."""
    try:
        import numpy as np
    except ImportError:
        raise ModelUnavailable(f"the learned claim model (--model) needs numpy, which is not installed; install it with: {INSTALL_HINT}") from None
    return np


@dataclass
class Weights:
    rules: tuple[str, ...]
    thresholds: tuple[float | None, ...]
    bits: int
    matrix: Any  # numpy float32 [2**bits, rules]
    bias: Any  # numpy float32 [rules]
    meta: dict = field(default_factory=dict)
    path: str = ""

    def scores(self, text: str) -> list[float]:
        """The probability of each rule's claim in one sentence."""
        return self.scores_of(indices(text, self.bits))

    def scores_many(self, texts: list[str]) -> list[list[float]]:
        """scores() of many sentences in one numpy pass (a document's, in hits)."""
        if not texts:
            return []
        np = numpy()
        found = [indices(text, self.bits) for text in texts]
        counts = np.array([len(b) for b in found], dtype=np.int64)
        flat = np.fromiter((i for b in found for i in b), dtype=np.int64, count=int(counts.sum()))
        sums = np.zeros((len(texts), len(self.rules)), dtype=np.float32)
        filled = counts > 0
        if flat.size:
            starts = np.concatenate(([0], np.cumsum(counts)[:-1]))[filled]
            sums[filled] = np.add.reduceat(self.matrix[flat], starts, axis=0)
        z = self.bias + sums / np.sqrt(np.maximum(counts, 1))[:, None]
        return (1.0 / (1.0 + np.exp(-z))).tolist()

    def scores_of(self, buckets: list[int]) -> list[float]:
        np = numpy()
        z = self.bias.copy()
        if buckets:
            z = z + self.matrix[buckets].sum(axis=0) / math.sqrt(len(buckets))
        return (1.0 / (1.0 + np.exp(-z))).tolist()

    def strongest_word(self, text: str, rule: int) -> tuple[int, int] | None:
        """The word of ``text`` whose own feature most favours the rule's claim: where the
        finding's context is judged (a negation or hedge reaches it as it would a pattern's
        claim words). None for a sentence without words."""
        spans = [span for span in word_spans(text) if span[2] not in FUNCTION_WORDS] or word_spans(text)
        if not spans:
            return None
        best = max(spans, key=lambda span: float(self.matrix[word_hash(span[2], self.bits), rule]))
        return best[0], best[1]


def load_weights(path: Path | str | None = None) -> Weights:
    """The weights in ``path`` (default: the ones healthlint ships)."""
    np = numpy()
    path = Path(path) if path else DEFAULT_WEIGHTS
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            matrix = data["matrix"].astype(np.float32)
            bias = data["bias"].astype(np.float32)
    except FileNotFoundError:
        raise ModelUnavailable(f"{path}: the model's weights file was not found") from None
    except (OSError, ValueError, KeyError, json.JSONDecodeError) as exc:
        raise ModelUnavailable(f"{path}: not a healthlint model weights file ({type(exc).__name__}: {exc}); make one with `healthlint train`") from None
    rules = tuple(meta.get("rules", ()))
    bits = int(meta.get("bits", 0))
    if meta.get("feature_version") != FEATURE_VERSION or matrix.shape != (1 << bits, len(rules)) or bias.shape != (len(rules),):
        raise ModelUnavailable(f"{path}: these weights were made by another version of healthlint's model; retrain with `healthlint train`")
    thresholds = tuple(None if t is None else float(t) for t in meta.get("thresholds", [None] * len(rules)))
    return Weights(rules, thresholds, bits, matrix, bias, meta, str(path))


def save_weights(path: Path, rules: tuple[str, ...], thresholds: list[float | None], bits: int, matrix, bias, meta: dict) -> None:
    """Write a weights file (float16 weights, compressed: a few MB at most)."""
    np = numpy()
    info = {**meta, "rules": list(rules), "thresholds": thresholds, "bits": bits, "feature_version": FEATURE_VERSION}
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez_compressed(tmp, matrix=np.asarray(matrix, dtype=np.float16), bias=np.asarray(bias, dtype=np.float32), meta=np.array(json.dumps(info, sort_keys=True)))
    tmp.replace(path)
