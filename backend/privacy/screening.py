"""Identifying answers of screenings go to the protected store (``ScreenedPerson``).

Run by ingest on the submissions and findings before they are stored (``protect_before_insert``:
identifying answers never reach the submissions' rows), and as a findings hook for what was stored
otherwise, inside the ingest transaction and after the referral hook (which copies the field
reference into the referred person's encrypted details, from what the phone sent): each repeat entry that
describes a person (it has a ``person_ref``) gives up its identifying answers, the reference and
the free-text notes, to an encrypted row; the stored answers and the findings' evidence keep a
coded reference in their place. Coded answers (age band, nationality band, indicators) stay, so
every rule, score and statistic reads the same."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from typing import Any

from backend.core.inserts import insert_many
from backend.privacy import crypto

PERSON_KEY = "person_ref"
PROTECTED_NOTE = "[protected]"


def is_identifying(key: str) -> bool:
    return key == PERSON_KEY or key.endswith("_note")


def has_persons(answers: dict[str, Any]) -> bool:
    return any(
        isinstance(v, list) and any(isinstance(e, dict) and PERSON_KEY in e for e in v)
        for v in answers.values()
    )


def _protect_answers(answers: dict[str, Any], scope: str) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The answers with identifying values replaced, and those values per entry path."""
    out = copy.deepcopy(answers)
    taken: dict[str, dict[str, Any]] = {}
    for group, entries in out.items():
        if not isinstance(entries, list):
            continue
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict) or PERSON_KEY not in entry:
                continue
            values = {k: v for k, v in entry.items() if is_identifying(k) and v not in (None, "")}
            if not values or all(str(v).startswith("SP-") or v == PROTECTED_NOTE for v in values.values()):
                continue
            path = f"{group}[{index}]"
            code = crypto.coded_reference(str(entry.get(PERSON_KEY) or path), scope=f"{scope}:{path}")
            values["_coded"] = code
            for key in values:
                if key in entry:
                    entry[key] = code if key == PERSON_KEY else PROTECTED_NOTE
            taken[path] = values
    return out, taken


def _protect_evidence(evidence: list[Any], taken: dict[str, dict[str, Any]]) -> list[Any]:
    out = []
    for item in evidence or []:
        path, value = item[0], item[1]
        entry, _dot, key = str(path).rpartition(".")
        if entry in taken and is_identifying(key):
            value = taken[entry]["_coded"] if key == PERSON_KEY else PROTECTED_NOTE
        out.append([path, value])
    return out


def _protect_one(
    submission: Any, findings: Sequence[Any], ScreenedPerson: Any
) -> tuple[list[Any], list[Any]]:
    """Protect one submission's answers and its findings' evidence in memory: the rows of the
    protected store it gives (unsaved) and the findings whose evidence changed."""
    answers = submission.answers or {}
    if not has_persons(answers):
        return [], []
    scope = str(submission.inspection.uuid) if submission.inspection_id else str(submission.uuid)
    protected, taken = _protect_answers(answers, scope)
    if not taken:
        return [], []
    raised = {f.entry_path for f in findings}
    rows = []
    for path, values in taken.items():
        code = values.pop("_coded")
        rows.append(
            ScreenedPerson(
                submission=submission,
                entry_path=path,
                coded_reference=code,
                reference_index=crypto.blind_index(str(values.get(PERSON_KEY) or ""), purpose="person_ref"),
                answers=dict(values),
                flagged=path in raised,
            )
        )
        values["_coded"] = code
    submission.answers = protected
    changed = []
    for finding in findings:
        evidence = _protect_evidence(finding.evidence, taken)
        if evidence != finding.evidence:
            finding.evidence = evidence
            changed.append(finding)
    return rows, changed


