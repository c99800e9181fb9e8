"""Victim protection's pages over HTTP: the victim-protection role alone opens them (nobody
else sees the pages, their links or counts); the person's details are shown only on an explicit
POST, never cached, and every showing is in the audit log; services and status are recorded."""

from __future__ import annotations

import pytest

from backend.audit.models import AuditEntry
from backend.compliance.models import ProtectionService, Referral
from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db


def reads(referral):
    return AuditEntry.objects.filter(verb="victim_details_get", object_id=str(referral.uuid))


def test_signed_out_is_sent_to_sign_in(referral, client):
    for url in ("/protection/", f"/protection/{referral.uuid}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    response = client.post(f"/protection/{referral.uuid}/person/")
    assert response.status_code == 302 and not reads(referral).exists()


@pytest.mark.parametrize("persona", ["percy", "carol", "paula", "andy", "tina"])
def test_nobody_else_sees_the_pages_their_links_or_counts(persona, referral, client, request):
    """Percy is a reviewer of the referring agency (PSP): the API shows him the coded referral,
    the console's protection pages do not exist for him."""
    signed_in(client, request.getfixturevalue(persona))
    assert client.get("/protection/").status_code == 404
    assert client.get(f"/protection/{referral.uuid}/").status_code == 404
    assert client.post(f"/protection/{referral.uuid}/person/").status_code == 404
    assert client.post(f"/protection/{referral.uuid}/services/", {}).status_code == 404
    assert client.post(f"/protection/{referral.uuid}/update/", {}).status_code == 404
    home = client.get("/").content.decode()
    assert "/protection/" not in home and "Referrals" not in home
    assert not reads(referral).exists() and not ProtectionService.objects.exists()


def test_queue_lists_referrals_with_urgency_and_filters(referral, vera, client):
    signed_in(client, vera)
    home = client.get("/").content.decode()
    assert "/protection/" in home
    page = client.get("/protection/").content.decode()
    assert referral.short_ref in page and "Cotai Tower B" in page
    assert "P-1 red jacket" not in page  # coded fields only in the list
    assert referral.short_ref not in client.get("/protection/?status=closed").content.decode()
    refused = client.get("/protection/?status=closed&urgency=whenever")
    assert refused.status_code == 400 and 'class="field-error"' in refused.content.decode()
    assert referral.short_ref not in refused.content.decode()  # the status filter still holds


def test_details_are_hidden_until_shown_and_each_showing_is_audited(referral, vera, client):
    signed_in(client, vera)
    page = client.get(f"/protection/{referral.uuid}/").content.decode()
    assert "P-1 red jacket" not in page and "Show the personal details" in page
    assert not reads(referral).exists()
    assert client.get(f"/protection/{referral.uuid}/person/").status_code == 405
    asked = client.post(f"/protection/{referral.uuid}/person/", {"reason": ""}, HTTP_HX_REQUEST="true")
    assert asked.status_code == 400 and "P-1 red jacket" not in asked.content.decode()
    assert "Why do you show them?" in asked.content.decode() and not reads(referral).exists()
    for n in (1, 2):
        shown = client.post(
            f"/protection/{referral.uuid}/person/", {"reason": "protection"}, HTTP_HX_REQUEST="true"
        )
        assert shown.status_code == 200 and "P-1 red jacket" in shown.content.decode()
        assert "no-store" in shown["Cache-Control"]
        assert reads(referral).count() == n
    entry = reads(referral).first()
    assert entry.actor_id == vera.user.pk and entry.action == AuditEntry.Action.READ


def test_record_a_service_and_update_the_referral(referral, vera, client):
    signed_in(client, vera)
    url = f"/protection/{referral.uuid}/"
    refused = client.post(
        url + "services/",
        {
            "service-kind": "shelter",
            "service-provider_kind": "ngo",
            "service-provider_name": "Good Shepherd Centre",
            "service-started_on": "2026-03-10",
            "service-ended_on": "2026-03-01",
        },
        HTTP_HX_REQUEST="true",
    )
    assert refused.status_code == 400 and "The end comes before the start." in refused.content.decode()
    assert not ProtectionService.objects.exists()
    done = client.post(
        url + "services/",
        {
            "service-kind": "shelter",
            "service-provider_kind": "ngo",
            "service-provider_name": "Good Shepherd Centre",
            "service-started_on": "2026-03-10",
        },
        HTTP_HX_REQUEST="true",
    )
    assert done.status_code == 200 and "Good Shepherd Centre" in done.content.decode()
    service = ProtectionService.objects.get()
    assert service.referral == referral and service.recorded_by == vera.user
    client.post(
        url + "update/", {"update-status": "acknowledged", "update-assessment": "pending", "update-sex": "F"}
    )
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACKNOWLEDGED and referral.sex == "F"


def test_record_the_persons_details_audited_and_nobody_else_may(referral, vera, percy, client):
    url = f"/protection/{referral.uuid}/person/record/"
    signed_in(client, percy)
    assert client.post(url, {"person-full_name": "X"}).status_code == 404
    client.logout()
    signed_in(client, vera)
    refused = client.post(url, {"person-date_of_birth": "not a date"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400
    done = client.post(
        url,
        {
            "person-full_name": "Maria Santos",
            "person-nationality": "Philippines",
            "person-notes": "Wants to go home.",
        },
        HTTP_HX_REQUEST="true",
    )
    assert done.status_code == 200 and "Maria Santos" in done.content.decode()
    assert "no-store" in done["Cache-Control"]
    referral.personal_details.refresh_from_db()
    assert referral.personal_details.full_name == "Maria Santos"
    changes = AuditEntry.objects.filter(verb="victim_details_record", object_id=str(referral.uuid))
    assert changes.count() == 1 and "Maria Santos" not in str(changes.get().changes)
    assert reads(referral).count() == 2  # each POST read the details first


def test_referral_names_indicators_language_and_notes_as_the_screening_does(joint, alice, vera, client):
    """Stored coded (``fl_02``, ``tagalog``, ``fl_02_note``), shown by the screening checklist's
    labels in the reader's language, so the officer knows which ILO indicators were seen."""
    from backend.checklists.services import parsed_definition
    from tests.checklists.engine.factories import fill
    from tests.compliance.conftest import ingest

    answers = fill(parsed_definition(joint.screening_version), yes=False, entries=1)
    answers["interview_language"] = "tagalog"
    person = {k: v for k, v in answers["persons"][0].items() if not k.endswith("_note")}
    person.update(consent=True, person_ref="P-2 blue cap", fl_02=True, fl_05=True)
    answers["persons"] = [dict(person, fl_02_note="Promised a hotel job.", fl_05_note="Bruises.")]
    ingest(alice, joint.inspection, joint.screening_version, answers)
    referral = Referral.objects.get()
    assert referral.indicators == ["fl_02", "fl_05"] and referral.language == "tagalog"
    signed_in(client, vera)
    page = client.get(f"/protection/{referral.uuid}/").content.decode()
    assert "FL-02 Deception" in page and "FL-05 Physical and sexual violence" in page
    assert "FL-03" not in page and "fl_0" not in page
    assert "Tagalog" in page and "tagalog" not in page
    shown = client.post(
        f"/protection/{referral.uuid}/person/", {"reason": "protection"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Note on FL-02: what was seen or said, and by whom" in shown
    assert "Promised a hotel job." in shown and "fl_02_note" not in shown
    client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    page = client.get(f"/protection/{referral.uuid}/").content.decode()
    assert "FL-02 欺騙" in page and "他加祿語" in page


def test_closing_with_the_assessment_pending_is_refused_and_says_why(referral, vera, client):
    """A protection officer closes a referral once the person is assessed: the page refuses a
    "closed" with the assessment still "pending", says why in the reader's language, and saves
    nothing."""
    signed_in(client, vera)
    url = f"/protection/{referral.uuid}/update/"
    closing = {"update-status": "closed", "update-assessment": "pending", "update-sex": "F"}
    refused = client.post(url, closing, HTTP_HX_REQUEST="true")
    page = refused.content.decode()
    assert refused.status_code == 400 and "before closing the referral: it is still pending." in page
    assert "Referral updated." not in page
    refused = client.post(url, closing)  # without htmx: the whole page, with the reason
    assert refused.status_code == 400 and "it is still pending." in refused.content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    refused = client.post(url, closing, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400 and "評估仍為待定" in refused.content.decode()
    referral.refresh_from_db()
    assert (referral.status, referral.sex, referral.closed_at) == ("new", "U", None)
    assert not AuditEntry.objects.filter(verb="referral_update").exists()

    done = client.post(url, dict(closing, **{"update-assessment": "not_identified"}), HTTP_HX_REQUEST="true")
    assert done.status_code == 200
    referral.refresh_from_db()
    assert (referral.status, referral.assessment) == ("closed", "not_identified") and referral.closed_at


def test_saving_the_personal_details_unchanged_says_so_and_audits_nothing(referral, vera, client):
    """An empty form over empty details changes nothing: the page says nothing was changed,
    not "saved", and no change is written to the audit log (the read before it is)."""
    signed_in(client, vera)
    url = f"/protection/{referral.uuid}/person/record/"
    empty = {
        f"person-{name}": ""
        for name in ("full_name", "date_of_birth", "nationality", "travel_document", "contact", "notes")
    }
    answer = client.post(url, empty, HTTP_HX_REQUEST="true")
    page = answer.content.decode()
    assert answer.status_code == 200 and "Personal details saved." not in page
    assert "Nothing was changed: the details are as they were." in page
    changes = AuditEntry.objects.filter(verb="victim_details_record", object_id=str(referral.uuid))
    assert not changes.exists() and reads(referral).count() == 1
    client.post("/i18n/setlang/", {"language": "pt", "next": "/"})
    page = client.post(url, empty, HTTP_HX_REQUEST="true").content.decode()
    assert "Nada foi alterado" in page and not changes.exists()
    done = client.post(url, dict(empty, **{"person-nationality": "Philippines"}), HTTP_HX_REQUEST="true")
    assert "Dados pessoais guardados." in done.content.decode()
    assert changes.get().changes == {"fields": ["nationality"]}


def test_a_referral_taken_by_protection_is_not_new_again(referral, vera, client):
    """The status "new" is what the protection home counts as waiting: once acknowledged (or closed), the
    status box no longer offers it, and a forged "new" is refused, saying how to reopen, with
    nothing saved; a closed referral reopens as acknowledged, its retention clock stopped."""
    signed_in(client, vera)
    url = f"/protection/{referral.uuid}/update/"
    page = client.get(f"/protection/{referral.uuid}/").content.decode()
    assert 'value="new"' in page  # a new referral's box offers its own status
    closing = {"update-status": "closed", "update-assessment": "not_identified", "update-sex": "F"}
    assert client.post(url, closing, HTTP_HX_REQUEST="true").status_code == 200
    page = client.get(f"/protection/{referral.uuid}/").content.decode()
    assert 'name="update-status"' in page and 'value="new"' not in page
    refused = client.post(url, dict(closing, **{"update-status": "new"}), HTTP_HX_REQUEST="true")
    assert refused.status_code == 400
    referral.refresh_from_db()
    assert referral.status == "closed" and referral.closed_at is not None
    assert AuditEntry.objects.filter(verb="referral_update").count() == 1
    reopened = client.post(url, dict(closing, **{"update-status": "acknowledged"}), HTTP_HX_REQUEST="true")
    assert reopened.status_code == 200
    referral.refresh_from_db()
    assert referral.status == "acknowledged" and referral.closed_at is None
