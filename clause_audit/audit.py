"""The pipeline: read -> segment -> detect -> check -> report. The only module that knows the order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from .classifier import Model, default_model
from .detect import detect
from .grade import grade
from .lexicon import Lexicon, default_lexicon
from .readers import ReadError, read_bytes, read_path
from .segment import segment
from .types import Document, DocumentReport, Report

USE_DEFAULT = "default"


def resolve_model(model: Model | str | None) -> Model | None:
    """Turn the `model` argument into a Model: "default" loads the shipped one, None means rules only.

    Raises:
        ModelError: the shipped model is damaged.
    """
    return default_model() if model == USE_DEFAULT else model  # type: ignore[return-value]


def audit_document(doc: Document, lexicon: Lexicon | None = None,
                   model: Model | str | None = USE_DEFAULT) -> DocumentReport:
    """Audit a Document that a reader produced."""
    lexicon = lexicon or default_lexicon()
    clauses = segment(doc)
    findings, near_misses = detect(doc, clauses, lexicon, resolve_model(model))
    return DocumentReport(path=doc.path, format=doc.format, encoding=doc.encoding,
                          clauses=tuple(clauses), findings=tuple(findings), grade=grade(findings),
                          document=doc, near_misses=tuple(near_misses))


def printable(name: str) -> str:
    """Make a file name from the OS (undecodable bytes kept as surrogates) safe to print as UTF-8."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def audit_path(path: str, lexicon: Lexicon | None = None,
               model: Model | str | None = USE_DEFAULT) -> DocumentReport:
    """Audit one file (or '-' for stdin); an unreadable input gives a report with `error` set."""
    try:
        doc = read_path(path)
    except ReadError as exc:
        return DocumentReport(path="<stdin>" if path == "-" else printable(path), error=printable(str(exc)))
    if doc.path != printable(doc.path):
        doc = replace(doc, path=printable(doc.path))
    return audit_document(doc, lexicon, model)


def audit(paths: str | Iterable[str], *, lexicon: Lexicon | None = None,
          model: Model | str | None = USE_DEFAULT) -> Report:
    """Audit one or several files into one Report (model: "default", a loaded Model, or None for rules only)."""
    if isinstance(paths, str):
        paths = [paths]
    model = resolve_model(model)
    return Report(documents=tuple(audit_path(p, lexicon, model) for p in paths),
                  model=model.version if model else None)


def audit_text(text: str, *, name: str = "<text>", lexicon: Lexicon | None = None,
               model: Model | str | None = USE_DEFAULT) -> Report:
    """Audit an agreement given as a string (read as plain text unless name ends in .html/.md)."""
    model = resolve_model(model)
    version = model.version if model else None
    try:
        doc = read_bytes(text.encode("utf-8"), name)
    except ReadError as exc:
        return Report(documents=(DocumentReport(path=name, error=str(exc)),), model=version)
    return Report(documents=(audit_document(doc, lexicon, model),), model=version)
