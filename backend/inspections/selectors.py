"""Reads of operations and inspections, with secrecy and need-to-know.

The rules, in one place:

- Before an operation's reveal time (or while it is a draft), its inspections, teams and the
  operation itself are visible to the operation's planners and administrators alone.
- An inspector sees the inspections of the teams they belong to.
- Team leaders, reviewers and analysts see the inspections of their agency: those of teams
  with a member from their agency, and those of operations their agency takes part in.
- Planners see routine inspections (no operation) of every agency, and any operation they plan.

Everything outside a user's scope is 404 and absent from every list and count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Exists, F, FilteredRelation, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from backend.core.access import Principal, get_or_404, get_visible_or_404, scope_rule
from backend.core.errors import NotFound
from backend.core.prepared import PreparedRead
from backend.inspections.models import (
    Attachment,
    CheckIn,
    Finding,
    Inspection,
    Operation,
    Submission,
    Team,
)
from backend.registry.models import Officer, Role

AGENCY_WIDE = (Role.TEAM_LEADER, Role.REVIEWER, Role.ANALYST)


def _revealed(prefix: str, now: dt.datetime) -> Q:
    """``prefix`` names an Operation (or the path to one); no operation counts as revealed."""
    if prefix:
        return Q(**{f"{prefix}__isnull": True}) | Q(
            **{f"{prefix}__status__in": ["published", "closed"], f"{prefix}__reveal_at__lte": now}
        )
    return Q(status__in=["published", "closed"], reveal_at__lte=now)


def _planned_by(principal: Principal, prefix: str) -> Q:
    return Q(**{f"{prefix}__planners__id": principal.officer_id}) if principal.officer_id else Q(pk__in=[])


def _inspection_q(principal: Principal, now: dt.datetime, prefix: str = "") -> Q | None:
    """The inspections ``principal`` may see, as a Q on Inspection (or through ``prefix``).
    None means everything."""
    p = f"{prefix}__" if prefix else ""
    if principal.is_superuser or principal.has_role(Role.ADMINISTRATOR):
        return None
    if not principal.is_officer:
        return Q(pk__in=[])
    revealed = _revealed(f"{p}operation", now)
    mine = Q(**{f"{p}team__members__id": principal.officer_id}) & revealed
    if principal.has_role(*AGENCY_WIDE):
        team_of_agency = Q(**{f"{p}team__members__agency_id": principal.agency_id})
        operation_of_agency = Q(**{f"{p}operation__agencies__id": principal.agency_id})
        mine |= (team_of_agency | operation_of_agency) & revealed
    if principal.has_role(Role.PLANNER):
        mine |= Q(**{f"{p}operation__isnull": True}) | _planned_by(principal, f"{p}operation")
    return mine


def _scoped(principal: Principal, qs: QuerySet[Any], prefix: str = "") -> QuerySet[Any]:
    # The rule is a Q on Inspection itself: ``prefix`` only leads from ``qs`` to the inspection.
    q = _inspection_q(principal, timezone.now())
    if q is None:
        return qs
    # Filter through an id subquery so that joins over many-valued relations never duplicate rows.
    ids = Inspection.objects.filter(q).values("pk")
    return qs.filter(**{f"{prefix + '__' if prefix else ''}pk__in": ids})


@scope_rule(Inspection)
def _inspections(principal: Principal, qs: QuerySet[Inspection]) -> QuerySet[Inspection]:
    return _scoped(principal, qs)


for _model in (Submission, CheckIn, Finding):
    scope_rule(_model)(lambda principal, qs: _scoped(principal, qs, "inspection"))


@scope_rule(Attachment)
def _attachments(principal: Principal, qs: QuerySet[Attachment]) -> QuerySet[Attachment]:
    return _scoped(principal, qs, "submission__inspection")


@scope_rule(Operation)
def _operations(principal: Principal, qs: QuerySet[Operation]) -> QuerySet[Operation]:
    if principal.is_superuser or principal.has_role(Role.ADMINISTRATOR):
        return qs
    if not principal.is_officer:
        return qs.none()
    now = timezone.now()
    visible = Q(planners__id=principal.officer_id)
    participates = Q(agencies__id=principal.agency_id) | Q(lead_agency_id=principal.agency_id)
    member = Q(teams__members__id=principal.officer_id)
    visible |= (participates if principal.has_role(*AGENCY_WIDE, Role.PLANNER) else member) & _revealed(
        "", now
    )
    return qs.filter(pk__in=Operation.objects.filter(visible).values("pk"))


@scope_rule(Team)
def _teams(principal: Principal, qs: QuerySet[Team]) -> QuerySet[Team]:
    if principal.is_superuser or principal.has_role(Role.ADMINISTRATOR):
        return qs
    if not principal.is_officer:
        return qs.none()
    now = timezone.now()
    visible = Q(members__id=principal.officer_id) & _revealed("operation", now)
    visible |= Q(operation__planners__id=principal.officer_id)
    if principal.has_role(Role.PLANNER):
        visible |= Q(operation__isnull=True)
    if principal.has_role(*AGENCY_WIDE):
        visible |= Q(members__agency_id=principal.agency_id) & _revealed("operation", now)
    return qs.filter(pk__in=Team.objects.filter(visible).values("pk"))


# --- The officers' API ---------------------------------------------------------------------

ASSIGNABLE = [
    Inspection.Status.ASSIGNED,
    Inspection.Status.IN_PROGRESS,
    Inspection.Status.SUBMITTED,
    Inspection.Status.REVIEWED,
    Inspection.Status.CLOSED,
    Inspection.Status.CANCELLED,
    Inspection.Status.NO_ACCESS,
]


def _assignable_to(officer: Officer | int, now: dt.datetime) -> QuerySet[Inspection]:
    """The rule alone: the officer's (or officer id's) teams' issued inspections, operation
    revealed."""
    officer_id = officer if isinstance(officer, int) else officer.pk
    return Inspection.objects.filter(
        _revealed("operation", now),
        Exists(Team.members.through.objects.filter(team_id=OuterRef("team_id"), officer_id=officer_id)),
        status__in=ASSIGNABLE,
    )


def _for_ingest(officer_id: int, now: dt.datetime, uuids: list[Any]) -> QuerySet[Inspection]:
    """The officer's assignments among ``uuids``, each with its visit's current checklists (one
    row per checklist: see ``assignments_for_ingest``)."""
    # The officer's own are read too and passed over by the caller: a condition excluding them
    # puts the joins out of order (Django 5.2 joins the sender before the checklist in that case).
    current = FilteredRelation("submissions", condition=Q(submissions__status=Submission.Status.ACCEPTED))
    # Not the issued version's definition: a large JSON document that ingest never reads (the
    # parsed definition is cached per version), decoded for every submission otherwise.
    return (
        _assignable_to(officer_id, now)
        .select_related("site", "template_version")
        .defer("template_version__definition")
        .filter(uuid__in=uuids)
        .annotate(
            current=current,
            sent_id=F("current__uuid"),
            sent_pk=F("current__pk"),
            sent_template=F("current__template_version__template_id"),
            sent_several=F("current__template_version__template__several_per_visit"),
            sent_revision=F("current__revision"),
            sent_at=F("current__received_at"),
            sent_by=F("current__officer_id"),
            sent_by_id=F("current__officer__uuid"),
            sent_by_name=F("current__officer__full_name"),
            sent_by_badge=F("current__officer__badge_number"),
            sent_by_agency=F("current__officer__agency__code"),
        )
        .order_by()  # read into a dict: no ordering to compile or sort
    )


# Compiled once per number of uuids: on every submission the ORM's compiling of this read cost
# more CPU than PostgreSQL's running it (backend.core.prepared).
_ASSIGNMENTS_FOR_INGEST = PreparedRead(Inspection, _for_ingest, officer_id=int, now=dt.datetime, uuids=[UUID])


def assignment_for_ingest(*, officer: Officer, uuid: Any) -> Inspection:
    """One assignment, with only what ingesting work on it needs (one query; the sync path runs
    it for every submission)."""
    found = assignments_for_ingest(officer=officer, uuids=[uuid]).get(_as_uuid(uuid))
    if found is None:
        raise NotFound()  # as get_or_404: not theirs, or no such visit
    return found


@dataclass(frozen=True)
class SentByAnother:
    """A checklist of a visit as it stands (its current revision), sent by another officer."""

    id: UUID
    revision: int
    received_at: dt.datetime
    by_id: UUID
    by_name: str
    by_badge: str
    by_agency: str


def assignments_for_ingest(*, officer: Officer, uuids: Iterable[Any]) -> dict[Any, Inspection]:
    """``assignment_for_ingest`` for many at once (a phone's batch), by uuid: one query. Those
    absent are not the officer's to submit on.

    Each carries ``sent_by_others``: by template id, the newest of the visit's current
    checklists that another officer sent (a ``SentByAnother``), which refuses a second first
    checklist beside it; none of a template filled several per visit (``several_per_visit``: the
    ILO screening, one per person interviewed), which each officer of the team sends their own
    of. Read in the same query: each such checklist is one more row of its visit, and a visit
    holds a handful. The flag is read here, with the checklists, not from the versions ingest
    keeps per process: an administrator's change holds from the next submission."""
    out: dict[Any, Inspection] = {}
    newest: dict[tuple[int, int], tuple[dt.datetime, int]] = {}
    wanted = {u for u in map(_as_uuid, uuids) if u is not None}
    rows = _ASSIGNMENTS_FOR_INGEST(officer_id=officer.pk, now=timezone.now(), uuids=sorted(wanted))
    for row in rows:
        inspection = out.setdefault(row.uuid, row)
        if inspection is row:
            inspection.sent_by_others = {}
        if row.sent_id is None or row.sent_by == officer.pk or row.sent_several:
            continue
        key, when = (row.pk, row.sent_template), (row.sent_at, row.sent_pk)
        if key not in newest or when > newest[key]:
            newest[key] = when
            inspection.sent_by_others[row.sent_template] = SentByAnother(
                row.sent_id,
                row.sent_revision,
                row.sent_at,
                row.sent_by_id,
                row.sent_by_name,
                row.sent_by_badge,
                row.sent_by_agency,
            )
    return out


def _as_uuid(value: Any) -> UUID | None:
    """A uuid given as one or as its text; None for anything that is not one (it names nothing)."""
    if isinstance(value, UUID):
        return value
    try:
        return UUID(str(value))
    except ValueError:
        return None


def _stored(uuids: list[Any]) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(uuid__in=uuids)
        .select_related("inspection", "template_version", "replaces")
        .defer("answers", "template_version__definition", "replaces__answers")
        .order_by()  # read into a dict: the default ordering would only cost its compiling
    )


