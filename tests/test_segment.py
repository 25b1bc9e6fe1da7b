"""Segmenter tables: numbering styles, line endings, BOM, punctuation widths, lead-ins, exact offsets."""

import pytest

from clause_audit.readers import read_bytes
from clause_audit.segment import MAX_CLAUSE, segment


def clauses_of(text, name="a.txt", encoding="utf-8"):
    doc = read_bytes(text.encode(encoding), name)
    result = segment(doc)
    for c in result:  # every clause is an exact slice of the document text
        assert doc.text[c.span.start:c.span.end] == c.text
    return result


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("第一条 本协议自您同意之日起生效。\n第二条 会员费一经支付不予退还。\n",
         [("第一条", "本协议自您同意之日起生效。"), ("第二条", "会员费一经支付不予退还。")]),
        ("一、课程一经购买不退。\n二、平台有权修改本协议。", [("一、", "课程一经购买不退。"), ("二、", "平台有权修改本协议。")]),
        ("（一）平台不承担任何责任；\n（二）用户自行承担风险。",
         [("（一）", "平台不承担任何责任；"), ("（二）", "用户自行承担风险。")]),
        ("1.1 会员自动续费。\n1.2 续费前不另行通知。", [("1.1", "会员自动续费。"), ("1.2", "续费前不另行通知。")]),
        ("1) 余额逾期清零。\n2) 账号可被回收。", [("1)", "余额逾期清零。"), ("2)", "账号可被回收。")]),
        ("①课程不退；\n②会员不退。", [("①", "课程不退；"), ("②", "会员不退。")]),
        ("1. 卡密发出后概不退换。\n2、充值后不可提现。", [("1.", "卡密发出后概不退换。"), ("2、", "充值后不可提现。")]),
    ],
    ids=["article", "zh-top", "zh-paren", "dotted", "arabic-paren", "circled", "arabic"],
)
def test_numbering_is_recognised_and_kept_out_of_the_clause(text, expected):
    assert [(c.number, c.text) for c in clauses_of(text)] == expected


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_line_endings(newline):
    text = newline.join(["第一条 甲。", "第二条 乙。", "第三条 丙。"]) + newline
    assert [c.text for c in clauses_of(text)] == ["甲。", "乙。", "丙。"]


def test_bom_is_not_part_of_the_first_clause():
    cs = clauses_of("\ufeff会员服务一经开通不予退款。")
    assert cs[0].text == "会员服务一经开通不予退款。"


def test_full_and_half_width_sentence_ends_split():
    cs = clauses_of("会员不退！课程可以退吗？可以。Fine! OK?")
    assert [c.text for c in cs] == ["会员不退！", "课程可以退吗？", "可以。", "Fine!", "OK?"]


def test_brackets_and_quotes_are_not_split_inside():
    text = "本协议所称“虚拟商品（包括会员、点券。以及卡密）”均适用本条。第二句。"
    assert [c.text for c in clauses_of(text)] == ["本协议所称“虚拟商品（包括会员、点券。以及卡密）”均适用本条。", "第二句。"]


def test_unbalanced_bracket_does_not_swallow_the_item():
    text = "注意（此处括号没有闭合。" + "平台有权修改协议。" * 40
    assert len(clauses_of(text)) > 20


def test_but_and_except_continuations_stay_with_their_sentence():
    cs = clauses_of("课程一经购买不予退款。但课程存在质量问题的除外。下一句。")
    assert [c.text for c in cs] == ["课程一经购买不予退款。但课程存在质量问题的除外。", "下一句。"]


def test_headings_are_section_context_not_clauses():
    text = "会员服务协议\n第五条 退款规则\n5.1 会员一经开通不予退款。\n"
    cs = clauses_of(text)
    assert [c.text for c in cs] == ["会员一经开通不予退款。"]
    assert cs[0].section == "第五条 退款规则"


