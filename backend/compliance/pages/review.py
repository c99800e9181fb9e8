"""The reviewer's pages: the queue (table or map, filters, bulk approval of what nothing flags)
and one submission as the officer answered it, with its decision, its findings and history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from backend.checklists.services import parsed_definition
from backend.compliance import selectors, services
from backend.compliance.models import Violation
from backend.compliance.pages.answers import entry_label, evidence_paths, present
from backend.compliance.pages.common import found, page_or_partial, refusal_on_fields
from backend.compliance.pages.forms import ApproveForm, CaseOpenForm, QueueFilterForm, ReturnForm
from backend.console.access import console_page
from backend.console.nav import HomeNote
from backend.core.access import principal_for
from backend.core.errors import DomainError
from backend.core.i18n import language_key
from backend.inspections.models import Finding
from backend.registry.models import Agency, Role

REVIEWERS = ("reviewer", "team_leader")
PAGE_SIZE = 25  # a reviewer works down the list; 25 rows keep the page well under 200 ms


def home_notes(user: Any) -> list[HomeNote]:
    """On a reviewer's or team leader's home page: how many submissions wait for their agency's
    decision, a link to the queue. Counted by the queue's own selector (its default, awaiting), so
    the count is the queue's and nobody is told of submissions they may not review."""
    waiting = selectors.review_board(user=user).count()
    if not waiting:
        return [HomeNote(text=_("No submission waiting for your review."))]
    return [
        HomeNote(
            text=ngettext(
                "%(n)s submission waiting for your review",
                "%(n)s submissions waiting for your review",
                waiting,
            )
            % {"n": waiting},
            url=reverse("compliance_console:review-queue"),
        )
    ]


def _filters(request: HttpRequest) -> tuple[QueueFilterForm, dict[str, Any]]:
    form = QueueFilterForm(
        request.GET or None,
        agencies=Agency.objects.order_by("code"),
        operations=selectors.review_board_operations(user=request.user),
    )
    form.is_valid()
    # A filter the form refuses is shown with its error; the others still apply (dropping them
    # all would show a reviewer the whole queue as if it were what they asked for).
    data = getattr(form, "cleaned_data", {})
    values: dict[str, Any] = {
        "state": data.get("state") or "awaiting",
        "agency_code": data.get("agency", ""),
        "operation_uuid": data.get("operation") or None,
        "site_kind": data.get("site_kind", ""),
        "severity": data.get("severity", ""),
        "received_from": data.get("received_from"),
        "received_to": data.get("received_to"),
    }
    return form, values


@console_page(*REVIEWERS)
def review_queue(request: HttpRequest) -> HttpResponse:
    form, values = _filters(request)
    board = selectors.review_board(user=request.user, **values)
    page = Paginator(board, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    points = [
        {
            "id": str(s.uuid),
            "lat": float(s.inspection.site.latitude),
            "lng": float(s.inspection.site.longitude),
            "label": s.inspection.site.name,
            "url": reverse("compliance_console:review-submission", args=[s.uuid]),
            "flagged": s.flagged,
            "n": index,
        }
        for index, s in enumerate(rows, start=page.start_index())
    ]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "points": points,
        "state": values["state"],
        "query": request.GET.urlencode(),
        "bulk": values["state"] == "awaiting",
        # Boxes to tick, and the button, only where a row on this page can be approved in bulk.
        "choosable": values["state"] == "awaiting" and any(not s.flagged for s in rows),
        # Said again in the results, which are all an htmx filter swaps in.
        "errors": [f"{form[name].label}: {error}" for name, errs in form.errors.items() for error in errs],
    }
    return page_or_partial(
        request,
        "compliance/console/review_queue.html",
        "compliance/console/_queue_results.html",
        context,
        status=400 if form.errors else 200,
    )


