"""The command line: thin click commands over the library (audit, rules, evaluate)."""

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
def audit(files: tuple[str, ...], fmt: str, output: Path | None, fail_on: str, explain: bool,
          color: bool | None) -> None:
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
    report = run_audit(files, lexicon=lexicon)
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
def evaluate(file: Path, split: str | None, fmt: str, show_errors: int) -> None:
    """按分类报告检测器在标注条款（JSONL 文件或含 JSONL 的目录）上的精确率、召回率与 F1。

    \b
    每行：{"text": "...", "context": "...", "labels": ["no_refund", ...], "split": "test"}
    例：clause-audit evaluate corpus/heldout/clauses.jsonl
    """
    from .evaluation import CorpusError, format_table, lexicon_predictor, load_corpus
    from .evaluation import evaluate as run

    try:
        rows = load_corpus(file, split)
    except CorpusError as exc:
        raise InputError(str(exc)) from None
    if not rows:
        raise InputError(f"{file}: 没有可评估的条款" + (f"（split={split}）" if split else ""))
    results = run(rows, {"lexicon": lexicon_predictor(_lexicon())})
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
