"""Turn a Report into plain dicts: the single serialisation point behind json and the other formats.

Offsets stay 0-based into Document.text; line and column are computed here, at the edge.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .. import __version__
from ..lexicon import CATEGORIES, default_lexicon
from ..types import SEVERITIES, Conflict, DocumentReport, Finding, ProminenceIssue, Report, Side, SourceMap

LAW_CHECKED = "2025-12"
DISCLAIMER = "自动筛查结果，不构成法律意见"
SCHEMA = 1


def tool_record(report: Report | None = None) -> dict[str, Any]:
    return {"name": "clause-audit", "version": __version__, "rules": default_lexicon().version,
            "model": report.model if report is not None else None, "law_checked": LAW_CHECKED, "disclaimer": DISCLAIMER}


def report_record(report: Report) -> dict[str, Any]:
    """Return the whole JSON object of DESIGN.md's output contract."""
    documents = [document_record(d) for d in report.documents]
    return {"schema": SCHEMA, "tool": tool_record(report), "documents": documents,
            "conflicts_across": [conflict_record(c, report) for c in report.conflicts_across],
            "summary": summary_record(report)}


def document_record(doc: DocumentReport) -> dict[str, Any]:
    smap = doc.document.source_map if doc.document else SourceMap()
    return {
        "path": doc.path, "format": doc.format, "encoding": doc.encoding, "clauses": len(doc.clauses),
        "error": doc.error, "grade": doc.grade,
        "findings": [finding_record(f, smap) for f in doc.findings],
        "conflicts": [conflict_record(c, doc) for c in doc.conflicts],
        "prominence": [prominence_record(p, smap) for p in doc.prominence],
        "policy": doc.policy,
    }


def finding_record(f: Finding, smap: SourceMap) -> dict[str, Any]:
    line, column = smap.position(f.span.start)
    return {
        "rule": f.rule, "category": f.category, "severity": f.severity, "confidence": f.confidence,
        "start": f.span.start, "end": f.span.end, "line": line, "column": column, "text": f.text,
        "message": f.message, "legal_basis": list(f.legal_basis), "suggestion": f.suggestion,
        "source": f.source, "emphasized": f.emphasized, "evidence": [e.to_dict() for e in f.evidence],
        "fingerprint": f.fingerprint, "suppressed": f.suppressed,
    }


def _side_record(side: Side, smap: SourceMap) -> dict[str, Any]:
    line, column = smap.position(side.span.start)
    return {"path": side.path, "start": side.span.start, "end": side.span.end, "line": line,
            "column": column, "text": side.text}


def conflict_record(c: Conflict, owner: DocumentReport | Report) -> dict[str, Any]:
    maps = _source_maps(owner)
    return {"rule": c.rule, "severity": c.severity, "message": c.message,
            "legal_basis": list(c.legal_basis),
            "first": _side_record(c.first, maps.get(c.first.path, SourceMap())),
            "second": _side_record(c.second, maps.get(c.second.path, SourceMap()))}


def _source_maps(owner: DocumentReport | Report) -> dict[str, SourceMap]:
    docs = owner.documents if isinstance(owner, Report) else (owner,)
    return {d.path: d.document.source_map for d in docs if d.document}


def prominence_record(p: ProminenceIssue, smap: SourceMap) -> dict[str, Any]:
    line, column = smap.position(p.span.start) if p.span else (None, None)
    return {"rule": p.rule, "severity": p.severity, "message": p.message,
            "legal_basis": list(p.legal_basis), "start": p.span.start if p.span else None,
            "end": p.span.end if p.span else None, "line": line, "column": column}


def summary_record(report: Report) -> dict[str, Any]:
    active = [f for d in report.documents for f in d.findings if not f.suppressed]
    by_severity = Counter(f.severity for f in active)
    by_category = Counter(f.category for f in active)
    return {
        "documents": len(report.documents),
        "errors": sum(1 for d in report.documents if d.error),
        "findings": len(active),
        "suppressed": sum(1 for d in report.documents for f in d.findings if f.suppressed),
        "by_severity": {s: by_severity[s] for s in reversed(SEVERITIES)},
        "by_category": {c: by_category[c] for c in CATEGORIES if by_category[c]},
    }