@console_page(*REVIEWERS)
@require_POST
def review_bulk_approve(request: HttpRequest) -> HttpResponse:
    """Approve the chosen submissions that nothing flags; the others stay in the queue."""
    chosen = request.POST.getlist("submission")
    back = reverse("compliance_console:review-queue") + _back_query(request)
    if not chosen:
        messages.warning(request, _("Nothing was approved: tick the submissions to approve first."))
        return redirect(back)
    approvable = list(selectors.review_bulk_approvable(user=request.user, uuids=_uuids(chosen)))
    done = 0
    for submission in approvable:  # each its own decision: one decided meanwhile holds up no other
        try:
            services.submission_approve(user=request.user, submission=submission, request=request)
        except DomainError:
            continue
        done += 1
    skipped = len(chosen) - done
    if done:
        messages.success(
            request, ngettext("%(n)d submission approved.", "%(n)d submissions approved.", done) % {"n": done}
        )
    if skipped:
        messages.warning(
            request,
            ngettext(
                "%(n)d chosen submission is flagged or already decided: open it to review it.",
                "%(n)d chosen submissions are flagged or already decided: open them to review them.",
                skipped,
            )
            % {"n": skipped},
        )
    return redirect(back)


def _uuids(values: list[str]) -> list[str]:
    import uuid

    out = []
    for value in values[:500]:
        try:
            out.append(str(uuid.UUID(value)))
        except ValueError:
            continue
    return out


def _back_query(request: HttpRequest) -> str:
    query = request.POST.get("query", "")
    return f"?{query}" if query and "\n" not in query else ""


def _submission_context(
    request: HttpRequest, submission: Any, *, rejecting: Sequence[str] = (), **extra: Any
) -> dict[str, Any]:
    """``rejecting``: the findings the reviewer marked Reject in a refused approval."""
    user = request.user
    findings = list(
        selectors.review_findings(user=user, submission=submission)
        .prefetch_related("compliance_cases")
        .order_by("pk")
    )
    catalogue = {v.code: v for v in Violation.objects.filter(code__in={f.violation_code for f in findings})}
    for f in findings:
        f.violation = catalogue.get(f.violation_code)
        f.case = next(iter(f.compliance_cases.all()), None)
        f.rejecting = str(f.uuid) in rejecting
        f.legal_basis_text = f.violation.legal_basis_in(None) if f.violation else f.legal_basis
        f.legal_basis_verified = f.violation.legal_basis_verified if f.violation else False
    reviews = list(selectors.review_list(user=user, submission=submission))
    principal = principal_for(user)
    mine = next((r for r in reviews if r.agency_id == principal.agency_id), None)
    openable = [f for f in findings if f.status == Finding.Status.OFFICIAL and f.case is None]
    attachments = {a.name: a for a in selectors.review_attachments(submission=submission)}
    definition = parsed_definition(submission.template_version)
    lang = language_key()
    for f in findings:  # which entry the finding is about, as the answers below name it
        f.entry_label = entry_label(definition, f.entry_path, lang) if f.entry_path else ""
    blocks = present(definition, submission.answers, evidence_paths(findings))
    photos: dict[str, dict[str, str]] = {}
    for block in blocks:
        for answer in block.answers:
            answer.photo_items = [
                {
                    "name": name,
                    "url": reverse("review-attachment", args=[submission.uuid, name])
                    if name in attachments and attachments[name].received_at
                    else "",
                    "label": answer.label,
                    "signature": answer.kind == "signature",
                }
                for name in answer.photos
            ]
            for item in answer.photo_items:
                if item["url"]:
                    photos.setdefault(item["name"], item)
    context = {
        "submission": submission,
        "inspection": submission.inspection,
        "findings": findings,
        "drafts": [f for f in findings if f.status == Finding.Status.DRAFT],
        "reviews": reviews,
        "my_review": mine,
        "decidable": mine is None and submission.status == submission.Status.ACCEPTED,
        "openable": openable,
        "may_open_cases": principal.has_role(Role.REVIEWER) and bool(openable),
        "check_ins": list(selectors.review_check_ins(submission=submission)),
        "blocks": blocks,
        "photos": list(photos.values()),
        "revisions": selectors.review_revisions(submission=submission),
        "approve_form": ApproveForm(),
        "return_form": ReturnForm(),
        "case_form": CaseOpenForm(),
        "errors": [],
    }
    context.update(extra)
    # The days an empty deadline gives, under it: ticked are those the form ticks (verified basis).
    ticked = [f for f in openable if f.legal_basis_verified]
    context["case_form"].explain_default(findings=openable, ticked=ticked)
    return context


