"""Split a Document into clauses: numbered items and sentences, each with its section and lead-in."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .types import Clause, Document, Span

CN_NUM = "一二三四五六七八九十百零〇两"
# Numbering at the start of a line; the group names say which list style it belongs to.
_NUMBER = re.compile(
    rf"""[ \t\u3000]*(?:
      (?P<article>第[{CN_NUM}\d]+[条章节款部分篇](?=[\s\u3000:：、.．]|$))
    | (?P<zh_top>[{CN_NUM}]+[、.．])
    | (?P<zh_paren>[（(][{CN_NUM}]+[）)])
    | (?P<dotted>\d{{1,3}}(?:[.．]\d{{1,3}})+[.．、]?(?![\d元%％角分万亿倍折个次天日月年周小时秒岁]))
    | (?P<arabic>\d{{1,3}}[.．、](?!\d))
    | (?P<arabic_paren>[（(]\d{{1,3}}[）)]|\d{{1,3}}[）)])
    | (?P<circled>[①-⑳])
    | (?P<latin>[（(]?[a-zA-Z][）).、](?![a-zA-Z]))
    )[ \t\u3000]*""",
    re.X,
)
# Sub-items written inline: "……：（1）……；（2）……" — only after a separator, so "(1)" in prose stays.
_INLINE_ITEM = re.compile(rf"(?<=[：:；;。])[ \t\u3000]*(?=(?:[（(](?:\d{{1,2}}|[{CN_NUM}]{{1,3}})[）)]|[①-⑳]|\d{{1,2}}[）)]))")
_SENTENCE_END = "。！？!?"
_OPEN = "（(「『“《【[〔"
_CLOSE = "）)」』”》】]〕"
_CONTINUATION = re.compile(r"^(?:但|但是|除非|然而|不过)|^[^。；]{0,30}除外[。；]?$")
_LEAD_IN = re.compile(r"[：:]\s*$")
_HEADING_END_OF_ITEM = re.compile(r"(?:的|者|时|后|前)$")
# Words that make a short line a clause, never a heading ("1. 会员费一经支付不退").
_CLAUSE_WORDS = re.compile(r"有权|不得|不予|不退|不可|概不|均不|一律|应当|须|视为|即为|归(?:本|我|平台|公司|甲方)|"
                           r"承担|无需|保留|最终解释|即生效")
_TITLE_WORDS = re.compile(r"(?:协议|协定|条款|规则|细则|须知|声明|政策|说明|提示|总则|附则|定义|释义|其他|附录|目录)$")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
MAX_CLAUSE = 400
SPLIT_SEMICOLON_OVER = 160
WRAP_MIN = 20  # a plain-text line this long ending mid-word was hard-wrapped
BRACKET_REACH = 80  # a sentence end this far inside an open bracket ends the sentence anyway


def segment(doc: Document) -> list[Clause]:
    """Return the clauses of a document in order, with exact spans into doc.text."""
    return list(_Segmenter(doc).run())


class _Segmenter:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.text = doc.text
        self.section = ""
        self.lead_in = ""
        self.lead_in_style = ""
        self.index = 0

    def run(self) -> Iterator[Clause]:
        heading_spans = self.doc.headings
        lines = _lines(self.text)
        if self.doc.format == "text":  # hard-wrapped plain text: rejoin lines cut mid-sentence
            lines = _rejoin_wrapped(self.text, lines)
        for start, end in lines:
            start, end = _strip(self.text, start, end)
            if start >= end:
                continue
            line = self.text[start:end]
            match = _NUMBER.match(line)
            style, number = _style(match)
            body_start = start + (match.end() if match and match.end() < len(line) else 0)
            if _is_heading(line, match, style, heading_spans, start, end, bool(self.lead_in)):
                self.section = _clean(line)
                self.lead_in = ""
                continue
            if style == "article":
                self.section = number
            if self.lead_in and style and style == self.lead_in_style:
                self.lead_in = ""
            context = self.lead_in or self.section
            if self.lead_in and not style and self.text[end - 1] in "。.":
                self.lead_in = ""  # an unnumbered list (<li>, plain lines) ends with its full stop
            pieces = list(self._inline_items(body_start, end, number))
            for k, (piece_start, piece_end, piece_number) in enumerate(pieces):
                yield from self._sentences(piece_start, piece_end, piece_number, context)
                if k == 0 and len(pieces) > 1:  # "以下情形不予退款：（1）……；（2）……"
                    context = _lead_in_text(self.text[piece_start:piece_end]) or context
            lead = _lead_in_text(self.text[pieces[-1][0]:pieces[-1][1]]) if pieces else ""
            if lead:
                self.lead_in = lead
                self.lead_in_style = style

    def _inline_items(self, start: int, end: int, number: str) -> Iterator[tuple[int, int, str]]:
        """Yield (start, end, number) for the line body and any inline (1)/(2) sub-items in it."""
        body = self.text[start:end]
        cuts = [m.start() for m in _INLINE_ITEM.finditer(body) if m.end() < len(body)]
        if not cuts:
            yield start, end, number
            return
        bounds = [0, *cuts, len(body)]
        for a, b in zip(bounds, bounds[1:], strict=False):
            piece_start, piece_end = _strip(self.text, start + a, start + b)
            if piece_start >= piece_end:
                continue
            sub = _NUMBER.match(self.text, piece_start, piece_end) if a else None
            if sub and sub.end() < piece_end:
                yield sub.end(), piece_end, _clean(self.text[piece_start:sub.end()])
            else:
                yield piece_start, piece_end, number

    def _sentences(self, start: int, end: int, number: str, context: str) -> Iterator[Clause]:
        for a, b in _split_sentences(self.text, start, end):
            a, b = _strip(self.text, a, b)
            if a >= b or not _has_words(self.text[a:b]):
                continue
            clause = Clause(index=self.index, span=Span(a, b), text=self.text[a:b],
                            section=self.section, number=number, context=context)
            self.index += 1
            yield clause


def _lines(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for match in _LINE_BREAK.finditer(text):
        yield pos, match.start()
        pos = match.end()
    yield pos, len(text)


def _rejoin_wrapped(text: str, lines: Iterator[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Merge a line into the next when it stops mid-sentence and the next is not a new item."""
    pending: tuple[int, int] | None = None
    for start, end in lines:
        a, b = _strip(text, start, end)
        if pending is not None:
            if a < b and not _starts_item(text[a:b]):
                pending = (pending[0], end)
                if _wrapped(text, a, b):
                    continue
                yield pending
                pending = None
                continue
            yield pending
            pending = None
        if a < b and _wrapped(text, a, b):
            pending = (start, end)
        else:
            yield start, end
    if pending is not None:
        yield pending


