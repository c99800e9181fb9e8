"""Every write to operations, inspections and what the field sends back.

Ingest rules (the contract the phones rely on):

- A submission's client-made UUID is its identity, unique in the database. The same UUID with
  the same content answers as the first time did; with other content it is a conflict and the
  stored one is untouched. Concurrent replays race on the unique index, and the loser answers
  as a replay, so one record results whatever the timing.
- A request either commits whole or leaves nothing: validation, the submission, its declared
  attachments, its findings and its audit entry are one transaction.
- A visit keeps one current checklist of each template whoever of the team sends it: a new
  submission (no ``replaces``) of one the visit holds, current and sent by another officer, is
  refused (``ChecklistAlreadySent``, naming it and its sender) and stored only as a correction
  of it. An officer's own further submissions of a checklist are kept (a phone may send one ILO
  screening per person), and a template filled several per visit (``several_per_visit``: the ILO
  screening, each officer interviewing other workers) is outside the rule: every teammate's is
  kept. A database trigger (``db_guard``) holds the rule when teammates' phones send at the same
  moment; the loser's insert fails, and run again, is refused.
- Device clocks are recorded, never trusted: ordering and secrecy use the server's receive time,
  and a device clock far from the server's is flagged.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from geopy.distance import geodesic

from backend.audit.services import audit_record, audit_record_many
from backend.checklists import engine
from backend.checklists.models import TemplateVersion
from backend.checklists.services import parsed_definition
from backend.core.errors import Conflict, DomainError, Gone, InvalidInput, NotFound
from backend.core.inserts import insert_many, update_many
from backend.core.strict_input import years_refused
from backend.inspections import personal_files
from backend.inspections.models import (
    Attachment,
    CheckIn,
    Finding,
    Inspection,
    Operation,
    Submission,
    Team,
)
from backend.inspections.selectors import prime_related
from backend.registry.models import Agency, Officer, Site
from backend.registry.selectors import agencies_by_code

# --- Errors the phones see, each with a stable code -------------------------------------------


class SubmissionConflict(Conflict):
    code = "submission_conflict"


class SubmissionDeleted(Gone):
    code = "submission_deleted"


class StaleRevision(Conflict):
    code = "stale_revision"


class ChecklistAlreadySent(Conflict):
    """A new submission (no ``replaces``) of a checklist the visit already holds, current and
    sent by another officer: stored, it would be a second current checklist beside theirs. The
    body names the current one and its sender; sent as a correction of it, it is stored."""

    code = "checklist_already_sent"


class TemplateVersionUnknown(InvalidInput):
    code = "template_version_unknown"


class AnswersInvalid(InvalidInput):
    code = "answers_invalid"


# --- Planning-side writes (the scheduler will call these when it publishes) -------------------


@transaction.atomic
def operation_create(
    *,
    actor: Any,
    name: str,
    lead_agency: Agency,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    reveal_at: dt.datetime,
    agencies: Iterable[Agency] = (),
    planners: Iterable[Officer] = (),
    status: str = Operation.Status.DRAFT,
) -> Operation:
    refused = years_refused(starts_at=starts_at, ends_at=ends_at, reveal_at=reveal_at)
    if refused:  # 0001-01-01 in Macau is before the calendar in UTC: comparing it overflowed
        raise InvalidInput(errors=refused)
    if not (reveal_at <= starts_at < ends_at):
        raise InvalidInput(
            errors={
                "reveal_at": ["The reveal time must come before the start, and the start before the end."]
            }
        )
    operation = Operation.objects.create(
        name=name,
        lead_agency=lead_agency,
        starts_at=starts_at,
        ends_at=ends_at,
        reveal_at=reveal_at,
        status=status,
    )
    operation.agencies.set({lead_agency, *agencies})
    operation.planners.set(list(planners))
    audit_record(actor=actor, action="create", verb="operation_create", obj=operation)
    return operation


@transaction.atomic
def team_create(
    *,
    actor: Any,
    name: str,
    members: Iterable[Officer],
    leader: Officer | None = None,
    operation: Operation | None = None,
    names: dict[str, str] | None = None,
) -> Team:
    members = list(members)
    if leader is not None and leader not in members:
        members.append(leader)
    if not members:
        raise InvalidInput(errors={"members": ["A team needs at least one officer."]})
    team = Team.objects.create(name=name, names=names or {}, leader=leader, operation=operation)
    team.members.set(members)
    audit_record(actor=actor, action="create", verb="team_create", obj=team)
    return team


@transaction.atomic
def inspection_issue(
    *,
    actor: Any,
    site: Site,
    category: str,
    template_version: TemplateVersion,
    planned_start: dt.datetime,
    planned_end: dt.datetime,
    team: Team | None = None,
    operation: Operation | None = None,
    additional_versions: Iterable[TemplateVersion] = (),
    route_order: int = 0,
    priority: int = 3,
    agency: Agency | None = None,
) -> Inspection:
    """Issue an inspection (assigned when it has a team). Its checklist versions are fixed now.

    ``agency`` (counted for in statistics) defaults to the operation's lead agency, else the
    agency of the team's leader or first member."""
    if agency is None:
        if operation is not None:
            agency = operation.lead_agency
        elif team is not None:
            lead = team.leader or team.members.order_by("pk").first()
            agency = lead.agency if lead is not None else None
    if agency is None:
        raise InvalidInput(errors={"agency": ["Say which agency the inspection is for."]})
    versions = [template_version, *additional_versions]
    if any(not v.is_usable for v in versions):
        raise InvalidInput(errors={"template_version": ["Only published checklist versions can be issued."]})
    if planned_end <= planned_start:
        raise InvalidInput(errors={"planned_end": ["The window must end after it starts."]})
    inspection = Inspection.objects.create(
        site=site,
        category=category,
        agency=agency,
        template_version=template_version,
        planned_start=planned_start,
        planned_end=planned_end,
        team=team,
        operation=operation,
        route_order=route_order,
        priority=priority,
        status=Inspection.Status.ASSIGNED if team is not None else Inspection.Status.PLANNED,
    )
    inspection.additional_versions.set(list(additional_versions))
    audit_record(actor=actor, action="create", verb="inspection_issue", obj=inspection)
    return inspection


def finding_set_status(*, findings: Iterable[Finding], status: str) -> int:
    """Change the review status of findings (review is a later stage: it calls this, never
    writes the rows itself). Returns how many changed."""
    if status not in Finding.Status.values:
        raise InvalidInput(errors={"status": [f"Unknown finding status {status!r}."]})
    return Finding.objects.filter(pk__in=[f.pk for f in findings]).update(status=status)


