"""Turn lexicon hits (and, where a model is loaded, classifier scores) into one Finding per clause and category."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Sequence

from .lexicon import Lexicon, RuleHit, messages, normalise
from .types import Clause, Document, Evidence, Finding, Span, severity_rank

# A scorer maps clauses to per-category probabilities; the classifier (a later stage) plugs in here.
Scorer = Callable[[Sequence[Clause]], list[dict[str, float]]]
EXTRA_RULE_BONUS = 0.02
_NUMBERING = re.compile(r"^\s*(?:第[一二三四五六七八九十百零〇\d]+[条章节款](?=\s)|[（(][一二三四五六七八九十\d]+[）)]|"
                        r"[一二三四五六七八九十\d]+(?:[.．]\d+)*(?:[）)、]|[.．](?!\d)|(?=\s)))")


def detect(doc: Document, clauses: Sequence[Clause], lexicon: Lexicon,
           scorer: Scorer | None = None) -> tuple[list[Finding], list[Evidence]]:
    """Return the findings of a document and the near misses that an exception cancelled."""
    scores = scorer(clauses) if scorer else [{} for _ in clauses]
    findings: list[Finding] = []
    near_misses: list[Evidence] = []
    words = messages()["evidence"]
    for clause, clause_scores in zip(clauses, scores, strict=True):
        hits, near = lexicon.match_clause(clause.text, clause.context)
        by_category: dict[str, list[RuleHit]] = {}
        for hit in hits:
            by_category.setdefault(hit.rule.category, []).append(hit)
        for category, category_hits in by_category.items():
            findings.append(_finding(doc, clause, category_hits, clause_scores.get(category),
                                     lexicon.emphasis_blocks))
        for miss in near:
            near_misses.append(Evidence("pattern", miss.matched, clause.span.start, clause.span.end,
                                        words["cancelled"].format(rule=miss.rule.id, by=miss.cancelled_by)))
    return findings, near_misses


def _finding(doc: Document, clause: Clause, hits: list[RuleHit], model_score: float | None,
             blocks: Sequence[str]) -> Finding:
    hits = sorted(hits, key=lambda h: (severity_rank(h.severity), h.confidence), reverse=True)
    best = hits[0]
    rule = best.rule
    confidence = min(0.99, best.confidence + EXTRA_RULE_BONUS * (len(hits) - 1))
    source = "lexicon"
    if model_score is not None:
        confidence = round((confidence + model_score) / 2, 2) if model_score < confidence else confidence
        source = "both" if model_score >= 0.5 else "lexicon"
    words = messages()["evidence"]
    evidence: list[Evidence] = []
    for hit in hits:
        detail = hit.rule.id + (words["savings"].format(phrase=hit.saved_by) if hit.saved_by else "")
        if hit.lead_in:
            evidence.append(Evidence("context", hit.matched, None, None,
                                     detail + words["lead_in"].format(lead_in=hit.lead_in)))
            continue
        start = clause.span.start + hit.start
        evidence.append(Evidence("pattern", hit.matched, start, start + len(hit.matched), detail))
    for word in best.context_words:
        evidence.append(Evidence("context", word, detail=words["context"]))
    if model_score is not None:
        evidence.append(Evidence("model", f"{model_score:.2f}", detail=words["model"]))
    return Finding(
        rule=rule.id, category=rule.category, severity=best.severity, confidence=round(confidence, 2),
        span=clause.span, text=clause.text, message=rule.message, legal_basis=rule.legal_basis,
        suggestion=rule.suggestion, source=source,
        emphasized=emphasized(doc, clause, _hit_span(clause, evidence), blocks),
        evidence=tuple(evidence), fingerprint=fingerprint(rule.id, clause.text),
        clause_number=clause.number, section=clause.section,
    )


def _hit_span(clause: Clause, evidence: list[Evidence]) -> Span:
    for e in evidence:
        if e.start is not None and e.end is not None:
            return Span(e.start, e.end)
    return clause.span


def emphasized(doc: Document, clause: Clause, hit: Span, blocks: Sequence[str] = ()) -> bool | None:
    """Whether the reader of the source would see the clause as prominent.

    Formats with formatting: True when emphasis covers the matched words or half the clause. Plain
    text: True inside 【】 or under a 特别提示-type block, otherwise None (unknown).
    """
    if doc.carries_emphasis:
        covered = sum(min(s.end, clause.span.end) - max(s.start, clause.span.start)
                      for s in doc.emphasis if s.overlaps(clause.span))
        on_hit = any(s.start <= hit.start and hit.end <= s.end for s in doc.emphasis)
        return on_hit or covered * 2 >= len(clause.span)
    if _in_brackets(doc.text, clause.span):
        return True
    if any(word in clause.section or word in clause.context for word in blocks):
        return True
    return None


def _in_brackets(text: str, span: Span) -> bool:
    before = text.rfind("【", 0, span.start + 1)
    if before < 0:
        return False
    closed_before = text.rfind("】", before, span.start)
    after = text.find("】", span.start)
    return closed_before < 0 and after >= span.end - 1


def fingerprint(rule_id: str, text: str) -> str:
    """Hash rule id + clause text without numbering, spaces or punctuation, stable across edits elsewhere."""
    body = _NUMBERING.sub("", normalise(unicodedata.normalize("NFKC", text)))
    body = "".join(ch for ch in body if ch.isalnum())
    return hashlib.sha256(f"{rule_id}\0{body}".encode()).hexdigest()[:16]
