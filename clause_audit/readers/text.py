"""Decode plain-text agreements (.txt, stdin) whatever encoding a crawler saved them in."""

from __future__ import annotations

import codecs

from ..types import Document, SourceMap
from .errors import ReadError

# Control characters that never occur in a real agreement (tab, LF, CR, FF and ESC-free text only).
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f", "\v"}
_CANDIDATES = ("gb18030", "big5", "utf_16")


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Return (text, encoding) for raw bytes, trying BOMs, UTF-8, then GB18030/Big5.

    Raises:
        ReadError: the bytes are binary or in no encoding we can identify.
    """
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", name), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", name), "utf-16"
    if b"\x00" in data:
        raise ReadError(f"{name}: 不是文本文件（含有空字节，可能是二进制文件）")
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        text, encoding = _guess_legacy(data, name)
    _reject_binary(text, name)
    return text, encoding


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ReadError(f"{name}: 按 {encoding} 解码失败（第 {exc.start} 字节）") from None
    return text.removeprefix("\ufeff")


def _guess_legacy(data: bytes, name: str) -> tuple[str, str]:
    """Pick among the legacy Chinese encodings those that decode cleanly, best-scored first."""
    decoded = {}
    for encoding in ("gb18030", "big5"):
        try:
            decoded[encoding] = data.decode(encoding)
        except UnicodeDecodeError:
            continue
    if not decoded:
        raise ReadError(f"{name}: 无法识别文件编码（不是 UTF-8、GB18030/GBK 或 Big5 文本）")
    if len(decoded) == 1:
        return next(iter(decoded.items()))[::-1]
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(decoded)).best()
    encoding = best.encoding if best is not None and best.encoding in decoded else "gb18030"
    return decoded[encoding], encoding


def _reject_binary(text: str, name: str) -> None:
    sample = text[:65536]
    if not sample:
        return
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in _ALLOWED_CONTROLS)
    if controls / len(sample) > 0.01:
        raise ReadError(f"{name}: 不是文本文件（控制字符过多，可能是二进制文件）")


def read_text(data: bytes, path: str) -> Document:
    """Return a Document whose text is the decoded file, unchanged."""
    text, encoding = decode(data, path)
    return Document(text=text, path=path, format="text", encoding=encoding,
                    source_map=line_map(text))


def line_map(text: str) -> SourceMap:
    """Anchor every line start so offsets become 1-based (line, column) of the same text."""
    anchors = [(0, 1, 1)]
    line = 1
    i = 0
    n = len(text)
    while i < n:
        j = _next_break(text, i)
        if j < 0:
            break
        i = j + (2 if text.startswith("\r\n", j) else 1)
        line += 1
        anchors.append((i, line, 1))
    return SourceMap(tuple(anchors))


def _next_break(text: str, start: int) -> int:
    lf = text.find("\n", start)
    cr = text.find("\r", start)
    if cr < 0:
        return lf
    if lf < 0:
        return cr
    return min(lf, cr)
