"""One submission against one definition: typed answers, visibility, and expression scopes.

Shared by validation, scoring and finding rules so that all three see the same values: an
answer that is hidden, missing, or of the wrong type is ``null`` to every expression.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from .expressions import Value, evaluate, is_true
from .schema import Definition, Question

# An entry context names the repeat entries a value lives in: (("workers", 2), ("children", 0)).
Ctx = tuple[tuple[str, int], ...]
Slot = tuple[Ctx, str]
Problem = tuple[str, str]  # (code, message)

_MISSING = object()
_DECIMAL = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$")
_GPS_KEYS = frozenset({"lat", "lon", "accuracy"})
_BAD_TYPE = "type"


def path_of(ctx: Ctx, key: str | None = None) -> str:
    """``workers[2].nationality``: entry indexes are 0-based, as in the answers JSON."""
    parts = [f"{g}[{i}]" for g, i in ctx]
    if key is not None:
        parts.append(key)
    return ".".join(parts)


def is_answered(value: Any) -> bool:
    if value is None or value is _MISSING:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | dict):
        return bool(value)
    return True


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_uuid(v: Any) -> bool:
    if not isinstance(v, str) or len(v) != 36:
        return False
    try:
        return str(uuid.UUID(v)) == v.lower()
    except ValueError:
        return False


def _bounds(q: Question, value: Any, shown: str, unit: str = "") -> list[Problem]:
    problems: list[Problem] = []
    if q.min is not None and value < q.min:
        problems.append(("min", f"{shown} is below the minimum {q.min}{unit}"))
    if q.max is not None and value > q.max:
        problems.append(("max", f"{shown} is above the maximum {q.max}{unit}"))
    return problems


def _count_bounds(low: int | None, high: int | None, n: int, what: str) -> list[Problem]:
    if low is not None and n < low:
        return [("min", f"{n} {what} given, at least {low} needed")]
    if high is not None and n > high:
        return [("max", f"{n} {what} given, at most {high} allowed")]
    return []


def check_value(q: Question, raw: Any) -> tuple[Value, list[Problem]]:
    """Type-check one present, non-null answer. Returns the value expressions see and the problems.

    A ``type`` problem makes the value null for expressions; range and choice problems keep it.
    """
    t = q.type
    if t == "yes_no":
        if isinstance(raw, bool):
            return raw, []
        return None, [(_BAD_TYPE, "expected true or false")]
    if t == "integer":
        if not _is_int(raw):
            return None, [(_BAD_TYPE, "expected a whole number")]
        return raw, _bounds(q, raw, str(raw))
    if t == "decimal":
        number: Decimal | None = None
        if _is_int(raw):
            number = Decimal(raw)
        elif isinstance(raw, float) and math.isfinite(raw):
            number = Decimal(repr(raw))
        elif isinstance(raw, str) and _DECIMAL.match(raw):
            try:
                number = Decimal(raw)
            except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
                number = None
        if number is None:
            return None, [(_BAD_TYPE, "expected a number")]
        return number, _bounds(q, number, str(raw))
    if t == "text":
        if not isinstance(raw, str):
            return None, [(_BAD_TYPE, "expected text")]
        n = len(raw)
        problems: list[Problem] = []
        if q.min_length is not None and n < q.min_length:
            problems.append(("min", f"text of {n} characters is shorter than {q.min_length}"))
        if q.max_length is not None and n > q.max_length:
            problems.append(("max", f"text of {n} characters is longer than {q.max_length}"))
        return raw, problems
    if t == "single_choice":
        if not isinstance(raw, str):
            return None, [(_BAD_TYPE, "expected an option code")]
        if raw not in q.option_codes:
            return raw, [("choice", f"{raw!r} is not one of the options")]
        return raw, []
    if t == "multiple_choice":
        if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw):
            return None, [(_BAD_TYPE, "expected a list of option codes")]
        problems = []
        unknown = [c for c in raw if c not in q.option_codes]
        if unknown:
            problems.append(("choice", f"{', '.join(map(repr, unknown))} not among the options"))
        if len(set(raw)) != len(raw):
            problems.append(("choice", "an option is selected more than once"))
        problems += _count_bounds(q.min_selected, q.max_selected, len(raw), "options selected")
        return list(raw), problems
    if t == "date":
        if not isinstance(raw, str) or not _DATE.match(raw):
            return None, [(_BAD_TYPE, "expected a date YYYY-MM-DD")]
        try:
            dt.date.fromisoformat(raw)
        except ValueError:
            return None, [(_BAD_TYPE, f"{raw!r} is not a calendar date")]
        return raw, _bounds(q, raw, raw)
    if t == "time":
        if not isinstance(raw, str) or not _TIME.match(raw):
            return None, [(_BAD_TYPE, "expected a time HH:MM or HH:MM:SS")]
        full = raw if len(raw) == 8 else raw + ":00"
        problems = []
        if q.min is not None and full < _full_time(q.min):
            problems.append(("min", f"{raw} is before {q.min}"))
        if q.max is not None and full > _full_time(q.max):
            problems.append(("max", f"{raw} is after {q.max}"))
        return raw, problems
    if t in ("photo", "signature"):
        if t == "photo" and q.multiple:
            if not isinstance(raw, list) or not all(_is_uuid(r) for r in raw):
                return None, [(_BAD_TYPE, "expected a list of attachment UUIDs")]
            return list(raw), _count_bounds(q.min_count, q.max_count, len(raw), "photos")
        if not _is_uuid(raw):
            return None, [(_BAD_TYPE, "expected an attachment UUID")]
        return raw, []
    if t == "gps":
        return _check_gps(q, raw)
    if t == "repeat":
        if not isinstance(raw, list):
            return None, [(_BAD_TYPE, "expected a list of entries")]
        return raw, _count_bounds(q.min_count, q.max_count, len(raw), "entries")
    return None, [("unknown_question", "a note takes no answer")]


def _full_time(text: Any) -> str:
    return str(text) if len(str(text)) == 8 else f"{text}:00"


def _number(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    f = float(v) if not isinstance(v, int) or abs(v) < 10**300 else math.inf
    return f if math.isfinite(f) else None


def _check_gps(q: Question, raw: Any) -> tuple[Value, list[Problem]]:
    bad = (_BAD_TYPE, "expected a position {lat, lon, accuracy} in degrees and metres")
    if not isinstance(raw, dict) or not {"lat", "lon"} <= raw.keys() or not raw.keys() <= _GPS_KEYS:
        return None, [bad]
    lat, lon = _number(raw["lat"]), _number(raw["lon"])
    accuracy = _number(raw.get("accuracy", 0))
    if lat is None or lon is None or accuracy is None:
        return None, [bad]
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or accuracy < 0:
        return None, [(_BAD_TYPE, "latitude, longitude or accuracy out of range")]
    if q.max_accuracy is not None and "accuracy" in raw and accuracy > q.max_accuracy:
        return dict(raw), [("max", f"position accuracy {accuracy:g} m is worse than {q.max_accuracy} m")]
    return dict(raw), []


class Submission:
    """Answers of one submission, checked and indexed by (entry context, key)."""

    def __init__(self, definition: Definition, answers: Any) -> None:
        self.definition = definition
        self.questions = definition.questions
        self.raw: dict[Slot, Any] = {}
        self.typed: dict[Slot, Value] = {}
        self.problems: dict[Slot, list[Problem]] = {}
        # Keys that are not questions at their level, by the context they were found in.
        self.unknown: dict[Ctx, list[str]] = {}
        self.top_is_mapping = isinstance(answers, Mapping)
        self._visible: dict[Slot, bool] = {}
        self._section_visible: dict[str, bool] = {}
        self._instances: dict[str, list[Ctx]] = {}
        top_level = [q for s in definition.sections for q in s.questions]
        self._read_level((), top_level, answers if isinstance(answers, Mapping) else {})
        self._warm_visibility()

    # ---------------------------------------------------------------- reading answers
    def _read_level(
        self, ctx: Ctx, questions: list[Question] | tuple[Question, ...], answers: Mapping[Any, Any]
    ) -> None:
        keys = {q.key for q in questions}
        extra = [k for k in answers if k not in keys]
        if extra:
            self.unknown[ctx] = sorted(str(k) for k in extra)
        for q in questions:
            raw = answers.get(q.key, _MISSING)
            if raw is _MISSING or raw is None:
                continue
            slot = (ctx, q.key)
            self.raw[slot] = raw
            value, problems = check_value(q, raw)
            self.typed[slot] = value
            if problems:
                self.problems[slot] = problems
            if q.type == "repeat" and isinstance(value, list):
                for i, entry in enumerate(value):
                    entry_ctx = (*ctx, (q.key, i))
                    if isinstance(entry, Mapping):
                        self._read_level(entry_ctx, q.questions, entry)
                    else:
                        self.problems.setdefault((entry_ctx, ""), []).append(
                            (_BAD_TYPE, "expected an entry object")
                        )

    # ---------------------------------------------------------------- instances and visibility
    def instances(self, q: Question) -> list[Ctx]:
        """Every entry context in which question ``q`` may have an answer."""
        if not q.groups:
            return [()]
        group = self.questions[q.groups[-1]]
        cached = self._instances.get(group.key)
        if cached is None:
            cached = []
            for ctx in self.instances(group):
                rows = self.typed.get((ctx, group.key))
                if isinstance(rows, list):
                    cached.extend((*ctx, (group.key, i)) for i in range(len(rows)))
            self._instances[group.key] = cached
        return cached

    def _warm_visibility(self) -> None:
        # Dependencies first, so the lazy recursion below never goes deep.
        for node in self.definition.visibility_order:
            if node.startswith("section:"):
                self.section_visible(node[len("section:") :])
                continue
            q = self.questions[node]
            for ctx in self.instances(q):
                self.visible(ctx, q)

    def section_visible(self, key: str) -> bool:
        cached = self._section_visible.get(key)
        if cached is None:
            section = next(s for s in self.definition.sections if s.key == key)
            cached = section.visible_if is None or is_true(
                evaluate(section.visible_if.node, EntryScope(self, ()))
            )
            self._section_visible[key] = cached
        return cached

    def visible(self, ctx: Ctx, q: Question) -> bool:
        slot = (ctx, q.key)
        cached = self._visible.get(slot)
        if cached is not None:
            return cached
        if q.groups:
            parent_ok = self.visible(ctx[:-1], self.questions[q.groups[-1]])
        else:
            parent_ok = self.section_visible(q.section)
        result = parent_ok and (
            q.visible_if is None or is_true(evaluate(q.visible_if.node, EntryScope(self, ctx)))
        )
        self._visible[slot] = result
        return result

    def value(self, ctx: Ctx, q: Question) -> Value:
        """The value expressions see: null when hidden, missing or of the wrong type."""
        if not self.visible(ctx, q):
            return None
        return self.typed.get((ctx, q.key))

    def required(self, ctx: Ctx, q: Question) -> bool:
        if q.required:
            return True
        return q.required_if is not None and is_true(evaluate(q.required_if.node, EntryScope(self, ctx)))


class EntryScope:
    """Expression scope at one entry context: the entry's own answers first, then enclosing ones."""

    __slots__ = ("ctx", "question", "sub")

    def __init__(self, sub: Submission, ctx: Ctx, question: Question | None = None) -> None:
        self.sub = sub
        self.ctx = ctx
        self.question = question

    def lookup(self, name: str) -> Value:
        q = self.sub.questions[name]
        return self.sub.value(self.ctx[: len(q.groups)], q)

    def current(self) -> Value:
        if self.question is None:
            return None
        return self.sub.value(self.ctx, self.question)

    def entries(self, group: str) -> list[EntryScope]:
        g = self.sub.questions[group]
        base = self.ctx[: len(g.groups)]
        rows = self.sub.value(base, g)
        if not isinstance(rows, list):
            return []
        return [EntryScope(self.sub, (*base, (group, i))) for i in range(len(rows))]
