"""Every write of review, compliance and referrals. Each runs in one transaction, records who,
when and why (a case's timeline and the audit log), and hands work to Celery only through the
outbox, so a broker that is down delays it and never loses it.

Access: the interfaces fetch objects through ``selectors`` (outside a user's scope: 404); the
services then check that the user may act (a visible object the user may not change: 403).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from backend.audit.models import AuditEntry
from backend.audit.services import audit_record, audit_record_many
from backend.compliance import scoring, timeline
from backend.compliance.models import (
    AgeBand,
    CaseEvent,
    CaseFinding,
    CodedSex,
    ComplianceCase,
    ComplianceScore,
    NationalityBand,
    ProsecutionRecord,
    ProtectionService,
    Referral,
    Review,
    VictimPersonalDetails,
    Violation,
)
from backend.compliance.selectors import reviewable_findings, reviewable_submissions
from backend.compliance.urgency import entry_at, immediate_reasons
from backend.core.access import principal_for
from backend.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from backend.core.inserts import insert_many
from backend.inspections import services as inspection_services
from backend.inspections.models import Finding, Inspection, Submission
from backend.outbox.services import task_enqueue, task_enqueue_many
from backend.planning.models import DueWork
from backend.planning.services import due_work_cancel, due_work_request
from backend.registry.models import Company, Role, Site
from backend.registry.selectors import agencies_by_code
from backend.registry.services import site_set_risk

CATALOGUE_FILE = Path(__file__).with_name("violations.json")
FOLLOW_UP_WINDOW_DAYS = 14
FOLLOW_UP_PRIORITY = 2
PROTECTION_AGENCY = "IAS"  # the Social Welfare Bureau


class AlreadyReviewed(Conflict):
    code = "already_reviewed"


class NotReviewable(Conflict):
    code = "not_reviewable"


class CaseStateError(Conflict):
    code = "case_state"


class NotAllowed(Forbidden):
    code = "not_allowed"


def _today() -> dt.date:
    return timezone.localdate()


def _officer_of(user: Any) -> Any:
    principal = principal_for(user)
    if not principal.is_officer:
        raise NotAllowed(str(_("Only an officer may do this.")))
    return user.officer


def _require_role(user: Any, role: str, agency_id: int | None = None) -> None:
    principal = principal_for(user)
    if role not in principal.roles or (agency_id is not None and principal.agency_id != agency_id):
        raise NotAllowed(str(_("Your role does not allow this.")))


def _full_clean(instance: Any, exclude: Sequence[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude) or None)
    except ValidationError as exc:
        raise InvalidInput(
            errors={
                ("non_field_errors" if k == "__all__" else k): [str(m) for m in v]
                for k, v in exc.message_dict.items()
            }
        ) from exc


# --- The violation catalogue -------------------------------------------------------------------

_CATALOGUE_DEFAULTS = ("default_severity", "corrective_days", "competent_agency_code", "defaults_verified")


@transaction.atomic
def violation_catalogue_load(
    *, actor: Any = None, path: Path | None = None, reset: bool = False
) -> dict[str, int]:
    """Load the catalogue file. Texts (titles, legal basis) follow the file; the defaults an
    administrator may change (severity, deadline, competent agency) are kept unless ``reset``."""
    raw = json.loads((path or CATALOGUE_FILE).read_text(encoding="utf-8"))
    created = updated = 0
    for entry in raw["violations"]:
        texts = {
            "area": entry["area"],
            "title_en": entry["title"]["en"],
            "title_zh_hant": entry["title"]["zh-hant"],
            "title_pt": entry["title"]["pt"],
            "legal_basis": entry["legal_basis"],
            "legal_basis_zh_hant": entry.get("legal_basis_translations", {}).get("zh-hant", ""),
            "legal_basis_pt": entry.get("legal_basis_translations", {}).get("pt", ""),
            "laws": entry.get("laws", []),
            "articles": entry.get("articles", ""),
        }
        defaults = {
            "default_severity": entry["default_severity"],
            "corrective_days": entry["corrective_days"],
            "competent_agency_code": entry["competent_agency"],
            "defaults_verified": entry.get("defaults_verified", False),
        }
        # Whether the legal basis is verified follows the file unless an administrator confirmed
        # it; a reset or a changed legal basis undoes the confirmation (it was of the old text).
        verification = {
            "legal_basis_verified": entry.get("legal_basis_verified", False),
            "legal_basis_confirmed_by": None,
            "legal_basis_confirmed_at": None,
        }
        row = Violation.objects.filter(code=entry["code"]).first()
        if row is None:
            row = Violation(code=entry["code"], **texts, **defaults, **verification)
            _full_clean(row)
            row.save()
            created += 1
            continue
        fields = {**texts, **(defaults if reset else {})}
        unconfirmed = row.legal_basis_confirmed_at is None
        if reset or row.legal_basis != entry["legal_basis"] or unconfirmed:
            fields.update(verification)
        if any(getattr(row, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(row, k, v)
            _full_clean(row)
            row.save()
            updated += 1
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        verb="violation_catalogue_load",
        object_type="compliance.violation",
        changes={"created": created, "updated": updated, "reset": reset},
    )
    return {"created": created, "updated": updated}


class LegalBasisUnverified(Conflict):
    code = "legal_basis_unverified"
    title = _("A breach in this case has no verified legal basis.")


@transaction.atomic
def violation_legal_basis_confirm(*, actor: Any, violation: Violation, request: Any = None) -> Violation:
    """An administrator confirms, after checking the law, that ``violation``'s legal basis (as
    it now reads, in the three languages) may ground an official notice."""
    principal = principal_for(actor)
    if not (principal.is_superuser or principal.has_role(Role.ADMINISTRATOR)):
        raise Forbidden(str(_("Only an administrator confirms a legal basis.")))
    violation = Violation.objects.select_for_update().get(pk=violation.pk)
    violation.legal_basis_verified = True
    violation.legal_basis_confirmed_by = actor
    violation.legal_basis_confirmed_at = timezone.now()
    violation.save(
        update_fields=["legal_basis_verified", "legal_basis_confirmed_by", "legal_basis_confirmed_at"]
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        verb="violation_legal_basis_confirm",
        obj=violation,
        changes={
            "legal_basis": violation.legal_basis,
            "legal_basis_zh_hant": violation.legal_basis_zh_hant,
            "legal_basis_pt": violation.legal_basis_pt,
        },
        request=request,
    )
    return violation


def _unverified_bases(case: ComplianceCase) -> list[str]:
    """Codes of the case's breaches whose legal basis no administrator has verified."""
    catalogue = {v.code: v for v in Violation.objects.all()}
    codes = set()
    for finding in case.findings.all():
        violation = catalogue.get(finding.violation_code)
        if violation is None or not violation.legal_basis_verified:
            codes.add(finding.violation_code)
    return sorted(codes)


