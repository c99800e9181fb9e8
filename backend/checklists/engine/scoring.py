"""Scores: per question, per section and in total, over visible, validly answered questions only."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .schema import Question
from .submission import Submission, path_of

__all__ = ["QuestionScore", "Score", "SectionScore", "question_maximum", "score_submission"]

_ZERO = Decimal(0)


@dataclass(frozen=True)
class QuestionScore:
    path: str
    section: str
    score: Decimal
    maximum: Decimal


@dataclass(frozen=True)
class SectionScore:
    key: str
    score: Decimal
    maximum: Decimal


@dataclass(frozen=True)
class Score:
    total: Decimal
    maximum: Decimal
    sections: tuple[SectionScore, ...]
    questions: tuple[QuestionScore, ...]

    @property
    def ratio(self) -> Decimal | None:
        """total / maximum, or None when nothing scored was answered."""
        return None if self.maximum == 0 else self.total / self.maximum


def question_maximum(q: Question) -> Decimal:
    """The best score a question can give (before ``weight``)."""
    if q.type == "yes_no":
        return max(q.score.yes, q.score.no) if q.score else _ZERO
    scores = [o.score or _ZERO for o in q.options]
    if q.type == "multiple_choice":
        return sum((s for s in scores if s > 0), _ZERO)
    return max(scores, default=_ZERO)


def _question_score(q: Question, value: object) -> Decimal | None:
    if q.type == "yes_no":
        if q.score is None or not isinstance(value, bool):
            return None
        return q.score.yes if value else q.score.no
    by_code = {o.code: o.score or _ZERO for o in q.options}
    if q.type == "single_choice" and isinstance(value, str):
        return by_code.get(value)
    if q.type == "multiple_choice" and isinstance(value, list):
        return sum((by_code[c] for c in value if c in by_code), _ZERO)
    return None


def score_submission(sub: Submission) -> Score:
    questions: list[QuestionScore] = []
    sections: dict[str, list[Decimal]] = {s.key: [_ZERO, _ZERO] for s in sub.definition.sections}
    for q in sub.definition.iter_questions():
        if not q.is_scored:
            continue
        for ctx in sub.instances(q):
            slot = (ctx, q.key)
            if slot in sub.problems or not sub.visible(ctx, q):
                continue
            raw = _question_score(q, sub.typed.get(slot))
            if raw is None:
                continue
            score, maximum = raw * q.weight, question_maximum(q) * q.weight
            questions.append(QuestionScore(path_of(ctx, q.key), q.section, score, maximum))
            sections[q.section][0] += score
            sections[q.section][1] += maximum
    section_scores = tuple(SectionScore(k, v[0], v[1]) for k, v in sections.items())
    return Score(
        total=sum((s.score for s in section_scores), _ZERO),
        maximum=sum((s.maximum for s in section_scores), _ZERO),
        sections=section_scores,
        questions=tuple(questions),
    )
