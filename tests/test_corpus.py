"""The annotated corpus is well-formed: valid labels, unique ids, splits by document, no leaks."""

import json
from collections import defaultdict

import pytest

from clause_audit.lexicon import CATEGORIES

from .conftest import REPO

CLAUSES = sorted((REPO / "corpus" / "clauses").glob("*.jsonl"))
HELDOUT = REPO / "corpus" / "heldout" / "clauses.jsonl"
pytestmark = pytest.mark.skipif(not CLAUSES, reason="no corpus files yet")


def rows():
    for path in CLAUSES:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                yield path.name, n, json.loads(line)


def test_every_row_is_well_formed():
    for name, n, row in rows():
        where = f"{name}:{n}"
        assert isinstance(row["text"], str) and row["text"].strip(), where
        assert isinstance(row["context"], str), where
        assert set(row["labels"]) <= set(CATEGORIES) and len(set(row["labels"])) == len(row["labels"]), where
        assert row["split"] in {"train", "dev", "test"}, where
        assert row["id"] and row["doc_id"] and row["platform"], where


def test_ids_are_unique_and_splits_are_by_document():
    ids = set()
    split_of = defaultdict(set)
    for name, n, row in rows():
        assert row["id"] not in ids, f"{name}:{n} duplicate id {row['id']}"
        ids.add(row["id"])
        split_of[row["doc_id"]].add(row["split"])
    mixed = [doc for doc, splits in split_of.items() if len(splits) > 1]
    assert not mixed, f"documents spread over several splits: {mixed[:5]}"


def test_no_clause_is_repeated_or_copied_from_the_heldout_set():
    heldout = {json.loads(line)["text"] for line in HELDOUT.read_text(encoding="utf-8").splitlines() if line}
    seen = {}
    for name, n, row in rows():
        text = row["text"]
        assert text not in heldout, f"{name}:{n} copies a held-out clause"
        assert text not in seen, f"{name}:{n} repeats {seen.get(text)}"
        seen[text] = f"{name}:{n}"


def test_corpus_meets_the_size_and_variety_the_classifier_needs():
    """Issue 3's floors: enough documents, positives per category, negatives and hard negatives."""
    all_rows = [row for _, _, row in rows()]
    docs = {row["doc_id"] for row in all_rows}
    positives = {c: sum(c in row["labels"] for row in all_rows) for c in CATEGORIES}
    negatives = [row for row in all_rows if not row["labels"]]
    assert len(all_rows) >= 6000 and len(docs) >= 150
    assert min(positives.values()) >= 250, positives
    assert len(negatives) >= 3500
    assert sum(row["hard_negative"] for row in negatives) >= 1000
    assert not any(row["hard_negative"] for row in all_rows if row["labels"]), "a hard negative has no label"
    traditional = sum(row["script"] == "traditional" for row in all_rows)
    assert traditional >= 0.10 * len(all_rows)
    assert sum(len(row["text"]) >= 80 for row in all_rows) >= 900, "too few long multi-sentence items"
    lead_in_items = [row for row in all_rows if row["context"].rstrip().endswith(("：", ":"))]
    assert len(lead_in_items) >= 300


def test_every_split_holds_every_category():
    by_split = defaultdict(lambda: dict.fromkeys(CATEGORIES, 0))
    for _, _, row in rows():
        for c in row["labels"]:
            by_split[row["split"]][c] += 1
    assert set(by_split) == {"train", "dev", "test"}
    for split, counts in by_split.items():
        assert min(counts.values()) >= 15, (split, counts)
