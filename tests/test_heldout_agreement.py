"""On an agreement written apart from the rules (corpus/heldout/), the planted unfair clauses are found
and the protective clauses planted as traps are not flagged.

The rules were never tuned on this file, so the floors below are what the lexicon reached blind
(12 of 14 planted labels, 9 of 10 categories: its one deemed_consent clause is missed). They guard
against regressions; raising them by editing rules to fit this file would make the test worthless.
"""

import json

import pytest

from clause_audit.audit import audit_path
from clause_audit.lexicon import CATEGORIES

from .conftest import REPO

HELDOUT = REPO / "corpus" / "heldout"
pytestmark = pytest.mark.skipif(not (HELDOUT / "agreement.html").exists(), reason="no held-out agreement")


def _planted(model):
    doc = audit_path(str(HELDOUT / "agreement.html"), model=model)
    labels = json.loads((HELDOUT / "agreement.labels.json").read_text(encoding="utf-8"))
    text = doc.document.text
    rows = []
    for entry in labels:
        at = text.find(entry["quote"])
        assert at >= 0, entry["quote"]
        span = (at, at + len(entry["quote"]))
        found = {f.category for f in doc.findings
                 if f.severity != "info" and f.span.start < span[1] and span[0] < f.span.end}
        rows.append((entry, found))
    return rows


@pytest.fixture(scope="module")
def planted():
    return _planted("default")


@pytest.fixture(scope="module")
def planted_rules_only():
    return _planted(None)


def test_planted_unfair_clauses_are_found_in_the_heldout_agreement(planted):
    found = set().union(*(found & set(entry["labels"]) for entry, found in planted))
    assert len(found) >= 9, f"categories missed: {sorted(set(CATEGORIES) - found)}"
    labels = [(label, found) for entry, found in planted for label in entry["labels"]]
    recall = sum(label in found for label, found in labels) / len(labels)
    assert recall >= 0.85, f"planted-label recall {recall:.2f}"


def test_protective_clauses_are_not_flagged_by_the_rules(planted_rules_only):
    flagged = [(entry["quote"], sorted(found)) for entry, found in planted_rules_only
               if not entry["labels"] and found]
    assert not flagged


@pytest.mark.xfail(strict=True, reason="known weakness (issue 3 note): the model alone flags 2 of the traps "
                   "(a price-change notice with a cancel option; consent by completing payment)")
def test_protective_clauses_are_not_flagged(planted):
    flagged = [(entry["quote"], sorted(found)) for entry, found in planted if not entry["labels"] and found]
    assert not flagged
