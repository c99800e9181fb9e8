"""An agency's administrator manages their own agency's people in the admin, not every agency's.

Adele administers PSP (``admin_console``); Dan is an inspector of DSAL, Pat of PSP. Root is a
login with no officer record (``createsuperuser``'s), which manages every agency's. Everyone
signs in through the console's sign-in page; another agency's record answers as a missing one.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from backend.audit.models import AuditEntry
from backend.registry.models import Agency, Availability, Officer, Unit
from mobile_api.models import DeviceToken
from tests import factories
from tests.browser_support import sign_in_client

PASSWORD = "correct-horse-battery"

pytestmark = pytest.mark.django_db


@pytest.fixture
def dan(db):
    return factories.officer("DSAL", username="dan", full_name="Dan Labour")


@pytest.fixture
def pat(db):
    return factories.officer("PSP", username="pat", full_name="Pat Police")


@pytest.fixture
def root(db, dan, pat):
    get_user_model().objects.create_superuser("root", "root@example.invalid", PASSWORD)
    client = Client()
    sign_in_client(client, "root", PASSWORD)
    return client


def _missing(response) -> bool:
    """Django admin's answer for an object it cannot find: back to the admin's index, or 404."""
    return response.status_code == 404 or (response.status_code == 302 and response["Location"] == "/admin/")


def _autocomplete(client: Client, model_name: str, field_name: str, app_label: str = "registry") -> set[str]:
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": ""},
    )
    assert response.status_code == 200
    return {r["id"] for r in response.json()["results"]}


def test_the_officers_list_holds_her_agencys_officers_alone(admin_console, dan, pat):
    page = admin_console.get("/admin/registry/officer/")
    shown = set(page.context["cl"].result_list)
    assert pat in shown and dan not in shown
    assert "Dan Labour" not in page.content.decode()


def test_another_agencys_officer_answers_as_missing(admin_console, dan):
    for view in ("change", "delete", "history"):
        assert _missing(admin_console.get(f"/admin/registry/officer/{dan.pk}/{view}/")), view
    response = admin_console.post(f"/admin/registry/officer/{dan.pk}/delete/", {"post": "yes"})
    assert _missing(response)
    assert Officer.objects.filter(pk=dan.pk).exists()


def test_another_agencys_unit_answers_as_missing_and_is_not_listed(admin_console, dan, pat):
    assert _missing(admin_console.get(f"/admin/registry/unit/{dan.unit_id}/change/"))
    assert set(admin_console.get("/admin/registry/unit/").context["cl"].result_list) == {pat.unit}


def test_the_bulk_deactivation_cannot_reach_another_agencys_officer(admin_console, dan):
    response = admin_console.post(
        "/admin/registry/officer/",
        {"action": "deactivate_selected", "_selected_action": [dan.pk], "post": "yes"},
    )
    assert response.status_code == 302
    dan.refresh_from_db()
    assert dan.is_active


def test_sign_in_is_not_unlocked_for_another_agencys_officer(admin_console, dan):
    admin_console.post("/admin/registry/officer/", {"action": "unlock_sign_in", "_selected_action": [dan.pk]})
    assert not AuditEntry.objects.filter(verb="sign_in_unlock").exists()


def test_a_new_officer_cannot_be_put_in_another_agency(admin_console, dan):
    dsal = Agency.objects.get(code="DSAL")
    page = admin_console.get("/admin/registry/officer/add/")
    form = page.context["adminform"].form
    assert set(form.fields["agency"].queryset) == {Agency.objects.get(code="PSP")}
    assert set(form.fields["unit"].queryset) == set(Unit.objects.filter(agency__code="PSP"))

    response = admin_console.post(
        "/admin/registry/officer/add/",
        {"agency": dsal.pk, "unit": dan.unit_id, "badge_number": "X1", "full_name": "Intruder", "sex": "M"},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "agency" in errors and "unit" in errors
    assert not Officer.objects.filter(full_name="Intruder").exists()


def test_the_pickers_offer_her_agency_alone(admin_console, dan, pat):
    psp = Agency.objects.get(code="PSP")
    assert _autocomplete(admin_console, "officer", "agency") == {str(psp.pk)}
    assert _autocomplete(admin_console, "officer", "unit") == {str(pat.unit_id)}
    assert _autocomplete(admin_console, "availability", "officer") == {
        str(o.pk) for o in Officer.objects.filter(agency=psp)
    }


def test_a_joint_teams_leader_is_still_picked_from_every_agency(admin_console, dan, pat):
    # A team is shared by the operation's agencies: its form accepts any agency's officer.
    offered = _autocomplete(admin_console, "team", "leader", app_label="inspections")
    assert {str(dan.pk), str(pat.pk)} <= offered


def test_shifts_of_another_agency_are_not_hers(admin_console, dan, pat):
    start = timezone.now() + dt.timedelta(days=1)
    theirs, ours = (
        Availability.objects.create(officer=o, kind="shift", start=start, end=start + dt.timedelta(hours=8))
        for o in (dan, pat)
    )
    assert set(admin_console.get("/admin/registry/availability/").context["cl"].result_list) == {ours}
    assert _missing(admin_console.get(f"/admin/registry/availability/{theirs.pk}/change/"))


def test_logins_phones_and_second_factors_of_another_agency_are_not_hers(admin_console, dan, pat, root):
    bootstrap = get_user_model().objects.get(username="root")
    logins = set(admin_console.get("/admin/auth/user/").context["cl"].result_list)
    assert pat.user in logins and dan.user not in logins and bootstrap not in logins
    for user in (dan.user, bootstrap):
        assert _missing(admin_console.get(f"/admin/auth/user/{user.pk}/change/"))
        # Setting another agency's password (or the bootstrap superuser's) would be a takeover.
        assert admin_console.get(f"/admin/auth/user/{user.pk}/password/").status_code == 404

    for officer in (dan, pat):
        phone = {"username": officer.user.username, "password": PASSWORD, "device_name": "Phone"}
        assert APIClient().post("/api/mobile/v1/auth/sign-in/", phone, format="json").status_code == 201
        TOTPDevice.objects.create(user=officer.user, name="phone", confirmed=True)
    tokens = set(admin_console.get("/admin/mobile_api/devicetoken/").context["cl"].result_list)
    assert {t.user for t in tokens} == {pat.user}
    devices = set(admin_console.get("/admin/otp_totp/totpdevice/").context["cl"].result_list)
    assert dan.user not in {d.user for d in devices}

    token = DeviceToken.objects.get(user=dan.user)
    revoke = {"action": "revoke_selected", "_selected_action": [token.pk]}
    admin_console.post("/admin/mobile_api/devicetoken/", revoke)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_login_she_creates_is_hers_until_an_officer_holds_it_and_gives_no_rights(admin_console, root, dan):
    response = admin_console.post(
        "/admin/auth/user/add/", {"username": "newbie", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    newbie = get_user_model().objects.get(username="newbie")
    page = admin_console.get(f"/admin/auth/user/{newbie.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert not {"is_staff", "is_superuser", "groups", "user_permissions"} & set(form.fields)

    # One root created is not hers.
    root.post("/admin/auth/user/add/", {"username": "rootmade", "password1": PASSWORD, "password2": PASSWORD})
    rootmade = get_user_model().objects.get(username="rootmade")
    assert _missing(admin_console.get(f"/admin/auth/user/{rootmade.pk}/change/"))
    offered = _autocomplete(admin_console, "officer", "user")
    assert str(newbie.pk) in offered and not {str(rootmade.pk), str(dan.user_id)} & offered


def test_a_login_with_no_officer_record_still_manages_every_agency(root, dan, pat):
    assert {dan, pat} <= set(root.get("/admin/registry/officer/").context["cl"].result_list)
    assert root.get(f"/admin/registry/officer/{dan.pk}/change/").status_code == 200
    assert root.get(f"/admin/registry/unit/{dan.unit_id}/change/").status_code == 200
    assert {str(dan.agency_id), str(pat.agency_id)} <= _autocomplete(root, "officer", "agency")


def test_agencies_are_read_not_changed_by_an_agencys_administrator(admin_console, root, dan):
    """PSP's administrator could rename DSAL, or say it sends no inspectors."""
    dsal = Agency.objects.get(code="DSAL")
    assert admin_console.get("/admin/registry/agency/").status_code == 200
    page = admin_console.get(f"/admin/registry/agency/{dsal.pk}/change/")
    assert page.status_code == 200 and not page.context["has_change_permission"]
    response = admin_console.post(
        f"/admin/registry/agency/{dsal.pk}/change/", {"code": "DSAL", "name_en": "Renamed", "inspects": ""}
    )
    assert response.status_code == 403
    assert admin_console.get("/admin/registry/agency/add/").status_code == 403
    dsal.refresh_from_db()
    assert dsal.name_en != "Renamed"
    assert root.get(f"/admin/registry/agency/{dsal.pk}/change/").context["has_change_permission"]


