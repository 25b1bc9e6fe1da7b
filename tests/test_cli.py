"""The command line: output contract, exit codes, bad input, rules listing, golden output."""

import json
import os
import re
import subprocess
import sys

import pytest

from clause_audit.cli import cli
from clause_audit.lexicon import CATEGORIES

from .conftest import DATA, GOLDEN

FINDING_KEYS = {"rule", "category", "severity", "confidence", "start", "end", "line", "column", "text",
                "message", "legal_basis", "suggestion", "source", "emphasized", "evidence", "fingerprint",
                "suppressed"}
DOCUMENT_KEYS = {"path", "format", "encoding", "clauses", "error", "grade", "findings", "conflicts",
                 "prominence", "policy"}


def audit_json(runner, *args):
    result = runner.invoke(cli, ["audit", "--format", "json", *map(str, args)])
    return result, json.loads(result.stdout)


def test_json_contract_on_plain_text(runner):
    path = DATA / "membership.txt"
    result, data = audit_json(runner, path)
    assert result.exit_code == 1
    assert data["schema"] == 1 and data["tool"]["name"] == "clause-audit"
    assert set(data["summary"]) >= {"documents", "findings", "by_severity", "by_category"}
    doc = data["documents"][0]
    assert set(doc) == DOCUMENT_KEYS
    assert doc["error"] is None and doc["format"] == "text" and doc["encoding"] == "utf-8"
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    assert doc["findings"]
    for f in doc["findings"]:
        assert set(f) == FINDING_KEYS
        assert f["category"] in CATEGORIES and f["severity"] in {"error", "warning", "info"}
        assert source[f["start"]:f["end"]] == f["text"]
        assert lines[f["line"] - 1][f["column"] - 1:].startswith(f["text"][:10])
        assert f["legal_basis"] and f["source"] in {"lexicon", "classifier", "both"} and 0 < f["confidence"] <= 1
        if f["source"] == "classifier":
            assert f["rule"] == f["category"] + ".classifier" and f["severity"] == "warning"
    assert data["tool"]["model"] and data["tool"]["rules"]


def test_plain_text_findings_cover_the_unfair_clauses_only(runner):
    _, data = audit_json(runner, DATA / "membership.txt")
    found = {(f["text"][:8], f["category"]) for f in data["documents"][0]["findings"]}
    cats = {c for _, c in found}
    assert {"no_refund", "auto_renewal", "unilateral_change", "final_interpretation"} <= cats
    texts = " ".join(f["text"] for f in data["documents"][0]["findings"])
    for protective in ("七日内", "扣费前五日", "不可抗力"):
        assert protective not in texts


def test_html_findings_report_emphasis_and_source_lines(runner):
    path = DATA / "membership.html"
    _, data = audit_json(runner, path)
    doc = data["documents"][0]
    assert doc["format"] == "html"
    emphasis = {(f["text"][:6], f["category"]): f["emphasized"] for f in doc["findings"]}
    assert emphasis[("会员服务开通", "no_refund")] is True  # the key words are in <b>
    assert emphasis[("平台有权在不", "unilateral_termination")] is False
    assert emphasis[("因本协议产生", "restrict_remedies")] is True  # underlined through a <style> class
    lines = path.read_text(encoding="utf-8").splitlines()
    for f in doc["findings"]:
        assert f["text"][:6] in lines[f["line"] - 1]
        assert lines[f["line"] - 1][f["column"] - 1:].startswith(f["text"][:6])


def test_clean_agreement_exits_zero(runner, tmp_path):
    p = tmp_path / "clean.txt"
    p.write_text("用户可在购买后七日内申请无理由退款，平台在三个工作日内原路退回。\n", encoding="utf-8")
    result = runner.invoke(cli, ["audit", str(p)])
    assert result.exit_code == 0, result.output
    assert "未发现可疑条款" in result.stdout


def test_fail_on_thresholds(runner, tmp_path):
    p = DATA / "membership.txt"
    assert runner.invoke(cli, ["audit", "--fail-on", "never", str(p)]).exit_code == 0
    assert runner.invoke(cli, ["audit", "--fail-on", "error", str(p)]).exit_code == 1
    warning_only = tmp_path / "w.txt"
    warning_only.write_text("因本协议产生的争议，由本公司住所地人民法院管辖。\n", encoding="utf-8")
    _, data = audit_json(runner, warning_only)
    assert {f["severity"] for f in data["documents"][0]["findings"]} == {"warning"}
    assert runner.invoke(cli, ["audit", str(warning_only)]).exit_code == 0
    assert runner.invoke(cli, ["audit", "--fail-on", "warning", str(warning_only)]).exit_code == 1


