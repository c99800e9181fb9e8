"""Validation of a whole submission: every error, in document order, never an exception."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .expressions import evaluate
from .schema import Definition, Question, parse_definition
from .submission import Ctx, EntryScope, Submission, is_answered, path_of

__all__ = ["ERROR_CODES", "AnswerError", "ValidationResult", "validate_submission"]

ERROR_CODES = (
    "required",  # a visible required question has no answer
    "type",  # the answer has the wrong shape (also a non-object submission or repeat entry)
    "min",  # below a minimum: number, date, time, text length, selections, entries, photos
    "max",  # above a maximum (also GPS accuracy worse than max_accuracy)
    "choice",  # an option code that is not among the options, or selected twice
    "constraint",  # the question's constraint expression gave false
    "count_mismatch",  # a repeat group's number of entries differs from its count question
    "unknown_question",  # a key that is no question at that level, or an answer to a note
)


@dataclass(frozen=True)
class AnswerError:
    path: str  # "workers_count", "workers[2].nationality" (0-based entry index), "" for the whole submission
    code: str  # one of ERROR_CODES
    message: str  # English, for logs and the back office; phones show their own translated text

    @property
    def key(self) -> str:
        """The question key without entry indexes: ``nationality`` for ``workers[2].nationality``."""
        return self.path.rsplit(".", 1)[-1].split("[", 1)[0]


@dataclass(frozen=True)
class ValidationResult:
    errors: tuple[AnswerError, ...]
    # Paths of answers given to hidden questions; they are ignored and left out of ``answers``.
    dropped: tuple[str, ...]
    # The submitted answers minus the dropped ones (values as submitted, so still plain JSON).
    answers: dict[str, Any]

    @property
    def ok(self) -> bool:
        return not self.errors

    def by_path(self) -> dict[str, list[AnswerError]]:
        out: dict[str, list[AnswerError]] = {}
        for error in self.errors:
            out.setdefault(error.path, []).append(error)
        return out


class _Collector:
    def __init__(self, sub: Submission) -> None:
        self.sub = sub
        self.errors: list[AnswerError] = []
        self.dropped: list[str] = []

    def add(self, path: str, code: str, message: str) -> None:
        self.errors.append(AnswerError(path, code, message))

    def unknown(self, ctx: Ctx) -> None:
        for key in self.sub.unknown.get(ctx, []):
            self.add(path_of(ctx, key), "unknown_question", f"{key!r} is not a question of this checklist")

    def level(self, ctx: Ctx, questions: tuple[Question, ...] | list[Question]) -> dict[str, Any]:
        sub = self.sub
        kept: dict[str, Any] = {}
        for q in questions:
            slot = (ctx, q.key)
            path = path_of(ctx, q.key)
            present = slot in sub.raw
            if not sub.visible(ctx, q):
                if present:
                    self.dropped.append(path)
                continue
            if present:
                kept[q.key] = sub.raw[slot]
            problems = sub.problems.get(slot, [])
            for code, message in problems:
                self.add(path, code, f"{path}: {message}")
            value = sub.typed.get(slot)
            if not problems and not is_answered(value):
                if sub.required(ctx, q):
                    self.add(path, "required", f"{path}: an answer is required")
                continue
            if q.constraint is not None and not problems and value is not None:
                result = evaluate(q.constraint.node, EntryScope(sub, ctx, q))
                if result is False:
                    text = (
                        q.constraint_message.en
                        if q.constraint_message
                        else f"must satisfy {q.constraint.source}"
                    )
                    self.add(path, "constraint", f"{path}: {text}")
            if q.type == "repeat" and isinstance(value, list):
                self.repeat(ctx, q, value, kept)
        return kept

    def repeat(self, ctx: Ctx, q: Question, rows: list[Any], kept: dict[str, Any]) -> None:
        sub = self.sub
        path = path_of(ctx, q.key)
        if q.count_question is not None:
            counter = sub.questions[q.count_question]
            expected = sub.value(ctx[: len(counter.groups)], counter)
            if isinstance(expected, int) and not isinstance(expected, bool) and expected != len(rows):
                self.add(
                    path,
                    "count_mismatch",
                    f"{path}: {len(rows)} entries given but {q.count_question} says {expected}",
                )
        cleaned: list[Any] = []
        for i, row in enumerate(rows):
            entry_ctx = (*ctx, (q.key, i))
            for code, message in sub.problems.get((entry_ctx, ""), []):
                self.add(path_of(entry_ctx), code, f"{path_of(entry_ctx)}: {message}")
            if not isinstance(row, Mapping):
                cleaned.append(row)
                continue
            self.unknown(entry_ctx)
            cleaned.append(self.level(entry_ctx, q.questions))
        kept[q.key] = cleaned


def validate_submission(definition: Definition | Mapping[str, Any], answers: Any) -> ValidationResult:
    """Check ``answers`` (a JSON object: key -> value; repeat groups as lists of such objects).

    Returns every error, never raises for any answers. Answers to hidden questions are not
    errors: they are dropped and listed in ``dropped``. A definition given as a mapping is parsed
    first (and may raise :class:`DefinitionError`); pass a parsed one to validate many times.
    """
    return _validate(Submission(parse_definition(definition), answers))


def _validate(sub: Submission) -> ValidationResult:
    collector = _Collector(sub)
    if not sub.top_is_mapping:
        collector.add("", "type", "the answers must be a JSON object of question keys")
    collector.unknown(())
    kept = collector.level((), [q for s in sub.definition.sections for q in s.questions])
    return ValidationResult(tuple(collector.errors), tuple(collector.dropped), kept)
