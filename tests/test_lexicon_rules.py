"""Every rule proves itself: its own hit and miss examples, plus meta-tests over the rule pack."""

import re
import tomllib

import pytest

from clause_audit.lexicon import CATEGORIES, LexiconError, default_lexicon, lexicon_dir, load_lexicon

LEXICON = default_lexicon()
CASES_HIT = [pytest.param(r, e, id=f"{r.id}-hit{i}") for r in LEXICON.rules for i, e in enumerate(r.hits)]
CASES_MISS = [pytest.param(r, e, id=f"{r.id}-miss{i}") for r in LEXICON.rules for i, e in enumerate(r.misses)]


def fired(rule, text):
    hits, _ = LEXICON.match(text)
    return rule.id in {h.rule.id for h in hits}


@pytest.mark.parametrize(("rule", "example"), CASES_HIT)
def test_rule_fires_on_its_hit_examples(rule, example):
    assert fired(rule, example), f"{rule.id} should fire on: {example}"


@pytest.mark.parametrize(("rule", "example"), CASES_MISS)
def test_rule_stays_quiet_on_its_miss_examples(rule, example):
    assert not fired(rule, example), f"{rule.id} should not fire on: {example}"


def test_every_category_has_rules():
    assert {r.category for r in LEXICON.rules} == set(CATEGORIES)


def test_rule_ids_unique_and_prefixed():
    ids = [r.id for r in LEXICON.rules]
    assert len(ids) == len(set(ids))
    assert all(r.id.startswith(r.category + ".") for r in LEXICON.rules)


def _citations():
    data = tomllib.loads((lexicon_dir() / "citations.toml").read_text(encoding="utf-8"))
    return {i["name"]: set(i["articles"]) for i in data["instruments"]}


CITATION = re.compile(r"(?P<name>.+?)第(?P<article>\d+)条(?:第[（(]?[一二三四五六七八九十\d]+[）)]?[款项])*")


@pytest.mark.parametrize("rule", LEXICON.rules, ids=lambda r: r.id)
def test_legal_basis_cites_only_verified_articles(rule):
    known = _citations()
    for citation in rule.legal_basis:
        m = CITATION.fullmatch(citation)
        assert m, f"{rule.id}: citation {citation!r} is not '<instrument>第N条…'"
        assert m["name"] in known, f"{rule.id}: unknown instrument {m['name']!r}"
        assert int(m["article"]) in known[m["name"]], f"{rule.id}: article not verified: {citation}"


@pytest.mark.parametrize("rule", LEXICON.rules, ids=lambda r: r.id)
def test_examples_are_not_echoes_of_each_other(rule):
    assert len(set(rule.hits)) == len(rule.hits) and len(set(rule.misses)) == len(rule.misses)
    assert not set(rule.hits) & set(rule.misses)


def _write_rule(tmp_path, *, severity="error", pattern="不退款", extra="", hits=3):
    hit = ", ".join(f'"例{i}不退款"' for i in range(hits))
    text = f'''category = "no_refund"
[[rules]]
id = "no_refund.test_rule"
severity = "{severity}"
patterns = ['{pattern}']
message = "m"
legal_basis = ["民法典第497条"]
suggestion = "s"
{extra}examples.hit = [{hit}]
examples.miss = ["a", "b", "c"]
'''
    d = tmp_path / "extra"
    d.mkdir()
    (d / "mine.toml").write_text(text, encoding="utf-8")
    return d


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"extra": "speed = 1\n"}, "未知的键"),
        ({"severity": "fatal"}, "severity"),
        ({"pattern": "不退(款"}, "正则表达式无效"),
        ({"hits": 2}, "examples"),
    ],
    ids=["unknown-key", "bad-severity", "bad-regex", "too-few-examples"],
)
def test_loader_names_file_and_rule_on_error(tmp_path, kwargs, expected):
    d = _write_rule(tmp_path, **kwargs)
    with pytest.raises(LexiconError) as err:
        load_lexicon((d,))
    assert "mine.toml" in str(err.value) and "no_refund.test_rule" in str(err.value)
    assert expected in str(err.value)


def test_extra_directory_adds_rules_and_duplicate_ids_are_refused(tmp_path):
    d = _write_rule(tmp_path)
    lex = load_lexicon((d,))
    assert "no_refund.test_rule" in lex.by_id
    (d / "again.toml").write_text((d / "mine.toml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(LexiconError, match="重名"):
        load_lexicon((d,))


def test_traditional_characters_match_simplified_patterns():
    hits, _ = LEXICON.match("本商品一經售出，概不退款。")
    assert any(h.rule.category == "no_refund" for h in hits)


def test_savings_phrase_lowers_severity_one_step():
    base = next(r for r in LEXICON.rules if r.severity == "error" and r.category == "liability_exclusion")
    text = base.hits[0].rstrip("。") + "，但因本公司故意或者重大过失造成损失的除外。"
    hits, _ = LEXICON.match(text)
    mine = [h for h in hits if h.rule.id == base.id]
    assert mine and mine[0].severity == "warning" and mine[0].saved_by
