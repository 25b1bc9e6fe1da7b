"""Training: deterministic, exported without pickle, and the exported numbers are the fitted ones."""

import json

import pytest

from clause_audit.classifier import MODEL_FILES, load_model
from clause_audit.evaluation import Scores, classifier_predictor, load_corpus
from clause_audit.lexicon import default_lexicon
from clause_audit.training import TrainingError, train

from .conftest import REPO

SUBSET = REPO / "corpus" / "clauses" / "commerce-recycling.jsonl"


@pytest.fixture(scope="module")
def rows():
    return load_corpus(SUBSET)


@pytest.fixture(scope="module")
def trained(rows, tmp_path_factory):
    out = tmp_path_factory.mktemp("model")
    return train(rows, out, default_lexicon()), out


def test_training_twice_gives_byte_identical_files(rows, trained, tmp_path):
    _, first = trained
    train(list(reversed(rows)), tmp_path, default_lexicon())  # input order must not matter either
    for name in MODEL_FILES:
        assert (first / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_export_is_json_and_plain_arrays(trained):
    _, out = trained
    manifest = json.loads((out / "model.json").read_text(encoding="utf-8"))
    assert manifest["format"] == "clause-audit-model"
    assert len(manifest["vocabulary"]) == len(set(manifest["vocabulary"]))
    for name in ("weights.npy", "idf.npy"):
        assert (out / name).read_bytes()[:6] == b"\x93NUMPY"
        assert b"pickle" not in (out / name).read_bytes()[:200]


def _scores(model, rows):
    scores = Scores()
    for row, predicted in zip(rows, classifier_predictor(model)(rows), strict=True):
        scores.add(set(row["labels"]), predicted)
    return scores


def test_exported_model_reproduces_what_was_fitted(rows, trained):
    """Weights in the wrong order or a lost intercept would wreck the fit on the training rows."""
    model, out = trained
    assert load_model(out).version == model.version
    fit = _scores(model, [r for r in rows if r["split"] == "train"])
    assert fit.macro_f1() > 0.9


def test_model_generalises_to_unseen_documents_of_the_subset(rows, trained):
    model, _ = trained
    dev = [r for r in rows if r["split"] == "dev"]
    assert {r["doc_id"] for r in dev}.isdisjoint({r["doc_id"] for r in rows if r["split"] == "train"})
    assert _scores(model, dev).macro_f1() > 0.6


def test_thresholds_are_chosen_on_dev_within_bounds(trained):
    model, _ = trained
    assert all(0.5 <= t <= 1.0 for t in model.thresholds.values())
    assert model.meta["dev_clauses"] > 0


@pytest.mark.parametrize("change, message", [
    (lambda rs: [r for r in rs if r["split"] != "dev"], "dev"),
    (lambda rs: [r for r in rs if r["doc_id"] in {rs[0]["doc_id"]}] + [r for r in rs if r["split"] == "dev"],
     "至少需要"),
    (lambda rs: [dict(r, split="dev") if i == 0 else r for i, r in enumerate(rs)], "同时出现"),
])
def test_unusable_corpora_are_refused_with_a_reason(rows, tmp_path, change, message):
    with pytest.raises(TrainingError, match=message):
        train(change(rows), tmp_path, default_lexicon())