def _wrapped(text: str, a: int, b: int) -> bool:
    last = text[b - 1]
    if last in "，、,":
        return True
    if not last.isalnum():
        return False
    # long lines ending mid-word, or lines where a new sentence began and was cut ("……。本公司对本协议享有")
    return b - a >= WRAP_MIN or any(ch in _SENTENCE_END for ch in text[a:b])


def _starts_item(line: str) -> bool:
    return bool(_style(_NUMBER.match(line))[0])


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] == "\ufeff"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _style(match: re.Match | None) -> tuple[str, str]:
    if not match:
        return "", ""
    for name, value in match.groupdict().items():
        if value:
            return name, value
    return "", ""


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _lead_in_text(body: str) -> str:
    """Return the body when it introduces a list ("出现下列情形之一的，不予退款："), else ""."""
    return _clean(body) if _LEAD_IN.search(body) else ""


def _is_heading(line: str, match: re.Match | None, style: str, headings: tuple[Span, ...],
                start: int, end: int, in_list: bool) -> bool:
    """Tell a heading ("第五条 退款规则", <h2>) from a short clause ("（2）已下载课件的")."""
    for span in headings:
        if span.start <= start and end <= span.end + 1:
            return True
    title = line[match.end():].strip() if match else line.strip()
    if not title:
        return True  # a bare number on its own line
    if any(ch in title for ch in "。；;！？!?：:，,") or _CLAUSE_WORDS.search(title):
        return False
    if not style:
        return not in_list and len(title) <= 30 and bool(_TITLE_WORDS.search(title))
    if style == "article":
        return len(title) <= 24
    if style in ("zh_top", "zh_paren", "dotted", "arabic"):
        return (not in_list and len(title) <= 16 and not _HEADING_END_OF_ITEM.search(title))
    return False


def _split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split text[start:end] at sentence ends outside brackets; merge "但……除外" continuations."""
    pieces: list[tuple[int, int]] = []
    depth = 0
    opened_at = start
    piece_start = start
    long_item = end - start > SPLIT_SEMICOLON_OVER
    i = start
    while i < end:
        ch = text[i]
        if ch in _OPEN:
            if depth == 0:
                opened_at = i
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        if depth and i - opened_at > BRACKET_REACH:
            depth = 0  # an unbalanced bracket must not swallow the rest of the item
        if depth == 0 and (ch in _SENTENCE_END or (long_item and ch in "；;")):
            j = i + 1
            while j < end and text[j] in _SENTENCE_END + "”」』）)":
                j += 1
            pieces.append((piece_start, j))
            piece_start = j
            i = j
            continue
        i += 1
    if piece_start < end:
        pieces.append((piece_start, end))
    return _cap_length(text, _merge_continuations(text, pieces))


def _merge_continuations(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in pieces:
        body = text[a:b].strip()
        if merged and _CONTINUATION.search(body):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def _cap_length(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Cut run-on pieces longer than MAX_CLAUSE at the last comma or space before the limit."""
    out: list[tuple[int, int]] = []
    for a, b in pieces:
        while b - a > MAX_CLAUSE:
            window = text[a + MAX_CLAUSE // 2:a + MAX_CLAUSE]
            cut = max(window.rfind(ch) for ch in "，,；; 、")
            stop = a + MAX_CLAUSE // 2 + cut + 1 if cut >= 0 else a + MAX_CLAUSE
            out.append((a, stop))
            a = stop
        out.append((a, b))
    return out
