"""The terminal report: per document, findings grouped by category, most severe first."""

from __future__ import annotations

import unicodedata
from collections import Counter

import click

from .. import __version__
from ..lexicon import CATEGORIES, categories, messages
from ..types import DocumentReport, Finding, Report, severity_rank
from .records import DISCLAIMER

COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}
GRADE_COLOURS = {"A": "green", "B": "green", "C": "yellow", "D": "red", "E": "red"}
EXCERPT = 90
_NO_LINE_START = "，。；、：！？）」』”》,.;:!?)"
WIDTH = 88


def render(report: Report, *, color: bool = False, explain: bool = False, **_: object) -> str:
    def style(text: str, **kw: object) -> str:
        return click.style(text, **kw) if color else text

    out: list[str] = [style(f"clause-audit {__version__} · {DISCLAIMER}", dim=True), ""]
    for doc in report.documents:
        out.extend(_document(doc, style, explain))
        out.append("")
    out.append(_totals(report))
    return "\n".join(out) + "\n"


def _document(doc: DocumentReport, style, explain: bool) -> list[str]:
    if doc.error:
        return [style(f"{doc.path}  无法审查：", bold=True) + style(doc.error, fg="red")]
    labels = messages()["severity"]
    counts = Counter(f.severity for f in doc.findings if not f.suppressed)
    head = f"{doc.path}  ({doc.format}, {doc.encoding or '-'}, {len(doc.clauses)} 条)"
    lines = [style(head, bold=True) + "  评级 " + style(doc.grade or "-", fg=GRADE_COLOURS.get(doc.grade or ""), bold=True),
             "  " + " · ".join(f"{labels[s]} {counts[s]}" for s in ("error", "warning", "info"))]
    if not doc.clauses:
        lines.append("  未提取到任何条款（文件为空，或没有可读的正文）。")
    elif not doc.findings:
        lines.append("  未发现可疑条款。")
    smap = doc.document.source_map if doc.document else None
    names = categories()
    by_category: dict[str, list[Finding]] = {}
    for f in doc.findings:
        by_category.setdefault(f.category, []).append(f)
    order = sorted(by_category, key=lambda c: (-max(severity_rank(f.severity) for f in by_category[c]),
                                               CATEGORIES.index(c)))
    for category in order:
        lines.append("")
        lines.append("  " + style(f"■ {names[category]['name']}", bold=True) + style(f"  {category}", dim=True))
        for f in sorted(by_category[category], key=lambda f: f.span.start):
            lines.extend(_finding(f, smap, style, explain))
    if explain and doc.near_misses:
        lines.append("")
        lines.append("  " + style("被例外排除的匹配（--explain）", bold=True))
        for e in doc.near_misses:
            where = f"第{smap.position(e.start)[0]}行" if smap and e.start is not None else ""
            lines.append(f"    {where} “{e.text}” — {e.detail}")
    return lines


def _finding(f: Finding, smap, style, explain: bool) -> list[str]:
    line = smap.position(f.span.start)[0] if smap else None
    number = f"条款 {f.clause_number}" if f.clause_number else ""
    if f.section and f.section != f.clause_number and not f.clause_number.startswith("第"):
        number = f"{f.section} › {number}" if number else f.section
    where = " · ".join(x for x in (number, f"第 {line} 行" if line else "") if x)
    mark = {True: "已加粗/突出", False: "未突出显示", None: ""}[f.emphasized]
    badge = style(messages()["severity"][f.severity], fg=COLOURS[f.severity], bold=True)
    suppressed = style("  [已抑制]", dim=True) if f.suppressed else ""
    head = f"    {badge}  {where}  {style(f.rule, dim=True)}  置信度 {f.confidence:.2f}"
    head += f"  来源 {f.source}" + (f"  [{mark}]" if mark else "") + suppressed
    excerpt = f.text if len(f.text) <= EXCERPT else f.text[:EXCERPT] + "……"
    body = [head, "      “" + excerpt + "”"]
    body += _wrapped("问题：", f.message)
    body += _packed("依据：", f.legal_basis)
    body += _wrapped("建议：", f.suggestion)
    if explain:
        for e in f.evidence:
            body.append(style(f"      证据[{e.kind}] “{e.text}” {e.detail}", dim=True))
    return body


def _wrapped(label: str, text: str, indent: int = 6, hang: int = 12) -> list[str]:
    """Wrap by display width (CJK characters are two columns), preferring breaks after punctuation."""
    lines: list[str] = []
    current, width, prefix = "", indent, " " * indent
    for ch in label + text:
        w = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        if width + w > WIDTH and ch not in _NO_LINE_START:
            cut = max(current.rfind(p) for p in "；，。、,; ")
            if cut >= len(current) - 12 and cut > 0:
                carry = current[cut + 1:]
                current = current[:cut + 1]
            else:
                carry = ""
            lines.append(prefix + current)
            prefix = " " * hang
            current = carry
            width = hang + _display_width(carry)
        current += ch
        width += w
    lines.append(prefix + current)
    return lines


def _packed(label: str, items: tuple[str, ...], indent: int = 6, hang: int = 12) -> list[str]:
    """Pack items joined by "；" into lines by display width, never breaking inside an item."""
    lines: list[str] = []
    current = " " * indent + label
    for i, item in enumerate(items):
        piece = item + ("；" if i < len(items) - 1 else "")
        if _display_width(current) + _display_width(piece) > WIDTH and current.strip() != label:
            lines.append(current)
            current = " " * hang
        current += piece
    lines.append(current)
    return lines


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _totals(report: Report) -> str:
    active = [f for d in report.documents for f in d.findings if not f.suppressed]
    counts = Counter(f.severity for f in active)
    errors = sum(1 for d in report.documents if d.error)
    parts = [f"共 {len(report.documents)} 个文件", f"{len(active)} 处发现",
             *(f"{messages()['severity'][s]} {counts[s]}" for s in ("error", "warning", "info"))]
    if errors:
        parts.append(f"{errors} 个文件无法读取")
    return "，".join(parts) + "。"
