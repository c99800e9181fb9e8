"""The registry's API: who sees which officers, sites and declarations."""

import uuid

import pytest

from backend.audit.models import AuditEntry
from backend.registry.models import ConflictOfInterest
from tests import factories


@pytest.fixture
def venue(db):
    return factories.site(name_en="Golden Lotus Karaoke")


def test_anonymous_sees_nothing(api, venue):
    assert api.get("/api/v1/sites/").status_code == 401
    assert api.get(f"/api/v1/sites/{venue.uuid}/").status_code == 401
    assert api.get("/api/v1/officers/").status_code == 401


def test_a_login_that_is_no_officer_sees_no_site(api, oscar, venue):
    client = api.as_(oscar)
    assert client.get("/api/v1/sites/").json()["count"] == 0
    assert client.get(f"/api/v1/sites/{venue.uuid}/").status_code == 404
    assert client.get("/api/v1/me/").status_code == 404


def test_an_officer_sees_the_shared_site_registry(api, alice, venue):
    body = api.as_(alice).get("/api/v1/sites/?kind=venue&search=lotus").json()
    assert [s["id"] for s in body["results"]] == [str(venue.uuid)]
    detail = api.get(f"/api/v1/sites/{venue.uuid}/").json()
    assert detail["opening_hours"][0]["crosses_midnight"] is True


def test_unknown_or_malformed_site_id_is_404(api, alice):
    client = api.as_(alice)
    assert client.get(f"/api/v1/sites/{uuid.uuid4()}/").status_code == 404
    assert client.get("/api/v1/sites/not-a-uuid/").status_code == 404


def test_an_officer_sees_their_own_agency_only(api, alice, bob, carol):
    client = api.as_(bob)
    seen = {o["full_name"] for o in client.get("/api/v1/officers/").json()["results"]}
    assert seen == {"Bob Labour", "Carol Reviewer"}
    assert client.get(f"/api/v1/officers/{alice.uuid}/").status_code == 404  # the wrong agency


def test_a_planner_sees_officers_of_every_agency(api, alice, bob, paula):
    seen = {o["full_name"] for o in api.as_(paula).get("/api/v1/officers/").json()["results"]}
    assert {"Alice Police", "Bob Labour", "Paula Planner"} <= seen


def test_me_is_my_own_record(api, alice):
    body = api.as_(alice).get("/api/v1/me/").json()
    assert body["id"] == str(alice.uuid) and body["agency"] == "PSP" and body["roles"] == ["inspector"]


def test_an_inactive_officer_gets_nothing(api, alice, venue):
    alice.is_active = False
    alice.save()
    client = api.as_(alice)
    assert client.get("/api/v1/sites/").json()["count"] == 0
    assert client.get("/api/v1/me/").status_code == 404


def test_declaring_a_conflict_is_recorded_once_and_audited(api, alice, venue):
    client = api.as_(alice)
    payload = {"site": str(venue.uuid), "reason": "My cousin manages it."}
    assert client.post("/api/v1/me/conflicts/", payload, format="json").status_code == 201
    assert client.post("/api/v1/me/conflicts/", payload, format="json").status_code == 201
    assert ConflictOfInterest.objects.filter(officer=alice).count() == 1
    assert AuditEntry.objects.filter(verb="conflict_declare", actor=alice.user).count() == 1


def test_a_declaration_needs_a_site_or_a_company(api, alice):
    response = api.as_(alice).post("/api/v1/me/conflicts/", {"reason": "tie"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not ConflictOfInterest.objects.exists()


def test_declarations_are_personal(api, alice, bob, paula, venue):
    api.as_(alice).post("/api/v1/me/conflicts/", {"site": str(venue.uuid), "reason": "tie"}, format="json")
    assert api.as_(bob).get("/api/v1/me/conflicts/").json() == []
    from backend.registry.selectors import conflict_list

    assert conflict_list(user=bob.user).count() == 0  # the wrong officer
    assert conflict_list(user=paula.user).count() == 1  # planners must honour them
