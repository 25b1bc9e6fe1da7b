"""Score clauses with the shipped linear model, using numpy alone (training lives in training.py)."""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from .lexicon import CATEGORIES, is_lead_in, normalise

log = logging.getLogger(__name__)

FORMAT = "clause-audit-model"
FORMAT_VERSION = 1
MODEL_FILES = ("model.json", "weights.npy", "idf.npy", "words.txt")
_DIGITS = re.compile(r"\d+(?:[.．]\d+)?")
_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"[，,、；;。.!！?？“”\"'‘’（）()《》〈〉【】\[\]—\-…·/]+")


class ModelError(Exception):
    """A model directory that cannot be used; the message names the file."""


@dataclass(frozen=True, slots=True)
class FeatureSpec:
    """Which features a model uses; stored in model.json so training and scoring agree."""

    char_min: int = 1
    char_max: int = 3
    context_min: int = 2
    context_max: int = 3
    words: bool = True
    word_bigrams: bool = True

    @classmethod
    def from_dict(cls, data: dict) -> FeatureSpec:
        return cls(**{k: data[k] for k in cls.__slots__ if k in data})

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__slots__}


def prepare(text: str) -> str:
    """Map a clause to the form features are read from: simplified script, ASCII digits as 0, no spaces.

    Length is kept except for whitespace and digit runs, so features can be found again in the text.
    """
    text = normalise(text).lower()
    text = _DIGITS.sub("0", text)
    return _SPACE.sub("", text)


class WordCutter:
    """A private jieba tokenizer over the model's own dictionary (never jieba's process-wide one).

    The dictionary file holds only words the model can use, so it loads in milliseconds and writes no
    cache file; the HMM guesser is off, which keeps cutting deterministic.
    """

    def __init__(self, dictionary: Path) -> None:
        self.dictionary = dictionary
        self._tokenizer = None

    def cut(self, text: str) -> list[str]:
        if self._tokenizer is None:
            self._tokenizer = self._load()
        return [w for w in self._tokenizer.cut(text, HMM=False) if w.strip()]

    def _load(self):  # noqa: ANN202 - a jieba.Tokenizer
        import jieba

        tokenizer = jieba.Tokenizer()
        try:
            with self.dictionary.open("rb") as f:
                tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(f)
        except (OSError, ValueError) as exc:
            raise ModelError(f"{self.dictionary}: 无法读取分词词典（{exc}）") from None
        tokenizer.initialized = True
        return tokenizer


def features(text: str, context: str, spec: FeatureSpec, cutter: WordCutter | None) -> Counter[str]:
    """Return the feature counts of a clause: character n-grams, words, word pairs, context n-grams.

    Prefixes keep the kinds apart: none for characters, "w:" words, "b:" word pairs, "c:" context.
    """
    counts: Counter[str] = Counter()
    body = prepare(text)
    for n in range(spec.char_min, spec.char_max + 1):
        counts.update(body[i:i + n] for i in range(len(body) - n + 1))
    if spec.words and cutter is not None:
        words = [w for w in cutter.cut(body) if not _PUNCT.fullmatch(w)]
        counts.update("w:" + w for w in words if len(w) > 1)
        if spec.word_bigrams:
            counts.update(f"b:{a}_{b}" for a, b in zip(words, words[1:], strict=False))
    if context:
        ctx = prepare(context)
        for n in range(spec.context_min, spec.context_max + 1):
            counts.update("c:" + ctx[i:i + n] for i in range(len(ctx) - n + 1))
        counts["c:<lead-in>" if is_lead_in(context) else "c:<heading>"] += 1
    return counts


@dataclass(slots=True)
class ClauseScore:
    """The model's calibrated probability per category for one clause, and the vector behind it."""

    probabilities: dict[str, float]
    indices: np.ndarray = field(repr=False)
    values: np.ndarray = field(repr=False)


