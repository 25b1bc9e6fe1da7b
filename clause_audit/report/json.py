"""The JSON report of DESIGN.md's output contract."""

from __future__ import annotations

import json

from ..types import Report
from .records import report_record


def render(report: Report, *, ascii_only: bool = False, **_: object) -> str:
    return json.dumps(report_record(report), ensure_ascii=ascii_only, indent=2) + "\n"
