"""The labour bureau's pages: the compliance register of employment agencies and contractors,
a company's profile (score and its factors, score history, inspections, repeat violations,
cases), the cases with their deadlines, and a case's page with its timeline, notice, follow-up
and outcome."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.checklists.services import parsed_definition
from backend.compliance import selectors, services, timeline
from backend.compliance.models import LANGUAGE_KEYS, ComplianceCase, Severity, Violation, short_reference
from backend.compliance.notice import notice_render_html, notice_render_pdf
from backend.compliance.pages.answers import entry_label
from backend.compliance.pages.common import found, refusal, refusal_on_fields, way_back
from backend.compliance.pages.forms import (
    CaseCommentForm,
    CaseFilterForm,
    CaseNoticeForm,
    CaseOutcomeForm,
    CaseReopenForm,
    RegisterFilterForm,
)
from backend.console.access import console_page
from backend.core.errors import DomainError
from backend.core.i18n import language_key, list_separator
from backend.planning.models import DueWork

COMPLIANCE = ("reviewer",)
PAGE_SIZE = 50
# A company's page lists its latest scores and first cases, not all of them: a score is computed
# at every decision, so a contractor inspected weekly on many sites had a thousand in a year, and
# its page rendered each in the chart and its table (168 KB, 0.6 s at a year of a city).
SCORES_SHOWN = 100
CASES_SHOWN = 50
LANGUAGE_NAMES = {"en": "English", "zh-hant": "繁體中文", "pt": "Português"}


def _severity_counts(findings: dict[str, int]) -> list[dict[str, str]]:
    """The score's official findings by severity, each a chip's words ("high: 2"), every
    severity named, none found included, the least severe first."""
    return [
        {
            "severity": code,
            "label": _("%(severity)s: %(n)s")
            % {"severity": label, "n": formats.localize(findings.get(code, 0))},
        }
        for code, label in Severity.choices
    ]


def _factors(factors: dict[str, Any] | None) -> dict[str, Any]:
    """The score's factors as the page shows them (the formula's own names beside each)."""
    f = factors or {}
    return {
        "inspections": f.get("inspections", 0),
        "findings": f.get("findings", {}),
        "F": f.get("F", "0"),
        "R": f.get("R", 0),
        "T": f.get("T", 0),
        "repeat_violations": f.get("repeat_violations", []),
        "cases_with_notice": f.get("cases_with_notice", 0),
    }


@console_page(*COMPLIANCE)
def register(request: HttpRequest) -> HttpResponse:
    form = RegisterFilterForm(request.GET or None)
    form.is_valid()
    values = getattr(form, "cleaned_data", {})  # a refused filter shows its error; the rest apply
    companies = selectors.company_register(
        user=request.user,
        kind=values.get("kind", ""),
        query=values.get("q", ""),
        open_cases=values.get("open_cases", False),
    )
    page = Paginator(companies, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for company in rows:
        company.factor_view = _factors(company.current_factors)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "compliance/console/register.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
        status=400 if form.errors else 200,
    )


@console_page(*COMPLIANCE)
def company(request: HttpRequest, company_id: str) -> HttpResponse:
    company, history = found(selectors.company_score_history, user=request.user, company_uuid=company_id)
    scores = list(history.order_by("-computed_at", "-pk")[:SCORES_SHOWN])
    scores_total = history.count() if len(scores) == SCORES_SHOWN else len(scores)
    scores.reverse()
    latest = scores[-1] if scores else None
    catalogue = {v.code: v for v in Violation.objects.all()}
    repeats = [
        {"code": code, "title": catalogue[code].title if code in catalogue else ""}
        for code in (_factors(latest.factors)["repeat_violations"] if latest else [])
    ]
    # A score is computed again at each decision: several on one day are told apart by their
    # time, where a date alone put the same label under each point.
    days = [timezone.localtime(s.computed_at).date() for s in scores]
    per_day = Counter(days)
    chart = {
        "labels": [
            formats.date_format(
                timezone.localtime(s.computed_at),
                "SHORT_DATETIME_FORMAT" if per_day[day] > 1 else "SHORT_DATE_FORMAT",
            )
            for s, day in zip(scores, days, strict=True)
        ],
        "values": [float(s.score) for s in scores],
        "label": _("Compliance score"),
    }
    inspections = list(selectors.company_inspections(user=request.user, company=company)[:50])
    today = timezone.localdate()
    cases_qs = selectors.company_cases(user=request.user, company=company)
    company_cases = list(cases_qs[:CASES_SHOWN])
    cases_total = cases_qs.count() if len(company_cases) == CASES_SHOWN else len(company_cases)
    for row in company_cases:
        row.overdue = row.is_overdue(today)
    # The way back is where the reader came from when the link said so (a case's page), else
    # the register: a reviewer who opened the company from a case went back to the register.
    back = way_back(request, default="compliance_console:register")
    back_link = (
        {"url": back[0], "label": _("Case %(ref)s") % {"ref": short_reference(back[1].kwargs["case_id"])}}
        if back
        else {"url": reverse("compliance_console:register"), "label": _("Compliance register")}
    )
    return render(
        request,
        "compliance/console/company.html",
        {
            "company": company,
            "back": back_link,
            "scores": list(reversed(scores)),
            "scores_total": scores_total,
            "latest": latest,
            "factors": _factors(latest.factors) if latest else None,
            "severity_counts": _severity_counts(_factors(latest.factors)["findings"]) if latest else [],
            "repeats": repeats,
            "chart": chart,
            "inspections": inspections,
            "cases": company_cases,
            "cases_total": cases_total,
        },
    )


@console_page(*COMPLIANCE)
def cases(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    answer = 400 if form.errors else 200
    closed = status == ComplianceCase.Status.CLOSED
    qs = (selectors.case_list if closed else selectors.case_list_by_urgency)(user=request.user)
    qs = qs.filter(status=status) if status else qs.exclude(status=ComplianceCase.Status.CLOSED)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = list(page.object_list)
    for row in rows:
        row.overdue = row.is_overdue(today)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "compliance/console/cases.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
        },
        status=answer,
    )


def _carried_in_words(items: list[dict[str, Any]], findings: list[Any]) -> list[dict[str, Any]]:
    """The items a follow-up re-checks as a reviewer reads them: the finding's title, the entry
    as the answers name it ("Worker 4") and the checklist's title, where the items themselves
    hold the checklist's codes (the planners' due work carries those)."""
    by_uuid = {str(f.uuid): f for f in findings}
    lang = language_key()
    out = []
    for item in items:
        finding = by_uuid.get(item["finding"])
        version = finding.submission.template_version if finding else None
        entry = item["entry_path"]
        if version is not None and entry:
            entry = entry_label(parsed_definition(version), entry, lang)
        out.append(
            {
                **item,
                "title": finding.display_title if finding else item["rule_code"],
                "entry": entry,
                "checklist": version.template.title if version else item["template"],
            }
        )
    return out


def _case_context(request: HttpRequest, case: ComplianceCase, **extra: Any) -> dict[str, Any]:
    findings = list(
        case.findings.select_related("inspection__site", "submission__template_version__template").order_by(
            "violation_code", "pk"
        )
    )
    catalogue = {v.code: v for v in Violation.objects.filter(code__in={f.violation_code for f in findings})}
    for f in findings:
        f.violation = catalogue.get(f.violation_code)
        f.legal_basis_text = f.violation.legal_basis_in(None) if f.violation else f.legal_basis
        f.legal_basis_verified = f.violation.legal_basis_verified if f.violation else False
    today = timezone.localdate()
    context = {
        "case": case,
        "findings": findings,
        "timeline": list(selectors.case_timeline(case=case)),
        "carry_items": _carried_in_words(services.carry_items_for(case), findings),
        "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGE_KEYS],
        "overdue": case.is_overdue(today),
        "days_left": case.days_left(today),
        # "20,000.00 MOP", "20.000,00 MOP", "20,000.00 澳門元": as the timeline words the penalty.
        "penalty": _("%(amount)s MOP") % {"amount": timeline.money(case.penalty_amount)}
        if case.penalty_amount is not None
        else "",
        # The findings whose legal basis would make issuing the notice refused (case_notice_issue):
        # said beside the notice instead of a button that asked to confirm, then refused.
        "notice_unverified": list_separator().join(
            sorted({f.violation_code for f in findings if not f.legal_basis_verified})
        ),
        "comment_form": CaseCommentForm(),
        "notice_form": CaseNoticeForm(),
        "outcome_form": CaseOutcomeForm(case=case),
        "reopen_form": CaseReopenForm(),
        "errors": [],
    }
    context.update(extra)
    return context


@console_page(*COMPLIANCE)
def case(request: HttpRequest, case_id: str) -> HttpResponse:
    case = found(selectors.case_get, user=request.user, uuid=case_id)
    return render(request, "compliance/console/case.html", _case_context(request, case))


def _case_done(request: HttpRequest, case: ComplianceCase, announce: str) -> HttpResponse:
    case = found(selectors.case_get, user=request.user, uuid=case.uuid)
    if getattr(request, "htmx", False):
        return render(
            request, "compliance/console/_case_work.html", _case_context(request, case, announce=announce)
        )
    messages.success(request, announce)
    return redirect("compliance_console:case", case_id=case.uuid)


def _case_refused(request: HttpRequest, case: ComplianceCase, status: int, **extra: Any) -> HttpResponse:
    template = (
        "compliance/console/_case_work.html"
        if getattr(request, "htmx", False)
        else "compliance/console/case.html"
    )
    return render(request, template, _case_context(request, case, **extra), status=status)


@console_page(*COMPLIANCE)
@require_POST
def case_notice_issue(request: HttpRequest, case_id: str) -> HttpResponse:
    case = found(selectors.case_get, user=request.user, uuid=case_id)
    form = CaseNoticeForm(request.POST)
    if not form.is_valid():
        return _case_refused(request, case, 400, notice_form=form)
    try:
        case = services.case_notice_issue(
            user=request.user, case=case, reason=form.cleaned_data["reason"], request=request
        )
    except DomainError as exc:
        return _case_refused(request, case, exc.status, notice_form=form, errors=refusal_on_fields(form, exc))
    return _case_done(
        request,
        case,
        _("Notice issued: rectify by %(date)s.")
        % {"date": formats.date_format(case.deadline, "DATE_FORMAT")},
    )


@console_page(*COMPLIANCE)
@require_POST
def case_comment(request: HttpRequest, case_id: str) -> HttpResponse:
    case = found(selectors.case_get, user=request.user, uuid=case_id)
    form = CaseCommentForm(request.POST)
    if not form.is_valid():
        return _case_refused(request, case, 400, comment_form=form)
    try:
        services.case_comment(user=request.user, case=case, text=form.cleaned_data["text"], request=request)
    except DomainError as exc:
        return _case_refused(
            request, case, exc.status, comment_form=form, errors=refusal_on_fields(form, exc)
        )
    return _case_done(request, case, _("Comment added to the timeline."))


@console_page(*COMPLIANCE)
@require_POST
def case_follow_up(request: HttpRequest, case_id: str) -> HttpResponse:
    case = found(selectors.case_get, user=request.user, uuid=case_id)
    try:
        services.case_follow_up_order(user=request.user, case=case)
    except DomainError as exc:
        return _case_refused(request, case, exc.status, errors=refusal(exc))
    return _case_done(request, case, _("Follow-up inspection requested from the planners."))


@console_page(*COMPLIANCE)
@require_POST
def case_outcome(request: HttpRequest, case_id: str) -> HttpResponse:
    case = found(selectors.case_get, user=request.user, uuid=case_id)
    form = CaseOutcomeForm(request.POST, case=case)
    if not form.is_valid():
        return _case_refused(request, case, 400, outcome_form=form)
    data = form.cleaned_data
    amount: Decimal | None = data["penalty_amount"]
    rectified_on: dt.date | None = data["rectified_on"]
    # As it stood before the decision, which withdraws a follow-up not yet planned.
    withdraws_follow_up = case.follow_up is not None and case.follow_up.status == DueWork.Status.OPEN
    try:
        services.case_decide(
            user=request.user,
            case=case,
            outcome=data["outcome"],
            reason=data["reason"],
            penalty_amount=amount,
            rectified_on=rectified_on,
            before_deadline=data.get("before_deadline", False),
            request=request,
        )
    except DomainError as exc:
        if exc.errors and "before_deadline" in exc.errors and "before_deadline" in form.fields:
            # The service's refusal names the API's member; the page names the box to tick.
            exc.errors["before_deadline"] = [form.before_deadline_refusal]
        return _case_refused(
            request, case, exc.status, outcome_form=form, errors=refusal_on_fields(form, exc)
        )
    if withdraws_follow_up:
        return _case_done(
            request, case, _("Outcome recorded; the case is closed and its follow-up request withdrawn.")
        )
    return _case_done(request, case, _("Outcome recorded; the case is closed."))


@console_page(*COMPLIANCE)
@require_POST
def case_reopen(request: HttpRequest, case_id: str) -> HttpResponse:
    """Reopen a closed case with the reason. Sent twice (a double click, a second tab), the second
    finds it open and says so; nothing is written twice."""
    case = found(selectors.case_get, user=request.user, uuid=case_id)
    form = CaseReopenForm(request.POST)
    if not form.is_valid():
        return _case_refused(request, case, 400, reopen_form=form)
    try:
        case, reopened = services.case_reopen(
            user=request.user, case=case, reason=form.cleaned_data["reason"], request=request
        )
    except DomainError as exc:
        return _case_refused(request, case, exc.status, reopen_form=form, errors=refusal_on_fields(form, exc))
    if not reopened:
        return _case_done(request, case, _("The case is already open: nothing was changed."))
    return _case_done(
        request,
        case,
        _("Case reopened: its outcome is withdrawn and it is back to “%(status)s”.")
        % {"status": case.get_status_display()},
    )


# The notice's two downloads: the PDF is the document served on the company, the HTML the same
# text to edit or print. One view serves both, so their access rules and answers cannot drift.
NOTICE_FORMATS = {
    "html": (notice_render_html, "text/html; charset=utf-8"),
    "pdf": (notice_render_pdf, "application/pdf"),
}


@console_page(*COMPLIANCE)
def case_notice(request: HttpRequest, case_id: str, lang: str, fmt: str) -> HttpResponse:
    """The notice, rendered by the notice renderer in the language asked, as a file to keep:
    ``fmt`` is ``html`` or ``pdf`` (set by the URL, never by the user)."""
    case = found(selectors.case_get, user=request.user, uuid=case_id)
    if lang not in LANGUAGE_KEYS:
        raise Http404
    notice_render, content_type = NOTICE_FORMATS[fmt]
    try:
        body = notice_render(case, lang)
    except DomainError as exc:  # e.g. no Chinese font for the PDF: said on the case's page
        return _case_refused(request, case, exc.status, errors=refusal(exc))
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="notice-{case.short_ref}-{lang}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