def test_good_and_bad_files_in_one_call(runner, tmp_path):
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 16)
    missing = tmp_path / "missing.txt"
    result, data = audit_json(runner, DATA / "membership.txt", binary, missing)
    assert result.exit_code == 2
    docs = data["documents"]
    assert [bool(d["error"]) for d in docs] == [False, True, True]
    assert docs[0]["findings"]
    assert "Traceback" not in result.output
    assert data["summary"]["errors"] == 2


def test_bad_input_message_is_one_line_per_file_on_stderr(tmp_path):
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 16)
    proc = subprocess.run([sys.executable, "-m", "clause_audit", "audit", str(binary)],
                          capture_output=True, text=True, encoding="utf-8")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "binary.txt" in proc.stderr and "Traceback" not in proc.stderr


def test_stdin_and_output_file(runner, tmp_path):
    out = tmp_path / "r.json"
    text = "本店所有商品一经售出，概不退换。\n"
    result = runner.invoke(cli, ["audit", "--format", "json", "-o", str(out), "-"], input=text.encode())
    assert result.exit_code == 1 and result.stdout == ""
    doc = json.loads(out.read_text(encoding="utf-8"))["documents"][0]
    assert doc["path"] == "<stdin>" and doc["findings"][0]["text"] == text.strip()


def test_several_files_give_one_report(runner):
    result, data = audit_json(runner, DATA / "membership.txt", DATA / "membership.html")
    assert [d["format"] for d in data["documents"]] == ["text", "html"]
    assert data["summary"]["documents"] == 2
    assert data["summary"]["findings"] == sum(len(d["findings"]) for d in data["documents"])


def test_console_that_cannot_show_chinese_does_not_crash(tmp_path):
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    for fmt in ("text", "json"):
        proc = subprocess.run([sys.executable, "-m", "clause_audit", "audit", "--format", fmt,
                               str(DATA / "membership.txt")], capture_output=True, env=env)
        assert proc.returncode == 1, proc.stderr
        assert b"Traceback" not in proc.stderr
    assert json.loads(proc.stdout)["documents"][0]["findings"]


def test_rules_listing_and_detail(runner):
    listing = runner.invoke(cli, ["rules"])
    assert listing.exit_code == 0
    for category in CATEGORIES:
        assert category + "." in listing.stdout
    rule_id = listing.stdout.split()[0]
    detail = runner.invoke(cli, ["rules", rule_id])
    assert detail.exit_code == 0 and "命中例" in detail.stdout and "依据" in detail.stdout
    as_json = json.loads(runner.invoke(cli, ["rules", "--format", "json", "final_interpretation"]).stdout)
    assert as_json and all(r["category"] == "final_interpretation" and r["examples"]["hit"] for r in as_json)
    unknown = runner.invoke(cli, ["rules", "no_such.rule"])
    assert unknown.exit_code == 2 and "no_such.rule" in unknown.output


def test_evaluate_prints_per_category_scores(runner, tmp_path):
    rows = [
        {"text": "会员费用一经支付，概不退还。", "labels": ["no_refund"], "split": "test"},
        {"text": "本活动最终解释权归本公司所有。", "labels": ["final_interpretation"], "split": "test"},
        {"text": "支持七天无理由退款。", "labels": [], "split": "test"},
        {"text": "我们会在扣费前五日提醒您。", "labels": [], "split": "train"},
    ]
    p = tmp_path / "c.jsonl"
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    result = runner.invoke(cli, ["evaluate", "--split", "test", "--format", "json", str(p)])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)["lexicon"]
    assert scores["clauses"] == 3
    assert scores["categories"]["no_refund"]["recall"] == 1.0
    assert scores["any_unfair"]["precision"] == 1.0
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "labels": ["nope"]}\n', encoding="utf-8")
    result = runner.invoke(cli, ["evaluate", str(bad)])
    assert result.exit_code == 2 and "bad.jsonl:1" in result.output


