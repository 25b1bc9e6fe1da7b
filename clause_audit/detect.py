"""Fuse lexicon hits and classifier scores into one Finding per clause and category."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence

from .classifier import ClauseScore, Model, locate
from .lexicon import Lexicon, NearMiss, RuleHit, categories, messages, normalise
from .types import Clause, Document, Evidence, Finding, Span, severity_rank

EXTRA_RULE_BONUS = 0.02
AGREEMENT_BONUS = 0.05
TOP_FEATURES = 3
_NUMBERING = re.compile(r"^\s*(?:第[一二三四五六七八九十百零〇\d]+[条章节款](?=\s)|[（(][一二三四五六七八九十\d]+[）)]|"
                        r"[一二三四五六七八九十\d]+(?:[.．]\d+)*(?:[）)、]|[.．](?!\d)|(?=\s)))")


def detect(doc: Document, clauses: Sequence[Clause], lexicon: Lexicon,
           model: Model | None = None) -> tuple[list[Finding], list[Evidence]]:
    """Return the findings of a document (rules and model fused) and the near misses an exception cancelled."""
    findings: list[Finding] = []
    near_misses: list[Evidence] = []
    words = messages()["evidence"]
    for clause in clauses:
        by_category, near, score, decided = judge(clause.text, clause.context, lexicon, model)
        for category, category_hits in by_category.items():
            findings.append(_rule_finding(doc, clause, category_hits, decided.get(category, "lexicon"),
                                          score, model, lexicon.emphasis_blocks))
        for category, source in decided.items():
            if source == "classifier":
                findings.append(_model_finding(doc, clause, category, score, model, lexicon.emphasis_blocks))
        for miss in near:
            near_misses.append(Evidence("pattern", miss.matched, clause.span.start, clause.span.end,
                                        words["cancelled"].format(rule=miss.rule.id, by=miss.cancelled_by)))
    return findings, near_misses


def judge(text: str, context: str, lexicon: Lexicon, model: Model | None
          ) -> tuple[dict[str, list[RuleHit]], list[NearMiss], ClauseScore | None, dict[str, str]]:
    """Match and score one clause: rule hits by category, near misses, model score, fused decision.

    The fused decision maps each reported unfair category to its source; `evaluate` calls this too,
    so what it measures is what `audit` reports.
    """
    hits, near = lexicon.match_clause(text, context)
    by_category: dict[str, list[RuleHit]] = {}
    for hit in hits:
        by_category.setdefault(hit.rule.category, []).append(hit)
    unfair = {c for c, group in by_category.items() if any(h.severity != "info" for h in group)}
    if model is None:
        return by_category, near, None, dict.fromkeys(unfair, "lexicon")
    score = model.score(text, context)
    blocked = {m.rule.category for m in near} | (set(by_category) - unfair)  # protective wording, lawful items
    return by_category, near, score, fuse(unfair, score.probabilities, model, blocked)


def fuse(rule_categories: set[str], probabilities: dict[str, float], model: Model,
         cancelled: set[str] = frozenset()) -> dict[str, str]:
    """Decide which categories a clause gets and from which source ("lexicon", "classifier", "both").

    A rule hit always stands (rules are precise and explainable); the model confirms it, or adds a
    category no rule hit once its probability passes the category's threshold — unless a rule of that
    category was cancelled by an exception (protective wording such as "可随时取消" is evidence the
    model's topic guess is wrong).
    """
    decided = {}
    for category in rule_categories:
        p = probabilities.get(category)
        decided[category] = "both" if p is not None and model.passes(category, p) else "lexicon"
    for category, p in probabilities.items():
        if category not in decided and category not in cancelled and model.passes(category, p):
            decided[category] = "classifier"
    return decided


def _rule_finding(doc: Document, clause: Clause, hits: list[RuleHit], source: str, score: ClauseScore | None,
                  model: Model | None, blocks: Sequence[str]) -> Finding:
    hits = sorted(hits, key=lambda h: (severity_rank(h.severity), h.confidence), reverse=True)
    best = hits[0]
    rule = best.rule
    confidence = min(0.99, best.confidence + EXTRA_RULE_BONUS * (len(hits) - 1))
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
    if score is not None and model is not None:
        p = score.probabilities[rule.category]
        confidence = min(0.99, max(confidence, p) + AGREEMENT_BONUS) if source == "both" \
            else 0.75 * confidence + 0.25 * min(p, confidence)
        evidence += _model_evidence(clause, rule.category, score, model, with_features=source == "both")
    return Finding(
        rule=rule.id, category=rule.category, severity=best.severity, confidence=round(confidence, 2),
        span=clause.span, text=clause.text, message=rule.message, legal_basis=rule.legal_basis,
        suggestion=rule.suggestion, source=source,
        emphasized=emphasized(doc, clause, _hit_span(clause, evidence), blocks),
        evidence=tuple(evidence), fingerprint=fingerprint(rule.id, clause.text),
        clause_number=clause.number, section=clause.section,
    )


def _model_finding(doc: Document, clause: Clause, category: str, score: ClauseScore, model: Model,
                   blocks: Sequence[str]) -> Finding:
    """A finding only the model made: always a warning (a model alone never claims an error)."""
    info = categories()[category]
    rule_id = f"{category}.classifier"
    evidence = _model_evidence(clause, category, score, model, with_features=True)
    return Finding(
        rule=rule_id, category=category, severity="warning",
        confidence=round(min(0.99, score.probabilities[category]), 2), span=clause.span, text=clause.text,
        message=messages()["classifier"]["message"].format(name=info["name"], summary=info["summary"]),
        legal_basis=tuple(info["legal_basis"]), suggestion=info["suggestion"], source="classifier",
        emphasized=emphasized(doc, clause, clause.span, blocks),
        evidence=tuple(evidence), fingerprint=fingerprint(rule_id, clause.text),
        clause_number=clause.number, section=clause.section,
    )


def _model_evidence(clause: Clause, category: str, score: ClauseScore, model: Model,
                    with_features: bool) -> list[Evidence]:
    words = messages()["evidence"]
    evidence = [Evidence("model", f"{score.probabilities[category]:.2f}", detail=words["model"])]
    if not with_features:
        return evidence
    for name, weight in model.top_features(score, category, TOP_FEATURES):
        where = locate(name, clause.text)
        shown = clause.text[where[0]:where[1]] if where else name
        start, end = (clause.span.start + where[0], clause.span.start + where[1]) if where else (None, None)
        evidence.append(Evidence("model", shown, start, end, words["feature"].format(weight=weight)))
    return evidence


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