def inspection_mark_reviewed(*, inspection: Inspection) -> bool:
    """A submitted inspection whose review is complete; phones see the change on their next sync."""
    return bool(
        Inspection.objects.filter(pk=inspection.pk, status=Inspection.Status.SUBMITTED).update(
            status=Inspection.Status.REVIEWED, updated_at=timezone.now()
        )
    )


@transaction.atomic
def team_set_members(
    *, actor: Any, team: Team, members: Iterable[Officer], leader: Officer | None = None
) -> Team:
    """Change a team's make-up (e.g. an officer replaced after dropping out). Its inspections are
    touched so that phones see the change on their next sync."""
    members = list(members)
    if not members:
        raise InvalidInput(errors={"members": ["A team needs at least one officer."]})
    before = sorted(str(o.uuid) for o in team.members.all())
    team.members.set(members)
    team.leader = leader if leader in members else None
    team.save(update_fields=["leader"])
    team.inspections.update(updated_at=timezone.now())
    audit_record(
        actor=actor,
        action="update",
        verb="team_set_members",
        obj=team,
        changes={"members": [before, sorted(str(o.uuid) for o in members)]},
    )
    return team


@transaction.atomic
def inspection_reschedule(
    *,
    actor: Any,
    inspection: Inspection,
    team: Team,
    planned_start: dt.datetime,
    planned_end: dt.datetime,
    route_order: int,
) -> Inspection:
    """Move an issued inspection to another team or time (re-planning)."""
    if inspection.status not in (Inspection.Status.PLANNED, Inspection.Status.ASSIGNED):
        raise Conflict("Work already started or done stays where it is.")
    changes = {
        "team": [str(inspection.team.uuid) if inspection.team_id else None, str(team.uuid)],
        "planned_start": [inspection.planned_start.isoformat(), planned_start.isoformat()],
    }
    inspection.team, inspection.route_order = team, route_order
    inspection.planned_start, inspection.planned_end = planned_start, planned_end
    inspection.status = Inspection.Status.ASSIGNED
    inspection.save(
        update_fields=["team", "route_order", "planned_start", "planned_end", "status", "updated_at"]
    )
    audit_record(actor=actor, action="update", verb="inspection_reschedule", obj=inspection, changes=changes)
    return inspection


@transaction.atomic
def inspection_cancel(*, actor: Any, inspection: Inspection, reason: str) -> Inspection:
    if inspection.status not in (Inspection.Status.PLANNED, Inspection.Status.ASSIGNED):
        raise Conflict("Work already started or done cannot be cancelled.")
    inspection.status = Inspection.Status.CANCELLED
    inspection.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor, action="update", verb="inspection_cancel", obj=inspection, changes={"reason": reason}
    )
    return inspection


@transaction.atomic
def operation_publish(*, actor: Any, operation: Operation) -> Operation:
    operation.status = Operation.Status.PUBLISHED
    operation.save(update_fields=["status"])
    # Published after its reveal time, the work is visible at once: mark it changed, or phones
    # syncing by cursor (changes, or reveals, since their last sync) would never receive it.
    operation.inspections.update(updated_at=timezone.now())
    audit_record(actor=actor, action="update", verb="operation_publish", obj=operation)
    return operation


# --- Field writes ------------------------------------------------------------------------------

# Later stages that must act in the same transaction as an accepted submission (e.g. compliance
# opening a referral for a potential victim) register here from their AppConfig.ready(), so that
# this stage never imports them. Each hook is called as hook(submission=, findings=, actor=).
FINDINGS_HOOKS: list[Any] = []
# A hook's form for many submissions at once, many(items=[(submission, findings)], actor=): a
# batch then costs the hook a fixed number of statements, not a round per submission.
FINDINGS_HOOKS_MANY: dict[Any, Any] = {}


def register_findings_hook(hook: Any, *, many: Any = None) -> None:
    if hook not in FINDINGS_HOOKS:
        FINDINGS_HOOKS.append(hook)
    if many is not None:
        FINDINGS_HOOKS_MANY[hook] = many


# Functions given the unsaved submissions and findings of an ingest, before they are stored
# (backend.privacy takes identifying answers out): each returns what to run once they are.
ANSWERS_PROTECTORS: list[Any] = []


def register_answers_protector(protector: Any) -> None:
    if protector not in ANSWERS_PROTECTORS:
        ANSWERS_PROTECTORS.append(protector)


def _protect_before_insert(items: list[tuple[Submission, list[Finding]]]) -> list[Any]:
    return [protector(items=items) for protector in ANSWERS_PROTECTORS]


def _findings_hooks_run(items: list[tuple[Submission, list[Finding]]], actor: Any) -> None:
    """Every hook, in the order registered, over every stored submission."""
    for hook in FINDINGS_HOOKS:
        many = FINDINGS_HOOKS_MANY.get(hook)
        if many is not None:
            many(items=items, actor=actor)
            continue
        for submission, findings in items:
            hook(submission=submission, findings=findings, actor=actor)