def _normalise(text):
    text = re.sub(r'"rules": "[0-9a-f]+"', '"rules": "<hash>"', text)
    return re.sub(r"clause-audit \d+\.\d+\.\d+\S*", "clause-audit <version>", re.sub(
        r'"version": "[^"]+"', '"version": "<version>"', text))


@pytest.mark.parametrize("name", ["membership.txt", "membership.html"])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_golden_output(runner, monkeypatch, name, fmt):
    monkeypatch.chdir(DATA)
    result = runner.invoke(cli, ["audit", "--no-color", "--rules-only", "--format", fmt, name])
    actual = _normalise(result.stdout)
    golden = GOLDEN / f"{name}.{fmt}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8"), "run with UPDATE_GOLDEN=1 after checking the diff"


def test_model_options_fail_cleanly(runner, tmp_path):
    path = str(DATA / "membership.txt")
    for args in (["--model", str(tmp_path / "none")], ["--model", str(tmp_path), "--rules-only"]):
        result = runner.invoke(cli, ["audit", *args, path])
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert len(result.stderr.strip().splitlines()) == 1
    rules_only = audit_json(runner, "--rules-only", path)[1]
    assert rules_only["tool"]["model"] is None
    assert {f["source"] for f in rules_only["documents"][0]["findings"]} == {"lexicon"}


def test_evaluate_shows_rules_model_and_fusion_side_by_side(runner, tmp_path):
    corpus = tmp_path / "c.jsonl"
    rows = [{"text": "课程一经购买，概不退款。", "labels": ["no_refund"]},
            {"text": "课程购买后七日内可无理由退款。", "labels": []},
            {"text": "本活动最终解释权归本平台所有。", "labels": ["final_interpretation"]}]
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    result = runner.invoke(cli, ["evaluate", str(corpus)])
    assert result.exit_code == 0
    header = result.stdout.splitlines()[0].split()
    assert header[-3:] == ["lexicon", "classifier", "fused"]
    data = json.loads(runner.invoke(cli, ["evaluate", "--format", "json", str(corpus)]).stdout)
    assert set(data) == {"lexicon", "classifier", "fused"}
    assert data["fused"]["categories"]["no_refund"]["recall"] == 1.0
    only = runner.invoke(cli, ["evaluate", "--rules-only", str(corpus)])
    assert only.stdout.splitlines()[0].split()[-1] == "lexicon"


def test_train_refuses_a_corpus_without_a_dev_split(runner, tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"text": "概不退款。", "labels": ["no_refund"], "split": "train",
                                  "doc_id": "d1"}, ensure_ascii=False) + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["train", str(corpus), "--out", str(tmp_path / "m")])
    assert result.exit_code == 2 and "dev" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_help_on_a_western_console_does_not_crash(encoding):
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    for args in (["--help"], ["audit", "--help"]):
        proc = subprocess.run([sys.executable, "-m", "clause_audit", *args], capture_output=True, env=env)
        assert proc.returncode == 0 and b"Traceback" not in proc.stderr


def test_closed_stdin_and_unbounded_devices_are_clear_errors(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "clause_audit", "audit", "-"], capture_output=True,
                          stdin=subprocess.DEVNULL, text=True, encoding="utf-8")
    assert proc.returncode == 0  # empty stdin: an empty report
    proc = subprocess.run([sys.executable, "-c", "import sys; sys.stdin.close(); sys.stdin = None; "
                           "from clause_audit.cli import main; sys.argv = ['clause-audit', 'audit', '-']; main()"],
                          capture_output=True, text=True, encoding="utf-8")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_dash_twice_and_output_dash(runner):
    assert runner.invoke(cli, ["audit", "-", "-"], input=b"x").exit_code == 2
    result = runner.invoke(cli, ["audit", "--format", "json", "-o", "-", str(DATA / "membership.txt")])
    assert json.loads(result.stdout)["documents"]


def test_evaluate_reads_a_directory_of_jsonl(runner, tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": "会员费一经支付概不退还。", "labels": ["no_refund"]},
                                                 ensure_ascii=False) + "\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps({"text": "支持七天无理由退款。", "labels": []},
                                                 ensure_ascii=False) + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["evaluate", "--format", "json", str(tmp_path)])
    assert result.exit_code == 0 and json.loads(result.stdout)["lexicon"]["clauses"] == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert runner.invoke(cli, ["evaluate", str(empty)]).exit_code == 2
