"""Load the rule files of lexicons/, validate them, compile them once and match clauses."""

from __future__ import annotations

import hashlib
import logging
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import regex

from .types import SEVERITIES, severity_rank

log = logging.getLogger(__name__)

CATEGORIES = (
    "no_refund", "auto_renewal", "excessive_proof", "unilateral_change", "liability_exclusion",
    "unilateral_termination", "restrict_remedies", "final_interpretation", "deemed_consent",
    "contract_not_formed",
)
RULE_KEYS = {"id", "severity", "confidence", "terms", "patterns", "context", "unless", "message",
             "legal_basis", "suggestion", "examples"}
REQUIRED_KEYS = {"id", "severity", "message", "legal_basis", "suggestion", "examples"}
MODIFIER_KEYS = {"savings", "savings_exempt", "emphasis_blocks", "lawful_items", "exception_lead_ins"}
LEAD_IN_PENALTY = 0.1
LEAD_IN_CACHE = 4096
DATA_FILES = {"categories.toml", "citations.toml", "messages.toml"}  # data for reports and tests, not rules
MIN_EXAMPLES = 3
MATCH_TIMEOUT = 1.0  # seconds per rule and clause; a clause is at most a few hundred characters
CONTEXT_BONUS = 0.03
SAVINGS_PENALTY = 0.1
_ID = regex.compile(r"[a-z_]+\.[a-z0-9_]+")
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}


class LexiconError(Exception):
    """A rule file that cannot be used; the message names the file and the rule."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of a category file, compiled."""

    id: str
    category: str
    severity: str
    confidence: float
    message: str
    legal_basis: tuple[str, ...]
    suggestion: str
    hits: tuple[str, ...]
    misses: tuple[str, ...]
    context: tuple[str, ...]
    matcher: regex.Pattern
    unless: regex.Pattern | None
    source: str
    terms: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    unless_patterns: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RuleHit:
    """What a rule found in a clause: small, the detector adds the rest (offsets are clause-relative)."""

    rule: Rule
    start: int
    end: int
    matched: str
    severity: str
    confidence: float
    context_words: tuple[str, ...] = ()
    saved_by: str = ""
    lead_in: str = ""  # set when the hit was found in the clause's list lead-in, not in the clause


@dataclass(frozen=True, slots=True)
class NearMiss:
    """A rule whose pattern matched but whose `unless` cancelled it (for --explain)."""

    rule: Rule
    matched: str
    cancelled_by: str


