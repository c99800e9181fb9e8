"""Retention erases on schedule, audits counts (never data), and moves no published figure."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from backend.audit.models import AuditEntry
from backend.compliance import services as compliance
from backend.compliance.models import ProtectionService, Referral, VictimPersonalDetails
from backend.privacy import tasks
from backend.privacy.models import RetentionPolicy, ScreenedPerson
from backend.reporting.report import report_figures
from backend.reporting.statistics import aggregate, query_from_params
from tests.privacy.conftest import KNOWN_STRINGS, PERSON

NO_FLAGS = {f"fl_{i:02d}": False for i in range(1, 12)}


def _figures() -> list:
    year = timezone.localdate().year
    figures = [(f.id, f.value) for f in report_figures(year_from=year, year_to=year, frozen=False)]
    rows = []
    for measure in ("referrals,victims_identified", "protected_persons"):
        params = {"measure": measure, "by": "nationality_band,age_band,sex"}
        if measure == "protected_persons":
            params["by"] = "service,provider_kind"
        rows.append(aggregate(query_from_params(params)).rows)
    return [figures, rows]


def test_retention_erases_on_schedule_audits_counts_and_no_figure_moves(
    joint, alice, referred, vera, settings
):
    joint.submit_screening(alice, person_ref="Q-2 blue cap", age_band="26_40", **NO_FLAGS)
    unflagged = ScreenedPerson.objects.get(flagged=False)
    assert unflagged.answers == {"person_ref": "Q-2 blue cap"}
    compliance.referral_update(
        user=vera.user,
        referral=referred,
        status=Referral.Status.CLOSED,
        assessment=Referral.Assessment.NOT_IDENTIFIED,
    )
    referred.refresh_from_db()
    assert referred.closed_at is not None
    before = _figures()
    assert before[1][0] and before[1][1], before  # the referral and its shelter are counted

    # Day 29: nothing is due yet.
    now = timezone.now()
    assert tasks.apply_retention.run() == {
        "screenings_erased": 0,
        "referrals_erased": 0,
        "services_erased": 0,
        "screenings_of_referrals_erased": 0,
    }
    # An administrator shortens the referrals' period (the admin's policy row beats the settings).
    RetentionPolicy.objects.create(screening_unflagged_days=30, closed_referral_days=365)
    # Day 31: the unflagged person's answers go; the referred person's details stay (open years).
    from backend.privacy.services import apply_retention

    result = apply_retention(now=now + dt.timedelta(days=31))
    assert (result.screenings_erased, result.referrals_erased) == (1, 0)
    unflagged.refresh_from_db()
    assert unflagged.answers == {} and unflagged.erased_at is not None
    assert VictimPersonalDetails.objects.get().full_name == PERSON["full_name"]

    # A year after the closing: the referred person's personal fields go too, coded ones stay.
    result = apply_retention(now=now + dt.timedelta(days=366))
    assert (result.referrals_erased, result.services_erased, result.screenings_of_referrals_erased) == (
        1,
        1,
        1,
    )
    details = VictimPersonalDetails.objects.get()
    assert (
        details.full_name,
        details.travel_document,
        details.date_of_birth,
        details.travel_document_index,
    ) == (
        "",
        "",
        None,
        "",
    )
    assert [(s.kind, s.provider_name, s.note) for s in ProtectionService.objects.all()] == [
        ("shelter", "", "")
    ]
    referral = Referral.objects.get()
    assert (referral.nationality_band, referral.age_band, referral.indicators) == (
        referred.nationality_band,
        referred.age_band,
        referred.indicators,
    )
    assert _figures() == before
    # Repeating erases nothing more; each run left its counts, never the data, in the audit log.
    assert apply_retention(now=now + dt.timedelta(days=400)).as_dict() == dict.fromkeys(result.as_dict(), 0)
    runs = AuditEntry.objects.filter(verb="retention_apply").order_by("at")
    assert [r.changes["screenings_erased"] for r in runs] == [0, 1, 0, 0]
    assert (
        runs[2].changes["referrals_erased"] == 1 and runs[2].changes["policy"]["closed_referral_days"] == 365
    )
    assert not any(s in str(list(runs.values())) for s in KNOWN_STRINGS)
