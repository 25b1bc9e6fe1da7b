"""HTML reader: rendered text, emphasis from tags, inline styles and <style> classes, positions."""

from clause_audit.readers import read_bytes


def read(html):
    return read_bytes(html.encode("utf-8"), "a.html")


def emphasized_texts(doc):
    return [doc.text[s.start:s.end] for s in doc.emphasis]


def test_block_elements_become_lines_and_scripts_are_dropped():
    doc = read("<html><head><title>标题</title><style>p{color:red}</style></head><body>"
               "<h1>会员协议</h1><p>第一条 甲。</p><div>第二条 乙。</div><script>var a='不退款';</script></body></html>")
    assert doc.text.split("\n")[:3] == ["会员协议", "第一条 甲。", "第二条 乙。"]
    assert "不退款" not in doc.text and "标题" not in doc.text
    assert [doc.text[h.start:h.end] for h in doc.headings] == ["会员协议"]


def test_emphasis_tags():
    doc = read("<p>一般内容<b>加粗</b>，<strong>强调</strong>，<u>下划线</u>，<ins>插入</ins>，<mark>标记</mark>，<em>斜体</em>。</p>")
    assert emphasized_texts(doc) == ["加粗", "强调", "下划线", "插入", "标记"]


def test_inline_styles_and_style_classes():
    doc = read("<style>.key { font-weight: 700 } p.warn span.u{text-decoration: underline}</style>"
               "<p><span style='font-weight:bold'>甲</span> <span style=\"font-weight: 400\">乙</span> "
               "<span class='key'>丙</span> <span class='u other'>丁</span> "
               "<span style='text-decoration-line: underline'>戊</span> <span style='font-weight:600'>己</span></p>")
    assert emphasized_texts(doc) == ["甲", "丙", "丁", "戊", "己"]


def test_nested_emphasis_is_one_span():
    doc = read("<p><b>会员<u>一经开通</u>不退</b>。</p>")
    assert emphasized_texts(doc) == ["会员一经开通不退"]


def test_entities_and_whitespace():
    doc = read("<p>A&amp;B&nbsp;平台   &lt;规则&gt;\n  说明</p>")
    assert doc.text.strip() == "A&B 平台 <规则> 说明"


def test_hard_wrapped_chinese_is_joined_without_spaces():
    doc = read("<p>会员服务一经开通\n   不予退款。</p>")
    assert doc.text.strip() == "会员服务一经开通不予退款。"


def test_source_positions_point_into_the_html_file():
    html = "<html>\n<body>\n  <p>第一条 甲。</p>\n  <p>第二条 <b>会员不退</b>。</p>\n</body></html>"
    doc = read(html)
    line, column = doc.source_map.position(doc.text.index("会员不退"))
    assert (line, column) == (4, html.split("\n")[3].index("会员不退") + 1)


def test_declared_gbk_charset_is_honoured():
    html = '<html><head><meta charset="gbk"></head><body><p>卡密一经发出概不退换。</p></body></html>'
    doc = read_bytes(html.encode("gbk"), "a.html")
    assert "卡密一经发出概不退换。" in doc.text


def test_unclosed_and_stray_tags_do_not_leak_emphasis():
    doc = read("<p><b>加粗<p>下一段</b></i>正文</p>")
    assert "正文" not in "".join(emphasized_texts(doc))


def test_deeply_nested_divs():
    doc = read("<div>" * 5000 + "内容。" + "</div>" * 5000)
    assert doc.text.strip() == "内容。"


def test_omitted_head_end_tag_does_not_hide_the_body():
    doc = read("<html><head><title>协议</title><meta charset=utf-8><body><p>会员费一经支付概不退还。</p></body></html>")
    assert doc.text.strip() == "会员费一经支付概不退还。"


def test_preformatted_lines_keep_their_own_positions():
    html = "<pre>第一条 甲。\n第二条 会员不退。\n</pre>"
    doc = read(html)
    assert doc.source_map.position(doc.text.index("会员不退")) == (2, 5)


def test_normal_weight_inside_bold_and_hover_rules_are_not_emphasis():
    doc = read("<style>.n{font-weight:normal} .h:hover{text-decoration:underline} .f{font: bold 14px serif}</style>"
               "<p><b>加粗<span style='font-weight:normal'>常规</span>再加粗</b> <strong class='n'>类常规</strong> "
               "<span class='h'>悬停</span> <span class='f'>简写加粗</span></p>")
    assert emphasized_texts(doc) == ["加粗", "再加粗", "简写加粗"]
