"""Reads of review, compliance and referrals, with their access rules.

Who sees what:

- **Review.** A submission concerns the agencies of its findings (the competent agency of each),
  or, when it has none, the submitting officer's agency. An agency's reviewers (role reviewer)
  review what concerns their agency; so does the leader of the inspection's team, for their own
  agency. Nobody reviews their own submission. A reviewer sees only their agency's findings: a
  joint visit's labour findings are in the labour bureau's queue, its trafficking indicators in
  the police's.
- **Cases** are their agency's: its reviewers, team leaders and analysts see them.
- **Scores** and the compliance register: reviewers, analysts and planners (the scores feed the
  planners' targeting).
- **Referrals** (coded fields only): the victim-protection role, and the reviewers and team
  leaders of the referring agency; analysts, for statistics.
- **Personal details** of a referred person: the victim-protection role alone (not even a
  superuser), one object at a time, and every read is audited.

Everything outside a user's scope is 404 and absent from every list and count.
"""

from __future__ import annotations

from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    Expression,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from backend.audit.models import AuditEntry
from backend.audit.services import audit_record
from backend.compliance.models import (
    CaseEvent,
    ComplianceCase,
    ComplianceScore,
    ProsecutionRecord,
    ProtectionService,
    Referral,
    Review,
    VictimPersonalDetails,
    Violation,
)
from backend.core.access import Principal, get_or_404, get_visible_or_404, principal_for, scope_rule, visible
from backend.core.errors import NotFound
from backend.inspections.models import Attachment, CheckIn, Finding, Submission
from backend.privacy.reasons import reason_clean
from backend.registry.models import Company, Officer, Role

CASE_READERS = (Role.REVIEWER, Role.TEAM_LEADER, Role.ANALYST)
SCORE_READERS = (Role.REVIEWER, Role.ANALYST, Role.PLANNER)
NOTHING = Q(pk__in=[])


def _holds(principal: Principal, *roles: str) -> bool:
    """The role itself, not a superuser's blanket pass: reviewing and protection are duties of
    named officers."""
    return bool(principal.roles & set(roles))


def _is_admin(principal: Principal) -> bool:
    return principal.is_superuser or _holds(principal, Role.ADMINISTRATOR)


# --- Review ------------------------------------------------------------------------------------


def _may_review_q(principal: Principal, prefix: str = "") -> Q:
    """Whom ``principal`` may review for: anything of their agency as a reviewer, or what their
    own team did as its leader, if they hold the team-leader role. Never their own work.

    The planner makes the highest-ranked member of a team its leader whatever their roles; an
    inspector who leads a team that way cannot enter the console's review queue, so their team's
    work is their agency's reviewers' (a reviewer's or team leader's role is an administrator's
    grant, not a night's rank)."""
    if not principal.is_officer:
        return NOTHING
    p = f"{prefix}__" if prefix else ""
    q = NOTHING
    if _holds(principal, Role.TEAM_LEADER):
        q = Q(**{f"{p}inspection__team__leader_id": principal.officer_id})
    if _holds(principal, Role.REVIEWER):
        q = Q()
    return q & ~Q(**{f"{p}officer_id": principal.officer_id})


def reviewable_findings(principal: Principal) -> QuerySet[Finding]:
    """The findings ``principal`` may review: their agency's, of submissions they may review."""
    if not principal.is_officer:
        return Finding.objects.none()
    return Finding.objects.filter(
        _may_review_q(principal, "submission"), competent_agency_id=principal.agency_id
    )


def reviewable_submissions(principal: Principal) -> QuerySet[Submission]:
    """Submissions that concern ``principal``'s agency and that they may review (any state)."""
    if not principal.is_officer:
        return Submission.objects.none()
    agency = principal.agency_id
    own_findings = Exists(Finding.objects.filter(submission=OuterRef("pk"), competent_agency_id=agency))
    no_findings = ~Exists(Finding.objects.filter(submission=OuterRef("pk"))) & Q(officer__agency_id=agency)
    return (
        Submission.objects.filter(own_findings | no_findings)
        .filter(_may_review_q(principal))
        .exclude(status=Submission.Status.DELETED)
    )


