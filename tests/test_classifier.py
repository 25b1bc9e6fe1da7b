"""The classifier: features, safe loading of exported models, and scoring with numpy alone."""

import json
import subprocess
import sys

import numpy as np
import pytest

from clause_audit.classifier import (
    FeatureSpec,
    Model,
    ModelError,
    WordCutter,
    default_model,
    features,
    load_model,
    locate,
    model_dir,
    prepare,
)
from clause_audit.lexicon import CATEGORIES

from .conftest import REPO


@pytest.fixture(scope="module")
def shipped():
    model = default_model()
    assert model is not None, "the package must ship a trained model (clause-audit train corpus/)"
    return model


def test_prepare_folds_script_digits_and_spaces():
    assert prepare("會員費 30 天內\u3000退款") == prepare("会员费30天内退款") == "会员费0天内退款"
    assert prepare("７天") == prepare("15天") == "0天"


def test_features_keep_their_kinds_apart():
    spec = FeatureSpec(char_min=1, char_max=2, context_min=2, context_max=2, words=False)
    counts = features("概不退款", "以下情形：", spec, None)
    assert counts["概不"] == 1 and counts["退"] == 1
    assert counts["c:以下"] == 1 and counts["c:<lead-in>"] == 1
    assert not any(f.startswith("w:") for f in counts)
    heading = features("概不退款", "第六条 退款规则", spec, None)
    assert heading["c:<heading>"] == 1 and "c:<lead-in>" not in heading


def test_word_features_come_from_the_models_own_dictionary(tmp_path):
    words = tmp_path / "words.txt"
    words.write_text("最终解释权 2000\n归 100\n本 100\n平台 500\n所有 500\n", encoding="utf-8")
    cut = WordCutter(words).cut("最终解释权归本平台所有")
    assert cut == ["最终解释权", "归", "本", "平台", "所有"]
    counts = features("最终解释权归本平台所有", "", FeatureSpec(), WordCutter(words))
    assert counts["w:最终解释权"] == 1 and counts["b:归_本"] == 1


def test_locate_finds_features_in_traditional_text():
    text = "會員費用一經支付，概不退還。"
    start, end = locate("概不退还", text)
    assert text[start:end] == "概不退還"
    assert locate("w:会员", text) == (0, 2)
    assert locate("c:退款", text) is None and locate("0天", "7天内") is None


def test_shipped_model_separates_unfair_from_protective_wording(shipped):
    unfair = shipped.score("课程一经购买，无论何种原因均不予退款。").probabilities
    fair = shipped.score("课程购买后七日内未学习的，可申请全额退款，款项原路退回。").probabilities
    assert unfair["no_refund"] > 0.8 > fair["no_refund"]
    interp = shipped.score("本活动的最终解释权归平台所有。").probabilities
    assert max(interp, key=interp.get) == "final_interpretation"


def test_top_features_explain_with_words_that_carry_weight(shipped):
    score = shipped.score("会员费用一经支付概不退还，平台有权随时调整服务内容。")
    top = shipped.top_features(score, "no_refund")
    assert top and all(len(name) > 1 and weight > 0 for name, weight in top)
    assert [w for _, w in top] == sorted((w for _, w in top), reverse=True)


def test_shipped_model_is_trained_on_the_current_corpus(shipped):
    """A corpus edit without `clause-audit train corpus/` would ship a stale model."""
    from clause_audit.evaluation import load_corpus
    from clause_audit.training import _corpus_hash

    rows = sorted(load_corpus(REPO / "corpus" / "clauses"), key=lambda r: (str(r.get("id", "")), r["text"]))
    assert shipped.meta["corpus_sha256"] == _corpus_hash(rows)
    assert shipped.categories == CATEGORIES


def test_audit_path_never_imports_scikit_learn():
    code = ("import sys; from clause_audit import audit; "
            "r = audit('corpus/samples/zhishi-kecheng-xieyi.html'); "
            "assert r.model and any(f.source != 'lexicon' for d in r.documents for f in d.findings); "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy')]; "
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


# -- loading runs no code and rejects damaged files ---------------------------------------------

@pytest.fixture
def model_copy(tmp_path):
    for path in model_dir().iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    return tmp_path


def test_a_copied_model_loads_with_the_same_hash(model_copy, shipped):
    assert load_model(model_copy).version == shipped.version


def test_a_pickled_array_is_refused_not_unpickled(model_copy):
    payload = np.array([{"evil": "object"}], dtype=object)
    np.save(model_copy / "weights.npy", payload, allow_pickle=True)
    with pytest.raises(ModelError, match="weights.npy"):
        load_model(model_copy)


@pytest.mark.parametrize("damage, message", [
    (lambda d: (d / "idf.npy").unlink(), "找不到"),
    (lambda d: (d / "model.json").write_text("{not json", encoding="utf-8"), "无法读取"),
    (lambda d: (d / "model.json").write_text('{"format": "other"}', encoding="utf-8"), "不是 clause-audit 模型"),
    (lambda d: np.save(d / "idf.npy", np.zeros(3, dtype=np.float32)), "形状"),
    (lambda d: (d / "words.txt").unlink(), "分词词典"),
])
def test_damaged_models_give_one_clear_error(model_copy, damage, message):
    damage(model_copy)
    with pytest.raises(ModelError, match=message):
        load_model(model_copy)


def test_manifest_with_foreign_categories_is_refused(model_copy):
    manifest = json.loads((model_copy / "model.json").read_text(encoding="utf-8"))
    manifest["categories"][0] = "made_up"
    manifest["calibration"]["made_up"] = manifest["calibration"].pop(CATEGORIES[0])
    manifest["thresholds"]["made_up"] = manifest["thresholds"].pop(CATEGORIES[0])
    (model_copy / "model.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ModelError, match="分类"):
        load_model(model_copy)


def test_scores_are_calibrated_probabilities(shipped):
    score = shipped.score("")
    assert isinstance(shipped, Model)
    assert all(0.0 < p < 1.0 for p in score.probabilities.values())
    assert all(0.5 <= t <= 1.0 for t in shipped.thresholds.values())