def _digest(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


# clock_skew_seconds is a 32-bit column; a phone set to the year 9 is skewed all the same.
_SKEW_LIMIT = 2**31 - 1


def _skew_seconds(device_time: dt.datetime | None, received_at: dt.datetime) -> int | None:
    """How far the phone's clock is ahead (negative: behind), clamped to what the column holds:
    an absurd clock is recorded as skewed, never a reason to lose the officer's data."""
    if device_time is None:
        return None
    return max(-_SKEW_LIMIT, min(_SKEW_LIMIT, round((device_time - received_at).total_seconds())))


def _is_skewed(skew: int | None) -> bool:
    return skew is not None and abs(skew) > settings.DEVICE_CLOCK_SKEW_SECONDS


@dataclass(frozen=True)
class CheckInInput:
    id: UUID
    latitude: Decimal
    longitude: Decimal
    device_time: dt.datetime
    accuracy_m: Decimal | None = None


@transaction.atomic
def checkin_record(
    *,
    officer: Officer,
    inspection: Inspection,
    data: CheckInInput,
    sent_at: dt.datetime | None = None,
    clock_unreadable: bool = False,
) -> tuple[CheckIn, bool]:
    """Record an arrival. Returns (check-in, created). Idempotent on the client id.

    ``clock_unreadable``: the phone sent a clock the server could not read; it is recorded as
    absent and the arrival flagged as skewed."""
    content = {
        "inspection": str(inspection.uuid),
        "latitude": str(data.latitude),
        "longitude": str(data.longitude),
        "accuracy_m": str(data.accuracy_m),
        "device_time": data.device_time.isoformat(),
    }
    digest = _digest(content)
    existing = CheckIn.objects.filter(uuid=data.id).first()
    if existing is not None:
        if existing.officer_id != officer.pk:
            raise NotFound()  # another officer's id: nothing to learn here
        if existing.content_digest != digest:
            raise Conflict(gettext("A check-in with this id was already recorded with other content."))
        return existing, False
    now = timezone.now()
    site = inspection.site
    distance = geodesic(
        (float(site.latitude), float(site.longitude)), (float(data.latitude), float(data.longitude))
    ).m
    skew = _skew_seconds(sent_at or data.device_time, now) if sent_at else None
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(
                uuid=data.id,
                inspection=inspection,
                officer=officer,
                latitude=data.latitude,
                longitude=data.longitude,
                accuracy_m=data.accuracy_m,
                distance_m=Decimal(str(round(distance, 1))),
                outside_radius=distance > settings.CHECKIN_RADIUS_METRES,
                device_time=data.device_time,
                received_at=now,
                clock_skewed=clock_unreadable
                or _is_skewed(skew)
                or data.device_time > now + dt.timedelta(seconds=settings.DEVICE_CLOCK_SKEW_SECONDS),
                content_digest=digest,
            )
    except IntegrityError:
        return checkin_record(
            officer=officer,
            inspection=inspection,
            data=data,
            sent_at=sent_at,
            clock_unreadable=clock_unreadable,
        )
    if inspection.status == Inspection.Status.ASSIGNED:
        inspection.status = Inspection.Status.IN_PROGRESS
        inspection.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=officer.user,
        action="create",
        verb="checkin_record",
        obj=checkin,
        changes={"distance_m": float(checkin.distance_m), "outside_radius": checkin.outside_radius},
    )
    return checkin, True


@dataclass(frozen=True)
class DeclaredAttachment:
    name: str
    sha256: str
    size: int | None = None
    # A signature's: "drawn" or "typed" (the signer's name typed with the keyboard), as the phone
    # says; None when it says nothing (a phone older than the flag): unknown.
    signature_method: str | None = None

    def described(self) -> list[Any]:
        """What 'the same content' compares of it. The method only when said, so a replay from
        a phone older than the flag matches what it stored before."""
        plain = [self.name, self.sha256.lower(), self.size]
        return [*plain, self.signature_method] if self.signature_method else plain


def _signature_methods(
    declared: tuple[DeclaredAttachment, ...], version: TemplateVersion, answers: dict[str, Any]
) -> dict[str, str] | None:
    """How each signature was made, as the phone says ({name: method}), for the files its answers
    use as signatures; None when it says nothing. Said of anything else (a photo), it means
    nothing and is dropped rather than refusing the officer's work."""
    said = {d.name: d.signature_method for d in declared if d.signature_method}
    if not said:
        return None
    signatures = engine.signature_refs(parsed_definition(version), answers)
    return {name: method for name, method in sorted(said.items()) if name in signatures} or None


@dataclass(frozen=True)
class SubmissionInput:
    id: UUID
    inspection: UUID
    template_version: UUID
    answers: dict[str, Any]
    device_submitted_at: dt.datetime
    device_started_at: dt.datetime | None = None
    replaces: UUID | None = None
    attachments: tuple[DeclaredAttachment, ...] = ()
    latitude: Decimal | None = None
    longitude: Decimal | None = None

    def content(self) -> dict[str, Any]:
        """What 'the same content' means for a replay: everything the phone sent about it."""
        return {
            "inspection": str(self.inspection),
            "template_version": str(self.template_version),
            "answers": self.answers,
            "device_submitted_at": self.device_submitted_at.isoformat(),
            "device_started_at": self.device_started_at.isoformat() if self.device_started_at else None,
            "replaces": str(self.replaces) if self.replaces else None,
            "attachments": sorted(a.described() for a in self.attachments),
            "latitude": str(self.latitude) if self.latitude is not None else None,
            "longitude": str(self.longitude) if self.longitude is not None else None,
        }


@dataclass
class IngestResult:
    submission: Submission
    created: bool
    findings: list[Finding] = field(default_factory=list)


def _replay(existing: Submission, digest: str, officer: Officer) -> IngestResult:
    if existing.officer_id != officer.pk:
        raise NotFound()  # another officer's id: nothing to learn here
    if existing.status == Submission.Status.DELETED:
        raise SubmissionDeleted("This submission was deleted by an administrator and cannot be sent again.")
    if existing.content_digest != digest:
        raise SubmissionConflict(
            "A submission with this id was already received with other content; the stored one is unchanged.",
            extra={"submission": str(existing.uuid)},
        )
    return IngestResult(submission=existing, created=False)


def _version_for(inspection: Inspection, version_id: UUID) -> TemplateVersion:
    """The version a submission was filled in on: a published or retired version of one of the
    templates issued with the inspection (older versions stay acceptable)."""
    additional = Inspection.additional_versions.through.objects.filter(inspection_id=inspection.pk).values(
        "templateversion__template_id"
    )
    version = (  # one query: the version, if it belongs to a template issued with the inspection
        TemplateVersion.objects.select_related("template")
        # Parsed once per process by its digest (checklists.services.parsed_definition): the
        # document itself is read only on the first use, not decoded for every submission.
        .defer("definition")
        .filter(Q(template_id=inspection.template_version.template_id) | Q(template_id__in=additional))
        .filter(uuid=version_id)
        .exclude(status=TemplateVersion.Status.DRAFT)
        .first()
    )
    if version is None:
        issued = [inspection.template_version, *inspection.additional_versions.all()]
        templates = {v.template_id: v.template for v in issued}
        accepted = {
            t.code: list(
                t.versions.exclude(status=TemplateVersion.Status.DRAFT)
                .order_by("number")
                .values_list("number", flat=True)
            )
            for t in templates.values()
        }
        names = "; ".join(f"{code}: versions {', '.join(map(str, nums))}" for code, nums in accepted.items())
        raise TemplateVersionUnknown(
            gettext(
                "This checklist version is unknown or unpublished for this inspection. Accepted: %(names)s."
            )
            % {"names": names},
            errors={"template_version": [gettext("Unknown or unpublished version.")]},
            extra={
                "accepted_versions": [
                    {"template": code, "versions": nums, "uuids": [str(u) for u in _uuids(code)]}
                    for code, nums in accepted.items()
                ]
            },
        )
    return version


def _uuids(code: str) -> list[UUID]:
    return list(
        TemplateVersion.objects.filter(template__code=code)
        .exclude(status=TemplateVersion.Status.DRAFT)
        .order_by("number")
        .values_list("uuid", flat=True)
    )


