"""A referral says when the person was screened, not when the phone synced. An officer screens a
minor at 9:45 p.m. in a basement without signal; the phone sends the screening at 5:24 a.m.: the
referrals list and the referral's page say 9:45 p.m. (the screening's time on the phone), the
referral's page says 5:24 a.m. too, labelled as the server's; the API keeps ``observed_at`` (when
received) and adds ``screened_at``."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
import zoneinfo

import pytest
import time_machine

from backend.checklists.services import parsed_definition
from backend.compliance.models import Referral
from backend.inspections import services as inspections
from tests.checklists.engine.factories import fill
from tests.compliance.conftest import PHOTO, PHOTO_REF
from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db

MACAO = zoneinfo.ZoneInfo("Asia/Macau")
SCREENED = dt.datetime(2026, 12, 4, 21, 45, tzinfo=MACAO)
RECEIVED = dt.datetime(2026, 12, 5, 5, 24, tzinfo=MACAO)


@pytest.fixture(autouse=True)
def _morning_after():
    """The whole test a few minutes after the screening reached the server, so the joint
    operation (revealed two hours before the fixtures' "now") is revealed at RECEIVED whatever
    the hour the tests run."""
    with time_machine.travel(RECEIVED + dt.timedelta(minutes=5), tick=True):
        yield


@pytest.fixture
def late_referral(joint, alice):
    answers = fill(parsed_definition(joint.screening_version), yes=True, entries=1)
    answers["persons"][0].update({"person_ref": "P-1 red jacket", "nationality": "philippines"})
    with time_machine.travel(RECEIVED, tick=False):
        inspections.submission_ingest(
            officer=alice,
            data=inspections.SubmissionInput(
                id=uuid.uuid4(),
                inspection=joint.inspection.uuid,
                template_version=joint.screening_version.uuid,
                answers=answers,
                device_submitted_at=SCREENED,
                attachments=(
                    inspections.DeclaredAttachment(name=PHOTO_REF, sha256=hashlib.sha256(PHOTO).hexdigest()),
                ),
            ),
        )
    referral = Referral.objects.get()
    assert referral.urgency == "immediate"
    return referral


def times(html: str) -> list[str]:
    return re.findall(r'<time datetime="([^"]+)"', html)


def test_the_list_says_when_the_person_was_screened(late_referral, vera, client):
    signed_in(client, vera)
    page = client.get("/protection/").content.decode()
    header = re.search(r"<thead.*?</thead>", page, re.S).group(0)
    assert ">Screened</th>" in header and ">When</th>" not in header
    assert times(page) == [SCREENED.isoformat()]
    assert "9:45" in page.split('class="screened"')[1].split("</td>")[0]


def test_the_referral_page_labels_both_times(late_referral, vera, client):
    signed_in(client, vera)
    page = client.get(f"/protection/{late_referral.uuid}/").content.decode()
    screened = page.split('<div class="screened">')[1].split("</div>")[0]
    received = page.split('<div class="received">')[1].split("</div>")[0]
    assert "<dt>Screened</dt>" in screened and times(screened) == [SCREENED.isoformat()]
    assert "9:45" in screened
    assert "<dt>Received by the server</dt>" in received and times(received) == [RECEIVED.isoformat()]
    assert "5:24" in received


def test_the_api_adds_screened_at_and_keeps_observed_at(late_referral, vera, percy, api):
    for who in (vera, percy):  # protection, and the referring agency's reviewer (coded fields)
        listed = api.as_(who).get("/api/v1/referrals/").json()["results"][0]
        detail = api.as_(who).get(f"/api/v1/referrals/{late_referral.uuid}/").json()
        for body in (listed, detail):
            assert dt.datetime.fromisoformat(body["screened_at"]) == SCREENED
            assert dt.datetime.fromisoformat(body["observed_at"]) == RECEIVED


@pytest.mark.parametrize("persona", ["percy", "carol", "paula", "andy", "tina"])
def test_nobody_else_sees_the_pages(persona, late_referral, client, request):
    signed_in(client, request.getfixturevalue(persona))
    assert client.get("/protection/").status_code == 404
    assert client.get(f"/protection/{late_referral.uuid}/").status_code == 404


def test_the_referral_page_says_when_the_phones_clock_was_off(joint, alice, vera, client):
    """The screened time is the phone's: a phone whose clock ran ahead (a screening 'finished' two
    hours after the server received it) is flagged beside it, as the review page flags it."""
    answers = fill(parsed_definition(joint.screening_version), yes=True, entries=1)
    with time_machine.travel(RECEIVED, tick=False):
        inspections.submission_ingest(
            officer=alice,
            data=inspections.SubmissionInput(
                id=uuid.uuid4(),
                inspection=joint.inspection.uuid,
                template_version=joint.screening_version.uuid,
                answers=answers,
                device_submitted_at=RECEIVED + dt.timedelta(hours=2),
                attachments=(
                    inspections.DeclaredAttachment(name=PHOTO_REF, sha256=hashlib.sha256(PHOTO).hexdigest()),
                ),
            ),
        )
    referral = Referral.objects.get()
    signed_in(client, vera)
    page = client.get(f"/protection/{referral.uuid}/").content.decode()
    screened = page.split('<div class="screened">')[1].split("</div>")[0]
    assert "phone clock off" in screened


def test_a_phone_whose_clock_was_right_is_not_flagged(late_referral, vera, client):
    signed_in(client, vera)
    page = client.get(f"/protection/{late_referral.uuid}/").content.decode()
    assert "phone clock off" not in page
