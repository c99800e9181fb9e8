"""The back-office API gives a site's on-site contact person and phone with the other site fields,
and lets planners and administrators set or clear them (PATCH /api/v1/sites/<id>/) with the
registry files' limits: 200 characters for the person, 40 for the phone."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

from backend.audit.models import AuditEntry
from backend.registry.models import Site
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def venue(db):
    return factories.site(
        name_en="Golden Lotus Karaoke", contact_name="Chan Tai Man", contact_phone="2855 1234"
    )


@pytest.fixture
def admin_psp(db):
    return factories.officer("PSP", username="admin-psp", roles=("administrator",))


def _url(site: Site) -> str:
    return f"/api/v1/sites/{site.uuid}/"


def test_every_officer_reads_the_contact_with_the_site(api, carol, venue):
    client = api.as_(carol)
    detail = client.get(_url(venue)).json()
    assert (detail["contact_name"], detail["contact_phone"]) == ("Chan Tai Man", "2855 1234")
    listed = client.get("/api/v1/sites/?search=lotus").json()["results"]
    assert (listed[0]["contact_name"], listed[0]["contact_phone"]) == ("Chan Tai Man", "2855 1234")
    bare = factories.site(name_en="Jade Sauna")
    assert client.get(_url(bare)).json()["contact_name"] == ""  # none on record: empty, never null


@pytest.mark.parametrize("who", ["paula", "admin_psp"])
def test_a_planner_or_an_administrator_sets_the_contact(request, api, venue, who):
    officer = request.getfixturevalue(who)
    response = api.as_(officer).patch(
        _url(venue), {"contact_name": "Maria Rodrigues", "contact_phone": "6612 3456"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["contact_name"], response.json()["contact_phone"]) == (
        "Maria Rodrigues",
        "6612 3456",
    )
    venue.refresh_from_db()
    assert (venue.contact_name, venue.contact_phone) == ("Maria Rodrigues", "6612 3456")
    entry = AuditEntry.objects.get(verb="site_update", actor=officer.user)
    assert entry.changes["contact_name"] == ["Chan Tai Man", "Maria Rodrigues"]


def test_one_field_alone_changes_that_field_and_an_empty_one_clears_it(api, paula, venue):
    client = api.as_(paula)
    assert client.patch(_url(venue), {"contact_phone": "  6612 3456 "}, format="json").status_code == 200
    venue.refresh_from_db()
    assert (venue.contact_name, venue.contact_phone) == ("Chan Tai Man", "6612 3456")  # trimmed
    assert (
        client.patch(_url(venue), {"contact_name": "", "contact_phone": ""}, format="json").status_code == 200
    )
    venue.refresh_from_db()
    assert (venue.contact_name, venue.contact_phone) == ("", "")


# A reviewer is refused; an inspector's phone token and a login with no officer record (no way
# in) are not let in at all.
@pytest.mark.parametrize(("who", "status"), [("alice", 401), ("carol", 403), ("oscar", 401)])
def test_other_roles_may_not_set_it(request, api, venue, who, status):
    response = api.as_(request.getfixturevalue(who)).patch(
        _url(venue), {"contact_name": "Someone Else"}, format="json"
    )
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/problem+json")
    venue.refresh_from_db()
    assert venue.contact_name == "Chan Tai Man"
    assert not AuditEntry.objects.filter(verb="site_update").exists()


def test_anonymous_may_not_set_it(api, venue):
    assert api.patch(_url(venue), {"contact_name": "X"}, format="json").status_code == 401


def test_an_unknown_site_is_404(api, paula):
    response = api.as_(paula).patch(
        "/api/v1/sites/00000000-0000-0000-0000-000000000000/", {"contact_name": "X"}, format="json"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"contact_name": "x" * 201}, "contact_name"),
        ({"contact_phone": "9" * 41}, "contact_phone"),
        ({"contact_phone": None}, "contact_phone"),
        ({"contact_name": ["Chan"]}, "contact_name"),
        ({"contact_name": "Chan\x00"}, "contact_name"),
        ({"contact": "Chan Tai Man"}, "contact"),  # misspelt: refused, not ignored
        ({}, "non_field_errors"),
    ],
)
def test_bad_input_is_a_400_problem_on_its_field(api, paula, venue, body, field):
    response = api.as_(paula).patch(_url(venue), body, format="json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 400 and problem["code"] == "invalid"
    assert field in problem["errors"], problem
    venue.refresh_from_db()
    assert (venue.contact_name, venue.contact_phone) == ("Chan Tai Man", "2855 1234")


def test_the_longest_values_the_registry_files_take_are_taken(api, paula, venue):
    body = {"contact_name": "x" * 200, "contact_phone": "9" * 40}
    assert api.as_(paula).patch(_url(venue), body, format="json").status_code == 200
    venue.refresh_from_db()
    assert (len(venue.contact_name), len(venue.contact_phone)) == (200, 40)


def test_the_schema_documents_the_contact():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    patch = schema["paths"]["/api/v1/sites/{site_id}/"]["patch"]
    body = patch["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/PatchedSiteContactInput"}
    component = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    assert component["properties"]["contact_name"]["maxLength"] == 200
    assert component["properties"]["contact_phone"]["maxLength"] == 40
    output = schema["components"]["schemas"]["SiteOutput"]["properties"]
    assert {"contact_name", "contact_phone"} <= set(output)
