"""Template definitions: JSON in, typed frozen dataclasses out, or a :class:`DefinitionError`.

Everything that can be checked once is checked here, so that a published version cannot fail
at run time: expression syntax, references to unknown or out-of-scope keys, option codes used
in ``selected()``, visibility cycles, and the three languages of every text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any

from .expressions import (
    AGGREGATE_FUNCTIONS,
    Binary,
    Call,
    Current,
    ExpressionError,
    ListLiteral,
    Literal,
    Node,
    Ref,
    Unary,
    is_boolean,
    parse_expression,
)

__all__ = [
    "CATEGORIES",
    "LANGUAGES",
    "QUESTION_TYPES",
    "SEVERITIES",
    "SITE_KINDS",
    "Definition",
    "DefinitionError",
    "Expression",
    "FindingRule",
    "Option",
    "Question",
    "Section",
    "Text",
    "YesNoScore",
    "parse_definition",
]

FORMAT_VERSION = 1
LANGUAGES = ("en", "zh-hant", "pt")
QUESTION_TYPES = (
    "yes_no", "integer", "decimal", "text", "single_choice", "multiple_choice",
    "date", "time", "photo", "signature", "gps", "repeat", "note",
)  # fmt: skip
ANSWERABLE_TYPES = frozenset(QUESTION_TYPES) - {"note"}
SITE_KINDS = ("construction_site", "employment_agency", "venue")
CATEGORIES = (
    "prostitution_trafficking", "illegal_employment", "construction_large_scale",
    "construction_preventive", "construction_questionnaire", "employment_agency",
)  # fmt: skip
SEVERITIES = ("low", "medium", "high", "critical")

_KEY = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")
_VIOLATION = re.compile(r"^V-[0-9]{2,3}$")
_AGENCY = re.compile(r"^[A-Z][A-Z0-9_-]{1,15}$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$")
_RESERVED = frozenset({"and", "or", "not", "in", "true", "false", "null"})

_COMMON = {"key", "type", "label", "hint", "visible_if", "required", "required_if", "constraint",
           "constraint_message"}  # fmt: skip
_EXTRA: dict[str, set[str]] = {
    "yes_no": {"score", "weight"},
    "integer": {"min", "max"},
    "decimal": {"min", "max"},
    "text": {"min_length", "max_length", "multiline"},
    "single_choice": {"options", "weight"},
    "multiple_choice": {"options", "weight", "min_selected", "max_selected"},
    "date": {"min", "max"},
    "time": {"min", "max"},
    "photo": {"multiple", "min_count", "max_count"},
    "signature": set(),
    "gps": {"max_accuracy"},
    "repeat": {"questions", "count_question", "min_count", "max_count"},
    "note": set(),
}


class DefinitionError(ValueError):
    """A template definition that cannot be used; the message names the question or rule at fault."""


@dataclass(frozen=True)
class Text:
    """A user-facing text in the three official languages."""

    en: str
    zh_hant: str
    pt: str

    def get(self, language: str) -> str:
        return {"en": self.en, "zh-hant": self.zh_hant, "pt": self.pt}.get(language, self.en)


@dataclass(frozen=True)
class Expression:
    """A parsed expression with the repeat groups it is evaluated inside (outermost first)."""

    source: str
    node: Node
    scope: tuple[str, ...] = ()


@dataclass(frozen=True)
class Option:
    code: str
    label: Text
    score: Decimal | None = None


@dataclass(frozen=True)
class YesNoScore:
    yes: Decimal
    no: Decimal


@dataclass(frozen=True)
class Question:
    key: str
    type: str
    label: Text
    section: str
    groups: tuple[str, ...] = ()  # enclosing repeat groups, outermost first
    hint: Text | None = None
    required: bool = False
    required_if: Expression | None = None
    visible_if: Expression | None = None
    constraint: Expression | None = None
    constraint_message: Text | None = None
    min: int | Decimal | str | None = None  # number, or ISO date / time for date and time
    max: int | Decimal | str | None = None
    min_length: int | None = None
    max_length: int | None = None
    multiline: bool = False
    options: tuple[Option, ...] = ()
    min_selected: int | None = None
    max_selected: int | None = None
    score: YesNoScore | None = None
    weight: Decimal = Decimal(1)
    multiple: bool = False
    min_count: int | None = None
    max_count: int | None = None
    max_accuracy: Decimal | None = None
    count_question: str | None = None
    questions: tuple[Question, ...] = ()

    @property
    def group(self) -> str | None:
        return self.groups[-1] if self.groups else None

    @cached_property  # read for every answer of every submission: built once per parsed definition
    def option_codes(self) -> frozenset[str]:
        return frozenset(o.code for o in self.options)

    @property
    def is_scored(self) -> bool:
        if self.type == "yes_no":
            return self.score is not None
        return self.type in ("single_choice", "multiple_choice") and any(
            o.score is not None for o in self.options
        )


@dataclass(frozen=True)
class Section:
    key: str
    title: Text
    questions: tuple[Question, ...]
    visible_if: Expression | None = None


@dataclass(frozen=True)
class FindingRule:
    code: str
    when: Expression
    violation_code: str
    severity: str
    legal_basis: str
    competent_agency: str
    title: Text
    per_entry: str | None = None
    potential_victim: bool = False
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Definition:
    code: str
    title: Text
    site_kinds: tuple[str, ...]
    categories: tuple[str, ...]
    sections: tuple[Section, ...]
    findings: tuple[FindingRule, ...] = ()
    description: Text | None = None
    format: int = FORMAT_VERSION
    # Every question by key, including those inside repeat groups (keys are unique definition-wide).
    questions: Mapping[str, Question] = field(default_factory=dict, compare=False, repr=False, hash=False)
    # Questions and "section:<key>" nodes ordered so that each comes after those its visibility reads.
    visibility_order: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def iter_questions(self) -> Iterator[Question]:
        """All questions, depth first, in document order."""
        for section in self.sections:
            yield from _iter(section.questions)


def _iter(questions: tuple[Question, ...]) -> Iterator[Question]:
    for q in questions:
        yield q
        yield from _iter(q.questions)


# --------------------------------------------------------------------------- parsing helpers


def _fail(where: str, message: str) -> DefinitionError:
    return DefinitionError(f"{where}: {message}" if where else message)


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail(where, "must be an object")
    return value


def _no_unknown(data: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise _fail(where, f"unknown attribute(s) {', '.join(map(repr, unknown))}")


def _text(value: Any, where: str) -> Text:
    data = _mapping(value, where)
    _no_unknown(data, set(LANGUAGES), where)
    for lang in LANGUAGES:
        if not isinstance(data.get(lang), str) or not data[lang].strip():
            raise _fail(where, f"needs a non-empty {lang!r} text")
    return Text(en=data["en"], zh_hant=data["zh-hant"], pt=data["pt"])


def _opt_text(data: Mapping[str, Any], name: str, where: str) -> Text | None:
    return None if data.get(name) is None else _text(data[name], f"{where}: {name}")


def _bool(data: Mapping[str, Any], name: str, where: str) -> bool:
    value = data.get(name, False)
    if not isinstance(value, bool):
        raise _fail(where, f"{name} must be true or false")
    return value


def _int(data: Mapping[str, Any], name: str, where: str) -> int | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _fail(where, f"{name} must be a non-negative integer")
    return value


def _decimal(value: Any, what: str, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _fail(where, f"{what} must be a number")
    try:
        result = Decimal(str(value))
    except InvalidOperation:
        raise _fail(where, f"{what} must be a number") from None
    if not result.is_finite():
        raise _fail(where, f"{what} must be a finite number")
    return result


def _expression(data: Mapping[str, Any], name: str, where: str, scope: tuple[str, ...]) -> Expression | None:
    source = data.get(name)
    if source is None:
        return None
    if not isinstance(source, str):
        raise _fail(where, f"{name} must be an expression string")
    try:
        node = parse_expression(source)
    except ExpressionError as exc:
        raise _fail(where, f"{name}: {exc} in {source!r}") from None
    return Expression(source, node, scope)


def _bounds(data: Mapping[str, Any], qtype: str, where: str) -> tuple[Any, Any]:
    out: list[Any] = []
    for name in ("min", "max"):
        value = data.get(name)
        if value is None:
            out.append(None)
        elif qtype == "integer":
            if isinstance(value, bool) or not isinstance(value, int):
                raise _fail(where, f"{name} must be an integer")
            out.append(value)
        elif qtype == "decimal":
            out.append(_decimal(value, name, where))
        elif qtype == "date":
            try:
                if not _DATE.match(value):
                    raise ValueError(value)
                dt.date.fromisoformat(value)
            except (TypeError, ValueError):
                raise _fail(where, f"{name} must be a date YYYY-MM-DD") from None
            out.append(value)
        else:
            if not isinstance(value, str) or not _TIME.match(value):
                raise _fail(where, f"{name} must be a time HH:MM or HH:MM:SS")
            out.append(value)
    low, high = out
    if low is not None and high is not None and low > high:
        raise _fail(where, "min is greater than max")
    return low, high


def _pair(low: int | None, high: int | None, where: str, what: str) -> None:
    if low is not None and high is not None and low > high:
        raise _fail(where, f"min_{what} is greater than max_{what}")


# --------------------------------------------------------------------------- questions


def _question(raw: Any, section: str, groups: tuple[str, ...], where: str) -> Question:
    data = _mapping(raw, where)
    key = data.get("key")
    if not isinstance(key, str) or not _KEY.match(key) or key in _RESERVED:
        raise _fail(where, f"key {key!r} must be lower-case letters, digits and _ and not a keyword")
    where = f"question {key!r}"
    qtype = data.get("type")
    if qtype not in QUESTION_TYPES:
        raise _fail(where, f"type {qtype!r} is not one of {', '.join(QUESTION_TYPES)}")
    allowed = _COMMON | _EXTRA[qtype]
    if qtype == "note":
        allowed = {"key", "type", "label", "hint", "visible_if"}
    _no_unknown(data, allowed, where)
    if "required" in data and "required_if" in data:
        raise _fail(where, "use either required or required_if, not both")
    if "constraint_message" in data and "constraint" not in data:
        raise _fail(where, "constraint_message without a constraint")

    kwargs: dict[str, Any] = {
        "key": key,
        "type": qtype,
        "label": _text(data.get("label"), f"{where}: label"),
        "section": section,
        "groups": groups,
        "hint": _opt_text(data, "hint", where),
        "required": _bool(data, "required", where),
        "required_if": _expression(data, "required_if", where, groups),
        "visible_if": _expression(data, "visible_if", where, groups),
        "constraint": _expression(data, "constraint", where, groups),
        "constraint_message": _opt_text(data, "constraint_message", where),
    }
    if qtype in ("integer", "decimal", "date", "time"):
        kwargs["min"], kwargs["max"] = _bounds(data, qtype, where)
    if qtype == "text":
        kwargs["min_length"] = _int(data, "min_length", where)
        kwargs["max_length"] = _int(data, "max_length", where)
        kwargs["multiline"] = _bool(data, "multiline", where)
        _pair(kwargs["min_length"], kwargs["max_length"], where, "length")
    if qtype in ("single_choice", "multiple_choice"):
        kwargs["options"] = _options(data.get("options"), where)
    if qtype == "multiple_choice":
        kwargs["min_selected"] = _int(data, "min_selected", where)
        kwargs["max_selected"] = _int(data, "max_selected", where)
        _pair(kwargs["min_selected"], kwargs["max_selected"], where, "selected")
    if qtype in ("yes_no", "single_choice", "multiple_choice") and "weight" in data:
        kwargs["weight"] = _decimal(data["weight"], "weight", where)
    if qtype == "yes_no" and data.get("score") is not None:
        score = _mapping(data["score"], f"{where}: score")
        _no_unknown(score, {"yes", "no"}, f"{where}: score")
        kwargs["score"] = YesNoScore(
            yes=_decimal(score.get("yes", 0), "score.yes", where),
            no=_decimal(score.get("no", 0), "score.no", where),
        )
    if qtype == "photo":
        kwargs["multiple"] = _bool(data, "multiple", where)
        if not kwargs["multiple"] and ("min_count" in data or "max_count" in data):
            raise _fail(where, "min_count/max_count need multiple: true")
    if qtype in ("photo", "repeat"):
        kwargs["min_count"] = _int(data, "min_count", where)
        kwargs["max_count"] = _int(data, "max_count", where)
        _pair(kwargs["min_count"], kwargs["max_count"], where, "count")
    if qtype == "gps" and data.get("max_accuracy") is not None:
        kwargs["max_accuracy"] = _decimal(data["max_accuracy"], "max_accuracy", where)
    if qtype == "repeat":
        children = data.get("questions")
        if not isinstance(children, list) or not children:
            raise _fail(where, "a repeat group needs a non-empty list of questions")
        kwargs["questions"] = tuple(
            _question(c, section, (*groups, key), f"{where}: questions[{i}]") for i, c in enumerate(children)
        )
        count_question = data.get("count_question")
        if count_question is not None and not isinstance(count_question, str):
            raise _fail(where, "count_question must be a question key")
        kwargs["count_question"] = count_question
    return Question(**kwargs)


def _options(raw: Any, where: str) -> tuple[Option, ...]:
    if not isinstance(raw, list) or not raw:
        raise _fail(where, "needs a non-empty list of options")
    options: list[Option] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        owhere = f"{where}: options[{i}]"
        data = _mapping(item, owhere)
        _no_unknown(data, {"code", "label", "score"}, owhere)
        code = data.get("code")
        if not isinstance(code, str) or not _CODE.match(code):
            raise _fail(owhere, f"code {code!r} must be letters, digits, '_', '-' or '.'")
        if code in seen:
            raise _fail(owhere, f"duplicate option code {code!r}")
        seen.add(code)
        score = None if data.get("score") is None else _decimal(data["score"], "score", owhere)
        options.append(Option(code, _text(data.get("label"), f"{owhere}: label"), score))
    return tuple(options)


# --------------------------------------------------------------------------- expression checks


class _Checker:
    """Resolves every reference in every expression against the question index."""

    def __init__(self, questions: Mapping[str, Question]) -> None:
        self.questions = questions

    def reachable(self, key: str, scope: tuple[str, ...], where: str, pos: int) -> Question:
        q = self.questions.get(key)
        if q is None:
            raise _fail(where, f"unknown question {key!r} at position {pos}")
        if q.type == "note":
            raise _fail(where, f"{key!r} is a note and has no value (position {pos})")
        if scope[: len(q.groups)] != q.groups:
            group = q.groups[-1]
            raise _fail(
                where,
                f"{key!r} is inside repeat group {group!r} and cannot be used here (position {pos}); "
                f"aggregate with any({group}, ...), count_where({group}, ...) or sum({group}, ...)",
            )
        return q

    def check(
        self,
        expr: Expression,
        where: str,
        current: Question | None = None,
        *,
        boolean: bool = True,
    ) -> set[str]:
        """Check ``expr``; return the keys it refers to (for the visibility graph)."""
        refs: set[str] = set()
        self._node(expr.node, expr.scope, where, current, refs)
        if boolean:
            node = expr.node
            ok = is_boolean(node)
            if isinstance(node, Ref):
                ok = self.questions[node.name].type == "yes_no"
            elif isinstance(node, Current):
                ok = current is not None and current.type == "yes_no"
            if not ok:
                raise _fail(where, f"{expr.source!r} does not give true or false")
        return refs

    def _node(
        self, node: Node, scope: tuple[str, ...], where: str, current: Question | None, refs: set[str]
    ) -> None:
        if isinstance(node, Ref):
            self.reachable(node.name, scope, where, node.pos)
            refs.add(node.name)
        elif isinstance(node, Current):
            if current is None:
                raise _fail(
                    where, f"'.' (the current answer) is only allowed in a constraint (position {node.pos})"
                )
        elif isinstance(node, ListLiteral):
            for item in node.items:
                self._node(item, scope, where, current, refs)
        elif isinstance(node, Unary):
            self._node(node.operand, scope, where, current, refs)
        elif isinstance(node, Binary):
            self._node(node.left, scope, where, current, refs)
            self._node(node.right, scope, where, current, refs)
        elif isinstance(node, Call):
            self._call(node, scope, where, current, refs)

    def _target(
        self, node: Node, scope: tuple[str, ...], where: str, current: Question | None
    ) -> Question | None:
        if isinstance(node, Ref):
            return self.reachable(node.name, scope, where, node.pos)
        if isinstance(node, Current):
            return current
        return None

    def _call(
        self, node: Call, scope: tuple[str, ...], where: str, current: Question | None, refs: set[str]
    ) -> None:
        name, args = node.name, node.args
        if name in AGGREGATE_FUNCTIONS:
            group_ref = args[0]
            assert isinstance(group_ref, Ref)
            group = self.reachable(group_ref.name, scope, where, group_ref.pos)
            if group.type != "repeat":
                raise _fail(where, f"{name}() needs a repeat group, {group.key!r} is {group.type}")
            refs.add(group.key)
            self._node(args[1], (*group.groups, group.key), where, current, refs)
            if name != "sum" and not is_boolean(args[1]):
                raise _fail(where, f"the per-entry expression of {name}() must give true or false")
            return
        for arg in args:
            self._node(arg, scope, where, current, refs)
        if name in ("selected", "count_selected", "count"):
            target = self._target(args[0], scope, where, current)
            wanted = ("repeat",) if name == "count" else ("single_choice", "multiple_choice")
            if target is None or target.type not in wanted:
                raise _fail(where, f"{name}() needs a {' or '.join(wanted)} question (position {node.pos})")
            if name == "selected":
                code = args[1]
                if isinstance(code, Literal) and code.value not in target.option_codes:
                    raise _fail(where, f"{target.key!r} has no option {code.value!r} (position {code.pos})")


def _order(edges: Mapping[str, set[str]]) -> tuple[list[str] | None, list[str]]:
    """Depth-first search: (a cycle if there is one, else None; nodes with dependencies first)."""
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(edges, white)
    order: list[str] = []
    for start in edges:
        if colour[start] != white:
            continue
        path: list[str] = [start]
        colour[start] = grey
        stack: list[Iterator[str]] = [iter(sorted(edges[start]))]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                done = path.pop()
                colour[done] = black
                order.append(done)
                stack.pop()
                continue
            if colour.get(nxt, black) == grey:
                return [*path[path.index(nxt) :], nxt], order
            if colour.get(nxt, black) == white:
                colour[nxt] = grey
                path.append(nxt)
                stack.append(iter(sorted(edges[nxt])))
    return None, order


# --------------------------------------------------------------------------- definition


_TOP = {"format", "code", "title", "description", "site_kinds", "categories", "sections", "findings"}
_RULE = {"code", "when", "violation_code", "severity", "legal_basis", "competent_agency", "title",
         "per_entry", "potential_victim", "evidence"}  # fmt: skip


def _choices(data: Mapping[str, Any], name: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    values = data.get(name)
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        raise _fail(name, "must be a non-empty list of strings")
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise _fail(name, f"{unknown[0]!r} is not one of {', '.join(allowed)}")
    if len(set(values)) != len(values):
        raise _fail(name, "has duplicates")
    return tuple(values)


def parse_definition(raw: Mapping[str, Any] | Definition) -> Definition:
    """Parse and check a version definition; raise :class:`DefinitionError` if it cannot be used."""
    if isinstance(raw, Definition):
        return raw
    data = _mapping(raw, "definition")
    _no_unknown(data, _TOP, "definition")
    fmt = data.get("format", FORMAT_VERSION)
    if fmt != FORMAT_VERSION:
        raise _fail("format", f"unsupported format {fmt!r}; this engine reads format {FORMAT_VERSION}")
    code = data.get("code")
    if not isinstance(code, str) or not _KEY.match(code):
        raise _fail("code", f"{code!r} must be lower-case letters, digits and _")

    sections_raw = data.get("sections")
    if not isinstance(sections_raw, list) or not sections_raw:
        raise _fail("sections", "must be a non-empty list")
    sections: list[Section] = []
    for i, raw_section in enumerate(sections_raw):
        swhere = f"sections[{i}]"
        sdata = _mapping(raw_section, swhere)
        _no_unknown(sdata, {"key", "title", "visible_if", "questions"}, swhere)
        skey = sdata.get("key")
        if not isinstance(skey, str) or not _KEY.match(skey):
            raise _fail(swhere, f"key {skey!r} must be lower-case letters, digits and _")
        swhere = f"section {skey!r}"
        if any(s.key == skey for s in sections):
            raise _fail(swhere, "duplicate section key")
        qraw = sdata.get("questions")
        if not isinstance(qraw, list) or not qraw:
            raise _fail(swhere, "needs a non-empty list of questions")
        questions = tuple(_question(q, skey, (), f"{swhere}: questions[{j}]") for j, q in enumerate(qraw))
        sections.append(
            Section(skey, _text(sdata.get("title"), f"{swhere}: title"), questions,
                    _expression(sdata, "visible_if", swhere, ()))
        )  # fmt: skip

    index: dict[str, Question] = {}
    for section in sections:
        for q in _iter(section.questions):
            if q.key in index:
                raise _fail(
                    f"question {q.key!r}", "duplicate key (keys are unique across the whole definition)"
                )
            index[q.key] = q

    checker = _Checker(index)
    # Visibility graph: a node's visibility depends on the nodes it points to.
    edges: dict[str, set[str]] = {}
    for section in sections:
        node = f"section:{section.key}"
        edges[node] = set()
        if section.visible_if is not None:
            edges[node] = checker.check(section.visible_if, f"section {section.key!r}: visible_if")
    for q in index.values():
        where = f"question {q.key!r}"
        deps = {q.groups[-1] if q.groups else f"section:{q.section}"}
        if q.visible_if is not None:
            deps |= checker.check(q.visible_if, f"{where}: visible_if")
        edges[q.key] = deps
        if q.required_if is not None:
            checker.check(q.required_if, f"{where}: required_if")
        if q.constraint is not None:
            checker.check(q.constraint, f"{where}: constraint", current=q)
        if q.count_question is not None:
            target = checker.reachable(q.count_question, q.groups, f"{where}: count_question", 0)
            if target.type != "integer":
                raise _fail(where, f"count_question {q.count_question!r} must be an integer question")
    cycle, order = _order(edges)
    if cycle is not None:
        shown = " -> ".join(c.removeprefix("section:") for c in cycle)
        raise _fail("visible_if", f"visibility depends on itself: {shown}")

    findings = _rules(data.get("findings", []), index, checker)
    return Definition(
        code=code,
        title=_text(data.get("title"), "title"),
        site_kinds=_choices(data, "site_kinds", SITE_KINDS),
        categories=_choices(data, "categories", CATEGORIES),
        sections=tuple(sections),
        findings=findings,
        description=_opt_text(data, "description", "definition"),
        format=FORMAT_VERSION,
        questions=index,
        visibility_order=tuple(order),
    )


def _rules(raw: Any, index: Mapping[str, Question], checker: _Checker) -> tuple[FindingRule, ...]:
    if not isinstance(raw, list):
        raise _fail("findings", "must be a list")
    rules: list[FindingRule] = []
    for i, item in enumerate(raw):
        data = _mapping(item, f"findings[{i}]")
        code = data.get("code")
        if not isinstance(code, str) or not _CODE.match(code):
            raise _fail(f"findings[{i}]", f"code {code!r} must be letters, digits, '_', '-' or '.'")
        where = f"finding rule {code!r}"
        _no_unknown(data, _RULE, where)
        if any(r.code == code for r in rules):
            raise _fail(where, "duplicate rule code")
        per_entry = data.get("per_entry")
        scope: tuple[str, ...] = ()
        if per_entry is not None:
            group = index.get(per_entry) if isinstance(per_entry, str) else None
            if group is None or group.type != "repeat":
                raise _fail(where, f"per_entry {per_entry!r} is not a repeat group")
            scope = (*group.groups, group.key)
        if "when" not in data:
            raise _fail(where, "needs a 'when' expression")
        when = _expression(data, "when", where, scope)
        assert when is not None
        checker.check(when, f"{where}: when")
        violation = data.get("violation_code")
        if not isinstance(violation, str) or not _VIOLATION.match(violation):
            raise _fail(where, f"violation_code {violation!r} must look like V-01")
        severity = data.get("severity")
        if severity not in SEVERITIES:
            raise _fail(where, f"severity {severity!r} is not one of {', '.join(SEVERITIES)}")
        legal_basis = data.get("legal_basis")
        if not isinstance(legal_basis, str) or not legal_basis.strip():
            raise _fail(where, "legal_basis must be a non-empty string")
        agency = data.get("competent_agency")
        if not isinstance(agency, str) or not _AGENCY.match(agency):
            raise _fail(where, f"competent_agency {agency!r} must be an agency code such as PSP or DSAL")
        evidence = data.get("evidence", [])
        if not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
            raise _fail(where, "evidence must be a list of question keys")
        for key in evidence:
            checker.reachable(key, scope, f"{where}: evidence", 0)
        rules.append(
            FindingRule(
                code=code,
                when=when,
                violation_code=violation,
                severity=severity,
                legal_basis=legal_basis,
                competent_agency=agency,
                title=_text(data.get("title"), f"{where}: title"),
                per_entry=per_entry,
                potential_victim=_bool(data, "potential_victim", where),
                evidence=tuple(evidence),
            )
        )
    return tuple(rules)
