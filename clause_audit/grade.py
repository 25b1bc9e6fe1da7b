"""The one A–E grade formula shared by every report."""

from __future__ import annotations

from collections.abc import Iterable

from .types import Finding

WEIGHTS = {"error": 3.0, "warning": 1.0, "info": 0.0}
# Upper bounds of the weighted score for each grade; anything above the last bound is E.
BOUNDS = (("A", 0.0), ("B", 3.0), ("C", 8.0), ("D", 15.0))


def score(findings: Iterable[Finding]) -> float:
    """Sum of severity weight × confidence over unsuppressed findings (error 3, warning 1, info 0)."""
    return sum(WEIGHTS[f.severity] * f.confidence for f in findings if not f.suppressed)


def grade(findings: Iterable[Finding]) -> str:
    """Return A (nothing found) … E (many likely-invalid clauses)."""
    value = score(findings)
    for letter, bound in BOUNDS:
        if value <= bound:
            return letter
    return "E"
