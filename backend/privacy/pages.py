"""The data-protection officer's console page: the access report (``access_report``)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from backend.audit.models import AuditEntry
from backend.audit.services import audit_record
from backend.compliance.models import short_reference
from backend.console.access import console_page
from backend.console.nav import HomeNote
from backend.core.i18n import bracketed
from backend.privacy.access_report import access_report
from backend.privacy.models import RetentionPolicy
from backend.privacy.reasons import ReadReason
from backend.privacy.services import retention_due, retention_policy

DPO = ("data_protection",)
PAGE_SIZE = 100
MAX_DAYS = 366

FLAG_LABELS = {
    "outside": _("outside the reader's own cases"),
    "volume": _("unusual number of reads that day"),
    "refused": _("refused attempt"),
    "no_reason": _("no reason recorded"),
}
VERB_LABELS = {
    "victim_details_get": _("showed the details"),
    "victim_details_refused": _("attempt refused"),
    "person_request_access": _("access request served"),
    "person_request_erasure": _("erasure request served"),
}


class AccessFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    flagged = forms.BooleanField(label=_("Flagged reads only"), required=False)

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end comes before the start."))
        elif start and end and (end - start).days > MAX_DAYS:
            self.add_error("date_to", _("At most a year at a time."))
        return data


def home_notes(user: Any) -> list[HomeNote]:
    """On the data-protection officer's home page: the flagged reads of the report's default
    period (the last 30 days), a link to them; counts alone, no person."""
    today = timezone.localdate()
    start = today - dt.timedelta(days=30)
    flagged = len(access_report(date_from=start, date_to=today, flagged_only=True))
    if not flagged:
        return [HomeNote(text=str(_("No flagged read in the last 30 days.")))]
    query = urlencode({"date_from": start, "date_to": today, "flagged": "on"})
    return [
        HomeNote(
            text=ngettext(
                "%(n)s flagged read in the last 30 days", "%(n)s flagged reads in the last 30 days", flagged
            )
            % {"n": flagged},
            url=f"{reverse('privacy_console:access-report')}?{query}",
            tone="danger",
        )
    ]


@never_cache
@console_page(*DPO)
def access_report_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    initial = {"date_from": today - dt.timedelta(days=30), "date_to": today}
    form = AccessFilterForm(request.GET or None, initial=initial)
    if request.GET and not form.is_valid():
        return render(request, "privacy/console/access_report.html", {"form": form, "rows": []}, status=400)
    values = form.cleaned_data if request.GET else initial
    flagged_only = bool(values.get("flagged"))
    every = access_report(date_from=values["date_from"], date_to=values["date_to"])
    # The counts are the period's whatever the table shows: "Flagged reads only" narrows the
    # table, not the figures ("12 reads · 3 flagged", never "3 reads · 3 flagged").
    rows = [r for r in every if r.flags] if flagged_only else every
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    reasons = dict(ReadReason.choices)
    for row in page.object_list:
        row.flag_labels = [FLAG_LABELS[f] for f in row.flags]
        row.verb_label = VERB_LABELS.get(row.verb, row.verb)
        row.reason_label = reasons.get(row.reason, row.reason or "—")
        row.reference = short_reference(row.referral)  # as the referral's own pages show it
    # Reading the report is itself recorded: it names who read whose details.
    audit_record(
        actor=request.user,
        action="read",
        verb="access_report_read",
        object_type="privacy.accessreport",
        changes={
            "from": str(values["date_from"]),
            "to": str(values["date_to"]),
            "flagged_only": flagged_only,
            "rows": len(rows),
        },
        request=request,
    )
    query = request.GET.copy()
    query.pop("page", None)
    flagged = sum(1 for r in every if r.flags)
    return render(
        request,
        "privacy/console/access_report.html",
        {
            "form": form,
            "page": page,
            "rows": list(page.object_list),
            "total": len(every),
            "flagged": flagged,
            "query": query.urlencode(),
        },
    )


RETENTION_RUNS_SHOWN = 30
RETENTION_COUNTS = (
    "screenings_erased",
    "referrals_erased",
    "services_erased",
    "screenings_of_referrals_erased",
)


def _erased_after(days: int, *, after_screening: bool) -> str:
    """How long a policy keeps what it erases, in days as it counts them, grouped ("1,825"), and
    past a year in years too ("(about 5 years)"): "1825 dias" read as a number to work out."""
    n = number_format(days, force_grouping=True)
    if after_screening:
        text = ngettext(
            "erased %(n)s day after the screening", "erased %(n)s days after the screening", days
        ) % {"n": n}
    else:
        text = ngettext(
            "erased %(n)s day after the referral was closed",
            "erased %(n)s days after the referral was closed",
            days,
        ) % {"n": n}
    if days < 365:
        return text
    years = round(days / 365.25, 1)
    whole = years == int(years)
    about = ngettext("about %(n)s year", "about %(n)s years", int(years) if whole else 2) % {
        "n": number_format(int(years) if whole else years, decimal_pos=None if whole else 1)
    }
    return bracketed(text, about)


@never_cache
@console_page(*DPO)
def retention_page(request: HttpRequest) -> HttpResponse:
    """What is kept and for how long, when it is erased next and what each run erased: counts
    only, no person. The policy itself is an administrator's (admin → Retention policy)."""
    from backend.celery import app

    now = timezone.now()
    schedule = settings.CELERY_BEAT_SCHEDULE["privacy-retention"]["schedule"]
    schedule.app = app
    # Celery's estimate is a few microseconds off the minute the schedule names.
    next_run = (now + schedule.remaining_estimate(now) + dt.timedelta(seconds=30)).replace(
        second=0, microsecond=0
    )
    runs = [
        {"at": entry.at, **{k: entry.changes.get(k, 0) for k in RETENTION_COUNTS}}
        for entry in AuditEntry.objects.filter(verb="retention_apply").order_by("-at")[:RETENTION_RUNS_SHOWN]
    ]
    policy = retention_policy()
    return render(
        request,
        "privacy/console/retention.html",
        {
            "policy": policy,
            "screening_kept": _erased_after(policy["screening_unflagged_days"], after_screening=True),
            "referral_kept": _erased_after(policy["closed_referral_days"], after_screening=False),
            "policy_row": RetentionPolicy.objects.order_by("pk").first(),
            "next_run": next_run,
            "due": retention_due(at=next_run),
            "runs": runs,
        },
    )