_STORED = PreparedRead(Submission, _stored, uuids=[UUID])
_ATTACHMENTS_OF = PreparedRead(
    Attachment, lambda ids: Attachment.objects.filter(submission_id__in=ids).order_by(), ids=[int]
)
_FINDINGS_OF = PreparedRead(
    Finding, lambda ids: Finding.objects.filter(submission_id__in=ids).order_by(), ids=[int]
)


def submissions_stored(*, uuids: Iterable[UUID]) -> dict[UUID, Submission]:
    """The submissions already stored under these ids, whoever sent them (ingest's idempotency
    read, before anything is written): one query, compiled once per number of ids."""
    return {s.uuid: s for s in _STORED(uuids=sorted(set(uuids)))}


def submissions_with_answer_parts(submissions: list[Submission]) -> None:
    """What the officers' API answers of stored submissions (their attachments and findings)
    read for all of them in two queries and kept on each, as ``prefetch_related`` keeps them
    (unordered: the answer sorts them itself)."""
    ids = [s.pk for s in submissions]
    attachments: dict[int, list[Attachment]] = {i: [] for i in ids}
    findings: dict[int, list[Finding]] = {i: [] for i in ids}
    for a in _ATTACHMENTS_OF(ids=ids):
        attachments[a.submission_id].append(a)
    for f in _FINDINGS_OF(ids=ids):
        findings[f.submission_id].append(f)
    for s in submissions:
        prime_related(s, "attachments", attachments[s.pk])
        prime_related(s, "findings", findings[s.pk])