def protect_submissions(
    items: Iterable[tuple[Any, Sequence[Any]]], *, models: tuple[Any, Any, Any] | None = None
) -> int:
    """Move the identifying answers of each stored (submission, its findings) to the protected
    store. Returns the number of persons protected. Safe to repeat: protected answers are left
    alone. ``models``: (Submission, Finding, ScreenedPerson), the historical ones in a migration."""
    from backend.inspections.models import Finding, Submission

    if models is not None:
        Submission, Finding, ScreenedPerson = models
    else:
        from backend.privacy.models import ScreenedPerson

    rows: list[Any] = []
    submissions: list[Any] = []
    findings_changed: list[Any] = []
    for submission, findings in items:
        if getattr(submission, "answers_received", None) is not None:
            continue  # protected before it was stored (protect_before_insert)
        taken, changed = _protect_one(submission, findings, ScreenedPerson)
        if taken:
            rows += taken
            submissions.append(submission)
            findings_changed += changed
    if not rows:
        return 0
    ScreenedPerson.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    Submission.objects.bulk_update(submissions, ["answers"], batch_size=500)
    if findings_changed:
        Finding.objects.bulk_update(findings_changed, ["evidence"], batch_size=500)
    return len(rows)


def protect_before_insert(*, items: Sequence[tuple[Any, Sequence[Any]]]) -> Any:
    """Ingest's answers protector (registered in ``PrivacyConfig.ready``): runs on the unsaved
    submissions and findings, so identifying answers are never written to the submissions' or
    findings' rows (nor to the database's log of them), and no UPDATE follows the insert. Each
    protected submission keeps what the phone sent in ``answers_received``, in memory only, for
    the findings hooks (the referral copies the field reference into the person's encrypted
    details). Returns what to run once the submissions are stored: the protected store's insert."""
    from backend.privacy.models import ScreenedPerson

    rows: list[Any] = []
    for submission, findings in items:
        restored = _restored(submission, ScreenedPerson)
        if restored is not None:
            submission.answers = restored
        received = submission.answers
        taken, _changed = _protect_one(submission, findings, ScreenedPerson)
        if taken:
            submission.answers_received = received
            rows += taken

    def store() -> None:
        if rows:
            insert_many(rows)

    return store


def _restored(submission: Any, ScreenedPerson: Any) -> dict[str, Any] | None:
    """A correction made from a read-back (another phone, or the server's copy) carries what the
    server gives out in place of a person's identifying answers, their coded reference and
    ``[protected]``: the phone never had the originals. Those stand for "unchanged": the
    answers with the replaced revision's own values put back, to be protected again; None when
    there is nothing to put back. A value the officer typed anew is kept as typed."""
    replaces_id = getattr(submission, "replaces_id", None)
    answers = submission.answers or {}
    if not replaces_id or not has_persons(answers):
        return None
    held = {
        p.coded_reference: p.answers
        for p in ScreenedPerson.objects.filter(submission_id=replaces_id, erased_at__isnull=True)
    }
    if not held:
        return None
    out = copy.deepcopy(answers)
    changed = False
    for entries in out.values():
        for entry in entries if isinstance(entries, list) else ():
            before = held.get(str(entry.get(PERSON_KEY) or "")) if isinstance(entry, dict) else None
            if not before:
                continue
            code = entry[PERSON_KEY]
            for key, value in entry.items():
                if (
                    key in before
                    and is_identifying(key)
                    and value == (code if key == PERSON_KEY else PROTECTED_NOTE)
                ):
                    entry[key] = before[key]
                    changed = True
    return out if changed else None


def protect_on_ingest(*, submission: Any, findings: Sequence[Any], actor: Any = None) -> None:
    """The ingest hook (registered in ``PrivacyConfig.ready``, after the referral hook)."""
    protect_submissions([(submission, findings)])


def protect_on_ingest_many(*, items: Sequence[tuple[Any, Sequence[Any]]], actor: Any = None) -> None:
    """The same, for many submissions at once (a phone's batch): a fixed number of statements."""
    protect_submissions(items)
