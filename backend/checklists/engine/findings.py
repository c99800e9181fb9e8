"""Finding rules: which violations a submission shows, and the score, in a deterministic order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .expressions import evaluate, is_true
from .schema import Definition, FindingRule, Text, parse_definition
from .scoring import Score, score_submission
from .submission import Ctx, EntryScope, Submission, is_answered, path_of
from .validation import ValidationResult, _validate

__all__ = ["Derivation", "Finding", "derive"]


@dataclass(frozen=True)
class Finding:
    rule_code: str
    violation_code: str  # V-01 .. V-14 of the inspection checklist
    severity: str  # low, medium, high, critical
    legal_basis: str
    competent_agency: str  # agency code: PSP, DSAL, IAS, ...
    title: Text
    entry_path: str | None = None  # "workers[2]" for a per_entry rule, else None
    # Screening signal only: the Django side opens a referral for assessment, never a victim label.
    potential_victim: bool = False
    # (path, submitted value) of the rule's evidence questions that are visible and answered.
    evidence: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Derivation:
    score: Score
    findings: tuple[Finding, ...]
    validation: ValidationResult


def _evidence(sub: Submission, rule: FindingRule, ctx: Ctx) -> tuple[tuple[str, Any], ...]:
    out: list[tuple[str, Any]] = []
    for key in rule.evidence:
        q = sub.questions[key]
        qctx = ctx[: len(q.groups)]
        slot = (qctx, key)
        if slot in sub.raw and sub.visible(qctx, q) and is_answered(sub.raw[slot]):
            out.append((path_of(qctx, key), sub.raw[slot]))
    return tuple(out)


def _finding(sub: Submission, rule: FindingRule, ctx: Ctx) -> Finding:
    return Finding(
        rule_code=rule.code,
        violation_code=rule.violation_code,
        severity=rule.severity,
        legal_basis=rule.legal_basis,
        competent_agency=rule.competent_agency,
        title=rule.title,
        entry_path=path_of(ctx) if ctx else None,
        potential_victim=rule.potential_victim,
        evidence=_evidence(sub, rule, ctx),
    )


def entry_contexts(sub: Submission, group_key: str) -> list[Ctx]:
    """The contexts of every entry of a repeat group, in visible instances of the group only."""
    group = sub.questions[group_key]
    out: list[Ctx] = []
    for ctx in sub.instances(group):
        rows = sub.typed.get((ctx, group_key))
        if isinstance(rows, list) and sub.visible(ctx, group):
            out.extend((*ctx, (group_key, i)) for i in range(len(rows)))
    return out


def find(sub: Submission) -> tuple[Finding, ...]:
    """Rules in definition order; a per_entry rule once per visible entry, in entry order."""
    findings: list[Finding] = []
    for rule in sub.definition.findings:
        if rule.per_entry is None:
            contexts: list[Ctx] = [()]
        else:
            contexts = entry_contexts(sub, rule.per_entry)
        for ctx in contexts:
            if is_true(evaluate(rule.when.node, EntryScope(sub, ctx))):
                findings.append(_finding(sub, rule, ctx))
    return tuple(findings)


def derive(definition: Definition | Mapping[str, Any], answers: Any) -> Derivation:
    """Score and findings of a submission (and its validation, computed on the way).

    Invalid answers count as null, so a submission with errors still derives what it can;
    callers normally derive only from submissions whose validation is ``ok``.
    """
    sub = Submission(parse_definition(definition), answers)
    return Derivation(score=score_submission(sub), findings=find(sub), validation=_validate(sub))