# --- Review ------------------------------------------------------------------------------------


# Stages downstream of review (statistics) register here to learn which records a decision
# changed, in the decision's own transaction; review never imports them.
REVIEW_HOOKS: list[Any] = []


def register_review_hook(hook: Any) -> None:
    """``hook(submission=, findings=, actor=)`` runs in the transaction of every decision that
    changes findings' or the inspection's status."""
    if hook not in REVIEW_HOOKS:
        REVIEW_HOOKS.append(hook)


def _findings_set_status(findings: Iterable[Finding], status: str) -> int:
    return inspection_services.finding_set_status(findings=findings, status=status)


def _mark_inspection_reviewed(submission: Submission) -> None:
    """When every agency concerned has approved, the inspection is reviewed (the phone shows it)."""
    concerned = set(
        Finding.objects.filter(submission=submission)
        .exclude(competent_agency=None)
        .values_list("competent_agency_id", flat=True)
    ) or {submission.officer.agency_id}
    approved = set(
        submission.reviews.filter(decision=Review.Decision.APPROVED).values_list("agency_id", flat=True)
    )
    if concerned <= approved:
        inspection_services.inspection_mark_reviewed(inspection=submission.inspection)


def _decidable(user: Any, submission: Submission) -> Any:
    officer = _officer_of(user)
    if not reviewable_submissions(principal_for(user)).filter(pk=submission.pk).exists():
        raise NotFound()  # not the user's to review: as if it did not exist
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status != Submission.Status.ACCEPTED:
        raise NotReviewable(
            str(_("This submission was corrected or deleted; review its current revision.")),
            extra={"status": locked.status},
        )
    if Review.objects.filter(submission=submission, agency_id=officer.agency_id).exists():
        raise AlreadyReviewed(str(_("Your agency has already decided on this submission.")))
    return officer


@transaction.atomic
def submission_approve(
    *,
    user: Any,
    submission: Submission,
    comment: str = "",
    reject: Iterable[Any] = (),
    request: Any = None,
) -> Review:
    """The user's agency approves ``submission``: its draft findings of that agency become
    official, except those named in ``reject`` (finding UUIDs judged unfounded), which are
    rejected. Other agencies' findings are untouched: each agency decides its own."""
    officer = _decidable(user, submission)
    mine = list(
        reviewable_findings(principal_for(user)).filter(submission=submission, status=Finding.Status.DRAFT)
    )
    by_uuid = {str(f.uuid): f for f in mine}
    reject_ids = {str(r) for r in reject}
    unknown = sorted(reject_ids - set(by_uuid))
    if unknown:
        raise InvalidInput(
            errors={
                "reject": [str(_("Not a finding of your agency awaiting review: %s")) % u for u in unknown]
            }
        )
    if reject_ids and not comment.strip():
        raise InvalidInput(errors={"comment": [str(_("Say why findings are rejected."))]})
    rejected = [by_uuid[r] for r in sorted(reject_ids)]
    approved = [f for f in mine if str(f.uuid) not in reject_ids]
    _findings_set_status(approved, Finding.Status.OFFICIAL)
    _findings_set_status(rejected, Finding.Status.REJECTED)
    review = Review.objects.create(
        submission=submission,
        agency_id=officer.agency_id,
        decision=Review.Decision.APPROVED,
        comment=comment.strip(),
        decided_by=officer,
        decided_at=timezone.now(),
        findings_approved=len(approved),
        findings_rejected=len(rejected),
    )
    _mark_inspection_reviewed(submission)
    for hook in REVIEW_HOOKS:
        hook(submission=submission, findings=[*approved, *rejected], actor=user)
    audit_record(
        actor=user,
        action=AuditEntry.Action.DECIDE,
        verb="submission_approve",
        obj=submission,
        changes={
            "agency": officer.agency.code,
            "official": [str(f.uuid) for f in approved],
            "rejected": [str(f.uuid) for f in rejected],
            "comment": review.comment,
        },
        request=request,
    )
    if approved:
        for company_id in _companies_of(submission.inspection.site):
            task_enqueue(task_name="compliance.score_recompute", kwargs={"company_id": company_id})
    return review


@transaction.atomic
def submission_return(*, user: Any, submission: Submission, comment: str, request: Any = None) -> Review:
    """Return ``submission`` to the officer with comments. The officer's correction is a new
    revision (``replaces``), which withdraws these findings and comes back to the queue."""
    if not comment.strip():
        raise InvalidInput(errors={"comment": [str(_("Say what must be corrected."))]})
    officer = _decidable(user, submission)
    review = Review.objects.create(
        submission=submission,
        agency_id=officer.agency_id,
        decision=Review.Decision.RETURNED,
        comment=comment.strip(),
        decided_by=officer,
        decided_at=timezone.now(),
    )
    audit_record(
        actor=user,
        action=AuditEntry.Action.DECIDE,
        verb="submission_return",
        obj=submission,
        changes={"agency": officer.agency.code, "comment": review.comment},
        request=request,
    )
    return review


# --- Cases -------------------------------------------------------------------------------------


def _event(case: ComplianceCase, kind: str, code: str, user: Any, reason: str = "", **data: Any) -> CaseEvent:
    """A step of the case's timeline: what happened as ``code`` and the values its sentence names
    (``data``), told in the reader's language when read (``backend.compliance.timeline``);
    ``reason`` is a person's own words, never a sentence of ours."""
    is_user = _is_person(user)
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        code=code,
        at=timezone.now(),
        actor=user if is_user else None,
        actor_label=user.get_username() if is_user else "system",
        reason=reason,
        data=data,
    )


def _chain_down(company: Company) -> set[int]:
    out: set[int] = set()
    frontier = [company.pk]
    while frontier:
        children = list(
            Company.objects.filter(main_contractor_id__in=frontier)
            .exclude(pk__in=out)
            .values_list("pk", flat=True)
        )
        out.update(frontier)
        frontier = [c for c in children if c not in out]
    return out