class _IdIn(Expression):
    """``column IN (ids)``; on PostgreSQL ``column = ANY(ARRAY(ids))``. The list is computed once
    and its rows read by key: as a semi-join PostgreSQL could not guess how few ids the union of
    ``awaiting_submissions`` yields (a thousand where it planned for twenty thousand) and joined
    every submission ever received, with its inspection, site and checklist, to keep 25 rows."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, ids: QuerySet[Any]) -> None:
        super().__init__()
        self.column: Any = F(column)
        self.ids: Any = ids.query

    def get_source_expressions(self) -> list[Any]:
        return [self.column, self.ids]

    def set_source_expressions(self, exprs: list[Any]) -> None:
        self.column, self.ids = exprs

    def _parts(self, compiler: Any, connection: Any) -> tuple[str, str, tuple[Any, ...]]:
        column, column_params = compiler.compile(self.column)
        ids, ids_params = compiler.compile(self.ids)  # "(SELECT ...)", a subquery
        return column, ids, (*column_params, *ids_params)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:
        column, ids, params = self._parts(compiler, connection)
        return f"{column} IN {ids}", params

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:
        column, ids, params = self._parts(compiler, connection)
        return f"{column} = ANY(ARRAY{ids})", params


def awaiting_submissions(principal: Principal) -> QuerySet[Submission]:
    """``reviewable_submissions`` that ``principal``'s agency has not decided (of any status):
    the same rule in a form PostgreSQL reads from indexes.

    The rule's OR of two EXISTS (a finding of the agency; no finding and an officer of the
    agency) cannot be made a join: PostgreSQL tested every submission ever received against a
    hash of all the agency's findings, and compiled the plan (JIT); the reviewer's home took
    0.5-0.9 s at a year of a city (40,000 submissions, 100,000 findings). Here the ids are the
    union of two sets, each from index-only scans less the agency's reviews: the submissions of
    the agency's findings (``finding_agency_submission_idx``) and those of its officers without
    a finding (``submission_officer_id_idx``); the few left are then read by key."""
    if not principal.is_officer:
        return Submission.objects.none()
    agency = principal.agency_id

    def undecided(qs: QuerySet[Any], ref: str) -> QuerySet[Any]:
        return qs.filter(~Exists(Review.objects.filter(submission=OuterRef(ref), agency_id=agency)))

    with_findings = undecided(Finding.objects.filter(competent_agency_id=agency), "submission_id")
    without = undecided(
        Submission.objects.filter(
            officer_id__in=Officer.objects.filter(agency_id=agency).values("pk")
        ).filter(~Exists(Finding.objects.filter(submission=OuterRef("pk")))),
        "pk",
    )
    ids = with_findings.order_by().values("submission_id").union(without.order_by().values("pk"), all=True)
    return (
        Submission.objects.filter(_IdIn("pk", ids))
        .filter(_may_review_q(principal))
        .exclude(status=Submission.Status.DELETED)
    )


def review_queue(*, user: Any) -> QuerySet[Submission]:
    """Accepted submissions awaiting the decision of the user's agency, oldest first."""
    principal = principal_for(user)
    return (
        awaiting_submissions(principal)
        .filter(status=Submission.Status.ACCEPTED)
        .select_related(
            "inspection__site", "inspection__operation", "officer__agency", "template_version__template"
        )
        .order_by("received_at", "pk")
    )


def review_submission_get(*, user: Any, uuid: Any) -> Submission:
    principal = principal_for(user)
    qs = reviewable_submissions(principal).select_related(
        "inspection__site", "inspection__team", "officer__agency", "template_version__template"
    )
    return get_or_404(qs, uuid=uuid)