@dataclass(slots=True)
class Model:
    """Exported weights of a one-vs-rest linear model with Platt calibration and per-category thresholds."""

    spec: FeatureSpec
    categories: tuple[str, ...]
    vocabulary: dict[str, int]
    weights: np.ndarray          # (features, categories) float32
    idf: np.ndarray              # (features,) float32
    intercepts: np.ndarray       # (categories,)
    calibration: np.ndarray      # (categories, 2): p = sigmoid(a * score + b)
    thresholds: dict[str, float]
    cutter: WordCutter | None
    version: str = ""
    meta: dict = field(default_factory=dict)
    _names: list[str] = field(default_factory=list, repr=False)

    def vectorise(self, text: str, context: str = "") -> tuple[np.ndarray, np.ndarray]:
        """Return the model's sparse tf-idf vector (indices, values) of a clause, L2-normalised."""
        counts = features(text, context, self.spec, self.cutter)
        pairs = sorted((self.vocabulary[f], c) for f, c in counts.items() if f in self.vocabulary)
        if not pairs:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        indices = np.fromiter((i for i, _ in pairs), dtype=np.int64, count=len(pairs))
        tf = np.fromiter((1.0 + math.log(c) for _, c in pairs), dtype=np.float32, count=len(pairs))
        values = tf * self.idf[indices]
        norm = float(np.sqrt(np.dot(values, values)))
        return indices, values / norm if norm else values

    def score(self, text: str, context: str = "") -> ClauseScore:
        """Return calibrated probabilities for every category of one clause."""
        indices, values = self.vectorise(text, context)
        raw = values @ self.weights[indices] + self.intercepts if len(indices) else self.intercepts.copy()
        a, b = self.calibration[:, 0], self.calibration[:, 1]
        probs = 1.0 / (1.0 + np.exp(-(a * raw + b)))
        return ClauseScore({c: float(p) for c, p in zip(self.categories, probs, strict=True)}, indices, values)

    def passes(self, category: str, probability: float) -> bool:
        """Whether the model alone is confident enough to report the category."""
        return probability >= self.thresholds.get(category, 1.01)

    def top_features(self, clause_score: ClauseScore, category: str, k: int = 3) -> list[tuple[str, float]]:
        """Return the k features that pushed this clause most towards the category, with their weight.

        Single characters are left out: they carry weight but explain nothing to a reader.
        """
        if not len(clause_score.indices):
            return []
        column = self.categories.index(category)
        contributions = clause_score.values * self.weights[clause_score.indices, column]
        if not self._names:
            self._names = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        names = self._names
        top = []
        for i in np.argsort(-contributions, kind="stable"):
            if contributions[i] <= 0 or len(top) == k:
                break
            name = names[clause_score.indices[i]]
            if len(name) > 1:
                top.append((name, float(contributions[i])))
        return top


def locate(feature: str, text: str) -> tuple[int, int] | None:
    """Find a character or word feature in the original clause text (start, end), or None."""
    if feature.startswith(("c:", "b:")):
        return None
    needle = feature[2:] if feature.startswith("w:") else feature
    if not needle or "0" in needle:
        return None
    body = normalise(text).lower()
    start = body.find(needle)
    return (start, start + len(needle)) if start >= 0 else None


def model_dir() -> Path:
    """Return the model shipped with the package (clause_audit/model/)."""
    return Path(str(resources.files("clause_audit").joinpath("model")))


def model_hash(directory: Path) -> str:
    """Hash the model files, so reports and caches can tell models apart."""
    digest = hashlib.sha256()
    for name in MODEL_FILES:
        path = directory / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b""))
    return digest.hexdigest()[:12]


def load_model(directory: Path) -> Model:
    """Load an exported model. Reads JSON, plain numpy arrays and a word list; never runs code.

    Raises:
        ModelError: a file is missing, malformed, or the arrays do not fit the manifest.
    """
    manifest_path = directory / "model.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{manifest_path}: 找不到模型文件") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{manifest_path}: 无法读取（{exc}）") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ModelError(f"{manifest_path}: 不是 clause-audit 模型")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ModelError(f"{manifest_path}: 模型格式版本 {manifest.get('format_version')} 不受支持")
    try:
        categories = tuple(manifest["categories"])
        vocabulary = {name: i for i, name in enumerate(manifest["vocabulary"])}
        spec = FeatureSpec.from_dict(manifest["features"])
        intercepts = np.asarray(manifest["intercepts"], dtype=np.float64)
        calibration = np.asarray([manifest["calibration"][c] for c in categories], dtype=np.float64)
        thresholds = {c: float(manifest["thresholds"][c]) for c in categories}
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{manifest_path}: 缺少或错误的字段（{exc}）") from None
    weights = _array(directory / "weights.npy", (len(vocabulary), len(categories)))
    idf = _array(directory / "idf.npy", (len(vocabulary),))
    if set(categories) - set(CATEGORIES) or intercepts.shape != (len(categories),) \
            or calibration.shape != (len(categories), 2):
        raise ModelError(f"{manifest_path}: 分类或参数与模型不符")
    words = directory / "words.txt"
    cutter = WordCutter(words) if spec.words else None
    if cutter is not None and not words.is_file():
        raise ModelError(f"{words}: 找不到分词词典")
    return Model(spec, categories, vocabulary, weights, idf, intercepts, calibration, thresholds, cutter,
                 version=model_hash(directory), meta=manifest.get("trained_on", {}))


def _array(path: Path, shape: tuple[int, ...]) -> np.ndarray:
    try:
        array = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise ModelError(f"{path}: 找不到模型文件") from None
    except (OSError, ValueError) as exc:  # ValueError: an object array (pickle) or a damaged header
        raise ModelError(f"{path}: 无法读取（{exc}）") from None
    if array.shape != shape or array.dtype.kind != "f":
        raise ModelError(f"{path}: 形状 {array.shape} / 类型 {array.dtype} 与模型清单不符（应为 {shape}）")
    return array.astype(np.float32, copy=False)


@cache
def default_model() -> Model | None:
    """Load the shipped model once per process; None (lexicon only) when the package has none."""
    directory = model_dir()
    if not (directory / "model.json").is_file():
        log.info("no model in %s: lexicon rules only", directory)
        return None
    return load_model(directory)