def _related_companies(site: Site) -> set[int]:
    """Who may answer for a site: its operator and contractor, the contractors above them and
    the subcontractors below them."""
    out: set[int] = set()
    for company in (site.operator, site.contractor):
        if company is not None:
            out.update(c.pk for c in company.chain())
            out.update(_chain_down(company))
    return out


def _companies_of(site: Site) -> list[int]:
    return [c for c in (site.operator_id, site.contractor_id) if c is not None]


@transaction.atomic
def case_open(
    *,
    user: Any,
    findings: Sequence[Finding],
    reason: str,
    company: Company | None = None,
    corrective_days: int | None = None,
    request: Any = None,
) -> ComplianceCase:
    """Open a case from official findings of the user's agency at one site, against the site's
    company (its contractor or operator unless another company of its chain is named). The
    corrective deadline defaults to the strictest of the violations' defaults."""
    officer = _officer_of(user)
    _require_role(user, Role.REVIEWER)
    if not findings:
        raise InvalidInput(errors={"findings": [str(_("Name at least one official finding."))]})
    if not reason.strip():
        raise InvalidInput(errors={"reason": [str(_("Say why the case is opened."))]})
    errors = []
    for f in findings:
        if f.status != Finding.Status.OFFICIAL:
            errors.append(str(_("%s is not official.")) % f.uuid)
        elif f.competent_agency_id != officer.agency_id:
            errors.append(str(_("%s belongs to another agency.")) % f.uuid)
    if errors:
        raise InvalidInput(errors={"findings": errors})
    sites = {f.inspection.site_id for f in findings}
    if len(sites) != 1:
        raise InvalidInput(errors={"findings": [str(_("All findings of a case must come from one site."))]})
    site = findings[0].inspection.site
    taken = CaseFinding.objects.filter(finding__in=findings).select_related("case", "finding")
    if taken.exists():
        raise Conflict(
            str(_("Some findings already belong to a case.")),
            errors={"findings": [str(cf.finding.uuid) for cf in taken]},
        )
    if company is None:
        company = site.contractor or site.operator
    elif company.pk not in _related_companies(site):
        raise InvalidInput(errors={"company": [str(_("This company does not answer for the site."))]})
    if corrective_days is None:
        corrective_days = Violation.strictest_corrective_days(f.violation_code for f in findings)
    if not 0 < corrective_days <= 365:
        raise InvalidInput(errors={"corrective_days": [str(_("Give between 1 and 365 days."))]})
    case = ComplianceCase.objects.create(
        agency_id=officer.agency_id,
        company=company,
        site=site,
        corrective_days=corrective_days,
        opened_by=user,
        opened_at=timezone.now(),
    )
    CaseFinding.objects.bulk_create([CaseFinding(case=case, finding=f) for f in findings])
    _event(
        case,
        CaseEvent.Kind.OPENED,
        timeline.OPENED,
        user,
        reason.strip(),
        findings=[str(f.uuid) for f in findings],
    )
    audit_record(
        actor=user,
        action=AuditEntry.Action.CREATE,
        verb="case_open",
        obj=case,
        changes={"findings": [str(f.uuid) for f in findings], "reason": reason.strip()},
        request=request,
    )
    return case


def _require_case_reviewer(user: Any, case: ComplianceCase) -> None:
    _require_role(user, Role.REVIEWER, agency_id=case.agency_id)


@transaction.atomic
def case_notice_issue(
    *, user: Any, case: ComplianceCase, reason: str = "", request: Any = None
) -> ComplianceCase:
    """Issue the notice: the corrective deadline runs from today."""
    _require_case_reviewer(user, case)
    case = ComplianceCase.objects.select_for_update().get(pk=case.pk)
    if case.status != ComplianceCase.Status.OPEN:
        raise CaseStateError(str(_("The notice of this case was already issued.")))
    unverified = _unverified_bases(case)
    if unverified:
        # An official notice never cites "(no specific Macao prohibition verified)".
        raise LegalBasisUnverified(
            str(
                _(
                    "The legal basis of %(codes)s is not verified; an administrator must confirm it "
                    "before a notice can cite it, or leave those findings out of the case."
                )
            )
            % {"codes": ", ".join(unverified)},
            extra={"violations": unverified},
        )
    now = timezone.now()
    case.status = ComplianceCase.Status.NOTICE_ISSUED
    case.notice_issued_at = now
    case.notice_issued_by = _officer_of(user)
    case.deadline = timezone.localdate(now) + dt.timedelta(days=case.corrective_days)
    case.save(update_fields=["status", "notice_issued_at", "notice_issued_by", "deadline"])
    deadline = case.deadline.isoformat()
    _event(case, CaseEvent.Kind.NOTICE_ISSUED, timeline.NOTICE_ISSUED, user, reason, deadline=deadline)
    audit_record(
        actor=user,
        action=AuditEntry.Action.DECIDE,
        verb="case_notice_issue",
        obj=case,
        changes={"deadline": case.deadline.isoformat()},
        request=request,
    )
    return case


@transaction.atomic
def case_comment(*, user: Any, case: ComplianceCase, text: str, request: Any = None) -> CaseEvent:
    """A reviewer's comment on the case's timeline. The same words sent again by the same reviewer,
    with nothing else on the timeline since (a double click, the form sent again from a second
    tab), are the comment already there, not a second one."""
    _require_case_reviewer(user, case)
    if not text.strip():
        raise InvalidInput(errors={"text": [str(_("The comment is empty."))]})
    ComplianceCase.objects.select_for_update().only("pk").get(pk=case.pk)  # two copies at once: one waits
    last = case.events.order_by("-at", "-pk").first()
    if (
        last is not None
        and last.kind == CaseEvent.Kind.COMMENT
        and last.actor_id == getattr(user, "pk", None)
        and last.reason == text.strip()
    ):
        return last
    event = _event(case, CaseEvent.Kind.COMMENT, timeline.COMMENT, user, text.strip())
    audit_record(actor=user, action=AuditEntry.Action.UPDATE, verb="case_comment", obj=case, request=request)
    return event


