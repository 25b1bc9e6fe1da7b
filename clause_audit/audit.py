"""The pipeline: read -> segment -> detect -> check -> report. The only module that knows the order."""

from __future__ import annotations

from collections.abc import Iterable

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


def audit_path(path: str, lexicon: Lexicon | None = None, scorer: Scorer | None = None) -> DocumentReport:
    """Audit one file (or '-' for stdin); an unreadable input gives a report with `error` set."""
    try:
        doc = read_path(path)
    except ReadError as exc:
        return DocumentReport(path="<stdin>" if path == "-" else path, error=str(exc))
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
