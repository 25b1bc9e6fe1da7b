"""Property tests: whatever the text, offsets stay valid and plain-text findings are exact slices."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clause_audit import audit_text
from clause_audit.readers import ReadError, read_bytes
from clause_audit.segment import segment

# Agreement-like alphabet: Chinese words that rules react to, numbering, punctuation, line breaks.
PIECES = st.sampled_from([
    "会员", "一经", "售出", "概不退款", "不予退还", "自动续费", "无需另行通知", "最终解释权", "归本公司所有",
    "有权随时", "修改", "终止", "视为同意", "不承担任何责任", "七日无理由", "可随时取消", "但", "除外",
    "第一条", "1.1", "（一）", "（2）", "①", "一、", "：", "；", "。", "，", "！", "“", "”", "（", "）", "【", "】",
    "\n", "\r\n", "\r", " ", "\t", "\u3000", "\ufeff", "a", "1", "。。", "……",
])
AGREEMENT = st.lists(PIECES, max_size=80).map("".join)
ANY_TEXT = st.text(max_size=300)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(AGREEMENT, ANY_TEXT, st.tuples(AGREEMENT, ANY_TEXT).map("".join)))
def test_plain_text_findings_are_exact_slices(text):
    report = audit_text(text, name="x.txt")
    doc = report.documents[0]
    if doc.error:
        return  # e.g. control characters: refused with a message, never a crash
    source = doc.document.text
    for f in doc.findings:
        assert 0 <= f.span.start < f.span.end <= len(source)
        assert source[f.span.start:f.span.end] == f.text
        line, column = doc.document.source_map.position(f.span.start)
        assert line >= 1 and column >= 1


@settings(max_examples=150, deadline=None)
@given(st.one_of(AGREEMENT, ANY_TEXT))
def test_clauses_are_ordered_disjoint_slices(text):
    try:
        doc = read_bytes(text.encode("utf-8"), "x.txt")
    except ReadError:
        return  # refused with a message; any other exception fails the test
    last_end = 0
    for c in segment(doc):
        assert last_end <= c.span.start < c.span.end <= len(doc.text)
        assert doc.text[c.span.start:c.span.end] == c.text and c.text == c.text.strip()
        last_end = c.span.end


HTML_PIECES = st.sampled_from(["<p>", "</p>", "<b>", "</b>", "<u>", "<div>", "</div>", "<br>", "&amp;", "&nbsp;",
                               "<span style='font-weight:700'>", "</span>", "<h2>", "</h2>", "\n", " "])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(HTML_PIECES, PIECES), max_size=60).map("".join))
def test_html_emphasis_spans_stay_inside_the_text(html):
    doc = read_bytes(html.encode("utf-8"), "x.html")
    for span in (*doc.emphasis, *doc.headings):
        assert 0 <= span.start <= span.end <= len(doc.text)
    for c in segment(doc):
        assert doc.text[c.span.start:c.span.end] == c.text