def carry_items_for(case: ComplianceCase) -> list[dict[str, Any]]:
    """The failed items of the case's last inspection, to be re-checked on the follow-up."""
    findings = list(case.findings.select_related("inspection", "submission__template_version__template"))
    if not findings:
        return []
    last = max(findings, key=lambda f: (f.submission.received_at, f.inspection_id)).inspection_id
    items = []
    for f in sorted((f for f in findings if f.inspection_id == last), key=lambda f: f.pk):
        items.append(
            {
                "template": f.submission.template_version.template.code,
                "rule_code": f.rule_code,
                "violation_code": f.violation_code,
                "entry_path": f.entry_path,
                "finding": str(f.uuid),
            }
        )
    return items


@transaction.atomic
def case_follow_up_request(*, case: ComplianceCase, actor: Any = None) -> DueWork:
    """Ask the planners for a follow-up inspection of the case's site (through planning's service,
    the one way to request an inspection), carrying the failed items. Safe to call twice.

    Once the deadline has passed (the nightly run) the visit is planned from the day after it. A
    reviewer may ask sooner, while days remain, when the site must be seen before then: the visit is
    then plannable from today, and the timeline says who brought it forward and from which deadline."""
    case = ComplianceCase.objects.select_for_update().get(pk=case.pk)
    if case.follow_up_id is not None:
        return case.follow_up  # type: ignore[return-value]
    if case.status != ComplianceCase.Status.NOTICE_ISSUED or case.deadline is None:
        raise CaseStateError(str(_("A follow-up is requested once the notice's deadline has passed.")))
    items = carry_items_for(case)
    last_category = (
        Inspection.objects.filter(findings__in=case.findings.all())
        .order_by("-planned_start")
        .values_list("category", flat=True)
        .first()
    )
    today = _today()
    early = case.deadline >= today  # the company still has days to put things right
    earliest = today if early else max(case.deadline + dt.timedelta(days=1), today)
    due = due_work_request(
        actor=actor,
        site=case.site,
        agency=case.agency,
        category=last_category or "",
        reason=DueWork.Reason.FOLLOW_UP,
        earliest=earliest,
        latest=earliest + dt.timedelta(days=FOLLOW_UP_WINDOW_DAYS),
        priority=FOLLOW_UP_PRIORITY,
        note=str(_("Follow-up of compliance case %s")) % case.short_ref,
        source_type="compliance.case",
        source_id=str(case.uuid),
        carry_items=items,
    )
    case.status = ComplianceCase.Status.FOLLOW_UP
    case.follow_up = due
    case.follow_up_requested_at = timezone.now()
    case.save(update_fields=["status", "follow_up", "follow_up_requested_at"])
    params: dict[str, Any] = {
        "deadline": case.deadline.isoformat(),
        "due_work": str(due.uuid),
        "carry_items": len(items),
        "early": early,
    }
    if early and _is_person(actor):
        # As colleagues knew them the day they asked: the name and the badge, put together in
        # the reader's language when the timeline is read.
        params["by"], badge = _actor_name(actor)
        if badge:
            params["by_badge"] = badge
    _event(
        case,
        CaseEvent.Kind.FOLLOW_UP_REQUESTED,
        timeline.FOLLOW_UP_EARLY if early else timeline.FOLLOW_UP_DEADLINE_PASSED,
        actor,
        **params,
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.DECIDE,
        verb="case_follow_up_request",
        obj=case,
        changes={"due_work": str(due.uuid), "early": early},
    )
    return due