def _nul_paths(value: Any, path: str = "") -> Iterator[str]:
    """Where the answers hold a NUL character: no text column or PostgreSQL jsonb can store one,
    and no phone types one, so it is bad input, not a reason for a server error."""
    if isinstance(value, str):
        if "\x00" in value:
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if "\x00" in str(key):
                yield where
            yield from _nul_paths(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_paths(item, f"{path}[{index}]")


def _validate_answers(
    definition: engine.Definition, data: SubmissionInput
) -> tuple[engine.Derivation, dict[str, Any]]:
    derivation = engine.derive(definition, data.answers)
    errors: dict[str, list[str]] = {}
    details = []
    for error in derivation.validation.errors:
        errors.setdefault(f"answers.{error.path}" if error.path else "answers", []).append(error.message)
        details.append({"path": error.path, "code": error.code, "message": error.message})
    for path in _nul_paths(derivation.validation.answers):
        message = "Text may not contain NUL characters."
        errors.setdefault(f"answers.{path}" if path else "answers", []).append(message)
        details.append({"path": path, "code": "nul_character", "message": message})
    declared = {a.name for a in data.attachments}
    for path, ref in engine.attachment_refs(definition, derivation.validation.answers):
        if ref not in declared:
            message = f"Attachment {ref!r} is not declared in the submission's attachments."
            errors.setdefault(f"answers.{path}", []).append(message)
            details.append({"path": path, "code": "attachment_undeclared", "message": message})
    if errors:
        raise AnswersInvalid(
            "The answers do not satisfy the checklist.", errors=errors, extra={"answer_errors": details}
        )
    return derivation, derivation.validation.answers


def _score_json(score: engine.Score) -> dict[str, Any]:
    return {
        "total": str(score.total),
        "maximum": str(score.maximum),
        "sections": [
            {"key": s.key, "score": str(s.score), "maximum": str(s.maximum)} for s in score.sections
        ],
    }


def submission_ingest(
    *,
    officer: Officer,
    data: SubmissionInput,
    sent_at: dt.datetime | None = None,
    clock_unreadable: bool = False,
    request: Any = None,
) -> IngestResult:
    """Store one submission exactly once (see the module docstring for the rules); raises what
    refuses it.

    ``clock_unreadable``: the phone's clock header could not be read; recorded as absent and
    the submission flagged as skewed, never refused."""
    with transaction.atomic():
        (outcome,) = submissions_ingest(
            officer=officer, items=[data], sent_at=sent_at, clock_unreadable=clock_unreadable, request=request
        )
    if isinstance(outcome, DomainError):
        raise outcome
    return outcome


def submissions_ingest(
    *,
    officer: Officer,
    items: list[SubmissionInput],
    sent_at: dt.datetime | None = None,
    clock_unreadable: bool = False,
    request: Any = None,
    retried_whole: bool = False,
) -> list[IngestResult | DomainError]:
    """Store many submissions (a phone's batch, or one), each exactly once, and answer each on
    its own: its result, or the error that refused it alone. Call it inside a transaction.

    Set-based: one read for the idempotency of all, one for their assignments, versions from a
    per-process cache, then one insert per table for all accepted items (submissions,
    attachments, findings, audit entries, and each findings hook's rows), so a batch costs a
    fixed number of statements whatever its size. Corrections go one by one (see
    ``_correction_ingest``). An id sent twice in one call is stored once: the later copies are
    answered as replays of the first.

    Concurrent senders of one id race on its unique index: the insert of the submissions is a
    savepoint, and the ids a concurrent request stored first answer as replays. With
    ``retried_whole`` (the caller's transaction is the request's own, and the caller runs it
    again on an ``IntegrityError``) that savepoint is spared: the run again finds them stored."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("submissions_ingest runs inside the caller's transaction")
    results: list[IngestResult | DomainError | None] = [None] * len(items)
    pending = list(range(len(items)))
    while pending:
        seen: set[UUID] = set()
        now_round, later = [], []
        for index in pending:
            (later if items[index].id in seen else now_round).append(index)
            seen.add(items[index].id)
        _ingest_round(officer, items, now_round, results, sent_at, clock_unreadable, request, retried_whole)
        pending = later
    return results  # type: ignore[return-value]


def _outcome(work: Any) -> Any:
    try:
        return work()
    except DomainError as exc:
        return exc


# Published and retired versions by uuid, kept per process: what ingest reads of a version (its
# template, number, digest) never changes once it is published, and drafts are never kept.
_VERSIONS: dict[UUID, TemplateVersion] = {}
_VERSIONS_KEPT = 2000


def _versions(uuids: set[UUID]) -> dict[UUID, TemplateVersion]:
    """The published or retired versions among ``uuids``: no query once each was read."""
    found = {u: v for u in uuids if (v := _VERSIONS.get(u)) is not None}
    missing = uuids - found.keys()
    if missing:
        if len(_VERSIONS) > _VERSIONS_KEPT:
            _VERSIONS.clear()
        for version in (
            TemplateVersion.objects.select_related("template")
            .defer("definition")  # parsed once per process by its digest (parsed_definition)
            .filter(uuid__in=missing)
            .exclude(status=TemplateVersion.Status.DRAFT)
        ):
            found[version.uuid] = _VERSIONS[version.uuid] = version
    return found


def _ingest_round(
    officer: Officer,
    items: list[SubmissionInput],
    indexes: list[int],
    results: list[Any],
    sent_at: dt.datetime | None,
    clock_unreadable: bool,
    request: Any,
    retried_whole: bool = False,
) -> None:
    """One round of ``submissions_ingest``: items whose ids are distinct."""
    from backend.inspections.selectors import (
        assignments_for_ingest,
        submissions_stored,
        submissions_with_answer_parts,
    )

    plain = [i for i in indexes if items[i].replaces is None]
    digests = {i: _digest(items[i].content()) for i in indexes}
    existing = submissions_stored(uuids={items[i].id for i in plain}) if plain else {}
    fresh = []
    for i in plain:
        stored = existing.get(items[i].id)
        if stored is None:
            fresh.append(i)
        else:
            results[i] = _outcome(lambda s=stored, i=i: _replay(s, digests[i], officer))
    replayed = [r.submission for r in (results[i] for i in plain) if isinstance(r, IngestResult)]
    if replayed:  # what the answer shows of a stored submission: two reads for all
        submissions_with_answer_parts(replayed)

    accepted = _accepted(officer, items, fresh, results, assignments_for_ingest)
    if accepted:
        _store(officer, items, accepted, digests, results, sent_at, clock_unreadable, request, retried_whole)

    for i in indexes:
        if items[i].replaces is not None:
            results[i] = _outcome(
                lambda i=i: _correction_ingest(
                    officer=officer,
                    data=items[i],
                    sent_at=sent_at,
                    clock_unreadable=clock_unreadable,
                    request=request,
                )
            )


@dataclass
class _Accepted:
    index: int
    inspection: Inspection
    version: TemplateVersion
    derivation: engine.Derivation
    answers: dict[str, Any]


def _accepted(
    officer: Officer, items: list[SubmissionInput], fresh: list[int], results: list[Any], assignments: Any
) -> list[_Accepted]:
    """The new items that pass every check (assignment, version, answers); each refused one gets
    its error in ``results``."""
    if not fresh:
        return []
    inspections = assignments(officer=officer, uuids={items[i].inspection for i in fresh})
    versions = _versions({items[i].template_version for i in fresh})
    # A version of another template than the issued one: one of the additional checklists?
    others = {
        inspection.pk
        for i in fresh
        if (inspection := inspections.get(items[i].inspection)) is not None
        and (version := versions.get(items[i].template_version)) is not None
        and version.template_id != inspection.template_version.template_id
    }
    additional: dict[int, set[int]] = {}
    if others:
        rows = Inspection.additional_versions.through.objects.filter(inspection_id__in=others)
        for inspection_id, template_id in rows.values_list("inspection_id", "templateversion__template_id"):
            additional.setdefault(inspection_id, set()).add(template_id)
    out = []
    for i in fresh:
        data = items[i]

        def check(data: SubmissionInput = data, i: int = i) -> _Accepted:
            inspection = inspections.get(data.inspection)
            if inspection is None:
                raise NotFound()
            version = versions.get(data.template_version)
            issued = {inspection.template_version.template_id, *additional.get(inspection.pk, ())}
            if version is None or version.template_id not in issued:
                version = _version_for(inspection, data.template_version)  # raises, naming the accepted
            # None for a template filled several per visit: the assignments read leaves those out.
            sent = inspection.sent_by_others.get(version.template_id)
            if sent is not None:
                raise _already_sent(version, sent)
            derivation, kept = _validate_answers(parsed_definition(version), data)
            return _Accepted(i, inspection, version, derivation, kept)

        outcome = _outcome(check)
        if isinstance(outcome, _Accepted):
            out.append(outcome)
        else:
            results[i] = outcome
    return out


def _already_sent(version: TemplateVersion, sent: Any) -> ChecklistAlreadySent:
    who = gettext("%(name)s (%(agency)s, badge %(badge)s)") % {
        "name": sent.by_name,
        "agency": sent.by_agency,
        "badge": sent.by_badge,
    }
    return ChecklistAlreadySent(
        gettext(
            "%(checklist)s was already sent for this visit by %(who)s. Yours was not stored: send it "
            "as a correction of that one (replaces) for it to take its place."
        )
        % {"checklist": version.template.title, "who": who},
        extra={
            "current": str(sent.id),
            "current_revision": sent.revision,
            "sent_at": timezone.localtime(sent.received_at).isoformat(),
            "sent_by": {
                "id": str(sent.by_id),
                "full_name": sent.by_name,
                "badge_number": sent.by_badge,
                "agency": sent.by_agency,
            },
        },
    )


def _store_again(
    officer: Officer,
    items: list[SubmissionInput],
    accepted: list[_Accepted],
    results: list[Any],
    sent_at: dt.datetime | None,
    clock_unreadable: bool,
    request: Any,
) -> None:
    """A concurrent request committed first what this insert clashed with, while it waited: some
    of these ids (which then answer as replays), or another officer's first checklist of one of
    these visits (db_guard's one sender per checklist: the item is then refused, naming it). The
    round runs again and reads both; a clash again is elsewhere, and raises (the phone's retry,
    after a 5xx, resolves it)."""
    for a in accepted:
        results[a.index] = None
    indexes = [a.index for a in accepted]
    _ingest_round(officer, items, indexes, results, sent_at, clock_unreadable, request, retried_whole=True)


def _store(
    officer: Officer,
    items: list[SubmissionInput],
    accepted: list[_Accepted],
    digests: dict[int, str],
    results: list[Any],
    sent_at: dt.datetime | None,
    clock_unreadable: bool,
    request: Any,
    retried_whole: bool,
) -> None:
    now = timezone.now()
    skew = _skew_seconds(sent_at, now)
    future = now + dt.timedelta(seconds=settings.DEVICE_CLOCK_SKEW_SECONDS)
    submissions = [
        Submission(
            uuid=items[a.index].id,
            inspection=a.inspection,
            officer=officer,
            template_version=a.version,
            revision=1,
            replaces=None,
            answers=a.answers,
            content_digest=digests[a.index],
            score=_score_json(a.derivation.score),
            latitude=items[a.index].latitude,
            longitude=items[a.index].longitude,
            signature_methods=_signature_methods(items[a.index].attachments, a.version, a.answers),
            device_started_at=items[a.index].device_started_at,
            device_submitted_at=items[a.index].device_submitted_at,
            received_at=now,
            clock_skewed=clock_unreadable or _is_skewed(skew) or items[a.index].device_submitted_at > future,
            clock_skew_seconds=skew,
        )
        for a in accepted
    ]
    codes = {f.competent_agency for a in accepted for f in a.derivation.findings}
    agencies = agencies_by_code(codes)
    found = [
        [finding_build(derived=f, submission=submission, agencies=agencies) for f in a.derivation.findings]
        for submission, a in zip(submissions, accepted, strict=True)
    ]
    stored = list(zip(submissions, found, strict=True))
    after_insert = _protect_before_insert(stored)
    if retried_whole:
        insert_many(submissions)  # a lost race: the caller runs it all again
    else:
        try:
            with transaction.atomic():  # a savepoint: a lost race on an id undoes this insert alone
                insert_many(submissions)
        except IntegrityError:
            _store_again(officer, items, accepted, results, sent_at, clock_unreadable, request)
            return

    attachments = insert_many(
        [
            Attachment(submission=submission, name=d.name, sha256=d.sha256.lower(), declared_size=d.size)
            for submission, a in zip(submissions, accepted, strict=True)
            for d in items[a.index].attachments
        ]
    )
    insert_many([f for findings in found for f in findings])
    for store in after_insert:
        store()
    _findings_hooks_run(stored, officer.user)
    started = {
        a.inspection.pk: a.inspection
        for a in accepted
        if a.inspection.status in (Inspection.Status.ASSIGNED, Inspection.Status.IN_PROGRESS)
    }
    if started:
        update_many(Inspection, sorted(started), status=Inspection.Status.SUBMITTED, updated_at=now)
        for inspection in started.values():
            inspection.status, inspection.updated_at = Inspection.Status.SUBMITTED, now
    audit_record_many(
        actor=officer.user,
        action="create",
        verb="submission_ingest",
        objs=submissions,
        changes=[
            {"revision": 1, "findings": len(findings), "clock_skewed": submission.clock_skewed}
            for submission, findings in stored
        ],
        request=request,
    )
    # What the answer shows is known already: spare the queries that would read it back.
    by_submission: dict[int, list[Attachment]] = {}
    for attachment in attachments:
        by_submission.setdefault(id(attachment.submission), []).append(attachment)
    for (submission, findings), a in zip(stored, accepted, strict=True):
        prime_related(submission, "attachments", by_submission.get(id(submission), []))
        prime_related(submission, "findings", findings)
        results[a.index] = IngestResult(submission=submission, created=True, findings=findings)


def _correction_ingest(
    *,
    officer: Officer,
    data: SubmissionInput,
    sent_at: dt.datetime | None = None,
    clock_unreadable: bool = False,
    request: Any = None,
) -> IngestResult:
    """Store one correction (a submission that ``replaces`` another) exactly once: corrections
    are rare and lock the revision they replace, so each goes on its own."""
    digest = _digest(data.content())
    existing = Submission.objects.filter(uuid=data.id).first()
    if existing is not None:
        return _replay(existing, digest, officer)
    try:
        return _submission_create(
            officer=officer,
            data=data,
            digest=digest,
            sent_at=sent_at,
            clock_unreadable=clock_unreadable,
            request=request,
        )
    except IntegrityError:
        # Lost a race on the client id (a concurrent replay committed first): answer as a replay.
        existing = Submission.objects.filter(uuid=data.id).first()
        if existing is None and data.replaces is not None:
            # The other unique rule: someone corrected the same base first.
            raise StaleRevision("The submission this one replaces has just been replaced.") from None
        if existing is None:
            # No revision was named, so none is stale: a clash elsewhere, which the phone's retry
            # (a 5xx) resolves; never a 4xx that tells it to drop the officer's work.
            raise
        return _replay(existing, digest, officer)


def finding_build(
    *, derived: Any, submission: Submission, agencies: dict[str, Any], **fields: Any
) -> Finding:
    """An unsaved finding for one the checklist engine derived from ``submission``'s answers;
    ``agencies`` maps the competent agencies' codes to their rows."""
    return Finding(
        submission=submission,
        inspection=submission.inspection,
        rule_code=derived.rule_code,
        violation_code=derived.violation_code,
        severity=derived.severity,
        legal_basis=derived.legal_basis,
        competent_agency=agencies.get(derived.competent_agency),
        competent_agency_code=derived.competent_agency,
        title={"en": derived.title.en, "zh-hant": derived.title.zh_hant, "pt": derived.title.pt},
        entry_path=derived.entry_path or "",
        potential_victim=derived.potential_victim,
        evidence=[[path, value] for path, value in derived.evidence],
        **fields,
    )


@transaction.atomic
def _submission_create(
    *,
    officer: Officer,
    data: SubmissionInput,
    digest: str,
    sent_at: dt.datetime | None,
    clock_unreadable: bool,
    request: Any,
) -> IngestResult:
    from backend.inspections.selectors import assignment_for_ingest

    inspection = assignment_for_ingest(officer=officer, uuid=data.inspection)
    version = _version_for(inspection, data.template_version)
    definition = parsed_definition(version)
    derivation, kept_answers = _validate_answers(definition, data)

    replaces = None
    revision = 1
    if data.replaces is not None:
        replaces = (
            Submission.objects.select_for_update()
            .filter(uuid=data.replaces, inspection=inspection, template_version__template=version.template)
            .first()
        )
        if replaces is None:
            raise InvalidInput(
                "The submission this one replaces is not known for this inspection and checklist.",
                errors={"replaces": ["Unknown submission."]},
            )
        if replaces.status != Submission.Status.ACCEPTED:
            raise StaleRevision(
                "The submission this one replaces has already been replaced or deleted; "
                "fetch the current revision and correct that.",
                extra={"current": _current_uuid(replaces)},
            )
        revision = replaces.revision + 1

    now = timezone.now()
    skew = _skew_seconds(sent_at, now)
    future = data.device_submitted_at > now + dt.timedelta(seconds=settings.DEVICE_CLOCK_SKEW_SECONDS)
    submission = Submission(
        uuid=data.id,
        inspection=inspection,
        officer=officer,
        template_version=version,
        revision=revision,
        replaces=replaces,
        answers=kept_answers,
        content_digest=digest,
        score=_score_json(derivation.score),
        latitude=data.latitude,
        longitude=data.longitude,
        signature_methods=_signature_methods(data.attachments, version, kept_answers),
        device_started_at=data.device_started_at,
        device_submitted_at=data.device_submitted_at,
        received_at=now,
        clock_skewed=clock_unreadable or _is_skewed(skew) or future,
        clock_skew_seconds=skew,
    )
    agencies = agencies_by_code(f.competent_agency for f in derivation.findings)
    findings = [
        finding_build(derived=f, submission=submission, agencies=agencies) for f in derivation.findings
    ]
    after_insert = _protect_before_insert([(submission, findings)])
    submission.save(force_insert=True)
    if replaces is not None:
        replaces.status = Submission.Status.SUPERSEDED
        replaces.save(update_fields=["status"])
        replaces.findings.update(status=Finding.Status.WITHDRAWN)
    attachments = Attachment.objects.bulk_create(
        [
            Attachment(submission=submission, name=a.name, sha256=a.sha256.lower(), declared_size=a.size)
            for a in data.attachments
        ]
    )
    findings = Finding.objects.bulk_create(findings)
    for store in after_insert:
        store()
    _findings_hooks_run([(submission, findings)], officer.user)
    if inspection.status in (Inspection.Status.ASSIGNED, Inspection.Status.IN_PROGRESS):
        inspection.status = Inspection.Status.SUBMITTED
        inspection.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=officer.user,
        action="create",
        verb="submission_ingest",
        obj=submission,
        changes={"revision": revision, "findings": len(findings), "clock_skewed": submission.clock_skewed},
        request=request,
    )
    # What the response shows is known already: spare the queries that would read it back.
    prime_related(submission, "attachments", attachments)
    prime_related(submission, "findings", findings)
    return IngestResult(submission=submission, created=True, findings=findings)


def _current_uuid(submission: Submission) -> str | None:
    seen = 0
    while submission.status == Submission.Status.SUPERSEDED and seen < 1000:
        submission = submission.replaced_by
        seen += 1
    return str(submission.uuid) if submission.status == Submission.Status.ACCEPTED else None


@transaction.atomic
def submission_delete(*, actor: Any, submission: Submission, reason: str) -> Submission:
    """An administrator removes a submission. A tombstone keeps its id so no replay revives it;
    its answers stay on record, its findings are withdrawn."""
    if not reason.strip():
        raise InvalidInput(errors={"reason": ["Say why the submission is deleted."]})
    submission.status = Submission.Status.DELETED
    submission.deleted_at = timezone.now()
    submission.deleted_by = actor
    submission.save(update_fields=["status", "deleted_at", "deleted_by"])
    submission.findings.update(status=Finding.Status.WITHDRAWN)
    audit_record(
        actor=actor, action="delete", verb="submission_delete", obj=submission, changes={"reason": reason}
    )
    return submission


__all__ = [
    "AnswersInvalid",
    "CheckInInput",
    "DeclaredAttachment",
    "DomainError",
    "IngestResult",
    "StaleRevision",
    "SubmissionConflict",
    "SubmissionDeleted",
    "SubmissionInput",
    "TemplateVersionUnknown",
    "checkin_record",
    "inspection_issue",
    "operation_create",
    "operation_publish",
    "submission_delete",
    "submission_ingest",
    "team_create",
]


# --- Attachments -------------------------------------------------------------------------------


class AttachmentTooLarge(DomainError):
    code = "attachment_too_large"
    status = 413


class AttachmentTypeRefused(DomainError):
    code = "attachment_type_refused"
    status = 415


class AttachmentChecksumMismatch(InvalidInput):
    code = "attachment_checksum_mismatch"


class AttachmentConflict(Conflict):
    code = "attachment_conflict"


class AttachmentSizeMismatch(InvalidInput):
    code = "attachment_size_mismatch"


# Magic numbers: what a file is, whatever its name or the Content-Type the phone sent says.
_SIGNATURES: tuple[tuple[bytes, int, str], ...] = (
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"WEBP", 8, "image/webp"),
    (b"%PDF-", 0, "application/pdf"),
)
_IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
# What an attachment may be, and so what its served copy is sent as.
ATTACHMENT_CONTENT_TYPES: tuple[str, ...] = tuple(c for _m, _o, c in _SIGNATURES)


