"""The back-office API's root, /api/v1/, as an integrator given the base URL meets it: it
answered 404. With a token from the token endpoint it lists the resources the token's role may use
(links that answer) and the schema's links; without one it says to sign in, as the rest does."""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse
from rest_framework.test import APIClient

from backend.core.api_root import EVERY_ROLE, RESOURCES
from tests.compliance.conftest import _fast_passwords, andy, percy  # noqa: F401
from tests.core.test_api_anonymous import _routes
from tests.core.test_backoffice_script import _mismatches, _script
from tests.core.test_role_access import _rule_for


def test_an_anonymous_caller_is_told_to_sign_in_and_shown_nothing(db):
    response = APIClient().get("/api/v1/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "resources" not in response.json()


def test_a_reviewers_token_lists_its_resources_and_each_link_answers(carol):
    script = _script(carol.user)
    response = script.get("/api/v1/")
    assert response.status_code == 200, response.content
    body = response.json()
    names = [r["name"] for r in body["resources"]]
    assert {"cases/", "review/queue/", "sites/", "cases/open/"} <= set(names)
    assert not [n for n in names if n.startswith("planning/")]
    for resource in body["resources"]:
        assert resource["href"] == f"http://testserver/api/v1/{resource['name']}"
        if "GET" in resource["methods"]:
            answer = script.get(resource["href"])  # a query without its measure is a 400: reached
            assert answer.status_code in (200, 400), (resource["name"], answer.content)
    assert [r["methods"] for r in body["resources"] if r["name"] == "cases/open/"] == [["POST"]]
    assert script.get(body["schema"], {"format": "json"}).status_code == 200
    assert script.get(body["docs"]).status_code == 200
    schema = script.get("/api/schema/?format=json").json()
    assert _mismatches(schema, "/api/v1/", response) == []


def test_an_analysts_token_lists_statistics_not_review(andy):  # noqa: F811
    names = {r["name"] for r in _script(andy.user).get("/api/v1/").json()["resources"]}
    assert {"statistics/", "statistics/query/", "cases/", "referrals/"} <= names
    assert not names & {"review/queue/", "cases/open/", "planning/operations/"}


@pytest.mark.parametrize("role", sorted(EVERY_ROLE))
def test_the_index_lists_what_the_role_table_lets_the_role_use(role):
    """The index promises what tests/core/test_role_access.py's ROLE_TABLE (checked against the
    code there) lets each role reach: nothing that answers 403, nothing left out."""
    for name, allowed in RESOURCES:
        route = reverse(name).removeprefix("/")
        view = get_resolver().resolve("/" + route).func.cls
        method = "GET" if hasattr(view, "get") else "POST"
        assert (role in allowed) == (role in _rule_for(route, method).roles), (name, role)


def test_every_collection_of_the_api_is_in_the_index():
    listed = {reverse(name).removeprefix("/") for name, _roles in RESOURCES}
    collections = {
        route.replace("^", "").replace("$", "")
        for route, _callback in _routes(get_resolver().url_patterns)
        if route.startswith("api/v1/") and "<" not in route and "(?P" not in route and route != "api/v1/"
    }
    assert collections == listed
