"""The data-protection officer follows retention in the console, not only in the admin she cannot
open: the policy in force and who set it, the next run and what it will erase, what each run
erased; counts only, never a person. And a person's request served by the command line says so in
the access report, where it showed "—" as its address."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from backend.compliance import services as compliance
from backend.compliance.models import Referral
from backend.privacy.access_report import access_report
from backend.privacy.models import RetentionPolicy
from backend.privacy.services import apply_retention
from tests import factories
from tests.browser_support import sign_in_client
from tests.conftest import PASSWORD
from tests.privacy.conftest import KNOWN_STRINGS


@pytest.fixture
def dora(db):
    return factories.officer("IAS", username="dora", full_name="Dora Privacy", roles=("data_protection",))


def _page(client) -> str:
    response = client.get("/privacy/retention/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_officer_sees_the_policy_the_next_run_and_what_each_run_erased(
    client, dora, referred, vera, percy, settings
):
    sign_in_client(client, "dora", PASSWORD)
    home = client.get("/").content.decode()
    assert "/privacy/retention/" in home and "No flagged read in the last 30 days." in home
    body = _page(client)
    # No administrator's policy: the settings' defaults, said to be so.
    assert settings.PRIVACY_SCREENING_UNFLAGGED_DAYS == 30 and settings.PRIVACY_CLOSED_REFERRAL_DAYS == 1825
    assert "erased 30 days after the screening</dd>" in body
    # Past a year, in years too: "1825 dias" was a number to work out.
    assert "erased 1,825 days after the referral was closed (about 5 years)</dd>" in body
    assert "no administrator has set a policy" in body and "Retention has not run yet." in body
    # The next run is tonight's, at 02:15 in Macau, and erases nothing of an open referral.
    next_run = timezone.localtime(timezone.now() + dt.timedelta(minutes=1))
    next_run = next_run.replace(hour=2, minute=15, second=0, microsecond=0)
    if next_run <= timezone.localtime():
        next_run += dt.timedelta(days=1)
    assert f'<time datetime="{next_run.isoformat()}">' in body
    assert "0 closed referrals' personal details are due to be erased" in body

    # The referral is closed and an administrator shortens the period to a day: two days on,
    # the run erases it, and the page says what it erased.
    compliance.referral_update(
        user=vera.user,
        referral=referred,
        status=Referral.Status.CLOSED,
        assessment=Referral.Assessment.NOT_IDENTIFIED,
    )
    RetentionPolicy.objects.create(screening_unflagged_days=30, closed_referral_days=1)
    body = _page(client)
    assert "erased 1 day after the referral was closed" in body and "Set by an administrator" in body
    apply_retention(now=timezone.now() + dt.timedelta(days=2))
    body = _page(client)
    assert "0 closed referrals' personal details are due to be erased" in body
    assert "Retention has not run yet." not in body
    cells = re.findall(r'<td role="cell" class="num"[^>]*>([^<]*)</td>', body)
    assert cells == ["0", "1", "1", "1"], cells  # answers, details, the shelter, the screening
    assert not any(s in body for s in KNOWN_STRINGS)

    # Nobody else opens it: victim protection, a reviewer.
    for who in (vera, percy):
        client.logout()
        sign_in_client(client, who.user.username, PASSWORD)
        assert client.get("/privacy/retention/").status_code == 404


def test_a_closed_referral_past_its_period_is_counted_as_due(client, dora, referred, vera):
    compliance.referral_update(
        user=vera.user,
        referral=referred,
        status=Referral.Status.CLOSED,
        assessment=Referral.Assessment.NOT_IDENTIFIED,
    )
    Referral.objects.filter(pk=referred.pk).update(closed_at=timezone.now() - dt.timedelta(days=3))
    RetentionPolicy.objects.create(screening_unflagged_days=30, closed_referral_days=1)
    sign_in_client(client, "dora", PASSWORD)
    assert "1 closed referral's personal details are due to be erased" in _page(client)


def test_a_request_served_by_the_command_line_says_so_in_the_access_report(client, dora, referred, vera):
    call_command(
        "person_request", str(referred.uuid), "--access", "--by=vera", "--note=REQ-11", "--out=/dev/null"
    )
    today = timezone.localdate()
    [row] = [r for r in access_report(date_from=today, date_to=today) if r.verb == "person_request_access"]
    assert (row.via, row.ip_address, row.reader_name) == ("command_line", None, "Vera Protection")
    sign_in_client(client, "dora", PASSWORD)
    body = client.get(f"/privacy/access/?date_from={today}&date_to={today}").content.decode()
    assert "the command line, on the server" in body and "Vera Protection (IAS)" in body


@pytest.mark.parametrize(
    ("language", "kept"),
    [
        ("pt", "apagados 1.825 dias após o encerramento do encaminhamento (cerca de 5 anos)"),
        ("zh-hant", "約 5 年）"),
    ],
)
def test_a_long_retention_is_said_in_years_too(client, dora, language, kept):
    sign_in_client(client, "dora", PASSWORD)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    body = _page(client)
    assert kept in body, re.findall(r"<dd>[^<]*</dd>", body)
    RetentionPolicy.objects.create(screening_unflagged_days=400, closed_referral_days=500)
    body = _page(client)
    assert ("cerca de 1,1 anos" if language == "pt" else "約 1.1 年") in body