@console_page(*REVIEWERS)
def review_submission(request: HttpRequest, submission_id: str) -> HttpResponse:
    submission = found(selectors.review_submission_get, user=request.user, uuid=submission_id)
    return render(
        request, "compliance/console/review_submission.html", _submission_context(request, submission)
    )


def _work(request: HttpRequest, submission: Any, *, status: int = 200, **extra: Any) -> HttpResponse:
    if getattr(request, "htmx", False):
        return render(
            request,
            "compliance/console/_review_work.html",
            _submission_context(request, submission, **extra),
            status=status,
        )
    if status >= 400:
        return render(
            request,
            "compliance/console/review_submission.html",
            _submission_context(request, submission, **extra),
            status=status,
        )
    if extra.get("announce"):
        messages.success(request, extra["announce"])
    return redirect("compliance_console:review-submission", submission_id=submission.uuid)


@console_page(*REVIEWERS)
@require_POST
def review_approve(request: HttpRequest, submission_id: str) -> HttpResponse:
    submission = found(selectors.review_submission_get, user=request.user, uuid=submission_id)
    form = ApproveForm(request.POST)
    reject = _uuids(
        [
            k.removeprefix("finding-")
            for k, v in request.POST.items()
            if k.startswith("finding-") and v == "reject"
        ]
    )
    # A refusal shows the form again as the reviewer left it: a finding marked Reject that came
    # back as Accept would be made official by the next click.
    if not form.is_valid():
        return _work(request, submission, status=400, approve_form=form, rejecting=reject)
    try:
        services.submission_approve(
            user=request.user,
            submission=submission,
            comment=form.cleaned_data["comment"],
            reject=reject,
            request=request,
        )
    except DomainError as exc:
        return _work(
            request,
            submission,
            status=exc.status,
            approve_form=form,
            errors=refusal_on_fields(form, exc),
            rejecting=reject,
        )
    return _work(request, submission, announce=_("Approved. The findings you accepted are official."))


@console_page(*REVIEWERS)
@require_POST
def review_return(request: HttpRequest, submission_id: str) -> HttpResponse:
    submission = found(selectors.review_submission_get, user=request.user, uuid=submission_id)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _work(request, submission, status=400, return_form=form)
    try:
        services.submission_return(
            user=request.user, submission=submission, comment=form.cleaned_data["comment"], request=request
        )
    except DomainError as exc:
        return _work(
            request, submission, status=exc.status, return_form=form, errors=refusal_on_fields(form, exc)
        )
    return _work(request, submission, announce=_("Returned to the officer with your comment."))


@console_page("reviewer")
@require_POST
def review_case_open(request: HttpRequest, submission_id: str) -> HttpResponse:
    """Open a compliance case from the official findings chosen on the submission's page."""
    submission = found(selectors.review_submission_get, user=request.user, uuid=submission_id)
    form = CaseOpenForm(request.POST)
    if not form.is_valid():
        return _work(request, submission, status=400, case_form=form)
    wanted = _uuids(request.POST.getlist("finding"))
    chosen = list(
        selectors.review_findings(user=request.user, submission=submission)
        .filter(uuid__in=wanted)
        .select_related("inspection__site")
    )
    if not chosen:
        return _work(
            request,
            submission,
            status=400,
            case_form=form,
            errors=[_("Choose at least one official finding.")],
        )
    try:
        case = services.case_open(
            user=request.user,
            findings=chosen,
            reason=form.cleaned_data["reason"],
            corrective_days=form.cleaned_data["corrective_days"],
            request=request,
        )
    except DomainError as exc:
        return _work(
            request, submission, status=exc.status, case_form=form, errors=refusal_on_fields(form, exc)
        )
    target = reverse("compliance_console:case", args=[case.uuid])
    messages.success(request, _("Case %(ref)s opened.") % {"ref": case.short_ref})
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)
