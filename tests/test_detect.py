"""Detection: one finding per clause and category, evidence, severity modifiers, emphasis, fingerprints."""

from clause_audit import audit_text
from clause_audit.detect import fingerprint


def findings(text, name="a.txt", model="default"):
    doc = audit_text(text, name=name, model=model).documents[0]
    assert doc.error is None
    return doc.findings


def test_one_finding_per_clause_and_category_with_all_rules_as_evidence():
    fs = findings("本商品为虚拟商品，一经售出概不退款，任何情况下均不予退还已支付的费用。\n", model=None)
    no_refund = [f for f in fs if f.category == "no_refund"]
    assert len(no_refund) == 1
    f = no_refund[0]
    assert f.evidence and all(e.kind in {"pattern", "term", "context", "model"} for e in f.evidence)
    pattern_rules = {e.detail.split("；")[0] for e in f.evidence if e.kind == "pattern"}
    assert f.rule in pattern_rules
    assert f.source == "lexicon"


def test_a_clause_can_carry_two_categories():
    fs = findings("我们可能不时修改本协议，您继续使用本服务即视为接受修改后的协议。\n")
    assert {"unilateral_change", "deemed_consent"} <= {f.category for f in fs}


def test_negation_and_protective_framing_clear_findings():
    for text in ("本服务为单次购买，不会自动续费。", "我们不享有对本协议的最终解释权，争议按通常理解解释。",
                 "您购买的课程支持七天无理由退款。",
                 "因地震、战争等不可抗力导致服务中断的，我们不承担责任，但会及时通知您并提供证明。"):
        assert findings(text) == (), text


def test_plain_text_emphasis_is_unknown_unless_bracketed():
    fs = findings("会员服务一经开通，概不退款。\n【本活动最终解释权归本平台所有。】\n")
    by_cat = {f.category: f for f in fs}
    assert by_cat["no_refund"].emphasized is None
    assert by_cat["final_interpretation"].emphasized is True


def test_markdown_emphasis_is_true_or_false():
    fs = findings("1. **会员服务一经开通，概不退款。**\n2. 本活动最终解释权归本平台所有。\n", name="a.md")
    by_cat = {f.category: f for f in fs}
    assert by_cat["no_refund"].emphasized is True
    assert by_cat["final_interpretation"].emphasized is False


def test_fingerprint_ignores_numbering_spacing_and_punctuation_width():
    a = fingerprint("no_refund.x", "1.2 会员费用一经支付，不予退还。")
    b = fingerprint("no_refund.x", "第三条  会员费用一经支付,不予退还.")
    assert a == b
    assert a != fingerprint("no_refund.y", "会员费用一经支付，不予退还。")
    assert a != fingerprint("no_refund.x", "会员费用一经支付，予以退还。")


def test_offsets_are_exact_in_plain_text():
    text = "\ufeff第一条 欢迎。\r\n第二条 卡密一经发出，概不退换。\r\n"
    report = audit_text(text)
    doc = report.documents[0]
    for f in doc.findings:
        assert doc.document.text[f.span.start:f.span.end] == f.text


def test_list_items_inherit_their_lead_in_unless_lawful_on_their_face():
    text = ("6.4 出现下列情形之一的，平台不予退款：\n"
            "（1）课程学习进度已超过百分之三十的；\n"
            "（2）根据您的要求定制完成的一对一辅导服务；\n"
            "（3）因您自身原因操作不当导致账号被盗造成损失的。\n")
    fs = findings(text, model=None)
    items = {f.text[:6]: f for f in fs if f.category == "no_refund"}
    assert "课程学习进度" in items
    inherited = items["课程学习进度"]
    assert any(e.kind == "context" and "列表引导语" in e.detail for e in inherited.evidence)
    assert "根据您的要求" not in items and "因您自身原因" not in items


def test_a_heading_is_not_a_lead_in():
    fs = findings("第五条 不予退款的情形\n5.1 课程详情页会列明课时数量。\n")
    assert not [f for f in fs if f.text.startswith("课程详情页")]


