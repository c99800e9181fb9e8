"""Every read of a person's details has its reason in the audit log and in the data-protection
officer's access report; reads outside the reader's own cases, in unusual numbers, and refused
attempts are flagged. Nobody but that officer opens the report, and the officer reads no person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from backend.audit.models import AuditEntry
from backend.privacy.access_report import access_report
from tests import factories
from tests.browser_support import sign_in_client
from tests.conftest import PASSWORD


@pytest.fixture
def dora(db):
    return factories.officer("IAS", username="dora", full_name="Dora Privacy", roles=("data_protection",))


@pytest.fixture
def victor(db):
    return factories.officer("IAS", username="victor", full_name="Victor Other", roles=("victim_protection",))


def test_reads_their_reasons_and_flags_in_the_access_report(
    referred, vera, victor, percy, dora, api, client, settings
):
    url = f"/api/v1/referrals/{referred.uuid}/person/"
    # Vera worked on this referral (recorded the details and the shelter): her read is her case.
    assert api.as_(vera).get(url + "?reason=protection", REMOTE_ADDR="10.0.0.5").status_code == 200
    # Victor never worked on it; Percy is refused.
    assert api.as_(victor).get(url + "?reason=other&reason_text=checking+a+duplicate").status_code == 200
    assert api.as_(percy).get(url + "?reason=assessment").status_code == 404
    today = timezone.localdate()
    rows = access_report(date_from=today, date_to=today)
    # Newest first: what the officer follows up is the latest.
    assert [(r.reader, r.reason, r.flags) for r in rows] == [
        ("percy", "", ["refused"]),
        ("victor", "other", ["outside"]),
        ("vera", "protection", []),
    ]
    assert rows[1].reason_text == "checking a duplicate" and rows[2].ip_address == "10.0.0.5"
    # Who: the officer behind the login, and their agency.
    assert [(r.reader_name, r.reader_agency) for r in rows] == [
        ("Percy Reviewer", "PSP"),
        ("Victor Other", "IAS"),
        ("Vera Protection", "IAS"),
    ]
    settings.PRIVACY_READS_PER_DAY_FLAG = 0
    assert [r.flags for r in access_report(date_from=today, date_to=today, flagged_only=True)] == [
        ["refused"],
        ["outside", "volume"],
        ["volume"],
    ]
    assert access_report(date_from=today - dt.timedelta(days=3), date_to=today - dt.timedelta(days=1)) == []

    # The page: the data-protection officer alone, and her reading of it is recorded.
    for who in (vera, percy):
        sign_in_client(client, who.user.username, PASSWORD)
        assert client.get("/privacy/access/").status_code == 404
        client.logout()
    sign_in_client(client, "dora", PASSWORD)
    home = client.get("/").content.decode()
    # The home page says what waits for her: the flagged reads, a link to them.
    assert "/privacy/access/" in home and "3 flagged reads in the last 30 days" in home
    assert "flagged=on" in home
    page = client.get(f"/privacy/access/?date_from={today}&date_to={today}&flagged=on")
    body = page.content.decode()
    assert page.status_code == 200 and "checking a duplicate" in body and "outside the reader" in body
    assert "Victor Other (IAS)" in body and "newest first" in body
    assert body.index("Percy Reviewer") < body.index("Victor Other") < body.index("Vera Protection")
    assert "refused attempt" in body and "Maria" not in body
    assert AuditEntry.objects.filter(verb="access_report_read", actor=dora.user).count() == 1
    bad = client.get(f"/privacy/access/?date_from={today}&date_to={today - dt.timedelta(days=2)}")
    assert bad.status_code == 400
    # A period without reads says so (an empty page of results is no reason to show nothing).
    quiet = today - dt.timedelta(days=400)
    empty = client.get(f"/privacy/access/?date_from={quiet}&date_to={quiet + dt.timedelta(days=30)}")
    assert empty.status_code == 200 and "No read in this period." in empty.content.decode()
    assert "0 reads" in empty.content.decode()
    # She reviews reads; she reads no person herself.
    assert client.get(f"/protection/{referred.uuid}/").status_code == 404
    assert api.as_(dora).get(url + "?reason=assessment").status_code == 404


def test_a_new_referral_read_first_to_assess_it_is_not_flagged(joint, alice, vera, victor, api):
    """Every first read of a new referral was flagged "outside the reader's own cases" (nobody had
    worked on it yet), so nearly every row was flagged and the flag told the officer nothing. A
    referral nobody has worked on is taken up by whoever reads it to assess it; once an officer
    has worked on it, another's read is flagged."""
    from backend.compliance import services as compliance
    from backend.compliance.models import Referral

    joint.submit_screening(alice)  # a new referral: nobody has worked on it
    referral = Referral.objects.get()
    url = f"/api/v1/referrals/{referral.uuid}/person/"
    assert api.as_(victor).get(url + "?reason=assessment").status_code == 200
    today = timezone.localdate()
    [row] = access_report(date_from=today, date_to=today)
    assert (row.reader, row.flags) == ("victor", [])
    # Vera works on it (records what the person tells her); then Victor, who has not, reads
    # again: someone else's case now, flagged.
    compliance.victim_details_record(
        user=vera.user, details=referral.personal_details, date_of_birth=dt.date(1999, 4, 2)
    )
    assert api.as_(victor).get(url + "?reason=contact").status_code == 200
    assert [(r.reader, r.flags) for r in access_report(date_from=today, date_to=today)] == [
        ("victor", ["outside"]),
        ("victor", []),
    ]
