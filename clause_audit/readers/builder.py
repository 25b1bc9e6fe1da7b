"""Assemble a Document's text from pieces of a marked-up source, keeping where each piece came from."""

from __future__ import annotations

import unicodedata

from ..types import Document, SourceMap, Span


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


class TextBuilder:
    """Collect rendered text, source anchors and emphasis/heading spans.

    Whitespace is folded as a browser does; a line break between two East Asian wide characters
    disappears (CSS Text 3 segment-break rule), so hard-wrapped Chinese source stays one run of text.
    """

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.anchors: list[tuple[int, int, int]] = []
        self.emphasis: list[Span] = []
        self.headings: list[Span] = []
        self.blocks: list[Span] = []
        self._pending_space = ""  # "" none, " " plain, "\n" contained a segment break
        self._last = "\n"
        self._emphasis_start: int | None = None
        self._emphasis_open = False
        self._block_start = 0

    def add(self, text: str, line: int, column: int, *, preformatted: bool = False) -> None:
        """Append source text that starts at 1-based (line, column)."""
        i = 0
        n = len(text)
        while i < n:
            ch = text[i]
            if ch.isspace() and not preformatted:
                j = i
                while j < n and text[j].isspace():
                    if text[j] in "\r\n":
                        self._pending_space = "\n"
                    elif not self._pending_space:
                        self._pending_space = " "
                    j += 1
                line, column = _advance(text, i, j, line, column)
                i = j
                continue
            j = i
            while j < n and (not text[j].isspace() if not preformatted else text[j] not in "\r\n"):
                j += 1
            if preformatted and j < n:
                j += 1 + (text.startswith("\r\n", j))  # keep the line break, anchor the next line anew
            self._flush_space(text[i])
            self._emit(text[i:j], line, column)
            line, column = _advance(text, i, j, line, column)
            i = j

    def add_literal(self, text: str, line: int, column: int) -> None:
        """Append text that stands for one source token (an entity), anchored at its start."""
        if text.isspace():
            if not self._pending_space:
                self._pending_space = " "
            return
        self._flush_space(text[0])
        self._emit(text, line, column)

    def break_block(self) -> None:
        """End the current block: the next text starts on a new line."""
        self._pending_space = ""
        if self.length and self._last != "\n":
            self.blocks.append(Span(self._block_start, self.length))
            self._raw("\n")
        self._block_start = self.length

    def begin_emphasis(self) -> None:
        """Open emphasis; it starts at the next visible character, not at folded whitespace."""
        self._emphasis_open = True

    def end_emphasis(self) -> None:
        if self._emphasis_start is not None and self.length > self._emphasis_start:
            self.emphasis.append(Span(self._emphasis_start, self.length))
        self._emphasis_start = None
        self._emphasis_open = False

    @property
    def offset(self) -> int:
        return self.length

    def document(self, path: str, fmt: str, encoding: str | None) -> Document:
        self.end_emphasis()
        self.break_block()
        text = "".join(self.parts)
        return Document(text=text, path=path, format=fmt, encoding=encoding,
                        emphasis=tuple(_merge(self.emphasis)), blocks=tuple(self.blocks),
                        headings=tuple(self.headings), source_map=SourceMap(tuple(self.anchors)))

    def _flush_space(self, next_char: str) -> None:
        pending, self._pending_space = self._pending_space, ""
        if not pending or self._last in " \n" or not self.length:
            return
        if pending == "\n" and _is_wide(self._last) and _is_wide(next_char):
            return
        self._raw(" ")

    def _emit(self, text: str, line: int, column: int) -> None:
        if self._emphasis_open and self._emphasis_start is None:
            self._emphasis_start = self.length
        self.anchors.append((self.length, line, column))
        self._raw(text)

    def _raw(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)
        self._last = text[-1]


def _advance(text: str, i: int, j: int, line: int, column: int) -> tuple[int, int]:
    """Move a source position over text[i:j]."""
    chunk = text[i:j]
    breaks = chunk.count("\n") + chunk.count("\r") - chunk.count("\r\n")
    if not breaks:
        return line, column + (j - i)
    last = max(chunk.rfind("\n"), chunk.rfind("\r"))
    return line + breaks, len(chunk) - last


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: s.start):
        if merged and span.start <= merged[-1].end:
            last = merged.pop()
            merged.append(Span(last.start, max(last.end, span.end)))
        else:
            merged.append(span)
    return merged