def test_items_under_an_exception_lead_in_inherit_nothing():
    fs = findings("若非下列情况，恕不退费：\n（1）课程因平台原因未能按期开课的；\n（2）课程内容与介绍严重不符的。\n",
                  model=None)
    assert [f.text for f in fs if f.category == "no_refund" and f.text.startswith("课程")] == []


def _toy_model(weight_no_refund: float, weight_auto_renewal: float = 0.0):
    """A two-feature model built by hand, so fusion is tested apart from what training learns."""
    import numpy as np

    from clause_audit.classifier import FeatureSpec, Model
    from clause_audit.lexicon import CATEGORIES

    weights = np.zeros((2, len(CATEGORIES)), dtype=np.float32)
    weights[0, CATEGORIES.index("no_refund")] = weight_no_refund
    weights[1, CATEGORIES.index("auto_renewal")] = weight_auto_renewal
    return Model(FeatureSpec(char_min=2, char_max=2, context_min=2, context_max=2, words=False), CATEGORIES,
                 {"退款": 0, "续费": 1}, weights, np.ones(2, dtype=np.float32),
                 np.full(len(CATEGORIES), -3.0), np.tile([1.0, 0.0], (len(CATEGORIES), 1)),
                 dict.fromkeys(CATEGORIES, 0.7), None, version="toy")


def _detect(text, model):
    from clause_audit.detect import detect
    from clause_audit.lexicon import default_lexicon
    from clause_audit.readers import read_bytes
    from clause_audit.segment import segment

    doc = read_bytes(text.encode(), "a.txt")
    return detect(doc, segment(doc), default_lexicon(), model)[0]


def test_a_rule_hit_the_model_confirms_comes_from_both_sources():
    (f,) = [f for f in _detect("会员服务一经开通，概不退款。\n", _toy_model(5.0)) if f.category == "no_refund"]
    assert f.source == "both" and f.severity == "error"
    assert any(e.kind == "model" and e.text == "0.88" for e in f.evidence)
    assert any(e.kind == "model" and e.text == "退款" and e.start is not None for e in f.evidence)


def test_a_rule_hit_the_model_doubts_stands_with_lower_confidence():
    confirmed = _detect("会员服务一经开通，概不退款。\n", _toy_model(5.0))[0]
    doubted = _detect("会员服务一经开通，概不退款。\n", _toy_model(0.0))[0]
    assert doubted.source == "lexicon" and doubted.rule == confirmed.rule
    assert doubted.confidence < confirmed.confidence


def test_the_model_alone_reports_a_warning_that_says_where_it_looked():
    text = "订单完成后如需退款，请自行承担全部损失。\n"
    assert not _detect(text, None)
    (f,) = _detect(text, _toy_model(5.0))
    assert (f.rule, f.category, f.severity, f.source) == ("no_refund.classifier", "no_refund", "warning", "classifier")
    assert f.legal_basis and f.suggestion and "售出不退" in f.message
    located = [e for e in f.evidence if e.kind == "model" and e.start is not None]
    assert located and text[located[0].start:located[0].end] == "退款"


def test_the_model_stays_below_its_threshold_and_behind_protective_wording():
    assert not _detect("订单完成后如需退款，请联系客服。\n", _toy_model(3.5))  # p = 0.62 < 0.7
    # an exception cancelled the auto_renewal rule here: the model may not add the category back
    assert not _detect("会员到期后将自动续费，扣费前5日短信提醒，您可随时取消。\n", _toy_model(0.0, 9.0))
    assert _detect("会员到期后将自动续费，由系统处理。\n", _toy_model(0.0, 9.0))


def test_fingerprint_keeps_leading_amounts_and_periods():
    assert fingerprint("r", "7日后不予退款。") != fingerprint("r", "30日后不予退款。")
    assert fingerprint("r", "一年内有效。") != fingerprint("r", "十年内有效。")
    assert fingerprint("r", "（2）会员不退。") == fingerprint("r", "3、会员不退。") == fingerprint("r", "第四条 会员不退。")