def review_revisions(*, submission: Submission) -> list[Submission]:
    """The earlier revisions ``submission`` corrects, newest first, each with who sent it (a
    teammate's correction takes the place of a colleague's checklist): one query, none for a
    first revision."""
    if submission.replaces_id is None:
        return []
    earlier = {
        s.pk: s
        for s in Submission.objects.filter(
            inspection_id=submission.inspection_id, revision__lt=submission.revision
        ).select_related("officer")
    }
    out: list[Submission] = []
    previous = submission.replaces_id
    while previous in earlier and len(out) < 20:
        out.append(earlier[previous])
        previous = earlier[previous].replaces_id
    return out


def review_attachments(*, submission: Submission) -> QuerySet[Attachment]:
    """The declared files of a submission the caller may review (``review_submission_get``
    decides that), received or not."""
    return Attachment.objects.filter(submission=submission).order_by("name")


def review_attachment_get(*, user: Any, submission_uuid: Any, name: str) -> Attachment:
    """One received file of a submission the user may review; 404 for anything else."""
    submission = review_submission_get(user=user, uuid=submission_uuid)
    return get_or_404(Attachment.objects.filter(submission=submission, received_at__isnull=False), name=name)


def review_check_ins(*, submission: Submission) -> QuerySet[CheckIn]:
    """The check-ins at the submission's inspection (where and when the team said it was there),
    with the distance and clock flags, oldest first."""
    return (
        CheckIn.objects.filter(inspection_id=submission.inspection_id)
        .select_related("officer")
        .order_by("received_at", "pk")
    )


def review_findings(*, user: Any, submission: Submission | None = None) -> QuerySet[Finding]:
    """The user's agency's findings (of submissions they may review), newest first."""
    qs = reviewable_findings(principal_for(user)).select_related(
        "inspection__site", "submission", "competent_agency"
    )
    if submission is not None:
        qs = qs.filter(submission=submission)
    return qs.order_by("-created_at", "-pk")


@scope_rule(Review)
def _reviews(principal: Principal, qs: QuerySet[Review]) -> QuerySet[Review]:
    if _is_admin(principal):
        return qs
    if not principal.is_officer:
        return qs.none()
    q = Q(submission__officer_id=principal.officer_id)  # the officer reads the comments on a return
    if _holds(principal, *CASE_READERS):
        q |= Q(agency_id=principal.agency_id)
    return qs.filter(q)


def review_list(*, user: Any, submission: Submission | None = None) -> QuerySet[Review]:
    qs = visible(user, Review.objects.select_related("agency", "decided_by", "submission"))
    return qs.filter(submission=submission) if submission is not None else qs


def returns_for_officer(*, user: Any) -> QuerySet[Review]:
    """Submissions of the signed-in officer returned for correction, not yet corrected."""
    principal = principal_for(user)
    return visible(user, Review.objects.select_related("submission__inspection", "agency")).filter(
        decision=Review.Decision.RETURNED,
        submission__officer_id=principal.officer_id,
        submission__status=Submission.Status.ACCEPTED,
    )


# --- Catalogue ---------------------------------------------------------------------------------


@scope_rule(Violation)
def _violations(principal: Principal, qs: QuerySet[Violation]) -> QuerySet[Violation]:
    return qs if (principal.is_officer or principal.is_superuser) else qs.none()


def violation_list(*, user: Any) -> QuerySet[Violation]:
    return visible(user, Violation.objects.all())


def violations_by_code() -> dict[str, Violation]:
    """The catalogue for the services (no user: they act after the access check)."""
    return {v.code: v for v in Violation.objects.all()}


# --- Cases -------------------------------------------------------------------------------------


@scope_rule(ComplianceCase)
def _cases(principal: Principal, qs: QuerySet[ComplianceCase]) -> QuerySet[ComplianceCase]:
    if _is_admin(principal):
        return qs
    if principal.is_officer and _holds(principal, *CASE_READERS):
        return qs.filter(agency_id=principal.agency_id)
    return qs.none()


