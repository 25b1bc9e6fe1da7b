"""Score a detector against annotated clauses: per-category precision/recall/F1, macro-F1, any-unfair."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .lexicon import CATEGORIES, Lexicon

Predictor = Callable[[Sequence[dict]], list[set[str]]]


class CorpusError(Exception):
    """An annotated file that cannot be used; the message names the file and line."""


@dataclass(slots=True)
class Scores:
    """Counts and derived metrics for one detector over one set of clauses."""

    tp: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    fp: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    fn: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    any_tp: int = 0
    any_fp: int = 0
    any_fn: int = 0
    clauses: int = 0

    def add(self, gold: set[str], predicted: set[str]) -> None:
        self.clauses += 1
        for c in CATEGORIES:
            self.tp[c] += c in gold and c in predicted
            self.fp[c] += c not in gold and c in predicted
            self.fn[c] += c in gold and c not in predicted
        self.any_tp += bool(gold) and bool(predicted)
        self.any_fp += not gold and bool(predicted)
        self.any_fn += bool(gold) and not predicted

    def category(self, c: str) -> dict[str, float]:
        return _prf(self.tp[c], self.fp[c], self.fn[c])

    def macro_f1(self) -> float:
        present = [c for c in CATEGORIES if self.tp[c] + self.fn[c]]
        return sum(self.category(c)["f1"] for c in present) / len(present) if present else 0.0

    def any_unfair(self) -> dict[str, float]:
        return _prf(self.any_tp, self.any_fp, self.any_fn)

    def to_dict(self) -> dict:
        return {"clauses": self.clauses, "macro_f1": round(self.macro_f1(), 4),
                "any_unfair": self.any_unfair(),
                "categories": {c: self.category(c) for c in CATEGORIES}}


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4), "support": tp + fn}


def load_corpus(path: Path, split: str | None = None) -> list[dict]:
    """Read annotated clauses from a JSONL file, or from every *.jsonl below a directory."""
    if path.is_dir():
        files = sorted(path.rglob("*.jsonl"))
        if not files:
            raise CorpusError(f"{path}: 目录中没有 .jsonl 文件")
        return [row for f in files for row in load_jsonl(f, split)]
    return load_jsonl(path, split)


def load_jsonl(path: Path, split: str | None = None) -> list[dict]:
    """Read annotated clauses ({"text", "context", "labels", "split", ...} per line)."""
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path}: 无法读取（{exc}）") from None
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorpusError(f"{path}:{n}: 不是有效的 JSON（{exc.msg}）") from None
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) \
                or not isinstance(row.get("labels"), list):
            raise CorpusError(f"{path}:{n}: 每行需要 text（字符串）和 labels（列表）")
        unknown = set(row["labels"]) - set(CATEGORIES)
        if unknown:
            raise CorpusError(f"{path}:{n}: 未知的分类 {sorted(unknown)}")
        if split is None or row.get("split") == split:
            rows.append(row)
    return rows


def lexicon_predictor(lexicon: Lexicon) -> Predictor:
    """Predict the categories whose rules hit at warning level or above (info is not 'unfair')."""

    def predict(rows: Sequence[dict]) -> list[set[str]]:
        out = []
        for row in rows:
            hits, _ = lexicon.match_clause(row["text"], row.get("context") or "")
            out.append({h.rule.category for h in hits if h.severity != "info"})
        return out

    return predict


def evaluate(rows: Sequence[dict], predictors: dict[str, Predictor]) -> dict[str, tuple[Scores, list]]:
    """Return, per detector name, its Scores and the misclassified rows (gold, predicted, row)."""
    results = {}
    for name, predict in predictors.items():
        scores = Scores()
        errors = []
        for row, predicted in zip(rows, predict(rows), strict=False):
            gold = set(row["labels"])
            scores.add(gold, predicted)
            if gold != predicted:
                errors.append((gold, predicted, row))
        results[name] = (scores, errors)
    return results


def format_table(results: dict[str, tuple[Scores, list]], names: Iterable[str]) -> str:
    """Render per-category P/R/F1 for each detector side by side."""
    names = list(names)
    head = f"{'category':<24}{'n':>5}" + "".join(f"  {n[:20]:>20}" for n in names)
    sub = " " * 29 + "".join(f"  {'P':>6}{'R':>7}{'F1':>7}" for _ in names)
    lines = [head, sub]
    first = results[names[0]][0]
    for c in CATEGORIES:
        row = f"{c:<24}{first.tp[c] + first.fn[c]:>5}"
        for n in names:
            m = results[n][0].category(c)
            row += f"  {m['precision']:>6.2f}{m['recall']:>7.2f}{m['f1']:>7.2f}"
        lines.append(row)
    lines.append(f"{'macro-F1':<29}" + "".join(f"  {'':>13}{results[n][0].macro_f1():>7.2f}" for n in names))
    row = f"{'any-unfair':<24}{first.any_tp + first.any_fn:>5}"
    for n in names:
        m = results[n][0].any_unfair()
        row += f"  {m['precision']:>6.2f}{m['recall']:>7.2f}{m['f1']:>7.2f}"
    lines.append(row)
    lines.append(f"clauses: {first.clauses}")
    return "\n".join(lines) + "\n"


def classifier_predictor(model) -> Predictor:  # noqa: ANN001 - a classifier.Model
    """Predict the categories the model alone passes at its thresholds."""

    def predict(rows: Sequence[dict]) -> list[set[str]]:
        out = []
        for row in rows:
            probs = model.score(row["text"], row.get("context") or "").probabilities
            out.append({c for c, p in probs.items() if model.passes(c, p)})
        return out

    return predict


def fused_predictor(lexicon: Lexicon, model) -> Predictor:  # noqa: ANN001 - a classifier.Model
    """Predict what `audit` reports: rule hits and model scores fused by detect.judge."""
    from .detect import judge

    def predict(rows: Sequence[dict]) -> list[set[str]]:
        return [set(judge(row["text"], row.get("context") or "", lexicon, model)[3]) for row in rows]

    return predict