def test_the_audit_log_holds_her_agencys_people_alone(admin_console, root, dan, pat):
    """The log names people, their addresses and sign-ins: she read every agency's."""
    from backend.audit.services import audit_record

    audit_record(actor=dan.user, action="update", verb="site_update", obj=dan.unit, changes={})
    audit_record(actor=None, action="update", verb="officer_deactivate", obj=dan, changes={})
    audit_record(actor=None, action="update", verb="officer_deactivate", obj=pat, changes={})
    audit_record(actor=pat.user, action="update", verb="site_update", obj=dan.unit, changes={})
    by_dan = AuditEntry.objects.filter(actor=dan.user)
    about_dan = AuditEntry.objects.filter(object_type="registry.officer", object_id=str(dan.pk))
    about_pat = AuditEntry.objects.filter(object_type="registry.officer", object_id=str(pat.pk))
    hers = set(admin_console.get("/admin/audit/auditentry/").context["cl"].result_list)
    assert hers and not hers & {*by_dan, *about_dan}
    assert set(about_pat) <= hers and AuditEntry.objects.get(actor=pat.user, verb="site_update") in hers
    assert _missing(admin_console.get(f"/admin/audit/auditentry/{by_dan.first().pk}/change/"))
    everything = set(root.get("/admin/audit/auditentry/").context["cl"].result_list)
    assert {*by_dan, *about_dan, *about_pat} <= everything


def test_an_entry_about_the_demo_is_named_not_coded(root):
    from backend.audit.services import audit_record

    audit_record(actor=None, action="create", verb="demo_load", object_type="demo.city", changes={})
    page = root.get("/admin/audit/auditentry/").content.decode()
    assert ">demo city<" in page and ">demo.city<" not in page  # the filter's link keeps the code


def test_failed_sign_ins_are_hers_for_her_people_and_unknown_names(admin_console, root, dan, pat):
    for username in ("dan", "pat", "nobody"):
        Client().post("/sign-in/", {"username": username, "password": "wrong"})
    failed = AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED)
    hers = admin_console.get("/admin/audit/auditentry/", {"action__exact": "login_failed"}).context["cl"]
    assert {e.object_repr for e in hers.result_list} == {"pat", "nobody"}
    assert failed.count() == 3


def test_an_officer_is_found_by_the_id_the_import_names_them_by(admin_console, pat):
    """The registry import and its refusals name officers by their external id ("PSP-004512");
    the officers list found nothing by it."""
    Officer.objects.filter(pk=pat.pk).update(external_id="PSP-004512")
    found = admin_console.get("/admin/registry/officer/", {"q": "PSP-004512"}).context["cl"].result_list
    assert list(found) == [pat]