@scope_rule(CaseEvent)
def _case_events(principal: Principal, qs: QuerySet[CaseEvent]) -> QuerySet[CaseEvent]:
    return qs.filter(case__in=_cases(principal, ComplianceCase.objects.all()))


def case_list(*, user: Any) -> QuerySet[ComplianceCase]:
    qs = ComplianceCase.objects.select_related("agency", "company", "site", "follow_up")
    return visible(user, qs).order_by("-opened_at", "-pk")


def case_list_by_urgency(*, user: Any) -> QuerySet[ComplianceCase]:
    """The cases as a reviewer works through them: first those still without a notice (no
    deadline: the reviewer's own step is pending), the longest waiting first; then by deadline, so
    an overdue case comes before one with days left. Nulls placed explicitly: by the deadline alone
    they came first on SQLite and last on PostgreSQL."""
    return case_list(user=user).order_by(F("deadline").asc(nulls_first=True), "opened_at", "pk")


def case_get(*, user: Any, uuid: Any) -> ComplianceCase:
    return get_visible_or_404(user, case_list(user=user), uuid=uuid)


def case_timeline(*, case: ComplianceCase) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor__officer").order_by("at", "pk")


# --- Scores and the register -------------------------------------------------------------------


@scope_rule(ComplianceScore)
def _scores(principal: Principal, qs: QuerySet[ComplianceScore]) -> QuerySet[ComplianceScore]:
    if _is_admin(principal) or (principal.is_officer and _holds(principal, *SCORE_READERS)):
        return qs
    return qs.none()


def may_read_scores(user: Any) -> bool:
    principal = principal_for(user)
    return _is_admin(principal) or (principal.is_officer and _holds(principal, *SCORE_READERS))


def company_ranking(*, user: Any, kind: str | None = None) -> QuerySet[Company]:
    """Companies with a score, worst first, each annotated with its latest score and factors."""
    if not may_read_scores(user):
        return Company.objects.none()
    latest = ComplianceScore.objects.filter(company=OuterRef("pk")).order_by("-computed_at", "-pk")
    qs = (
        Company.objects.annotate(
            current_score=Subquery(latest.values("score")[:1]),
            current_factors=Subquery(latest.values("factors")[:1]),
            scored_at=Subquery(latest.values("computed_at")[:1]),
        )
        .filter(current_score__isnull=False)
        .order_by("current_score", "name_en", "pk")
    )
    return qs.filter(kind=kind) if kind else qs


def company_score_history(*, user: Any, company_uuid: Any) -> tuple[Company, QuerySet[ComplianceScore]]:
    if not may_read_scores(user):
        raise NotFound()
    company = get_or_404(Company.objects.all(), uuid=company_uuid)
    return company, visible(user, ComplianceScore.objects.filter(company=company))


# --- Referrals ---------------------------------------------------------------------------------


@scope_rule(Referral)
def _referrals(principal: Principal, qs: QuerySet[Referral]) -> QuerySet[Referral]:
    if _holds(principal, Role.VICTIM_PROTECTION, Role.ANALYST):
        return qs
    if principal.is_officer and _holds(principal, Role.REVIEWER, Role.TEAM_LEADER):
        return qs.filter(referring_agency_id=principal.agency_id)
    return qs.none()


@scope_rule(ProtectionService)
def _services(principal: Principal, qs: QuerySet[ProtectionService]) -> QuerySet[ProtectionService]:
    return qs.filter(referral__in=_referrals(principal, Referral.objects.all()))


@scope_rule(VictimPersonalDetails)
def _personal_details(principal: Principal, qs: QuerySet[VictimPersonalDetails]) -> QuerySet[Any]:
    return qs if _holds(principal, Role.VICTIM_PROTECTION) else qs.none()


def protection_details_visible(*, user: Any) -> bool:
    """Whether ``user`` may see who provides a referred person's protection and its note (which
    shelter holds them): victim protection alone, as for the person's details."""
    return _holds(principal_for(user), Role.VICTIM_PROTECTION)


