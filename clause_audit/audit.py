"""The pipeline: read -> segment -> detect -> check -> report. The only module that knows the order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from .detect import Scorer, detect
from .grade import grade
from .lexicon import Lexicon, default_lexicon
from .readers import ReadError, read_bytes, read_path
from .segment import segment
from .types import Document, DocumentReport, Report


def audit_document(doc: Document, lexicon: Lexicon | None = None,
                   scorer: Scorer | None = None) -> DocumentReport:
    """Audit a Document that a reader produced."""
    lexicon = lexicon or default_lexicon()
    clauses = segment(doc)
    findings, near_misses = detect(doc, clauses, lexicon, scorer)
    return DocumentReport(path=doc.path, format=doc.format, encoding=doc.encoding,
                          clauses=tuple(clauses), findings=tuple(findings), grade=grade(findings),
                          document=doc, near_misses=tuple(near_misses))


def printable(name: str) -> str:
    """Make a file name from the OS (undecodable bytes kept as surrogates) safe to print as UTF-8."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def audit_path(path: str, lexicon: Lexicon | None = None, scorer: Scorer | None = None) -> DocumentReport:
    """Audit one file (or '-' for stdin); an unreadable input gives a report with `error` set."""
    try:
        doc = read_path(path)
    except ReadError as exc:
        return DocumentReport(path="<stdin>" if path == "-" else printable(path), error=printable(str(exc)))
    if doc.path != printable(doc.path):
        doc = replace(doc, path=printable(doc.path))
    return audit_document(doc, lexicon, scorer)


def audit(paths: str | Iterable[str], *, lexicon: Lexicon | None = None) -> Report:
    """Audit one or several files into one Report."""
    if isinstance(paths, str):
        paths = [paths]
    return Report(documents=tuple(audit_path(p, lexicon) for p in paths))


def audit_text(text: str, *, name: str = "<text>", lexicon: Lexicon | None = None) -> Report:
    """Audit an agreement given as a string (read as plain text unless name ends in .html/.md)."""
    try:
        doc = read_bytes(text.encode("utf-8"), name)
    except ReadError as exc:
        return Report(documents=(DocumentReport(path=name, error=str(exc)),))
    return Report(documents=(audit_document(doc, lexicon),))
