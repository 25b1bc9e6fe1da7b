"""The command line: thin click commands over the library (audit, rules, evaluate, train)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .lexicon import CATEGORIES, LexiconError, categories, default_lexicon
from .types import severity_rank

FAIL_ON = ("error", "warning", "info", "never")


class InputError(click.ClickException):
    """A user error: one line on stderr, exit 2 (a plain ClickException exits 1, which means findings)."""

    exit_code = 2

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        click.echo(f"clause-audit: {self.format_message()}", err=True)


def _console_can_show_chinese(stream) -> bool:  # noqa: ANN001
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        "中文【】“”".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _emit(text: str, output: Path | None) -> None:
    if output is not None:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{output}: 无法写入（{exc.strerror or exc}）") from None
        return
    stream = sys.stdout
    if not _console_can_show_chinese(stream) and hasattr(stream, "reconfigure"):
        stream.reconfigure(errors="backslashreplace")
    click.echo(text, nl=False)


def _model_options(command):  # noqa: ANN001, ANN202 - a click decorator bundle
    command = click.option("--rules-only", is_flag=True, help="只用规则，不用分类模型。")(command)
    return click.option("--model", "model_path", type=click.Path(file_okay=False, path_type=Path),
                        help="使用该目录中的模型（clause-audit train 的输出），而不是内置模型。")(command)


def _model(model_path: Path | None, rules_only: bool):  # noqa: ANN202 - a classifier.Model or None
    from .classifier import ModelError, default_model, load_model

    if rules_only:
        if model_path is not None:
            raise InputError("--rules-only 与 --model 不能同时使用")
        return None
    try:
        return load_model(model_path) if model_path is not None else default_model()
    except ModelError as exc:
        raise InputError(f"模型无法使用：{exc}") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clause-audit")
def cli() -> None:
    """审查中文平台用户协议中可能无效或不公平的格式条款。

    \b
    例：clause-audit audit 协议.html
        clause-audit audit --format json 会员协议.txt 退款规则.md
        clause-audit rules no_refund
    """


@cli.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式。")
@click.option("--output", "-o", type=click.Path(dir_okay=False, readable=False, allow_dash=True, path_type=Path),
              help="写入文件而不是标准输出（- 为标准输出）。")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
              help="有此严重程度及以上的发现时退出码为 1。")
@click.option("--explain", is_flag=True, help="显示每处发现的证据，以及被例外排除的匹配。")
@click.option("--color/--no-color", default=None, help="文本输出是否着色（默认：终端时着色）。")
@_model_options
def audit(files: tuple[str, ...], fmt: str, output: Path | None, fail_on: str, explain: bool,
          color: bool | None, model_path: Path | None, rules_only: bool) -> None:
    """审查一个或多个协议文件（.html .md .txt，- 表示标准输入）。

    \b
    退出码：0 无达到 --fail-on 的发现；1 有；2 有文件无法读取或调用有误。
    例：clause-audit audit --format json --fail-on warning 用户协议.html
    """
    from .audit import audit as run_audit
    from .report import FORMATS

    if files.count("-") > 1:
        raise InputError("标准输入（-）只能给出一次")
    if output is not None and str(output) == "-":
        output = None

    lexicon = _lexicon()
    report = run_audit(files, lexicon=lexicon, model=_model(model_path, rules_only))
    if color is None:
        color = output is None and sys.stdout.isatty()
    ascii_only = output is None and not _console_can_show_chinese(sys.stdout)
    _emit(FORMATS[fmt](report, color=color, explain=explain, ascii_only=ascii_only), output)
    bad = [d for d in report.documents if d.error]
    for doc in bad:
        click.echo(f"clause-audit: {doc.error}", err=True)
    if bad:
        sys.exit(2)
    if fail_on != "never":
        threshold = severity_rank(fail_on)
        if any(severity_rank(f.severity) >= threshold for d in report.documents for f in d.findings
               if not f.suppressed):
            sys.exit(1)


@cli.command()
@click.argument("rule_id", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules(rule_id: str | None, fmt: str) -> None:
    """列出规则；给出规则 id 或分类 id 时显示其详情与示例。

    \b
    例：clause-audit rules
        clause-audit rules no_refund
        clause-audit rules no_refund.blanket
    """
    lexicon = _lexicon()
    if rule_id is None:
        chosen = lexicon.rules
    elif rule_id in lexicon.by_id:
        chosen = [lexicon.by_id[rule_id]]
    elif rule_id in CATEGORIES:
        chosen = [r for r in lexicon.rules if r.category == rule_id]
    else:
        raise InputError(f"没有规则或分类 {rule_id!r}（clause-audit rules 列出全部）")
    detailed = rule_id is not None
    if fmt == "json":
        _emit(json.dumps([_rule_record(r, detailed) for r in chosen], ensure_ascii=False, indent=2) + "\n", None)
        return
    names = categories()
    lines = []
    for r in chosen:
        if not detailed:
            lines.append(f"{r.id:<44} {r.severity:<8} {names[r.category]['name']:<16} {'；'.join(r.legal_basis)}")
            continue
        lines += [f"{r.id}  [{r.severity}]  {names[r.category]['name']}", f"  问题：{r.message}",
                  f"  依据：{'；'.join(r.legal_basis)}", f"  建议：{r.suggestion}",
                  f"  置信度：{r.confidence}"]
        lines += [f"  词语：{t}" for t in r.terms] + [f"  模式：{p}" for p in r.patterns]
        lines += [f"  例外：{u}" for u in r.unless_patterns]
        lines += [f"  命中例：{e}" for e in r.hits] + [f"  不命中例：{e}" for e in r.misses] + [""]
    if not detailed:
        lines.append(f"共 {len(chosen)} 条规则（规则包 {lexicon.version}）")
    _emit("\n".join(lines) + "\n", None)


def _rule_record(rule, detailed: bool) -> dict:  # noqa: ANN001
    record = {"id": rule.id, "category": rule.category, "severity": rule.severity,
              "legal_basis": list(rule.legal_basis)}
    if detailed:
        record |= {"message": rule.message, "suggestion": rule.suggestion, "confidence": rule.confidence,
                   "terms": list(rule.terms), "patterns": list(rule.patterns),
                   "unless": list(rule.unless_patterns),
                   "examples": {"hit": list(rule.hits), "miss": list(rule.misses)}}
    return record


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--split", help="只评估该 split（train/dev/test）的条款。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--errors", "show_errors", type=int, default=0, help="列出前 N 个判错的条款。")
@_model_options
def evaluate(file: Path, split: str | None, fmt: str, show_errors: int, model_path: Path | None,
             rules_only: bool) -> None:
    """按分类报告检测器在标注条款（JSONL 文件或含 JSONL 的目录）上的精确率、召回率与 F1。

    有模型时并列三栏：只用规则（lexicon）、只用模型（classifier）、二者融合（fused，即 audit 的结果）。

    \b
    每行：{"text": "...", "context": "...", "labels": ["no_refund", ...], "split": "test"}
    例：clause-audit evaluate corpus/clauses --split test
    """
    from .evaluation import (
        CorpusError,
        classifier_predictor,
        format_table,
        fused_predictor,
        lexicon_predictor,
        load_corpus,
    )
    from .evaluation import evaluate as run

    try:
        rows = load_corpus(file, split)
    except CorpusError as exc:
        raise InputError(str(exc)) from None
    if not rows:
        raise InputError(f"{file}: 没有可评估的条款" + (f"（split={split}）" if split else ""))
    lexicon = _lexicon()
    predictors = {"lexicon": lexicon_predictor(lexicon)}
    model = _model(model_path, rules_only)
    if model is not None:
        predictors |= {"classifier": classifier_predictor(model), "fused": fused_predictor(lexicon, model)}
    results = run(rows, predictors)
    if fmt == "json":
        _emit(json.dumps({n: s.to_dict() for n, (s, _) in results.items()}, ensure_ascii=False, indent=2)
              + "\n", None)
        return
    text = format_table(results, results)
    for name, (_, errors) in results.items():
        for gold, predicted, row in errors[:show_errors]:
            text += (f"\n[{name}] 标注 {sorted(gold) or '-'}  预测 {sorted(predicted) or '-'}\n"
                     f"  {row.get('context') or ''} {row['text']}\n")
    _emit(text, None)


@cli.command()
@click.argument("corpus", type=click.Path(exists=True, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="模型输出目录（默认：包内的 clause_audit/model/，即 audit 使用的模型）。")
def train(corpus: Path, out: Path | None) -> None:
    """用标注语料（JSONL 文件或目录）训练分类模型：train 部分拟合，dev 部分选阈值，test 部分不用。

    目录下有 clauses/ 子目录时只读取它（corpus/heldout/ 只用于评估，不参与训练）。

    训练是确定性的：同一语料两次训练得到逐字节相同的模型文件（JSON + numpy 数组，不含 pickle）。

    \b
    例：clause-audit train corpus/
        clause-audit train corpus/clauses --out /tmp/model && clause-audit audit --model /tmp/model 协议.html
    """
    from .classifier import model_dir
    from .evaluation import CorpusError, load_corpus
    from .training import TrainingError
    from .training import train as run_train

    if (corpus / "clauses").is_dir():
        corpus = corpus / "clauses"  # the project layout: heldout/ is for measurement only
    try:
        rows = load_corpus(corpus)
    except CorpusError as exc:
        raise InputError(str(exc)) from None
    out = out or model_dir()
    try:
        model = run_train(rows, out, _lexicon())
    except TrainingError as exc:
        raise InputError(f"无法训练：{exc}") from None
    except OSError as exc:
        raise InputError(f"{out}: 无法写入模型（{exc.strerror or exc}）") from None
    meta = model.meta
    click.echo(f"模型已写入 {out}（{model.version}）：{meta['train_clauses']} 条训练条款、"
               f"{meta['documents']} 篇文档、{len(model.vocabulary)} 个特征；dev {meta['dev_clauses']} 条用于选阈值。")
    click.echo("阈值：" + "，".join(f"{c} {t:.3f}" for c, t in model.thresholds.items()))


def _lexicon():
    try:
        return default_lexicon()
    except LexiconError as exc:
        raise InputError(f"规则文件有误：{exc}") from None


def main() -> None:
    """Entry point of the console script."""
    for stream in (sys.stdout, sys.stderr):  # help and errors must not crash on a cp1252/latin-1 console
        if stream is not None and not _console_can_show_chinese(stream) and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    cli(prog_name="clause-audit")