def sniff_content_type(head: bytes) -> str | None:
    for magic, offset, content_type in _SIGNATURES:
        if head[offset : offset + len(magic)] == magic and (offset == 0 or head[:4] == b"RIFF"):
            return content_type
    return None


def _strip_metadata(source: Any, content_type: str, out: Any) -> None:
    """Write to ``out`` a copy of the image in ``source`` (files, at their start) without EXIF,
    GPS or other metadata, upright as it was shot. Raises AttachmentTypeRefused for bytes that
    only look like an image. JPEG, what phones send, is copied segment by segment (constant
    memory, not decoded); other images are decoded and encoded again."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(source) as image:
            if content_type == "image/jpeg":
                orientation = image.getexif().get(0x0112, 1)
                # Decoded at an eighth of its size: the whole entropy stream is read, so a broken
                # file is refused, in a 64th of the memory.
                image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()
                source.seek(0)
                _jpeg_without_metadata(source, out, orientation=orientation)
                return
            image.load()
            upright = ImageOps.exif_transpose(image)  # keep what the camera meant, drop the tag
            upright.info.clear()  # EXIF, GPS, XMP, ICC, text chunks: nothing rides along
            fmt = _IMAGE_FORMATS[content_type]
            options: dict[str, Any] = {"quality": 90} if fmt in ("JPEG", "WEBP") else {}
            upright.save(out, format=fmt, **options)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError) as exc:
        raise AttachmentTypeRefused("The file is not a readable image.") from exc


# JPEG markers kept in the served copy: the image itself (tables, frame, scans, restarts) and the
# JFIF and Adobe headers that say how to read its colours. Every other APPn (EXIF, GPS, XMP, ICC,
# IPTC, maker notes) and comments are left out.
_JPEG_KEPT_APP = {0xE0, 0xEE}


def _orientation_segment(orientation: int) -> bytes:
    """A minimal EXIF segment holding only the orientation: the one tag a viewer needs to show
    the photo upright, and nothing about where, when or on what it was taken."""
    import struct

    tiff = b"MM\x00*" + struct.pack(">I", 8) + struct.pack(">H", 1)
    tiff += struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0) + struct.pack(">I", 0)
    body = b"Exif\x00\x00" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def _jpeg_without_metadata(source: Any, out: Any, *, orientation: int) -> None:
    import struct

    def read(n: int) -> bytes:
        data = source.read(n)
        if len(data) != n:
            raise ValueError("truncated JPEG")
        return data

    if read(2) != b"\xff\xd8":
        raise ValueError("not a JPEG")
    out.write(b"\xff\xd8")
    wrote_orientation = orientation in (None, 1) or not 1 <= int(orientation) <= 8
    while True:
        byte = read(1)
        if byte != b"\xff":
            raise ValueError("JPEG marker expected")
        marker = read(1)[0]
        while marker == 0xFF:  # fill bytes
            marker = read(1)[0]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            out.write(bytes((0xFF, marker)))
            continue
        if marker == 0xD9:
            out.write(b"\xff\xd9")
            return
        length = struct.unpack(">H", read(2))[0]
        if length < 2:
            raise ValueError("bad JPEG segment length")
        keep = not (0xE0 <= marker <= 0xEF or marker == 0xFE) or marker in _JPEG_KEPT_APP
        if keep and not wrote_orientation and marker not in _JPEG_KEPT_APP:
            out.write(_orientation_segment(int(orientation)))
            wrote_orientation = True
        if not keep:
            source.seek(length - 2, 1)
            continue
        out.write(bytes((0xFF, marker)) + struct.pack(">H", length))
        remaining = length - 2
        while remaining:
            part = read(min(remaining, 1 << 16))
            out.write(part)
            remaining -= len(part)
        if marker == 0xDA:  # start of scan: the entropy-coded data, up to the next marker
            _copy_scan(source, out)


def _copy_scan(source: Any, out: Any) -> None:
    """Copy entropy-coded data up to (not including) the next marker, leaving ``source`` there;
    stuffed 0xFF00 and restart markers belong to the scan."""
    while True:
        block = source.read(1 << 16)
        if not block:
            raise ValueError("truncated JPEG scan")
        at = 0
        while True:
            at = block.find(b"\xff", at)
            if at == -1 or at == len(block) - 1:
                break
            follower = block[at + 1]
            if follower == 0x00 or 0xD0 <= follower <= 0xD7:
                at += 2
                continue
            out.write(block[:at])
            source.seek(at - len(block), 1)
            return
        if at == len(block) - 1:  # a 0xFF at the block's end: decide with the next block
            out.write(block[:-1])
            source.seek(-1, 1)
            nxt = source.read(2)
            if len(nxt) < 2:
                raise ValueError("truncated JPEG scan")
            if nxt[1] == 0x00 or 0xD0 <= nxt[1] <= 0xD7:
                out.write(nxt)
                continue
            source.seek(-2, 1)
            return
        out.write(block)


def _files_save(attachment: Attachment, files: Iterable[tuple[Any, Any]]) -> None:
    """Store an attachment's files under their own names, all or none. A file left under a
    name by an earlier try that never completed (the row says nothing arrived, and the caller
    holds its lock) is replaced, so a retry never ends under a suffixed name. A storage that
    cannot write (disk full, read-only) raises its 507/503; what this call stored is removed."""
    from django.core.files.base import ContentFile, File

    saved: list[Any] = []
    try:
        for field, data in files:
            name = field.field.generate_filename(attachment, "upload")
            if field.storage.exists(name):
                field.storage.delete(name)  # an orphan of a failed try: nothing refers to it
            if not isinstance(data, bytes):
                data.seek(0)  # a temporary file: streamed to the storage, never read whole
            content = ContentFile(data) if isinstance(data, bytes) else File(data)
            field.save(name.rsplit("/", 1)[-1], content, save=False)
            saved.append(field)
    except Exception:
        for field in saved:
            field.storage.delete(field.name)
        raise


def attachment_store(
    *,
    officer: Officer,
    submission: Submission,
    name: str,
    chunks: Iterable[bytes],
    content_length: int | None,
) -> tuple[Attachment, bool]:
    """Store the bytes of a declared attachment. Returns (attachment, created).

    Verified against the SHA-256 the submission declared; a repeated upload of the same bytes is
    harmless (nothing is rewritten); other bytes for an attachment already received are refused."""

    limit = settings.ATTACHMENT_MAX_BYTES
    attachment = submission.attachments.filter(name=name).first()
    if attachment is None:
        raise NotFound(
            gettext("The submission declares no attachment named %(name)s.") % {"name": repr(name)}
        )
    if content_length is not None and content_length > limit:
        raise AttachmentTooLarge(
            gettext("Attachments may be at most %(limit)s bytes.") % {"limit": limit},
            extra={"max_bytes": limit},
        )
    # The body goes to a temporary file as it arrives (hashed on the way): a 15 MB photo costs
    # the web process a chunk of memory, not its size, and its served copy is written the same way.
    with (
        tempfile.TemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR) as raw,
        tempfile.TemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR) as served,
    ):
        digest = hashlib.sha256()
        size = 0
        head = b""
        for chunk in chunks:
            size += len(chunk)
            if size > limit:
                raise AttachmentTooLarge(
                    f"Attachments may be at most {limit} bytes.", extra={"max_bytes": limit}
                )
            digest.update(chunk)
            if len(head) < 16:
                head += chunk[: 16 - len(head)]
            raw.write(chunk)
        if digest.hexdigest() != attachment.sha256:
            raise AttachmentChecksumMismatch(
                "The file's SHA-256 differs from the one the submission declared; nothing was stored.",
                extra={"declared_sha256": attachment.sha256, "received_sha256": digest.hexdigest()},
            )
        if attachment.declared_size is not None and size != attachment.declared_size:
            # The declared bytes, wrongly measured: stored, they would contradict the record.
            raise AttachmentSizeMismatch(
                gettext("The file's size differs from the one the submission declared; nothing was stored."),
                extra={"declared_size": attachment.declared_size, "received_size": size},
            )
        if attachment.received_at is not None:
            return attachment, False  # the same bytes again: harmless
        content_type = sniff_content_type(head)
        if content_type is None:
            raise AttachmentTypeRefused(
                "Only JPEG, PNG and WebP photos and PDF documents are accepted.",
                extra={"accepted_types": list(ATTACHMENT_CONTENT_TYPES)},
            )
        raw.seek(0)
        if content_type in _IMAGE_FORMATS:
            _strip_metadata(raw, content_type, served)
        copy = served if content_type in _IMAGE_FORMATS else raw
        personal = personal_files.belongs_to_person(attachment)
        with contextlib.ExitStack() as sealed:
            if personal:  # a person's card or signature: only ciphertext reaches the storage
                raw, copy = (sealed.enter_context(personal_files.seal(f)) for f in (raw, copy))
            with transaction.atomic():
                attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
                if attachment.received_at is not None:
                    return attachment, False  # a concurrent upload of the same verified bytes won
                _files_save(attachment, ((attachment.file, raw), (attachment.served_file, copy)))
                attachment.content_type = content_type
                attachment.size = size
                attachment.personal = personal
                attachment.received_at = timezone.now()
                attachment.save()
                audit_record(
                    actor=officer.user,
                    action="create",
                    verb="attachment_store",
                    obj=attachment,
                    changes={"size": size, "content_type": content_type, "personal": personal},
                )
    return attachment, True


@transaction.atomic
def operation_update(
    *,
    actor: Any,
    operation: Operation,
    name: str | None = None,
    starts_at: Any = None,
    ends_at: Any = None,
    reveal_at: Any = None,
) -> Operation:
    """Change a draft operation's name or times (its planners do, before publishing)."""
    if operation.status != Operation.Status.DRAFT:
        raise Conflict("Only a draft operation can be changed.")
    refused = years_refused(starts_at=starts_at, ends_at=ends_at, reveal_at=reveal_at)
    if refused:  # 0001-01-01 in Macau is before the calendar in UTC: comparing it overflowed
        raise InvalidInput(errors=refused)
    if name is not None:
        operation.name = name
    for attr, value in (("starts_at", starts_at), ("ends_at", ends_at), ("reveal_at", reveal_at)):
        if value is not None:
            setattr(operation, attr, value)
    if not operation.reveal_at <= operation.starts_at < operation.ends_at:
        raise InvalidInput(
            errors={
                "starts_at": ["The reveal time must come before the start, and the start before the end."]
            }
        )
    operation.save(update_fields=["name", "starts_at", "ends_at", "reveal_at"])
    audit_record(actor=actor, action="update", verb="operation_update", obj=operation)
    return operation
