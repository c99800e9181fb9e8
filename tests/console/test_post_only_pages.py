"""A console page that only takes POST answers 404 to a role it does not open, whatever the method,
as every other page does: a GET by an analyst of a referral's "update" or a case's "outcome" was
told 405 (the method check ran before the role's), which told them the page was there. The role
that opens it is still told 405 for a GET."""

from __future__ import annotations

import uuid

import pytest

from tests import factories
from tests.browser_support import sign_in_client
from tests.conftest import PASSWORD

SOME = uuid.UUID("5b0c2f8e-7d1a-4c3e-9b6f-2a8d4e1c7f30")  # no row has it; the same in every process
# (url, the role that opens it)
POST_ONLY = [
    ("/review/approve/", "reviewer"),
    (f"/review/{SOME}/approve/", "reviewer"),
    (f"/review/{SOME}/return/", "reviewer"),
    (f"/review/{SOME}/open-case/", "reviewer"),
    (f"/compliance/cases/{SOME}/notice/", "reviewer"),
    (f"/compliance/cases/{SOME}/comment/", "reviewer"),
    (f"/compliance/cases/{SOME}/follow-up/", "reviewer"),
    (f"/compliance/cases/{SOME}/outcome/", "reviewer"),
    (f"/compliance/cases/{SOME}/reopen/", "reviewer"),
    (f"/protection/{SOME}/person/", "victim_protection"),
    (f"/protection/{SOME}/person/record/", "victim_protection"),
    (f"/protection/{SOME}/services/", "victim_protection"),
    (f"/protection/{SOME}/update/", "victim_protection"),
    (f"/registry/imports/{SOME}/apply/", "administrator"),
]


@pytest.fixture
def analyst(client, db):
    factories.officer("DSAL", username="andy", roles=("analyst",))
    sign_in_client(client, "andy", PASSWORD)
    return client


@pytest.mark.parametrize(("url", "role"), POST_ONLY, ids=[u for u, _r in POST_ONLY])
def test_a_role_the_page_does_not_open_gets_404_for_any_method(analyst, url, role):
    assert analyst.get(url).status_code == 404
    assert analyst.post(url).status_code == 404


@pytest.mark.parametrize("role", ["reviewer", "victim_protection", "administrator"])
def test_the_role_that_opens_it_is_still_told_to_post(client, db, role):
    factories.officer("IAS", username="rita", roles=(role,))
    sign_in_client(client, "rita", PASSWORD)
    for url, opens in POST_ONLY:
        if opens == role:
            assert client.get(url).status_code == 405, url