def _is_person(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def _actor_name(user: Any) -> tuple[str, str]:
    """Who asked, as the timeline names them: the officer's name and badge, else the login."""
    officer = getattr(user, "officer", None)
    if officer is not None:
        return officer.full_name, officer.badge_number
    return user.get_username(), ""


@transaction.atomic
def case_follow_up_order(*, user: Any, case: ComplianceCase) -> DueWork:
    """A reviewer of the case's agency asks for the follow-up inspection from the case's page
    once its notice is issued, without waiting for the nightly deadline run: the same request
    through planning, carrying the same failed items, plannable from today when the deadline is
    still ahead (see ``case_follow_up_request``). Safe to call twice."""
    _require_case_reviewer(user, case)
    return case_follow_up_request(case=case, actor=user)


def case_deadlines_process(*, today: dt.date | None = None) -> list[ComplianceCase]:
    """Every case whose notice deadline has passed gets its follow-up requested (one
    transaction per case, so one failure does not hold back the others). Safe to run twice."""
    today = today or _today()
    done = []
    for case in ComplianceCase.objects.filter(status=ComplianceCase.Status.NOTICE_ISSUED, deadline__lt=today):
        case_follow_up_request(case=case)
        done.append(case)
    return done


# The outcomes that sanction the company, as against recording that it put things right or
# closing the case without action.
SANCTIONS = frozenset(
    {
        ComplianceCase.Outcome.PENALTY,
        ComplianceCase.Outcome.LICENCE_SUSPENSION_REFERRAL,
        ComplianceCase.Outcome.LICENCE_CANCELLATION_REFERRAL,
    }
)


def deadline_running(case: ComplianceCase) -> bool:
    """Whether the notice's corrective deadline has yet to pass (it runs to the end of its day),
    a follow-up requested early or not: the company has its days either way."""
    return case.days_left(_today()) is not None


def sanction_before_deadline_refusal(case: ComplianceCase, *, box: str | None = None) -> str:
    """The refusal of a sanction while the deadline runs, naming what its reader sets to mean it:
    the API's member ``before_deadline``, or the page's box by its label (``box``); "say that it
    is decided before the deadline" named neither, and left the reviewer looking for how."""
    deadline = formats.date_format(case.deadline, "DATE_FORMAT")
    if box is None:
        return str(
            _(
                "The notice's corrective deadline, %(deadline)s, has not passed: the company may still"
                " put things right. To decide a sanction now, set before_deadline to true."
            )
            % {"deadline": deadline}
        )
    return str(
        _(
            "The notice's corrective deadline, %(deadline)s, has not passed: the company may still"
            " put things right. To decide a sanction now, tick “%(box)s”."
        )
        % {"deadline": deadline, "box": box}
    )


@transaction.atomic
def case_decide(
    *,
    user: Any,
    case: ComplianceCase,
    outcome: str,
    reason: str,
    penalty_amount: Decimal | str | None = None,
    rectified_on: dt.date | None = None,
    before_deadline: bool = False,
    request: Any = None,
) -> ComplianceCase:
    """Record the outcome and close the case. A penalty needs its amount; a rectified case the
    day it was rectified (today by default), which the score's time-to-rectify factor reads. A
    follow-up request the planners have not yet planned is withdrawn with it.

    A sanction (a penalty, a referral for the licence's suspension or cancellation) while the
    notice's corrective deadline still runs is recorded only when the reviewer says it is meant
    (``before_deadline``): the company was given until then to put things right, and a sanction
    picked by mistake would be decided on a case it may still rectify. The timeline says so."""
    _require_case_reviewer(user, case)
    case = ComplianceCase.objects.select_for_update().get(pk=case.pk)
    errors: dict[str, list[str]] = {}
    if case.status == ComplianceCase.Status.CLOSED:
        raise CaseStateError(str(_("This case is already closed.")))
    if not outcome:  # never a default: the reviewer picks the outcome that closes the case
        errors["outcome"] = [str(_("Choose the outcome of the case."))]
    elif outcome not in ComplianceCase.Outcome.values:
        errors["outcome"] = [str(_("Unknown outcome."))]
    if not reason.strip():
        errors["reason"] = [str(_("Say why."))]
    amount = None
    if outcome == ComplianceCase.Outcome.PENALTY:
        try:
            amount = (
                Decimal(str(penalty_amount)).quantize(Decimal("0.01")) if penalty_amount is not None else None
            )
        except (InvalidOperation, ValueError):
            amount = None
        if amount is None or amount <= 0:
            errors["penalty_amount"] = [str(_("A penalty needs a positive amount (MOP)."))]
    elif penalty_amount is not None:
        errors["penalty_amount"] = [str(_("Only a penalty has an amount."))]
    if outcome == ComplianceCase.Outcome.RECTIFIED:
        rectified_on = rectified_on or _today()
        if rectified_on > _today():
            errors["rectified_on"] = [str(_("This date is in the future."))]
    early = outcome in SANCTIONS and deadline_running(case)
    if early and not before_deadline:
        errors["before_deadline"] = [sanction_before_deadline_refusal(case)]
    if errors:
        raise InvalidInput(errors=errors)
    case.outcome = outcome
    case.penalty_amount = amount
    case.rectified_on = rectified_on if outcome == ComplianceCase.Outcome.RECTIFIED else None
    case.status = ComplianceCase.Status.CLOSED
    case.closed_at = timezone.now()
    case.save(update_fields=["outcome", "penalty_amount", "rectified_on", "status", "closed_at"])
    # A follow-up still waiting in the planners' due work would send officers to re-check a case
    # already decided: it goes with the case. One already planned is the planners' to take out.
    withdrawn = case.follow_up is not None and case.follow_up.status == DueWork.Status.OPEN
    if withdrawn:
        due_work_cancel(actor=user, due=case.follow_up)
    _event(
        case,
        CaseEvent.Kind.OUTCOME,
        timeline.OUTCOME,
        user,
        reason.strip(),
        outcome=outcome,
        penalty_amount=str(amount) if amount is not None else None,
        rectified_on=case.rectified_on.isoformat() if case.rectified_on else None,
        **({"follow_up_withdrawn": True} if withdrawn else {}),
        **({"before_deadline": case.deadline.isoformat()} if early else {}),
    )
    audit_record(
        actor=user,
        action=AuditEntry.Action.DECIDE,
        verb="case_decide",
        obj=case,
        changes={
            "outcome": outcome,
            "penalty_amount": str(amount) if amount else None,
            "reason": reason.strip(),
            **({"follow_up_withdrawn": str(case.follow_up.uuid)} if withdrawn else {}),
            **({"before_deadline": case.deadline.isoformat()} if early else {}),
        },
        request=request,
    )
    if case.company_id:
        task_enqueue(task_name="compliance.score_recompute", kwargs={"company_id": case.company_id})
    return case


def reopened_status(case: ComplianceCase) -> str:
    """The step a closed case goes back to when reopened: the one it was closed from. A follow-up
    the planners still hold (planned, or done and awaiting its result) keeps the case in
    follow-up; a notice issued, with its deadline as it was, in notice issued (a follow-up request
    the closing withdrew is no longer the case's: the nightly run or a reviewer asks again); else
    open, its notice still to issue."""
    if case.follow_up_id is not None and case.follow_up.status != DueWork.Status.CANCELLED:
        return ComplianceCase.Status.FOLLOW_UP
    if case.notice_issued_at is not None:
        return ComplianceCase.Status.NOTICE_ISSUED
    return ComplianceCase.Status.OPEN


@transaction.atomic
def case_reopen(
    *, user: Any, case: ComplianceCase, reason: str, request: Any = None
) -> tuple[ComplianceCase, bool]:
    """A reviewer of the case's agency reopens a closed case, saying why (an outcome recorded by
    mistake, the company's appeal, new evidence). The outcome is withdrawn (kept in the timeline
    and the audit log), the case goes back to the step it was closed from (``reopened_status``)
    and the company's score is computed again, the case counting as open.

    Returns the case and whether it was reopened: a case not closed (reopened already, by a
    double click or a colleague) is left as it is, nothing written."""
    _require_case_reviewer(user, case)
    case = ComplianceCase.objects.select_for_update().get(pk=case.pk)
    if case.status != ComplianceCase.Status.CLOSED:
        return case, False
    if not reason.strip():
        raise InvalidInput(errors={"reason": [str(_("Say why the case is reopened."))]})
    closed_at = case.closed_at
    before = {
        "outcome": case.outcome,
        "penalty_amount": str(case.penalty_amount) if case.penalty_amount is not None else None,
        "rectified_on": case.rectified_on.isoformat() if case.rectified_on else None,
        "closed_at": closed_at.isoformat(),
    }
    status = reopened_status(case)
    cleared = case.follow_up if case.follow_up_id is not None and status != case.Status.FOLLOW_UP else None
    case.status = status
    case.outcome = ""
    case.penalty_amount = None
    case.rectified_on = None
    case.closed_at = None
    fields = ["status", "outcome", "penalty_amount", "rectified_on", "closed_at"]
    if cleared is not None:
        case.follow_up = None
        case.follow_up_requested_at = None
        fields += ["follow_up", "follow_up_requested_at"]
    case.save(update_fields=fields)
    _event(
        case,
        CaseEvent.Kind.REOPENED,
        timeline.REOPENED,
        user,
        reason.strip(),
        status=status,
        outcome=before["outcome"],
        closed_on=timezone.localdate(closed_at).isoformat(),
        penalty_amount=before["penalty_amount"],
        rectified_on=before["rectified_on"],
        **({"follow_up_cleared": str(cleared.uuid)} if cleared is not None else {}),
    )
    audit_record(
        actor=user,
        action=AuditEntry.Action.DECIDE,
        verb="case_reopen",
        obj=case,
        changes={
            "reason": reason.strip(),
            "status": status,
            "withdrawn": before,
            **({"follow_up_cleared": str(cleared.uuid)} if cleared is not None else {}),
        },
        request=request,
    )
    if case.company_id:
        task_enqueue(task_name="compliance.score_recompute", kwargs={"company_id": case.company_id})
    return case, True


# --- Scores ------------------------------------------------------------------------------------


@transaction.atomic
def company_score_compute(
    *, company: Company, now: dt.datetime | None = None, actor: Any = None
) -> ComplianceScore:
    """Compute and store ``company``'s score (formula: ``backend.compliance.scoring``), then
    update the risk score of every active site it operates or contracts."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    start = today - dt.timedelta(days=scoring.WINDOW_DAYS)
    since = now - dt.timedelta(days=scoring.WINDOW_DAYS)
    sites = Q(site__operator=company) | Q(site__contractor=company)
    inspections = (
        Inspection.objects.filter(
            sites, submissions__status=Submission.Status.ACCEPTED, submissions__received_at__gte=since
        )
        .distinct()
        .count()
    )
    findings = [
        scoring.ScoredFinding(severity=s, violation_code=v, inspection_id=i)
        for s, v, i in Finding.objects.filter(
            Q(inspection__site__operator=company) | Q(inspection__site__contractor=company),
            status=Finding.Status.OFFICIAL,
            submission__received_at__gte=since,
        ).values_list("severity", "violation_code", "inspection_id")
    ]
    cases = [
        scoring.ScoredCase(
            deadline=d, rectified_on=r, closed_on=timezone.localdate(closed) if closed else None
        )
        for d, r, closed in ComplianceCase.objects.filter(
            company=company, notice_issued_at__gte=since, deadline__isnull=False
        ).values_list("deadline", "rectified_on", "closed_at")
    ]
    result = scoring.compute_score(today=today, inspections=inspections, findings=findings, cases=cases)
    row = ComplianceScore.objects.create(
        company=company,
        computed_at=now,
        window_start=start,
        window_end=today,
        score=result.score,
        factors=result.factors,
    )
    for site in Site.objects.filter(Q(operator=company) | Q(contractor=company), is_active=True):
        _site_risk_update(site, actor=actor)
    return row


def _site_risk_update(site: Site, *, actor: Any) -> None:
    scored = []
    for company_id in _companies_of(site):
        latest = ComplianceScore.objects.filter(company_id=company_id).select_related("company").first()
        if latest is not None:
            scored.append(latest)
    if not scored:
        return
    worst = min(scored, key=lambda s: s.score)
    site_set_risk(
        actor=actor,
        site=site,
        score=scoring.risk_from_score(worst.score),
        factors={
            "source": "compliance",
            "formula": "risk = 100 - compliance score of the worst of operator and contractor",
            "companies": [
                {
                    "company": str(s.company.uuid),
                    "name": s.company.name_en,
                    "score": str(s.score),
                    "factors": s.factors,
                }
                for s in scored
            ],
        },
    )


# --- Referrals ---------------------------------------------------------------------------------

_NATIONALITY_BANDS = {
    "mainland_china": NationalityBand.MAINLAND_CHINA,
    "hong_kong": NationalityBand.HONG_KONG_MACAO,
    "macao": NationalityBand.HONG_KONG_MACAO,
    "philippines": NationalityBand.SOUTH_EAST_ASIA,
    "vietnam": NationalityBand.SOUTH_EAST_ASIA,
    "indonesia": NationalityBand.SOUTH_EAST_ASIA,
    "myanmar": NationalityBand.SOUTH_EAST_ASIA,
    "nepal": NationalityBand.SOUTH_ASIA,
    "other": NationalityBand.OTHER,
}


def _first_revision(submission: Submission) -> Submission:
    """The submission a chain of corrections started from: every revision names the same people."""
    seen = 0
    while submission.replaces_id is not None and seen < 1000:
        submission = submission.replaces
        seen += 1
    return submission


def referral_key(*, finding: Finding, submission: Submission) -> str:
    """One person of one screening: the screening's first revision and the person's entry.

    Phones send one screening per person, so every screening's person is ``persons[0]``: keyed by
    inspection and entry alone, each person after the first lost their referral to the first. A
    replay is the same submission and a correction keeps its first revision, so the same person is
    referred once, whatever arrives again."""
    template = submission.template_version.template.code
    first = _first_revision(submission)
    return f"{submission.inspection.uuid}:{template}:{first.uuid}:{finding.entry_path or finding.rule_code}"


def referrals_for_findings(
    *, submission: Submission, findings: Sequence[Finding], actor: Any
) -> list[Referral]:
    """The ingest hook: a potential victim flagged in the field is referred to protection at
    once, inside the ingest transaction (no submission, no referral), and the notification is
    queued through the outbox. A correction of the same submission moves the referral to its
    new finding instead of referring the person twice."""
    return referrals_for_submissions(items=[(submission, findings)], actor=actor)


def referrals_for_submissions(
    *, items: Sequence[tuple[Submission, Sequence[Finding]]], actor: Any
) -> list[Referral]:
    """``referrals_for_findings`` for many submissions at once (a phone's batch): the same rows,
    in a fixed number of statements whatever the number of submissions and of people."""
    flagged = [(s, f) for s, findings in items for f in findings if f.potential_victim]
    if not flagged:
        return []
    protection = agencies_by_code([PROTECTION_AGENCY]).get(PROTECTION_AGENCY)
    keys = {id(f): referral_key(finding=f, submission=s) for s, f in flagged}
    # Set-based: one read of the people already referred, one insert per table for the new ones,
    # whatever the number of people flagged. Only a correction can find its people referred: a
    # key names the first revision, which for a first submission is the one being stored now
    # (its id is unique, so no other request can have referred them).
    corrections = {keys[id(f)] for s, f in flagged if s.replaces_id is not None}
    existing = (
        {r.key: r for r in Referral.objects.select_for_update().filter(key__in=corrections)}
        if corrections
        else {}
    )
    out, new, pending = [], [], {}
    for submission, finding in flagged:
        # What the phone sent: ingest protects identifying answers before it stores them.
        answers = getattr(submission, "answers_received", None) or submission.answers or {}
        key = keys[id(finding)]
        if key in pending:  # two findings of one person: one referral, to the later finding
            pending[key].finding = finding
            continue
        referral = existing.get(key)
        if referral is not None:
            referral.finding = finding
            referral.save(update_fields=["finding"])
            out.append(referral)
            continue
        entry = entry_at(answers, finding.entry_path)
        indicators = sorted(
            k for k, v in entry.items() if k.startswith("fl_") and not k.endswith("_note") and v is True
        )
        age_band = entry.get("age_band") if entry.get("age_band") in AgeBand.values else AgeBand.UNKNOWN
        # A minor, an indicator that cannot wait, signs of violence (the referral's page says which).
        urgent = bool(immediate_reasons(entry))
        referral = Referral(
            key=key,
            finding=finding,
            referring_agency=finding.competent_agency,
            referred_to=protection,
            referred_to_code=PROTECTION_AGENCY,
            site=submission.inspection.site,
            observed_at=submission.received_at,
            # When the officer screened the person: the first revision's time on the phone (a
            # correction is the same screening, finished again later).
            screened_at=_first_revision(submission).device_submitted_at,
            language=str(answers.get("interview_language") or ""),
            interpreter_used=answers.get("interpreter_used")
            if isinstance(answers.get("interpreter_used"), bool)
            else None,
            urgency=Referral.Urgency.IMMEDIATE if urgent else Referral.Urgency.SAME_DAY,
            indicators=indicators,
            nationality_band=_NATIONALITY_BANDS.get(str(entry.get("nationality")), NationalityBand.UNKNOWN),
            sex=CodedSex.UNKNOWN,
            age_band=age_band,
            created_at=timezone.now(),
        )
        new.append((referral, str(entry.get("person_ref") or "")[:200]))
        pending[key] = referral
        out.append(referral)
    if not new:
        return out
    created = insert_many([r for r, _ref in new])
    insert_many(
        [
            VictimPersonalDetails(referral=r, field_reference=ref)
            for r, (_r, ref) in zip(created, new, strict=True)
        ]
    )
    audit_record_many(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        verb="referral_open",
        objs=created,
        changes=[{"urgency": r.urgency, "finding": str(r.finding.uuid)} for r in created],
    )
    task_enqueue_many(
        task_name="compliance.referral_notify",
        kwargs=[{"referral_id": str(referral.uuid)} for referral in created],
    )
    return out


def referral_notify(*, referral_uuid: str) -> Referral | None:
    """Tell the protection agency about a new referral (once). The message carries what
    protection needs and nothing that identifies the person. Mails go to
    settings.REFERRAL_NOTIFY_EMAILS when set; the time of notice is recorded either way."""
    from django.conf import settings
    from django.core.mail import send_mail

    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update().select_related("site").filter(uuid=referral_uuid).first()
        )
        if referral is None or referral.notified_at is not None:
            return referral
        recipients = list(getattr(settings, "REFERRAL_NOTIFY_EMAILS", []) or [])
        if recipients:
            send_mail(
                subject=f"[{referral.get_urgency_display()}] referral {referral.short_ref}",
                message=(
                    f"Referral {referral.short_ref} ({referral.uuid})\n"
                    f"Where: {referral.site.name_en}, {referral.site.address}\n"
                    f"Screened: {timezone.localtime(referral.screened_at):%Y-%m-%d %H:%M}"
                    f" (received {timezone.localtime(referral.observed_at):%Y-%m-%d %H:%M})\n"
                    f"Language: {referral.language or '-'}\nUrgency: {referral.urgency}\n"
                ),
                from_email=None,
                recipient_list=recipients,
            )
        referral.notified_at = timezone.now()
        referral.save(update_fields=["notified_at"])
        audit_record(
            actor=None,
            action=AuditEntry.Action.OTHER,
            verb="referral_notify",
            obj=referral,
            changes={"recipients": len(recipients)},
        )
    return referral


_DETAIL_FIELDS = ("full_name", "date_of_birth", "nationality", "travel_document", "contact", "notes")


def victim_details_changes(*, details: VictimPersonalDetails, fields: dict[str, Any]) -> list[str]:
    """The names of the fields whose value ``fields`` would change (none: nothing to record)."""
    return sorted(k for k, v in fields.items() if getattr(details, k) != v)


@transaction.atomic
def victim_details_record(
    *, user: Any, details: VictimPersonalDetails, request: Any = None, **fields: Any
) -> VictimPersonalDetails:
    """The victim-protection officer records what the person tells them. The audit entry names
    the fields changed, never their values; a form that changes nothing writes nothing."""
    _require_role(user, Role.VICTIM_PROTECTION)
    unknown = set(fields) - set(_DETAIL_FIELDS)
    if unknown:
        raise InvalidInput(errors={k: [str(_("Unknown field."))] for k in sorted(unknown)})
    changed = victim_details_changes(details=details, fields=fields)
    if not changed:
        return details  # nothing to save, and no change to audit
    for k, v in fields.items():
        setattr(details, k, v)
    _full_clean(details, exclude=["referral"])
    details.save()
    audit_record(
        actor=user,
        action=AuditEntry.Action.UPDATE,
        verb="victim_details_record",
        obj=details.referral,
        object_type="compliance.victimpersonaldetails",
        changes={"fields": changed},
        request=request,
    )
    return details


class AssessmentPending(InvalidInput):
    code = "assessment_pending"
    title = _("The assessment's outcome is not recorded yet.")


class ReferralAlreadyTaken(InvalidInput):
    code = "referral_already_taken"
    title = _("A referral once taken by victim protection is not new again.")


_ALREADY_TAKEN = _(
    "This referral was already taken by victim protection: it cannot be new again. To reopen a "
    'closed referral, choose "acknowledged by protection" or "assessed".'
)


# The statuses that say the assessment is done, with what the officer is told when it is not.
_NEEDS_ASSESSMENT = {
    Referral.Status.ASSESSED: _(
        "Choose the assessment's outcome (identified, not identified or undetermined) before "
        "marking the referral assessed: it is still pending."
    ),
    Referral.Status.CLOSED: _(
        "Choose the assessment's outcome (identified, not identified or undetermined) before "
        "closing the referral: it is still pending."
    ),
}


@transaction.atomic
def referral_update(
    *,
    user: Any,
    referral: Referral,
    status: str | None = None,
    assessment: str | None = None,
    sex: str | None = None,
    request: Any = None,
) -> Referral:
    """The victim-protection officer advances a referral and completes its coded fields.

    A referral is marked assessed or closed only with the assessment's outcome: closed while
    "pending" it would leave the person's assessment unrecorded for good (and start the
    retention of their details), so that change is refused and nothing is saved."""
    _require_role(user, Role.VICTIM_PROTECTION)
    fields = {
        k: v for k, v in {"status": status, "assessment": assessment, "sex": sex}.items() if v is not None
    }
    changes = {k: [getattr(referral, k), v] for k, v in fields.items() if getattr(referral, k) != v}
    status_after = fields.get("status", referral.status)
    if "status" in changes and status_after == Referral.Status.NEW:
        # "New" says victim protection has not taken the referral yet: the protection home counts
        # it as waiting, and it is what the referring agency's escalation reads. A referral that
        # was acknowledged (or closed: reopened, it goes back to acknowledged or assessed) keeps
        # that fact.
        raise ReferralAlreadyTaken(errors={"status": [str(_ALREADY_TAKEN)]})
    if (
        ("status" in changes or "assessment" in changes)
        and status_after in _NEEDS_ASSESSMENT
        and fields.get("assessment", referral.assessment) == Referral.Assessment.PENDING
    ):
        raise AssessmentPending(errors={"assessment": [str(_NEEDS_ASSESSMENT[status_after])]})
    for k, v in fields.items():
        setattr(referral, k, v)
    if "status" in changes:
        # The retention period of the person's details runs from the closing (backend.privacy).
        referral.closed_at = timezone.now() if referral.status == Referral.Status.CLOSED else None
        fields["closed_at"] = referral.closed_at
    _full_clean(referral, exclude=["key", "finding", "site", "referring_agency", "referred_to"])
    referral.save(update_fields=list(fields) or None)
    audit_record(
        actor=user,
        action=AuditEntry.Action.UPDATE,
        verb="referral_update",
        obj=referral,
        changes=changes,
        request=request,
    )
    return referral


class ReferralClosed(Conflict):
    code = "referral_closed"
    title = _("The referral is closed.")


REFERRAL_CLOSED_NO_SERVICE = _(
    "This referral is closed: a service is recorded on an open referral. To record one, reopen it "
    "first: set its status to “acknowledged by protection” or “assessed”."
)


@transaction.atomic
def protection_service_record(
    *,
    user: Any,
    referral: Referral,
    kind: str,
    provider_kind: str,
    provider_name: str,
    started_on: dt.date,
    ended_on: dt.date | None = None,
    note: str = "",
    request: Any = None,
) -> ProtectionService:
    """A service given to a referred person. One that says exactly what a service already on the
    file says (the form sent twice: a double click, a second tab) is that service, not another.

    Only on a referral still open: a closed one has its retention period running, and a service
    recorded on it would be work on a file protection said was done. To record one, reopen the
    referral first (``referral_update`` to acknowledged or assessed), which stops that period."""
    _require_role(user, Role.VICTIM_PROTECTION)
    if ended_on is not None and ended_on < started_on:
        raise InvalidInput(errors={"ended_on": [str(_("The end comes before the start."))]})
    locked = Referral.objects.select_for_update().only("pk", "status").get(pk=referral.pk)  # one waits
    if locked.status == Referral.Status.CLOSED:
        raise ReferralClosed(str(REFERRAL_CLOSED_NO_SERVICE))
    # The provider and the note are encrypted at rest (a new nonce each time): compared as read.
    alike = ProtectionService.objects.filter(
        referral=referral, kind=kind, provider_kind=provider_kind, started_on=started_on, ended_on=ended_on
    )
    for same in alike:
        if (same.provider_name, same.note) == (provider_name.strip(), note.strip()):
            return same
    row = ProtectionService(
        referral=referral,
        kind=kind,
        provider_kind=provider_kind,
        provider_name=provider_name.strip(),
        started_on=started_on,
        ended_on=ended_on,
        note=note.strip(),
        recorded_by=user,
        recorded_at=timezone.now(),
    )
    _full_clean(row, exclude=["referral", "recorded_by", "uuid"])
    row.save()
    audit_record(
        actor=user,
        action=AuditEntry.Action.CREATE,
        verb="protection_service_record",
        obj=row,
        request=request,
    )
    return row


@transaction.atomic
def prosecution_record(
    *,
    user: Any,
    kind: str,
    offence: str,
    on: dt.date,
    file_reference: str,
    case: ComplianceCase | None = None,
    referral: Referral | None = None,
    defendants: int = 1,
    note: str = "",
    request: Any = None,
) -> ProsecutionRecord:
    """Record a transfer to the prosecutors, a prosecution or a judgment, for the user's agency."""
    officer = _officer_of(user)
    _require_role(user, Role.REVIEWER)
    if on > _today():
        raise InvalidInput(errors={"on": [str(_("This date is in the future."))]})
    mine = ProsecutionRecord.objects.filter(agency_id=officer.agency_id)  # another's files stay unknown
    if mine.filter(file_reference=file_reference.strip(), kind=kind).exists():
        raise Conflict(str(_("This step is already recorded for this file.")), errors={"kind": [kind]})
    row = ProsecutionRecord(
        kind=kind,
        offence=offence,
        on=on,
        agency_id=officer.agency_id,
        file_reference=file_reference.strip(),
        case=case,
        referral=referral,
        defendants=defendants,
        note=note.strip(),
        recorded_by=user,
        recorded_at=timezone.now(),
    )
    _full_clean(row, exclude=["agency", "recorded_by", "case", "referral", "uuid"])
    row.save()
    audit_record(
        actor=user, action=AuditEntry.Action.CREATE, verb="prosecution_record", obj=row, request=request
    )
    return row
