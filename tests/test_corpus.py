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
