"""clause-audit: find standard-form clauses in Chinese platform agreements that are likely unfair or invalid."""

from .audit import audit, audit_text
from .types import Finding, Report

__version__ = "0.1.0"
__all__ = ["Finding", "Report", "audit", "audit_text"]
