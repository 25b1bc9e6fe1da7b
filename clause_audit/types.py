"""The data types every stage of the pipeline passes on."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("info", "warning", "error")


def severity_rank(severity: str) -> int:
    """Return the order of a severity: info < warning < error."""
    return SEVERITIES.index(severity)


@dataclass(frozen=True, slots=True)
class Span:
    """0-based, end-exclusive offsets into Document.text."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class SourceMap:
    """Turn a Document.text offset into a 1-based (line, column) of the source file.

    Anchors are (text_offset, line, column) triples sorted by text_offset; between two anchors the
    source advances one column per character of text.
    """

    anchors: tuple[tuple[int, int, int], ...] = ()

    def position(self, offset: int) -> tuple[int, int]:
        if not self.anchors:
            return (1, offset + 1)
        i = bisect_right(self.anchors, (offset, float("inf"), float("inf"))) - 1
        if i < 0:
            return (1, 1)
        start, line, column = self.anchors[i]
        return (line, column + (offset - start))


@dataclass(frozen=True, slots=True)
class Document:
    """The plain text a reader produced, with what the source format said about it."""

    text: str
    path: str
    format: str
    encoding: str | None
    emphasis: tuple[Span, ...] = ()
    blocks: tuple[Span, ...] = ()
    headings: tuple[Span, ...] = ()
    source_map: SourceMap = field(default_factory=SourceMap)

    @property
    def carries_emphasis(self) -> bool:
        """Whether the format can show bold/underline at all (plain text cannot)."""
        return self.format != "text"


@dataclass(frozen=True, slots=True)
class Clause:
    """One auditable unit: a sentence or short numbered item, with what governs it."""

    index: int
    span: Span
    text: str
    section: str = ""
    number: str = ""
    context: str = ""


@dataclass(frozen=True, slots=True)
class Evidence:
    """What made a finding: a pattern, a term, a context word or a model feature."""

    kind: str
    text: str
    start: int | None = None
    end: int | None = None
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "start": self.start, "end": self.end,
                "detail": self.detail}


@dataclass(frozen=True, slots=True)
class Finding:
    """One clause flagged for one category."""

    rule: str
    category: str
    severity: str
    confidence: float
    span: Span
    text: str
    message: str
    legal_basis: tuple[str, ...]
    suggestion: str
    source: str
    emphasized: bool | None
    evidence: tuple[Evidence, ...] = ()
    fingerprint: str = ""
    suppressed: bool = False
    clause_number: str = ""
    section: str = ""


@dataclass(frozen=True, slots=True)
class Side:
    """One end of a conflict: a span of one document."""

    path: str
    span: Span
    text: str


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two clauses that contradict each other."""

    rule: str
    severity: str
    message: str
    legal_basis: tuple[str, ...]
    first: Side
    second: Side


@dataclass(frozen=True, slots=True)
class ProminenceIssue:
    """A clause, or the whole document, lacking the prominence the law asks for."""

    rule: str
    severity: str
    message: str
    legal_basis: tuple[str, ...]
    span: Span | None = None


@dataclass(frozen=True, slots=True)
class DocumentReport:
    """Everything found in one input; `error` is set when it could not be read."""

    path: str
    format: str | None = None
    encoding: str | None = None
    clauses: tuple[Clause, ...] = ()
    findings: tuple[Finding, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    prominence: tuple[ProminenceIssue, ...] = ()
    policy: dict[str, Any] | None = None
    grade: str | None = None
    error: str | None = None
    document: Document | None = None
    near_misses: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Report:
    """The result of one call: its documents and the conflicts between them."""

    documents: tuple[DocumentReport, ...]
    conflicts_across: tuple[Conflict, ...] = ()
    model: str | None = None  # hash of the classifier that scored the clauses; None: rules only