def prime_related(instance: Any, name: str, objects: list[Any]) -> None:
    """``instance.<name>.all()`` answers ``objects`` without a query, as after a prefetch (and
    ``instance.<name>.filter(...)`` still asks for the instance's own rows alone)."""
    queryset = getattr(instance, name).all()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    cache = getattr(instance, "_prefetched_objects_cache", None) or {}
    instance._prefetched_objects_cache = {**cache, name: queryset}


def sent_checklists() -> Prefetch:
    """The checklists of each visit the server holds as they stand (the current revision of
    each; nothing superseded or deleted), with who sent them: one query for any number of
    visits."""
    return Prefetch(
        "submissions",
        queryset=Submission.objects.filter(status=Submission.Status.ACCEPTED)
        .select_related("officer__agency", "template_version__template")
        .order_by("received_at", "pk"),
    )


def assignment_list_for_officer(
    *, officer: Officer, since: dt.datetime | None = None, now: dt.datetime | None = None
) -> QuerySet[Inspection]:
    """The inspections of the officer's teams that a phone may hold: the operation (if any)
    revealed, the inspection issued. With ``since``, only what changed after it, counting an
    operation's reveal as a change (its rows did not move, but they became visible).

    A fixed number of queries whatever the number of assignments (pinned by a test)."""
    now = now or timezone.now()
    qs = _assignable_to(officer, now)
    if since is not None:
        qs = qs.filter(
            Q(updated_at__gt=since) | Q(operation__reveal_at__gt=since, operation__reveal_at__lte=now)
        )
    return (
        qs.select_related("site", "operation", "team", "template_version__template")
        .prefetch_related(
            "site__opening_hours",
            Prefetch("team__members", queryset=Officer.objects.select_related("agency").order_by("pk")),
        )
        .order_by("planned_start", "route_order", "pk")
    )


