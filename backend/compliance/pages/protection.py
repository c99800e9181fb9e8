"""Victim protection's pages: the referrals queue, a referral with its coded fields and the
protection services given, and the person's details behind an explicit "Show" that is
audited each time (``selectors.victim_details_get``). The victim-protection role alone opens
them: for anyone else they do not exist."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from backend.checklists.engine.schema import Definition
from backend.checklists.services import parsed_definition
from backend.compliance import selectors, services, urgency
from backend.compliance.models import Referral
from backend.compliance.pages.answers import entry_coded_answers, entry_label, option_label, question_label
from backend.compliance.pages.common import found, refusal
from backend.compliance.pages.forms import PersonForm, ReferralFilterForm, ReferralUpdateForm, ServiceForm
from backend.console.access import console_page
from backend.console.nav import HomeNote
from backend.core.errors import DomainError
from backend.core.i18n import cjk_tight, language_key, sentence_separator
from backend.inspections.models import Submission
from backend.privacy.reasons import ReadReason, ReasonForm
from backend.privacy.services import screened_person_for

PROTECTION = ("victim_protection",)
PAGE_SIZE = 50
NOT_SAVED = gettext_lazy("Nothing was saved: correct the fields marked.")
# Why a referral is immediate (``urgency.immediate_reasons``), in words.
IMMEDIATE_BECAUSE = {
    urgency.MINOR_BY_AGE_BAND: gettext_lazy("The person is under 18 (the age recorded)."),
    urgency.APPARENT_MINOR: gettext_lazy("The person appears to be under 18."),
    "fl_03": gettext_lazy("Restriction of movement (FL-03)."),
    "fl_05": gettext_lazy("Physical or sexual violence (FL-05)."),
    urgency.SIGNS_OF_VIOLENCE: gettext_lazy("Visible signs of violence, or the person says they were hurt."),
}


def home_notes(user: Any) -> list[HomeNote]:
    """On victim protection's home page: the referrals waiting (new), the immediate ones first,
    each a link to the list filtered to them. Counts alone: no person, place or referral."""
    waiting, immediate = selectors.referral_waiting_counts(user=user)
    if not waiting:
        return [HomeNote(text=_("No new referral waiting."))]
    url = reverse("compliance_console:referrals")
    notes = []
    if immediate:
        notes.append(
            HomeNote(
                text=ngettext(
                    "%(n)s immediate referral waiting", "%(n)s immediate referrals waiting", immediate
                )
                % {"n": immediate},
                url=f"{url}?status={Referral.Status.NEW}&urgency={Referral.Urgency.IMMEDIATE}",
                tone="danger",
            )
        )
    # With immediate ones above, the count of all of them says it includes those: "1 immediate"
    # over "1 new" read as two referrals.
    text = (
        ngettext("%(n)s new referral waiting in all", "%(n)s new referrals waiting in all", waiting)
        if immediate
        else ngettext("%(n)s new referral waiting", "%(n)s new referrals waiting", waiting)
    )
    notes.append(HomeNote(text=text % {"n": waiting}, url=f"{url}?status={Referral.Status.NEW}"))
    return notes


@console_page(*PROTECTION)
def referrals(request: HttpRequest) -> HttpResponse:
    form = ReferralFilterForm(request.GET or None)
    form.is_valid()
    values = getattr(form, "cleaned_data", {})  # a refused filter shows its error; the rest apply
    qs = selectors.referral_list(user=request.user, reference=values.get("reference", ""))
    qs = qs.defer("site__risk_factors")
    for name in ("status", "urgency"):
        if values.get(name):
            qs = qs.filter(**{name: values[name]})
    if "reference" in form.errors:  # a reference looked up and not understood names none
        qs = qs.none()
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "compliance/console/referrals.html",
        {"form": form, "page": page, "rows": list(page.object_list), "query": query.urlencode()},
        status=400 if form.errors else 200,
    )


def _screening(referral: Referral) -> tuple[Definition | None, Submission | None]:
    """The checklist that referred the person (its labels name the coded fields: indicators,
    language, notes, in the reader's language) and its submission (its coded answers, and whether
    the phone's clock was found off)."""
    submission = selectors.referral_screening(referral=referral)
    if submission is None:
        return None, None
    return parsed_definition(submission.template_version), submission


def _origin(referral: Referral, definition: Definition | None, submission: Any, lang: str) -> dict[str, Any]:
    """Why the referral exists: the finding that raised it (its title in the reader's language and
    its violation code), the checklist and entry it came from, the coded answers that checklist
    recorded for the person (never the identifying ones: protected), and why it is immediate."""
    finding = referral.finding
    entry = urgency.entry_at(submission.answers or {}, finding.entry_path) if submission else {}
    asks = definition.questions if definition else None
    return {
        "finding": finding,
        "checklist": definition.title.get(lang) if definition else "",
        "entry": entry_label(definition, finding.entry_path, lang)
        if definition and finding.entry_path
        else "",
        # What the rows above show already (the referral's own coded fields) is not said twice.
        "signs": entry_coded_answers(
            definition,
            finding.entry_path,
            entry,
            lang,
            leave_out={"age_band", "nationality", *(k for k in entry if k.startswith("fl_"))},
        )
        if definition
        else [],
        "immediate_because": [
            IMMEDIATE_BECAUSE[reason]
            for reason in urgency.immediate_reasons(entry)
            if reason in IMMEDIATE_BECAUSE
        ]
        if referral.urgency == Referral.Urgency.IMMEDIATE
        else [],
        # A venue checklist asks no interview language, ILO indicators or age band: "not asked",
        # rather than a dash or "unknown" that read as if it had been asked and not answered.
        "asks_language": asks is None or "interview_language" in asks,
        "asks_indicators": asks is None or any(key.startswith("fl_") for key in asks),
        "asks_age_band": asks is None or "age_band" in asks,
    }


def _referral_context(referral: Referral, **extra: Any) -> dict[str, Any]:
    (definition, submission), lang = _screening(referral), language_key()
    context = {
        "referral": referral,
        "origin": _origin(referral, definition, submission, lang),
        # What was stored stays coded; shown by the screening's own labels (the code if unknown).
        "indicators": [
            question_label(definition, key, lang) if definition else key for key in referral.indicators
        ],
        "language_label": option_label(definition, "interview_language", referral.language, lang)
        if definition and referral.language
        else referral.language,
        "services_given": list(referral.services.all()),
        # The screened time is the phone's clock: said when the server found that clock off.
        "clock_skewed": bool(submission and submission.clock_skewed),
        "service_form": ServiceForm(),
        "service_closed_note": services.REFERRAL_CLOSED_NO_SERVICE,
        "update_form": ReferralUpdateForm(
            referral=referral,
            initial={"status": referral.status, "assessment": referral.assessment, "sex": referral.sex},
        ),
        "reason_form": ReasonForm(),
        "errors": [],
    }
    context.update(extra)
    return context


@console_page(*PROTECTION)
def referral(request: HttpRequest, referral_id: str) -> HttpResponse:
    referral = found(selectors.referral_get, user=request.user, uuid=referral_id)
    return render(request, "compliance/console/referral.html", _referral_context(referral))


@never_cache
@console_page(*PROTECTION)
@require_POST
def referral_person(request: HttpRequest, referral_id: str) -> HttpResponse:
    """The person's details, on an explicit request with its reason; the read and the reason
    are audited by the selector. Without a reason the form comes back (400), nothing shown."""
    referral = found(selectors.referral_get, user=request.user, uuid=referral_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        response = render(
            request,
            "privacy/console/_person_ask.html",
            {"referral": referral, "reason_form": form},
            status=400,
        )
        response["Cache-Control"] = "no-store"
        return response
    details = found(
        selectors.victim_details_get,
        user=request.user,
        referral_uuid=referral.uuid,
        reason=form.cleaned_data["reason"],
        reason_text=form.cleaned_data.get("reason_text") or "",
        request=request,
    )
    return _person(request, referral, details)


def _person(
    request: HttpRequest, referral: Referral, details: Any, status: int = 200, **extra: Any
) -> HttpResponse:
    fields = ("full_name", "date_of_birth", "nationality", "travel_document", "contact", "notes")
    screened = screened_person_for(referral)
    definition, lang = _screening(referral)[0] if screened else None, language_key()
    context = {
        "referral": referral,
        "details": details,
        "screened": screened,
        # Each note under its question's label ("Note on FL-02: ..."), by key (FL-01 first).
        "screened_notes": [
            (question_label(definition, k, lang) if definition else k, v)
            for k, v in sorted(screened.answers.items() if screened else [])
            if k != "person_ref"
        ],
        "person_form": PersonForm(initial={name: getattr(details, name) for name in fields}),
        "errors": [],
        **extra,
    }
    response = render(request, "compliance/console/_person.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@console_page(*PROTECTION)
@require_POST
def referral_person_record(request: HttpRequest, referral_id: str) -> HttpResponse:
    """Record what the person tells the officer; the read and the change are both audited."""
    referral = found(selectors.referral_get, user=request.user, uuid=referral_id)
    details = found(
        selectors.victim_details_get,
        user=request.user,
        referral_uuid=referral.uuid,
        reason=ReadReason.RECORD,
        request=request,
    )
    form = PersonForm(request.POST)
    if not form.is_valid():
        return _person(request, referral, details, 400, person_form=form, errors=[NOT_SAVED])
    if not services.victim_details_changes(details=details, fields=form.cleaned_data):
        return _person(
            request, referral, details, announce=_("Nothing was changed: the details are as they were.")
        )
    try:
        details = services.victim_details_record(
            user=request.user, details=details, request=request, **form.cleaned_data
        )
    except DomainError as exc:
        return _person(request, referral, details, exc.status, person_form=form, errors=refusal(exc))
    return _person(request, referral, details, announce=_("Personal details saved."), announce_tone="success")


def _referral_done(request: HttpRequest, referral: Referral, announce: str, where: str) -> HttpResponse:
    """``where`` names the form that was sent: its answer shows beside its button, in view on a
    phone, not at the top of the work area."""
    referral = found(selectors.referral_get, user=request.user, uuid=referral.uuid)
    if getattr(request, "htmx", False):
        return render(
            request,
            "compliance/console/_referral_work.html",
            _referral_context(referral, announce=announce, where=where),
        )
    messages.success(request, announce)
    return redirect("compliance_console:referral", referral_id=referral.uuid)


def _referral_refused(request: HttpRequest, referral: Referral, status: int, **extra: Any) -> HttpResponse:
    template = (
        "compliance/console/_referral_work.html"
        if getattr(request, "htmx", False)
        else "compliance/console/referral.html"
    )
    return render(request, template, _referral_context(referral, **extra), status=status)


@console_page(*PROTECTION)
@require_POST
def referral_service(request: HttpRequest, referral_id: str) -> HttpResponse:
    referral = found(selectors.referral_get, user=request.user, uuid=referral_id)
    form = ServiceForm(request.POST)
    if not form.is_valid():
        return _referral_refused(
            request, referral, 400, service_form=form, errors=[NOT_SAVED], where="service"
        )
    try:
        services.protection_service_record(
            user=request.user, referral=referral, request=request, **form.cleaned_data
        )
    except DomainError as exc:
        return _referral_refused(
            request, referral, exc.status, service_form=form, errors=refusal(exc), where="service"
        )
    return _referral_done(request, referral, _("Service recorded."), "service")


@console_page(*PROTECTION)
@require_POST
def referral_update(request: HttpRequest, referral_id: str) -> HttpResponse:
    referral = found(selectors.referral_get, user=request.user, uuid=referral_id)
    form = ReferralUpdateForm(request.POST, referral=referral)
    if not form.is_valid():
        return _referral_refused(request, referral, 400, update_form=form, errors=[NOT_SAVED], where="update")
    before = {name: getattr(referral, name) for name in UPDATED}
    try:
        referral = services.referral_update(
            user=request.user, referral=referral, request=request, **form.cleaned_data
        )
    except DomainError as exc:
        return _referral_refused(
            request, referral, exc.status, update_form=form, errors=refusal(exc), where="update"
        )
    return _referral_done(request, referral, _update_said(form, before, referral), "update")


# The referral's fields its update form sets, in the form's order.
UPDATED = ("status", "assessment", "sex")


def _update_said(form: ReferralUpdateForm, before: dict[str, str], referral: Referral) -> str:
    """What Save did, said beside it: each field changed with its new value, and for a closing
    when the person's details will be erased. It said "Referral updated." whatever was done, a
    referral closed as a Save that changed nothing (found on a newcomer's walk)."""
    changed = [name for name in UPDATED if getattr(referral, name) != before[name]]
    if not changed:
        return _("Nothing was changed: the referral is as it was.")
    said = [_("Referral updated.")]
    for name in changed:
        value = getattr(referral, f"get_{name}_display")()
        said.append(_("%(field)s now: %(value)s.") % {"field": form.fields[name].label, "value": value})
    if "status" in changed and referral.status == Referral.Status.CLOSED:
        kept_until = timezone.localdate(referral.closed_at) + dt.timedelta(days=form.closing_days)
        said.append(
            _("Its retention period starts today: the person's details are kept until %(date)s, then erased.")
            % {"date": date_format(kept_until, "DATE_FORMAT")}
        )
    return cjk_tight(sentence_separator().join(str(part) for part in said))