def referral_list(*, user: Any, reference: str = "") -> QuerySet[Referral]:
    """The referrals ``user`` may see, the newest first; with ``reference`` (the first eight
    characters of a referral's UUID, from ``reference_prefix``) those it names, whichever case it
    was typed in (one, or more in the rare case two share them)."""
    qs = Referral.objects.select_related("site", "referring_agency", "referred_to").prefetch_related(
        "services"
    )
    if reference:
        qs = qs.filter(uuid__istartswith=reference)
    return visible(user, qs).order_by("-created_at", "-pk")


def referral_waiting_counts(*, user: Any) -> tuple[int, int]:
    """How many referrals wait for victim protection (new, not yet acknowledged), and how many of
    those are immediate: for the protection role itself alone, (0, 0) for anyone else. Counts,
    never which referrals."""
    if not _holds(principal_for(user), Role.VICTIM_PROTECTION):
        return 0, 0
    counts = (
        referral_list(user=user)
        .filter(status=Referral.Status.NEW)
        .aggregate(waiting=Count("pk"), immediate=Count("pk", filter=Q(urgency=Referral.Urgency.IMMEDIATE)))
    )
    return counts["waiting"], counts["immediate"]


def referral_get(*, user: Any, uuid: Any) -> Referral:
    """One referral the user may see, with the finding that raised it (its page says why)."""
    return get_visible_or_404(user, referral_list(user=user).select_related("finding"), uuid=uuid)


def referral_screening(*, referral: Referral) -> Submission | None:
    """The screening that referred the person, with its checklist version, in one query: its
    labels name the referral's coded fields, and its ``clock_skewed`` says whether the phone's
    clock (``screened_at`` is that phone's time) was found off. The caller has the referral
    already (``referral_get``)."""
    return Submission.objects.select_related("template_version").filter(findings=referral.finding_id).first()


def victim_details_get(
    *, user: Any, referral_uuid: Any, reason: str | None = None, reason_text: str = "", request: Any = None
) -> VictimPersonalDetails:
    """The personal details of a referred person: the victim-protection role alone; anyone else
    gets 404. Every read leaves an audit entry (action ``read``) with its reason (a code of
    ``backend.privacy.reasons.ReadReason``, free text for "other"), written even when the caller's
    transaction is read-only, so no read goes unrecorded; a read without a reason is refused (400).
    A refused attempt (another role, an unknown referral) is recorded too, as
    ``victim_details_refused``."""
    try:
        details = get_visible_or_404(
            user, VictimPersonalDetails.objects.select_related("referral"), referral__uuid=referral_uuid
        )
    except NotFound:
        audit_record(
            actor=user if getattr(user, "is_authenticated", False) else None,
            action=AuditEntry.Action.OTHER,
            verb="victim_details_refused",
            object_type="compliance.victimpersonaldetails",
            object_id=str(referral_uuid)[:64],
            request=request,
        )
        raise
    code, text = reason_clean(reason, reason_text)
    audit_record(
        actor=user,
        action=AuditEntry.Action.READ,
        verb="victim_details_get",
        obj=details.referral,
        object_type="compliance.victimpersonaldetails",
        changes={"reason": code, **({"reason_text": text} if text else {})},
        request=request,
    )
    return details


# --- Prosecutions ------------------------------------------------------------------------------


@scope_rule(ProsecutionRecord)
def _prosecutions(principal: Principal, qs: QuerySet[ProsecutionRecord]) -> QuerySet[ProsecutionRecord]:
    if _is_admin(principal) or _holds(principal, Role.ANALYST):
        return qs
    if principal.is_officer and _holds(principal, Role.REVIEWER, Role.TEAM_LEADER):
        return qs.filter(agency_id=principal.agency_id)
    return qs.none()


def prosecution_list(*, user: Any) -> QuerySet[ProsecutionRecord]:
    return visible(user, ProsecutionRecord.objects.select_related("agency", "case", "referral"))