@dataclass(slots=True)
class Lexicon:
    """All rules plus the document-wide modifiers."""

    rules: list[Rule]
    savings: regex.Pattern | None = None
    savings_exempt: frozenset[str] = frozenset()
    emphasis_blocks: tuple[str, ...] = ()
    lawful_items: regex.Pattern | None = None
    exception_lead_ins: regex.Pattern | None = None
    version: str = ""
    by_id: dict[str, Rule] = field(default_factory=dict)
    _lead_in_cache: dict[str, list[RuleHit]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {rule.id: rule for rule in self.rules}

    def match_clause(self, text: str, context: str = "") -> tuple[list[RuleHit], list[NearMiss]]:
        """Match a clause and let a list lead-in ("以下情形不予退款：") lend its categories to the item.

        An item inherits each category its lead-in hits (warning or above) that it does not hit
        itself, unless the item is lawful on its face (a statutory exemption, the user's own fault).
        """
        hits, near = self.match(text, context)
        if not is_lead_in(context):
            return hits, near
        if context not in self._lead_in_cache:
            if len(self._lead_in_cache) > LEAD_IN_CACHE:
                self._lead_in_cache.clear()  # bounded: a batch run sees endless distinct lead-ins
            lends = _search(self.exception_lead_ins, normalise(context)) is None
            self._lead_in_cache[context] = ([h for h in self.match(context)[0] if h.severity != "info"]
                                            if lends else [])
        inherited = self._lead_in_cache[context]
        if not inherited or _search(self.lawful_items, normalise(text)) is not None:
            return hits, near
        own = {h.rule.category for h in hits}
        for hit in inherited:
            if hit.rule.category not in own:
                own.add(hit.rule.category)
                hits.append(RuleHit(hit.rule, 0, 0, hit.matched, hit.severity,
                                    round(max(0.05, hit.confidence - LEAD_IN_PENALTY), 2),
                                    hit.context_words, hit.saved_by, lead_in=context))
        return hits, near

    def match(self, text: str, context: str = "") -> tuple[list[RuleHit], list[NearMiss]]:
        """Return the rules that hit a clause and those that an exception cancelled."""
        norm = normalise(text)
        norm_context = normalise(context)
        saved = _search(self.savings, norm)
        hits: list[RuleHit] = []
        near: list[NearMiss] = []
        for rule in self.rules:
            found = _search(rule.matcher, norm)
            if found is None:
                continue
            cancel = _search(rule.unless, norm)
            if cancel is not None:
                near.append(NearMiss(rule, text[found.start():found.end()], cancel.group(0)))
                continue
            words = tuple(w for w in rule.context if w in norm or w in norm_context)
            severity, confidence = rule.severity, rule.confidence
            if saved is not None and rule.category not in self.savings_exempt \
                    and rule.id not in self.savings_exempt:
                severity = SEVERITIES[max(0, severity_rank(severity) - 1)]
                confidence -= SAVINGS_PENALTY
            confidence = min(0.99, confidence + CONTEXT_BONUS * min(3, len(words)))
            hits.append(RuleHit(rule, found.start(), found.end(), text[found.start():found.end()],
                                severity, round(max(0.05, confidence), 2), words,
                                saved.group(0) if saved is not None else ""))
        return hits, near


def is_lead_in(context: str) -> bool:
    """Whether a clause's context is a list lead-in (ends with a colon) rather than a heading."""
    return context.rstrip().endswith(("：", ":"))


def _search(pattern: regex.Pattern | None, text: str) -> regex.Match | None:
    if pattern is None:
        return None
    try:
        return pattern.search(text, timeout=MATCH_TIMEOUT)
    except TimeoutError:
        log.warning("pattern timed out on a clause of %d characters: %.60s", len(text), pattern.pattern)
        return None


@cache
def _t2s() -> dict[int, int]:
    table = dict(_FULLWIDTH)
    for line in _read_data_file("t2s.tsv").splitlines():
        if line and not line.startswith("#"):
            trad, simp = line.split("\t")
            table[ord(trad)] = ord(simp)
    return table


def normalise(text: str) -> str:
    """Map traditional to simplified characters and full-width digits/letters to ASCII, length kept."""
    return text.translate(_t2s())


# -- loading ------------------------------------------------------------------------------------

def lexicon_dir() -> Path:
    """Return the lexicons shipped with the package, or the repository's in an editable install."""
    packaged = resources.files("clause_audit").joinpath("lexicons")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "lexicons"


def _read_data_file(name: str) -> str:
    return (lexicon_dir() / name).read_text(encoding="utf-8")


@cache
def default_lexicon() -> Lexicon:
    """Load the shipped rules once per process."""
    return load_lexicon()


@cache
def messages() -> dict[str, dict[str, str]]:
    """Return the report wording of lexicons/messages.toml (severity labels, evidence templates)."""
    return tomllib.loads(_read_data_file("messages.toml"))


@cache
def vocabulary() -> frozenset[str]:
    """Return the Chinese characters our rule files use: a profile of agreement text for encoding guesses."""
    chars: set[str] = set()
    for path in lexicon_dir().glob("*.toml"):
        chars.update(ch for ch in normalise(path.read_text(encoding="utf-8")) if "\u3400" <= ch <= "\u9fff")
    return frozenset(chars)


@cache
def categories() -> dict[str, dict[str, str]]:
    """Return the display name and summary of each category id, in TAXONOMY.md order."""
    data = tomllib.loads(_read_data_file("categories.toml"))
    if list(data) != list(CATEGORIES):
        raise LexiconError(f"categories.toml: 分类 id 必须依次为 {', '.join(CATEGORIES)}")
    return data


def load_lexicon(extra_dirs: tuple[Path, ...] = ()) -> Lexicon:
    """Load every category file and modifiers.toml from the shipped lexicons plus extra directories.

    Raises:
        LexiconError: a file or rule is invalid; the message names the file and rule id.
    """
    rules: list[Rule] = []
    modifiers: dict = {}
    digest = hashlib.sha256()
    for directory in (lexicon_dir(), *extra_dirs):
        files = sorted(Path(directory).glob("*.toml"))
        if not files and directory != lexicon_dir():
            raise LexiconError(f"{directory}: 没有规则文件（*.toml）")
        for path in files:
            raw = path.read_bytes()
            digest.update(path.name.encode() + b"\0" + raw)
            data = _parse(path, raw)
            if path.name in DATA_FILES:
                continue
            if path.name == "modifiers.toml":
                modifiers = _check_modifiers(path, data)
            else:
                rules.extend(_load_category(path, data))
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.id in seen:
            raise LexiconError(f"{rule.source}: 规则 {rule.id} 与 {seen[rule.id]} 中的规则重名")
        seen[rule.id] = rule.source
    savings = _compile(modifiers.get("savings", []), "modifiers.toml", "savings")
    return Lexicon(rules=rules, savings=savings,
                   savings_exempt=frozenset(modifiers.get("savings_exempt", [])),
                   emphasis_blocks=tuple(modifiers.get("emphasis_blocks", [])),
                   lawful_items=_compile(modifiers.get("lawful_items", []), "modifiers.toml", "lawful_items"),
                   exception_lead_ins=_compile(modifiers.get("exception_lead_ins", []), "modifiers.toml",
                                               "exception_lead_ins"),
                   version=digest.hexdigest()[:12])


def _parse(path: Path, raw: bytes) -> dict:
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{path}: 不是有效的 TOML（{exc}）") from None


def _check_modifiers(path: Path, data: dict) -> dict:
    unknown = set(data) - MODIFIER_KEYS
    if unknown:
        raise LexiconError(f"{path}: 未知的键 {sorted(unknown)}")
    for key, value in data.items():
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise LexiconError(f"{path}: {key} 必须是字符串列表")
    return data


def _load_category(path: Path, data: dict) -> list[Rule]:
    category = data.get("category")
    if set(data) - {"category", "rules"}:
        raise LexiconError(f"{path}: 未知的键 {sorted(set(data) - {'category', 'rules'})}")
    if category not in CATEGORIES:
        raise LexiconError(f"{path}: category 必须是分类表中的一个 id，而不是 {category!r}")
    if path.stem != category and path.parent == lexicon_dir():
        raise LexiconError(f"{path}: 文件名应为 {category}.toml")
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise LexiconError(f"{path}: 没有 [[rules]]")
    return [_load_rule(path, category, raw, n) for n, raw in enumerate(raw_rules, start=1)]


def _load_rule(path: Path, category: str, raw: dict, n: int) -> Rule:
    rule_id = raw.get("id", f"#{n}")
    where = f"{path.name}: 规则 {rule_id}"

    def fail(why: str) -> LexiconError:
        return LexiconError(f"{where}: {why}")

    unknown = set(raw) - RULE_KEYS
    if unknown:
        raise fail(f"未知的键 {sorted(unknown)}")
    missing = REQUIRED_KEYS - set(raw)
    if missing:
        raise fail(f"缺少 {sorted(missing)}")
    if not isinstance(rule_id, str) or not _ID.fullmatch(rule_id) or not rule_id.startswith(category + "."):
        raise fail(f"id 必须形如 {category}.name（小写字母、数字、下划线）")
    if raw["severity"] not in SEVERITIES:
        raise fail(f"severity 必须是 {'/'.join(SEVERITIES)}")
    confidence = raw.get("confidence", 0.8)
    if not isinstance(confidence, (int, float)) or not 0 < confidence <= 1:
        raise fail("confidence 必须在 (0, 1] 之间")
    for key in ("message", "suggestion"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise fail(f"{key} 不能为空")
    lists = {}
    for key in ("terms", "patterns", "context", "unless", "legal_basis"):
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise fail(f"{key} 必须是非空字符串列表")
        lists[key] = tuple(value)
    if not lists["legal_basis"]:
        raise fail("legal_basis 不能为空")
    if not lists["terms"] and not lists["patterns"]:
        raise fail("至少需要一个 terms 或 patterns")
    examples = raw["examples"]
    if not isinstance(examples, dict) or set(examples) - {"hit", "miss"}:
        raise fail("examples 只能有 hit 和 miss")
    hits, misses = tuple(examples.get("hit", [])), tuple(examples.get("miss", []))
    if len(hits) < MIN_EXAMPLES or len(misses) < MIN_EXAMPLES:
        raise fail(f"examples.hit 和 examples.miss 各需至少 {MIN_EXAMPLES} 条")
    terms = sorted(lists["terms"], key=len, reverse=True)
    alternatives = [*(f"(?:{p})" for p in lists["patterns"]), *(regex.escape(normalise(t)) for t in terms)]
    matcher = _compile_one("|".join(alternatives), where, "patterns/terms")
    unless = _compile(list(lists["unless"]), where, "unless")
    return Rule(id=rule_id, category=category, severity=raw["severity"], confidence=float(confidence),
                message=raw["message"].strip(), legal_basis=lists["legal_basis"],
                suggestion=raw["suggestion"].strip(), hits=hits, misses=misses,
                context=tuple(normalise(w) for w in lists["context"]), matcher=matcher, unless=unless,
                source=str(path), terms=lists["terms"], patterns=lists["patterns"],
                unless_patterns=lists["unless"])


def _compile(patterns: list[str], where: str, key: str) -> regex.Pattern | None:
    if not patterns:
        return None
    for p in patterns:  # compile one by one first so the error names the bad pattern
        _compile_one(p, where, key)
    return _compile_one("|".join(f"(?:{p})" for p in patterns), where, key)


def _compile_one(pattern: str, where: str, key: str) -> regex.Pattern:
    try:
        return regex.compile(pattern, regex.V0)
    except regex.error as exc:
        raise LexiconError(f"{where}: {key} 中的正则表达式无效：{pattern!r}（{exc}）") from None
