"""Pick the reader for an input by its name and turn the input into a Document."""

from __future__ import annotations

import sys
from pathlib import Path

from ..types import Document
from .errors import ReadError
from .html import read_html
from .markdown import read_markdown
from .text import read_text

READERS = {
    ".txt": read_text,
    ".text": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".xhtml": read_html,
    ".md": read_markdown,
    ".markdown": read_markdown,
}
NOT_YET = {".docx": "Word (.docx)", ".pdf": "PDF", ".doc": "Word 97 (.doc)"}
MAX_BYTES = 50 * 1024 * 1024

__all__ = ["ReadError", "read_bytes", "read_path"]


def read_bytes(data: bytes, name: str) -> Document:
    """Turn raw bytes into a Document, choosing the reader by the name's suffix (text by default)."""
    suffix = Path(name).suffix.lower()
    if suffix in NOT_YET:
        raise ReadError(f"{name}: 暂不支持 {NOT_YET[suffix]} 格式，请先另存为 HTML、Markdown 或 TXT")
    reader = READERS.get(suffix)
    if reader is None:
        reader = read_html if _looks_like_html(data) else read_text
    return reader(data, name)


def read_path(path: str) -> Document:
    """Read a file, or standard input when path is '-'.

    Raises:
        ReadError: missing, unreadable, too large, binary or undecodable input.
    """
    if path == "-":
        if sys.stdin is None or not hasattr(sys.stdin, "buffer"):
            raise ReadError("<stdin>: 标准输入不可用")
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise ReadError(f"<stdin>: 输入过大（上限 {MAX_BYTES // 1048576} MB）")
        return read_bytes(data, "<stdin>")
    p = Path(path)
    try:
        if p.is_dir():
            raise ReadError(f"{path}: 是目录，请给出文件")
        with p.open("rb") as handle:  # read with a limit: /dev/zero and pipes report size 0
            data = handle.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise ReadError(f"{path}: 文件过大（上限 {MAX_BYTES // 1048576} MB）")
    except FileNotFoundError:
        raise ReadError(f"{path}: 文件不存在") from None
    except PermissionError:
        raise ReadError(f"{path}: 没有读取权限") from None
    except OSError as exc:
        raise ReadError(f"{path}: 无法读取（{exc.strerror or exc}）") from None
    return read_bytes(data, path)


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048].removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    while head.startswith(b"<!--") and b"-->" in head:
        head = head[head.index(b"-->") + 3:].lstrip()
    return head.startswith((b"<!doctype html", b"<html"))
