"""Decode plain-text agreements (.txt, stdin) whatever encoding a crawler saved them in."""

from __future__ import annotations

import codecs

from ..types import Document, SourceMap
from .errors import ReadError

# Control characters that never occur in a real agreement (tab, LF, CR, FF and ESC-free text only).
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f", "\v", "\x1a"}  # \x1a: DOS end-of-file mark


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Return (text, encoding) for raw bytes, trying BOMs, UTF-8, then GB18030/Big5.

    Raises:
        ReadError: the bytes are binary or in no encoding we can identify.
    """
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", name), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return _strict(data, "utf-32", name), "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", name), "utf-16"
    if b"\x00" in data:
        encoding = _utf16_without_bom(data)
        if encoding is None:
            raise ReadError(f"{name}: 不是文本文件（含有空字节，可能是二进制文件）")
        text = _strict(data, encoding, name)
        _reject_binary(text, name)
        return text, encoding
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
    # Both decode: the right one reads as agreement text. Score each by how many of its Chinese
    # characters occur in our lexicons (simplified and traditional alike); GB18030 wins ties.
    scores = {enc: _vocabulary_share(text) for enc, text in decoded.items()}
    encoding = max(decoded, key=lambda enc: (scores[enc], enc == "gb18030"))
    return decoded[encoding], encoding


def _vocabulary_share(text: str) -> float:
    from ..lexicon import normalise, vocabulary

    chinese = [ch for ch in normalise(text[:20000]) if "\u3400" <= ch <= "\u9fff"]
    if not chinese:
        return 0.0
    known = vocabulary()
    return sum(ch in known for ch in chinese) / len(chinese)


def _utf16_without_bom(data: bytes) -> str | None:
    """Recognise UTF-16 without a BOM: the byte order that decodes to agreement text, if either does."""
    if len(data) % 2 or len(data) < 4:
        return None
    best, best_share = None, 0.5
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            share = _vocabulary_share(data.decode(encoding))
        except UnicodeDecodeError:
            continue
        if share >= best_share:
            best, best_share = encoding, share
    return best


def _reject_binary(text: str, name: str) -> None:
    sample = text[:65536]
    if not sample:
        return
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in _ALLOWED_CONTROLS)
    if controls > 2 and controls / len(sample) > 0.01:
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
