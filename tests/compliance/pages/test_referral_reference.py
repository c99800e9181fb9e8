"""A referral's reference is read aloud over the phone between agencies, so it is written one way
wherever it appears: the first eight characters of its id in capitals ("3F9A1B2C"), on the
referrals list and the referral's page, in the API, the audit log's text, the notification mail,
the access report and a person's access answer. It was the lowercase "3f9a1b2c". Looking one up
takes it in either case (and the whole id); what is no reference is refused, never a 5xx.

The referrals' ids are set to known ones with letters in their first eight characters: a random
id may be all digits there, and then no test could tell capitals from lowercase."""

from __future__ import annotations

import re
import uuid

import pytest
from django.core import mail

from backend.audit.models import AuditEntry
from backend.compliance import services
from backend.compliance.models import Referral
from backend.privacy.services import person_export
from tests import factories
from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db

ID_A = uuid.UUID("3f9a1b2c-5d6e-4f70-8a9b-0c1d2e3f4a5b")
ID_B = uuid.UUID("3f9a1b2d-5d6e-4f70-8a9b-0c1d2e3f4a5b")  # the same first seven characters


@pytest.fixture
def referrals(joint, alice):
    """Two referrals from one screening visit: A (the immediate one) and B."""
    joint.submit_screening(alice)
    flags = {f"fl_{i:02d}": False for i in range(1, 12)}
    joint.submit_screening(alice, person_ref="P-2 blue cap", age_band="26_40", **{**flags, "fl_07": True})
    by_urgency = {r.urgency: r for r in Referral.objects.all()}
    Referral.objects.filter(pk=by_urgency["immediate"].pk).update(uuid=ID_A)
    Referral.objects.filter(pk=by_urgency["same_day"].pk).update(uuid=ID_B)
    return Referral.objects.get(uuid=ID_A), Referral.objects.get(uuid=ID_B)


def shown(html: str) -> str:
    """The page's text as people read it (links' addresses, which hold the whole id, left out)."""
    return " ".join(re.findall(r">([^<]*)<", html))


def test_the_reference_is_in_capitals_on_the_list_and_the_referral(referrals, vera, client):
    a, b = referrals
    assert (a.short_ref, b.short_ref) == ("3F9A1B2C", "3F9A1B2D")
    signed_in(client, vera)
    listed = client.get("/protection/").content.decode()
    assert ">3F9A1B2C</a>" in listed and ">3F9A1B2D</a>" in listed
    assert "3f9a1b2" not in shown(listed)
    page = client.get(f"/protection/{ID_A}/").content.decode()
    assert "<title>Referral 3F9A1B2C" in page and "<h1>Referral 3F9A1B2C</h1>" in page
    assert "3f9a1b2" not in shown(page)


@pytest.mark.parametrize(
    "typed", ["3f9a1b2c", "3F9A1B2C", " 3F9a1B2c ", str(ID_A), str(ID_A).upper()], ids=repr
)
def test_a_reference_is_found_in_either_case(typed, referrals, vera, client):
    signed_in(client, vera)
    response = client.get("/protection/", {"reference": typed})
    assert response.status_code == 200
    page = response.content.decode()
    assert ">3F9A1B2C</a>" in page and "3F9A1B2D" not in page


@pytest.mark.parametrize("typed", ["3F9A1B2", "3F9A1B2CD", "ZZZZZZZZ", "3F9A-1B2C", "x" * 40, "3F9A1B2C%"])
def test_what_is_no_reference_is_refused_and_names_no_referral(typed, referrals, vera, client):
    signed_in(client, vera)
    response = client.get("/protection/", {"reference": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="field-error"' in page
    assert "such as 3F9A1B2C" in page or len(typed) > 36  # longer: the field's own length error
    assert f"/protection/{ID_A}/" not in page and f"/protection/{ID_B}/" not in page
    assert "No referral matches." in page


def test_the_api_gives_the_reference_and_finds_it_in_either_case(referrals, vera, percy, api):
    for who in (vera, percy):  # percy: the referring agency's reviewer, who sees it coded
        listed = api.as_(who).get("/api/v1/referrals/").json()["results"]
        assert sorted(r["reference"] for r in listed) == ["3F9A1B2C", "3F9A1B2D"]
        for typed in ("3f9a1b2c", "3F9A1B2C", str(ID_A).upper()):
            found = api.as_(who).get("/api/v1/referrals/", {"reference": typed}).json()["results"]
            assert [(r["id"], r["reference"]) for r in found] == [(str(ID_A), "3F9A1B2C")]
        # The whole id in capitals opens it too.
        detail = api.as_(who).get(f"/api/v1/referrals/{str(ID_A).upper()}/")
        assert detail.status_code == 200 and detail.json()["reference"] == "3F9A1B2C"
    refused = api.as_(vera).get("/api/v1/referrals/", {"reference": "3F9A-1B2C"})
    assert refused.status_code == 400 and refused["Content-Type"].startswith("application/problem+json")
    assert "reference" in refused.json()["errors"]


def test_the_audit_text_the_mail_and_the_access_answer_say_it_in_capitals(referrals, vera, client, settings):
    a, _b = referrals
    signed_in(client, vera)
    shown_details = client.post(
        f"/protection/{ID_A}/person/", {"reason": "protection"}, HTTP_HX_REQUEST="true"
    )
    assert shown_details.status_code == 200
    read = AuditEntry.objects.get(verb="victim_details_get")
    assert read.object_id == str(ID_A)  # the record keeps the whole id, as stored
    assert "3F9A1B2C" in read.object_repr and "3f9a1b2c" not in read.object_repr

    settings.REFERRAL_NOTIFY_EMAILS = ["protection@ias.invalid"]
    Referral.objects.filter(pk=a.pk).update(notified_at=None)
    services.referral_notify(referral_uuid=str(ID_A))
    assert "referral 3F9A1B2C" in mail.outbox[-1].subject
    assert mail.outbox[-1].body.startswith(f"Referral 3F9A1B2C ({ID_A})")

    assert person_export(Referral.objects.get(uuid=ID_A))["referral"]["reference"] == "3F9A1B2C"


def test_the_access_report_names_the_referral_in_capitals(referrals, vera, client):
    signed_in(client, vera)
    client.post(f"/protection/{ID_A}/person/", {"reason": "protection"}, HTTP_HX_REQUEST="true")
    client.logout()
    dora = factories.officer("IAS", username="dora", full_name="Dora Privacy", roles=("data_protection",))
    signed_in(client, dora)
    report = client.get("/privacy/access/").content.decode()
    assert '<td role="cell" data-label="Referral">3F9A1B2C</td>' in report and "3f9a1b2c" not in shown(report)
