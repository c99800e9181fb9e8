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
    # It has no way in (neither the console nor the officers' API lets it sign in): nothing.
    client = api.as_(oscar)
    assert client.get("/api/v1/sites/").status_code == 401
    assert client.get(f"/api/v1/sites/{venue.uuid}/").status_code == 401
    assert client.get("/api/v1/me/").status_code == 401


def test_a_field_officers_phone_token_opens_no_registry(api, alice, venue):
    client = api.as_(alice)  # an inspector signs in on the phone: a device token
    assert client.get("/api/v1/sites/").status_code == 401
    assert client.get(f"/api/v1/sites/{venue.uuid}/").status_code == 401
    assert client.get("/api/v1/me/").status_code == 401


def test_an_officer_sees_the_shared_site_registry(api, carol, venue):
    body = api.as_(carol).get("/api/v1/sites/?kind=venue&search=lotus").json()
    assert [s["id"] for s in body["results"]] == [str(venue.uuid)]
    detail = api.get(f"/api/v1/sites/{venue.uuid}/").json()
    assert detail["opening_hours"][0]["crosses_midnight"] is True


def test_unknown_or_malformed_site_id_is_404(api, carol):
    client = api.as_(carol)
    assert client.get(f"/api/v1/sites/{uuid.uuid4()}/").status_code == 404
    assert client.get("/api/v1/sites/not-a-uuid/").status_code == 404


def test_an_officer_sees_their_own_agency_only(api, alice, bob, carol):
    client = api.as_(carol)
    seen = {o["full_name"] for o in client.get("/api/v1/officers/").json()["results"]}
    assert seen == {"Bob Labour", "Carol Reviewer"}
    assert client.get(f"/api/v1/officers/{alice.uuid}/").status_code == 404  # the wrong agency


def test_a_planner_sees_officers_of_every_agency(api, alice, bob, paula):
    seen = {o["full_name"] for o in api.as_(paula).get("/api/v1/officers/").json()["results"]}
    assert {"Alice Police", "Bob Labour", "Paula Planner"} <= seen


def test_me_is_my_own_record(api, paula):
    body = api.as_(paula).get("/api/v1/me/").json()
    assert body["id"] == str(paula.uuid) and body["agency"] == "PSP" and body["roles"] == ["planner"]


def test_an_inactive_officer_gets_nothing(api, carol, venue):
    client = api.as_(carol)  # signed in before she leaves
    carol.is_active = False
    carol.save()
    assert client.get("/api/v1/sites/").json()["count"] == 0
    assert client.get("/api/v1/me/").status_code == 404


def test_declaring_a_conflict_is_recorded_once_and_audited(api, carol, venue):
    client = api.as_(carol)
    payload = {"site": str(venue.uuid), "reason": "My cousin manages it."}
    assert client.post("/api/v1/me/conflicts/", payload, format="json").status_code == 201
    assert client.post("/api/v1/me/conflicts/", payload, format="json").status_code == 201
    assert ConflictOfInterest.objects.filter(officer=carol).count() == 1
    assert AuditEntry.objects.filter(verb="conflict_declare", actor=carol.user).count() == 1


def test_a_declaration_needs_a_site_or_a_company(api, carol):
    response = api.as_(carol).post("/api/v1/me/conflicts/", {"reason": "tie"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not ConflictOfInterest.objects.exists()


def test_declarations_are_personal(api, carol, bob, paula, venue):
    api.as_(carol).post("/api/v1/me/conflicts/", {"site": str(venue.uuid), "reason": "tie"}, format="json")
    assert api.as_(paula).get("/api/v1/me/conflicts/").json() == []
    from backend.registry.selectors import conflict_list

    assert conflict_list(user=bob.user).count() == 0  # the wrong officer
    assert conflict_list(user=carol.user).count() == 1  # her own
    assert conflict_list(user=paula.user).count() == 1  # planners must honour them