def prosecution_case_get(*, user: Any, uuid: Any) -> ComplianceCase:
    """A case a prosecution record of the user's agency may name: one of that agency's own. An
    administrator reads every agency's cases, and named another's, the record (their agency's,
    read by its reviewers) pointed at a case those reviewers cannot open; such a case answers as
    an unknown one."""
    principal = principal_for(user)
    return get_or_404(case_list(user=user).filter(agency_id=principal.agency_id), uuid=uuid)


def prosecution_referral_get(*, user: Any, uuid: Any) -> Referral:
    """A referral a prosecution record of the user's agency may name: one the agency made or
    received. An analyst or victim protection reads every agency's referrals; another's, named by
    one who also records prosecutions, answers as an unknown one."""
    agency_id = principal_for(user).agency_id
    mine = Q(referring_agency_id=agency_id) | Q(referred_to_id=agency_id)
    return get_or_404(referral_list(user=user).filter(mine), uuid=uuid)


# --- The console's reads (review board, register, company profile) ----------------------------

REVIEW_STATES = ("awaiting", "approved", "returned", "all")
BOARD_DEFERRED = (
    "answers",
    "score",
    "template_version__definition",
    "template_version__template__site_kinds",
    "template_version__template__categories",
    "inspection__site__risk_factors",
)


def _count(qs: QuerySet[Any]) -> Coalesce:
    """The number of rows of a correlated queryset, as a subquery (0 when none)."""
    # COUNT as a plain function, not an aggregate: no GROUP BY, one row per outer row.
    counted = qs.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted[:1]), Value(0))


def finding_counts(agency_id: int) -> dict[str, Coalesce]:
    """A submission's findings for the agency, as annotations: all of them, the critical and the
    high ones each counted apart (a critical finding read as one more "high" understated it), and
    those that flag a potential victim. Correlated counts rather than joins and GROUP BY: a list
    stays fast with many findings. The reviewers' board and the review queue's API share them."""
    mine = Finding.objects.filter(submission=OuterRef("pk"), competent_agency_id=agency_id)
    return {
        "my_findings": _count(mine),
        "my_critical_findings": _count(mine.filter(severity=Finding.Severity.CRITICAL)),
        "my_high_findings": _count(mine.filter(severity=Finding.Severity.HIGH)),
        "potential_victims": _count(mine.filter(potential_victim=True)),
    }


def review_board(
    *,
    user: Any,
    state: str = "awaiting",
    agency_code: str = "",
    operation_uuid: Any = None,
    site_kind: str = "",
    severity: str = "",
    received_from: Any = None,
    received_to: Any = None,
) -> QuerySet[Submission]:
    """The reviewer's board: submissions the user may review, with their agency's decision,
    counts of their agency's findings and the flags a reviewer must look at. ``flagged``: a
    finding of the user's agency to decide on, a potential victim, a phone clock off, or the
    submitting officer's check-in outside the radius; only what is not flagged may be approved
    in bulk. ``state``: awaiting (the agency has not decided; oldest first), approved, returned,
    all (newest first)."""
    from backend.inspections.models import CheckIn

    principal = principal_for(user)
    agency = principal.agency_id
    far = CheckIn.objects.filter(
        inspection_id=OuterRef("inspection_id"), officer_id=OuterRef("officer_id"), outside_radius=True
    )
    decided = Review.objects.filter(submission=OuterRef("pk"), agency_id=agency)
    # Awaiting: the union of ``awaiting_submissions``, a few ids read by key. Decided work is
    # most of the history: the rule as it reads, and the decision by EXISTS, not by the annotated
    # value (a test of the subquery's value ran it on every submission of every year).
    if state == "awaiting":
        board = awaiting_submissions(principal).filter(status=Submission.Status.ACCEPTED)
    else:
        board = reviewable_submissions(principal)
        if state in (Review.Decision.APPROVED, Review.Decision.RETURNED):
            board = board.filter(Exists(decided.filter(decision=state)))
    qs = (
        board.annotate(
            decision=Subquery(decided.values("decision")[:1]),
            **finding_counts(agency),
            check_in_far=Exists(far),
        )
        .annotate(
            flagged=Case(
                When(Q(my_findings__gt=0) | Q(clock_skewed=True) | Q(check_in_far=True), then=True),
                default=False,
                output_field=BooleanField(),
            )
        )
        .select_related(
            "inspection__site", "inspection__operation", "officer__agency", "template_version__template"
        )
        # A list needs no answers or checklist definitions: decoding them costs more than the query.
        .defer(*BOARD_DEFERRED)
    )
    if agency_code:
        qs = qs.filter(officer__agency__code=agency_code)
    if operation_uuid:
        qs = qs.filter(inspection__operation__uuid=operation_uuid)
    if site_kind:
        qs = qs.filter(inspection__site__kind=site_kind)
    if severity:
        qs = qs.filter(
            Exists(
                Finding.objects.filter(
                    submission=OuterRef("pk"), competent_agency_id=agency, severity=severity
                )
            )
        )
    if received_from:
        qs = qs.filter(received_at__date__gte=received_from)
    if received_to:
        qs = qs.filter(received_at__date__lte=received_to)
    # Waiting work is done from the oldest; decided work is looked back on from the latest (the
    # approved list holds years: oldest first put yesterday's decisions on its last page).
    if state == "awaiting":
        return qs.order_by("received_at", "pk")
    return qs.order_by("-received_at", "-pk")