def assignment_get_for_officer(*, officer: Officer, uuid: Any) -> Inspection:
    return get_or_404(assignment_list_for_officer(officer=officer), uuid=uuid)


def submission_list_for_officer(*, officer: Officer) -> QuerySet[Submission]:
    """Submissions of the officer's assignments (their own or a teammate's), tombstones aside."""
    inspections = assignment_list_for_officer(officer=officer).values("pk")
    return (
        Submission.objects.filter(inspection__in=inspections)
        .exclude(status=Submission.Status.DELETED)
        .select_related("inspection", "template_version__template", "officer")
        .prefetch_related("attachments", "findings")
    )


def submission_get_for_officer(*, officer: Officer, uuid: Any) -> Submission:
    return get_or_404(submission_list_for_officer(officer=officer), uuid=uuid)


def submission_answers_for_officer(*, officer: Officer, submission: Submission) -> dict[str, Any] | None:
    """The answers of a submission read through ``submission_get_for_officer``, as stored (a
    screened person's identifying answers coded: ``backend/privacy/screening``), to the officer
    who sent it; None to a teammate, who reads its status and findings only."""
    return submission.answers if submission.officer_id == officer.pk else None


def inspection_get(*, user: Any, uuid: Any) -> Inspection:
    return get_visible_or_404(user, Inspection.objects.select_related("site", "operation", "team"), uuid=uuid)


def checklist_duplicates() -> list[list[Submission]]:
    """Visits holding two or more current checklists of one template whose first revisions were
    sent by different officers: what the one-sender rule (db_guard, migration 0005) refuses
    since, but a database older than it may hold. Each group is the visit's current submissions
    of that template, the earliest first; templates filled several per visit are not
    duplicates. For an administrator to settle (README, "Review, compliance and referrals"): the
    deployment check ``inspections.W001`` and ``manage.py checklist_duplicates`` name them."""
    current = Submission.objects.filter(status=Submission.Status.ACCEPTED)
    rival = current.filter(
        inspection=OuterRef("inspection"),
        template_version__template=OuterRef("template_version__template"),
    ).exclude(officer=OuterRef("officer"))
    found = (
        current.filter(Exists(rival), template_version__template__several_per_visit=False)
        .select_related("inspection__site", "officer__agency", "template_version__template")
        .order_by("inspection_id", "template_version__template_id", "received_at", "id")
    )
    groups: dict[tuple[int, int], list[Submission]] = {}
    for submission in found:
        key = (submission.inspection_id, submission.template_version.template_id)
        groups.setdefault(key, []).append(submission)
    # Who sent each one first: a correction stands in for the checklist it corrects (a colleague
    # may correct an officer's own second one), so two current ones are a duplicate only when
    # their first revisions came from different officers. Few rows (legacy data): walked one by one.
    return [group for group in groups.values() if len({_first_sender(s) for s in group}) > 1]


def _first_sender(submission: Submission) -> int:
    seen = 0
    while submission.replaces_id is not None and seen < 1000:
        submission = Submission.objects.only("officer_id", "replaces_id").get(pk=submission.replaces_id)
        seen += 1
    return submission.officer_id
