"""Read Markdown agreements: headings, list items, and **bold** / __underline__ / <u> emphasis."""

from __future__ import annotations

import re

from ..types import Document, Span
from .builder import TextBuilder
from .text import decode

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+")
_BULLET = re.compile(r"^[ \t]*(?:[-*+][ \t]+|>[ \t]?)+")
_NUMBERED = re.compile(r"^[ \t]*(?:\d+(?:\.\d+)*[.、)）]|[（(][一二三四五六七八九十\d]+[）)]|[①-⑳]|第[一二三四五六七八九十百零〇\d]+[条章节])")
_TOKEN = re.compile(
    r"\*\*|__|</?(?:u|b|strong|ins|mark)>|<!--.*?-->|!?\[([^\]\n]*)\]\([^)\n]*\)|`+|\\([\\`*_{}\[\]()#+\-.!])",
    re.I,
)
_CLOSING_HASHES = re.compile(r"[ \t]+#+[ \t]*$")


def read_markdown(data: bytes, path: str) -> Document:
    """Return the text of a Markdown file without markup, with emphasis and heading spans."""
    source, encoding = decode(data, path)
    out = TextBuilder()
    state = {"bold": False, "under": False, "tags": 0}
    in_fence = False
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", source), start=1):
        stripped = raw.strip()
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
            out.break_block()
            continue
        if not stripped or re.fullmatch(r"(?:[-*_][ \t]*){3,}", stripped):
            out.end_emphasis()  # CommonMark: emphasis never spans a blank line
            state.update(bold=False, under=False, tags=0)
            out.break_block()
            continue
        column = 1
        line = raw
        heading = _HEADING.match(line)
        if heading:
            out.end_emphasis()
            state.update(bold=False, under=False, tags=0)
            out.break_block()
            column += heading.end()
            line = _CLOSING_HASHES.sub("", line[heading.end():])
            start = out.offset
            _inline(out, line, number, column, state)
            out.break_block()
            if out.offset > start:
                out.headings.append(Span(start, out.offset - 1))
            continue
        bullet = _BULLET.match(line)
        if bullet:
            out.break_block()
            column += bullet.end()
            line = line[bullet.end():]
        elif _NUMBERED.match(line) or in_fence:
            out.break_block()
        _inline(out, line, number, column, state)
        if in_fence:
            out.break_block()
    return out.document(path, "markdown", encoding)


def _inline(out: TextBuilder, line: str, number: int, column: int, state: dict) -> None:
    pos = 0
    for match in _TOKEN.finditer(line):
        if match.start() > pos:
            out.add(line[pos:match.start()], number, column + pos)
        token = match.group(0)
        pos = match.end()
        if match.group(1) is not None:  # a link or image: keep its text
            out.add(match.group(1), number, column + match.start() + token.index("[") + 1)
            continue
        if match.group(2) is not None:  # an escaped character
            out.add(match.group(2), number, column + match.start() + 1)
            continue
        before = _emphasized(state)
        lower = token.lower()
        if token == "**":
            state["bold"] = not state["bold"]
        elif token == "__":
            state["under"] = not state["under"]
        elif lower.startswith("</") and state["tags"]:
            state["tags"] -= 1
        elif lower.startswith("<") and not lower.startswith(("<!--", "</")):
            state["tags"] += 1
        after = _emphasized(state)
        if after and not before:
            out.begin_emphasis()
        elif before and not after:
            out.end_emphasis()
    if pos < len(line):
        out.add(line[pos:], number, column + pos)


def _emphasized(state: dict) -> bool:
    return state["bold"] or state["under"] or state["tags"] > 0