def test_list_items_carry_their_lead_in():
    text = "6.4 出现下列情形之一的，平台不予退款：\n（1）课程已观看超过三节的；\n（2）已下载课件的\n6.5 其他。"
    cs = clauses_of(text)
    assert cs[0].text == "出现下列情形之一的，平台不予退款："
    assert [c.context for c in cs[1:3]] == ["出现下列情形之一的，平台不予退款："] * 2
    assert cs[3].context != cs[1].context


def test_inline_sub_items_are_split_and_carry_the_lead_in():
    cs = clauses_of("以下情形恕不退款：（1）已激活的卡密；（2）已使用的优惠券。")
    assert [c.text for c in cs] == ["以下情形恕不退款：", "已激活的卡密；", "已使用的优惠券。"]
    assert [c.number for c in cs[1:]] == ["（1）", "（2）"]
    assert cs[2].context == "以下情形恕不退款："


def test_short_item_without_punctuation_under_a_lead_in_is_a_clause():
    cs = clauses_of("以下情形不予退款：\n1. 已下载课件的\n2. 已开课")
    assert [c.text for c in cs][1:] == ["已下载课件的", "已开课"]


def test_long_run_on_line_is_cut_near_commas():
    text = "平台可以调整服务内容，" * 300
    cs = clauses_of(text)
    assert all(len(c.text) <= MAX_CLAUSE for c in cs)
    assert "".join(c.text for c in cs) == text


def test_long_line_without_any_punctuation_is_cut_hard():
    cs = clauses_of("退" * 5000)
    assert all(len(c.text) <= MAX_CLAUSE for c in cs) and sum(len(c.text) for c in cs) == 5000


def test_long_items_split_at_semicolons_short_ones_do_not():
    short = clauses_of("会员不退；课程不退。")
    assert len(short) == 1
    long_item = "；".join(["平台有权随时调整会员权益及服务内容且无需另行通知"] * 8) + "。"
    assert len(clauses_of(long_item)) == 8


def test_empty_and_whitespace_only_documents_have_no_clauses():
    assert clauses_of("") == [] and clauses_of(" \n\r\n\t ") == []


@pytest.mark.parametrize(
    "line",
    ["1. 会员费一经支付不退", "一、会员费一经支付不退", "8.3 虚拟商品一经售出不退不换", "第八条 本协议最终解释权归本公司所有",
     "本平台有权随时修改本规则", "用户注册即视为同意本协议"],
)
def test_short_unpunctuated_clauses_are_not_taken_for_headings(line):
    assert len(clauses_of(line + "\n")) == 1


@pytest.mark.parametrize("line", ["第五条 退款规则", "四、自动续费", "第七条 协议的变更与终止", "1.2 会员服务"])
def test_short_titles_are_headings(line):
    assert clauses_of(line + "\n") == []


def test_cross_references_and_amounts_are_not_numbering():
    cs = clauses_of("第3条规定的情形除外，会员费一经支付不予退还。\n1.5元/天的服务费不予退还。\n")
    assert [(c.number, c.text[:4]) for c in cs] == [("", "第3条规"), ("", "1.5元")]


def test_unnumbered_items_after_a_lead_in_carry_it_until_a_full_stop():
    cs = clauses_of("以下情形不予退款：\n已使用会员权益的；\n超过7日的。\n其他说明。\n")
    assert [c.context for c in cs[1:]] == ["以下情形不予退款：", "以下情形不予退款：", ""]


def test_hard_wrapped_plain_text_is_rejoined_so_carve_outs_stay_with_their_clause():
    text = "第五条 会员服务开通后，除商品存在质量问题外，\n概不退还。本公司对本协议享有\n最终解释权。\n第六条 其他。\n"
    cs = clauses_of(text)
    assert [c.text for c in cs] == ["会员服务开通后，除商品存在质量问题外，\n概不退还。", "本公司对本协议享有\n最终解释权。", "其他。"]


def test_short_unpunctuated_lines_are_not_joined():
    cs = clauses_of("以下情形不予退款：\n已下载课件的\n已开课\n")
    assert [c.text for c in cs][1:] == ["已下载课件的", "已开课"]