def review_board_operations(*, user: Any) -> QuerySet[Any]:
    """The operations the user's board can be filtered by: those of submissions they may review
    that they may also see (an operation before its reveal time is absent)."""
    from backend.inspections.models import Operation

    ids = reviewable_submissions(principal_for(user)).values("inspection__operation_id")
    return visible(user, Operation.objects.filter(pk__in=ids)).order_by("-starts_at", "pk")


def review_bulk_approvable(*, user: Any, uuids: Any) -> QuerySet[Submission]:
    """Of ``uuids``, the submissions awaiting the user's agency with nothing flagged."""
    return review_board(user=user).filter(uuid__in=list(uuids), flagged=False)


def company_register(
    *, user: Any, kind: str = "", query: str = "", open_cases: bool = False
) -> QuerySet[Company]:
    """The compliance register: scored companies, worst first, with their latest score and
    factors and the count of the user's agency's open cases against each."""
    principal = principal_for(user)
    open_q = ~Q(compliance_cases__status=ComplianceCase.Status.CLOSED)
    if not _is_admin(principal):
        open_q &= Q(compliance_cases__agency_id=principal.agency_id)
    qs = company_ranking(user=user, kind=kind or None).annotate(
        open_cases=Count("compliance_cases", filter=open_q, distinct=True)
    )
    if query:
        qs = qs.filter(
            Q(name_en__icontains=query)
            | Q(name_zh_hant__icontains=query)
            | Q(name_pt__icontains=query)
            | Q(registration_number__icontains=query)
        )
    if open_cases:
        qs = qs.filter(open_cases__gt=0)
    return qs


def company_inspections(*, user: Any, company: Company) -> QuerySet[Any]:
    """Inspections the user may see of the sites the company operates or contracts, newest
    first."""
    from backend.inspections.models import Inspection

    sites = Q(site__operator=company) | Q(site__contractor=company)
    return (
        visible(user, Inspection.objects.filter(sites))
        .select_related("site", "operation", "agency")
        .annotate(
            official_findings=Count(
                "findings", filter=Q(findings__status=Finding.Status.OFFICIAL), distinct=True
            )
        )
        .order_by("-planned_start", "-pk")
    )


def company_cases(*, user: Any, company: Company) -> QuerySet[ComplianceCase]:
    """The user's agency's cases against the company, open ones first by deadline."""
    return (
        case_list(user=user)
        .filter(company=company)
        .order_by(F("closed_at").asc(nulls_first=True), F("deadline").asc(nulls_last=True), "-opened_at")
    )
