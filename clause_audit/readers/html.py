"""Render HTML agreements to text with the emphasis a reader of the page would see."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from ..types import Document, Span
from .builder import TextBuilder
from .text import decode

BLOCK_TAGS = frozenset(
    ["address", "article", "aside", "blockquote", "body", "br", "dd", "details", "div", "dl", "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul"]
)
EMPHASIS_TAGS = frozenset({"b", "strong", "u", "ins", "mark"})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
SKIP_TAGS = frozenset({"script", "style", "head", "noscript", "template", "svg", "iframe", "object"})
_HEAD_CONTENT = frozenset({"title", "meta", "link", "style", "script", "base", "noscript", "template"})
VOID_TAGS = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"])

_BOLD = re.compile(r"font-weight\s*:\s*(?:bold(?:er)?|[6-9]00)\b|\bfont\s*:[^;]*\b(?:bold(?:er)?|[6-9]00)\b", re.I)
_UNDERLINE = re.compile(r"text-decoration(?:-line)?\s*:[^;]*\bunderline\b", re.I)
_PLAIN = re.compile(r"font-weight\s*:\s*(?:normal|lighter|[1-5]00)\b|text-decoration(?:-line)?\s*:\s*none\b", re.I)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)


def style_plain(style: str) -> bool:
    """Whether a declaration list switches emphasis off (font-weight: normal, text-decoration: none)."""
    return bool(_PLAIN.search(style)) and not style_emphasizes(style)


def style_emphasizes(style: str) -> bool:
    """Whether a CSS declaration list makes text bold (weight ≥ 600) or underlined."""
    return bool(_BOLD.search(style) or _UNDERLINE.search(style))


def emphasis_selectors(css: str, plain: bool = False) -> tuple[set[str], set[str]]:
    """Return (classes, tags) that a <style> block makes bold or underlined (or, with plain, normal)."""
    classes: set[str] = set()
    tags: set[str] = set()
    for selectors, body in _RULE.findall(css):
        if not (style_plain(body) if plain else style_emphasizes(body)):
            continue
        for selector in selectors.split(","):
            last = selector.strip().split()[-1] if selector.strip() else ""
            if ":" in last:
                continue  # :hover, :focus, ::before — not what a reader sees at rest
            found = re.findall(r"\.([\w-]+)", last)
            if found:
                classes.update(found)
            elif re.fullmatch(r"[a-zA-Z][a-zA-Z0-9]*", last):
                tags.add(last.lower())
    return classes, tags


class _Renderer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out = TextBuilder()
        self.stack: list[tuple[str, bool]] = []
        self.marks: list[bool] = []  # explicit emphasis on (True) / off (False) of the open elements
        self.skip_depth = 0
        self.pre_depth = 0
        self.heading_start: int | None = None
        self.classes: set[str] = set()
        self.plain_classes: set[str] = set()
        self.tags: set[str] = set()
        self._style_text: list[str] = []

    # -- structure ------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.stack and self.stack[-1][0] == "head" and tag not in _HEAD_CONTENT:
            self.handle_endtag("head")  # HTML5: </head> may be omitted; body content closes it
        if tag in SKIP_TAGS:
            if tag != "head" or not self.skip_depth:
                self.stack.append((tag, False))
                self.skip_depth += 1
            return
        if tag in BLOCK_TAGS:
            self.out.break_block()
        if tag in VOID_TAGS:
            return
        if tag in HEADING_TAGS and not self.skip_depth:
            self.heading_start = self.out.offset
        if tag == "pre":
            self.pre_depth += 1
        emphasizes = self._emphasizes(tag, dict(attrs))
        self.stack.append((tag, emphasizes))
        if emphasizes is not None:
            before = self._emphasized()
            self.marks.append(emphasizes)
            self._switch(before)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS:
            self.out.break_block()

    def handle_endtag(self, tag: str) -> None:
        if not any(open_tag == tag for open_tag, _ in self.stack):
            if tag in BLOCK_TAGS:
                self.out.break_block()
            return
        while self.stack:
            open_tag, emphasizes = self.stack.pop()
            self._close(open_tag, emphasizes)
            if open_tag == tag:
                break

    def _close(self, tag: str, emphasizes: bool) -> None:
        if tag in SKIP_TAGS and self.skip_depth:
            self.skip_depth -= 1
            if tag == "style":
                css = "".join(self._style_text)
                classes, tags = emphasis_selectors(css)
                self.classes |= classes
                self.tags |= tags - HEADING_TAGS
                self.plain_classes |= emphasis_selectors(css, plain=True)[0]
                self._style_text.clear()
            return
        if emphasizes is not None and self.marks:
            before = self._emphasized()
            self.marks.pop()
            self._switch(before)
        if tag == "pre":
            self.pre_depth -= 1
        if tag in HEADING_TAGS and self.heading_start is not None:
            if self.out.offset > self.heading_start:
                self.out.headings.append(Span(self.heading_start, self.out.offset))
            self.heading_start = None
        if tag in BLOCK_TAGS:
            self.out.break_block()

    def _emphasized(self) -> bool:
        return bool(self.marks) and self.marks[-1]

    def _switch(self, before: bool) -> None:
        after = self._emphasized()
        if after and not before:
            self.out.begin_emphasis()
        elif before and not after:
            self.out.end_emphasis()

    def _emphasizes(self, tag: str, attrs: dict[str, str | None]) -> bool | None:
        """True when the element turns emphasis on, False when it turns it off, None when neither."""
        style = attrs.get("style") or ""
        classes = set((attrs.get("class") or "").split())
        if style_plain(style) or classes & self.plain_classes:
            return False
        if tag in EMPHASIS_TAGS or tag in self.tags or style_emphasizes(style) or classes & self.classes:
            return True
        return None

    # -- text -----------------------------------------------------------------------------
    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            if self.stack and self.stack[-1][0] == "style":
                self._style_text.append(data)
            return
        line, column = self.getpos()
        self.out.add(data, line, column + 1, preformatted=self.pre_depth > 0)

    def handle_entityref(self, name: str) -> None:
        self._entity(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._entity(f"&#{name};")

    def _entity(self, raw: str) -> None:
        if self.skip_depth:
            return
        line, column = self.getpos()
        text = html.unescape(raw).replace("\xa0", " ")
        if text:
            self.out.add_literal(text, line, column + 1)


def sniff_charset(data: bytes) -> str | None:
    """Return the charset a <meta> tag declares in the first 4 KB, if any."""
    match = _CHARSET.search(data[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def read_html(data: bytes, path: str) -> Document:
    """Return the rendered text of an HTML page with its bold/underlined spans."""
    text, encoding = _decode_html(data, path)
    renderer = _Renderer()
    renderer.feed(text)
    renderer.close()
    return renderer.out.document(path, "html", encoding)


def _decode_html(data: bytes, path: str) -> tuple[str, str]:
    declared = sniff_charset(data)
    if declared and declared not in ("utf-8", "utf8"):
        alias = {"gbk": "gb18030", "gb2312": "gb18030", "big5": "big5", "big5-hkscs": "big5hkscs"}
        try:
            return data.decode(alias.get(declared, declared)), alias.get(declared, declared)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data, path)
