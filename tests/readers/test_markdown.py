"""Markdown reader: markup stripped, emphasis and headings kept, positions in the .md file."""

from clause_audit.readers import read_bytes


def read(md):
    return read_bytes(md.encode("utf-8"), "a.md")


def test_markup_is_removed_and_emphasis_recorded():
    doc = read("# 购买须知\n\n1. **卡密一经发出概不退换。** 请核对后购买。\n2. __余额逾期清零__。\n3. <u>最终解释权</u>归本站。\n")
    assert doc.text.split("\n")[:4] == ["购买须知", "1. 卡密一经发出概不退换。 请核对后购买。", "2. 余额逾期清零。",
                                        "3. 最终解释权归本站。"]
    assert [doc.text[s.start:s.end] for s in doc.emphasis] == ["卡密一经发出概不退换。", "余额逾期清零", "最终解释权"]
    assert [doc.text[h.start:h.end] for h in doc.headings] == ["购买须知"]


def test_links_and_code_keep_their_text():
    doc = read("详见[《退款规则》](https://example.invalid/r)与`设置`页。")
    assert doc.text.strip() == "详见《退款规则》与设置页。"


def test_positions_are_in_the_markdown_source():
    md = "# 标题\n\n- 第一项。\n- **会员不退**。\n"
    doc = read(md)
    assert doc.source_map.position(doc.text.index("会员不退")) == (4, 5)


def test_soft_wrapped_paragraph_is_joined():
    doc = read("会员服务一经开通\n不予退款。\n\n下一段。")
    assert doc.text.split("\n")[:2] == ["会员服务一经开通不予退款。", "下一段。"]


def test_emphasis_does_not_leak_across_paragraphs():
    doc = read("**重要提示：\n\n会员费不退。\n")
    assert "会员费不退" not in "".join(doc.text[s.start:s.end] for s in doc.emphasis)


def test_image_alt_text_position():
    doc = read("![示意图](a.png)")
    assert doc.source_map.position(doc.text.index("示意图")) == (1, 3)
