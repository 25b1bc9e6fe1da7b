"""Train the clause classifier with scikit-learn and export it as JSON + numpy arrays (never pickle).

Only `clause-audit train` imports this module; auditing uses classifier.py and numpy alone.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from .classifier import FORMAT, FORMAT_VERSION, FeatureSpec, Model, WordCutter, features, load_model, prepare
from .lexicon import CATEGORIES, Lexicon, lexicon_dir

MIN_DF = 2
MAX_WORD_LEN = 8
LEGAL_WORD_FREQ = 2000
FOLDS = 5
THRESHOLD_FLOOR = 0.5      # the model alone never reports a category it thinks more likely absent
THRESHOLD_GRID = tuple(round(THRESHOLD_FLOOR + 0.025 * i, 3) for i in range(19))  # 0.5 … 0.95


@dataclass(frozen=True, slots=True)
class Settings:
    """Hyper-parameters of a training run (recorded in model.json)."""

    c: float = 4.0
    class_weight: str | None = "balanced"
    spec: FeatureSpec = FeatureSpec()


class TrainingError(Exception):
    """The corpus cannot produce a model (too few documents or positives); the message says which."""


def train(rows: Sequence[dict], out: Path, lexicon: Lexicon, settings: Settings = Settings()) -> Model:
    """Fit one calibrated linear model per category on the train split, pick thresholds on dev, export.

    Deterministic: rows are ordered by id, folds by document, liblinear seeded; the same corpus gives
    byte-identical files.

    Returns:
        The exported model, loaded back from `out` exactly as an audit would load it.
    """
    from sklearn.linear_model import LogisticRegression

    rows = sorted(rows, key=lambda r: (str(r.get("id", "")), r["text"]))
    train_rows = [r for r in rows if r.get("split") == "train"]
    dev_rows = [r for r in rows if r.get("split") == "dev"]
    _check(train_rows, dev_rows)
    out.mkdir(parents=True, exist_ok=True)
    words_path = out / "words.txt"
    words_path.write_text(_dictionary(train_rows), encoding="utf-8")
    cutter = WordCutter(words_path) if settings.spec.words else None

    train_counts = [features(r["text"], r.get("context") or "", settings.spec, cutter) for r in train_rows]
    vocabulary, idf = _vocabulary(train_counts)
    x_train = _matrix(train_counts, vocabulary, idf)
    y_train = _labels(train_rows)
    groups = np.array([r.get("doc_id") or r.get("id") for r in train_rows])

    def fit(x, y):  # noqa: ANN001, ANN202
        model = LogisticRegression(C=settings.c, solver="liblinear", class_weight=settings.class_weight,
                                   random_state=0, max_iter=1000)
        return model.fit(x, y)

    coefs, intercepts, calibration = [], [], []
    for j, category in enumerate(CATEGORIES):
        y = y_train[:, j]
        if y.sum() < FOLDS:
            raise TrainingError(f"{category}: 训练集只有 {int(y.sum())} 个正例")
        scores = _out_of_fold(x_train, y, groups, fit)
        calibration.append(_platt(scores, y))
        final = fit(x_train, y)
        coefs.append(final.coef_[0])
        intercepts.append(float(final.intercept_[0]))

    weights = np.asarray(coefs, dtype=np.float32).T
    np.save(out / "weights.npy", np.ascontiguousarray(weights), allow_pickle=False)
    np.save(out / "idf.npy", idf.astype(np.float32), allow_pickle=False)
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "categories": list(CATEGORIES),
        "features": settings.spec.to_dict(), "vocabulary": vocabulary,
        "intercepts": intercepts, "calibration": dict(zip(CATEGORIES, calibration, strict=True)),
        "thresholds": dict.fromkeys(CATEGORIES, 1.0),
        "trained_on": {"train_clauses": len(train_rows), "dev_clauses": len(dev_rows),
                       "documents": len({r.get("doc_id") for r in train_rows}),
                       "corpus_sha256": _corpus_hash(rows), "c": settings.c,
                       "class_weight": settings.class_weight},
    }
    _write_manifest(out, manifest)
    model = load_model(out)
    manifest["thresholds"] = choose_thresholds(model, dev_rows, lexicon)
    _write_manifest(out, manifest)
    return load_model(out)


def choose_thresholds(model: Model, dev_rows: Sequence[dict], lexicon: Lexicon) -> dict[str, float]:
    """Pick, per category, the model-alone threshold that maximises the fused detector's F1 on dev.

    The fused detector reports a category when a rule hits or the model passes the threshold, so the
    threshold only decides what the model adds; it never goes below THRESHOLD_FLOOR.
    """
    from .evaluation import lexicon_predictor

    rule_sets = lexicon_predictor(lexicon)(dev_rows)
    probs = [model.score(r["text"], r.get("context") or "").probabilities for r in dev_rows]
    thresholds = {}
    for category in CATEGORIES:
        gold = [category in r["labels"] for r in dev_rows]
        rule = [category in s for s in rule_sets]
        p = [x[category] for x in probs]
        best, best_f1 = 1.0, _f1(gold, rule)
        for t in THRESHOLD_GRID:
            f1 = _f1(gold, [r or q >= t for r, q in zip(rule, p, strict=True)])
            if f1 > best_f1 + 1e-9:
                best, best_f1 = t, f1
        thresholds[category] = best
    return thresholds


def _f1(gold: Sequence[bool], predicted: Sequence[bool]) -> float:
    tp = sum(g and p for g, p in zip(gold, predicted, strict=True))
    fp = sum(p and not g for g, p in zip(gold, predicted, strict=True))
    fn = sum(g and not p for g, p in zip(gold, predicted, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _check(train_rows: Sequence[dict], dev_rows: Sequence[dict]) -> None:
    if not train_rows or not dev_rows:
        raise TrainingError("语料需要 split 为 train 和 dev 的条款（dev 用来选阈值）")
    docs = {r.get("doc_id") for r in train_rows}
    if len(docs) < FOLDS:
        raise TrainingError(f"train 只有 {len(docs)} 篇文档，至少需要 {FOLDS} 篇（按文档交叉校准）")
    leaked = docs & {r.get("doc_id") for r in dev_rows} - {None}
    if leaked:
        raise TrainingError(f"文档同时出现在 train 和 dev：{sorted(leaked)[:3]}（须按文档划分）")


def _dictionary(rows: Sequence[dict]) -> str:
    """Build the word cutter's dictionary: jieba's general words that occur in the corpus, plus ours.

    Keeping only words the corpus contains makes the file small enough to load in milliseconds while
    cutting corpus-like text as the full dictionary would.
    """
    seen: set[str] = set()
    for row in rows:
        for text in (row["text"], row.get("context") or ""):
            body = prepare(text)
            for n in range(2, MAX_WORD_LEN + 1):
                seen.update(body[i:i + n] for i in range(len(body) - n + 1))
    entries: dict[str, int] = {}
    with resources.files("jieba").joinpath("dict.txt").open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and parts[0] in seen:
                entries[parts[0]] = int(parts[1])
    for line in (lexicon_dir() / "legal_words.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts and not line.startswith("#"):
            word = prepare(parts[0])
            entries[word] = max(entries.get(word, 0), int(parts[1]) if len(parts) > 1 else LEGAL_WORD_FREQ)
    return "".join(f"{w} {n}\n" for w, n in sorted(entries.items()))


def _vocabulary(counts: Sequence[Counter[str]]) -> tuple[list[str], np.ndarray]:
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    vocabulary = sorted(f for f, n in df.items() if n >= MIN_DF)
    total = len(counts)
    idf = np.array([math.log((1 + total) / (1 + df[f])) + 1.0 for f in vocabulary], dtype=np.float64)
    return vocabulary, idf


def _matrix(counts: Sequence[Counter[str]], vocabulary: list[str], idf: np.ndarray):  # noqa: ANN202
    from scipy.sparse import csr_matrix

    index = {f: i for i, f in enumerate(vocabulary)}
    data, indices, indptr = [], [], [0]
    for c in counts:
        pairs = sorted((index[f], n) for f, n in c.items() if f in index)
        values = np.array([(1.0 + math.log(n)) * idf[i] for i, n in pairs], dtype=np.float64)
        norm = float(np.sqrt(values @ values)) if len(values) else 0.0
        data.extend((values / norm if norm else values).tolist())
        indices.extend(i for i, _ in pairs)
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(counts), len(vocabulary)), dtype=np.float32)


def _labels(rows: Sequence[dict]) -> np.ndarray:
    return np.array([[c in r["labels"] for c in CATEGORIES] for r in rows], dtype=np.int8)


def _out_of_fold(x, y: np.ndarray, groups: np.ndarray, fit) -> np.ndarray:  # noqa: ANN001
    """Decision scores of each row from a model that never saw its document."""
    from sklearn.model_selection import GroupKFold

    scores = np.zeros(len(y), dtype=np.float64)
    for train_idx, test_idx in GroupKFold(n_splits=FOLDS).split(x, y, groups):
        if y[train_idx].min() == y[train_idx].max():
            continue
        scores[test_idx] = fit(x[train_idx], y[train_idx]).decision_function(x[test_idx])
    return scores


def _platt(scores: np.ndarray, y: np.ndarray) -> list[float]:
    """Fit p = sigmoid(a * score + b) on out-of-fold scores (Platt scaling with his target smoothing)."""
    from sklearn.linear_model import LogisticRegression

    positives = int(y.sum())
    negatives = len(y) - positives
    target = np.where(y == 1, (positives + 1) / (positives + 2), 1 / (negatives + 2))
    x = np.concatenate([scores, scores]).reshape(-1, 1)
    labels = np.concatenate([np.ones(len(y)), np.zeros(len(y))])
    weight = np.concatenate([target, 1 - target])
    fit = LogisticRegression(C=1e6, solver="lbfgs", max_iter=1000).fit(x, labels, sample_weight=weight)
    return [round(float(fit.coef_[0][0]), 6), round(float(fit.intercept_[0]), 6)]


def _corpus_hash(rows: Sequence[dict]) -> str:
    digest = hashlib.sha256()
    for r in rows:
        digest.update(json.dumps([r.get("id"), r.get("split"), r["text"], r.get("context") or "",
                                  sorted(r["labels"])], ensure_ascii=False).encode())
    return digest.hexdigest()[:16]


def _write_manifest(out: Path, manifest: dict) -> None:
    text = json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    (out / "model.json").write_text(text + "\n", encoding="utf-8")
