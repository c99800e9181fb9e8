"""Where the admin has a unit picked from every agency's units (an officer's unit, an operation's
muster point, the officers list's unit filter), each unit reads "Name (AGENCY)": agencies name
their units alike. And the agency costs no query per unit."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.registry.models import Unit
from tests import factories
from tests.browser_support import sign_in_client

pytestmark = pytest.mark.django_db


def _headquarters(*codes: str) -> list[Unit]:
    units = []
    for code in codes:
        unit = factories.unit(factories.agency(code), code=f"{code.lower()}-hq-x")
        Unit.objects.filter(pk=unit.pk).update(name_en="Headquarters")
        units.append(Unit.objects.get(pk=unit.pk))
    return units


@pytest.fixture
def root(client, django_user_model):
    """A login with no officer record: it picks among every agency's units, where an agency's
    administrator has their own (tests/registry/test_admin_agency_scope.py)."""
    django_user_model.objects.create_superuser("root", "root@example.invalid", "correct-horse-battery")
    sign_in_client(client, "root", "correct-horse-battery")
    return client


def _queries(client, url: str, **params) -> tuple[int, object]:
    client.get(url, params)  # once first: what a first visit alone reads (the session's refresh)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured), response


def test_the_officer_forms_unit_shows_its_agency(root):
    admin_console = root
    psp, _dsal = _headquarters("PSP", "DSAL")
    officer = factories.officer("PSP", username="olga", unit=psp, full_name="Olga Officer")
    page = admin_console.get(f"/admin/registry/officer/{officer.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert f'<option value="{psp.pk}" selected>Headquarters (PSP)</option>' in text

    # The picker's search: every unit with its agency, in as many queries for many units as few.
    search = {"app_label": "registry", "model_name": "officer", "field_name": "unit", "term": "Headq"}
    few, answer = _queries(admin_console, "/admin/autocomplete/", **search)
    assert sorted(r["text"] for r in answer.json()["results"]) == [
        "Headquarters (DSAL)",
        "Headquarters (PSP)",
    ]
    _headquarters("PJ", "IAS", "DSAMA", "CPSP")
    many, answer = _queries(admin_console, "/admin/autocomplete/", **search)
    assert len(answer.json()["results"]) == 6
    assert "Headquarters (IAS)" in {r["text"] for r in answer.json()["results"]}
    assert many == few


def test_other_pickers_keep_their_own_labels(admin_console):
    # The login picker has no autocomplete_label: its results are the logins' names, as before.
    factories.officer("PSP", username="olga", full_name="Olga Officer")
    answer = admin_console.get(
        "/admin/autocomplete/",
        {"app_label": "registry", "model_name": "officer", "field_name": "user", "term": "olg"},
    )
    assert [r["text"] for r in answer.json()["results"]] == ["olga"]


def test_the_officers_unit_filter_shows_each_agency_in_one_query(root):
    admin_console = root
    _headquarters("PSP", "DSAL")
    few, page = _queries(admin_console, "/admin/registry/officer/")
    text = page.content.decode()
    assert "Headquarters (PSP)" in text and "Headquarters (DSAL)" in text
    _headquarters("PJ", "IAS", "DSAMA")
    many, page = _queries(admin_console, "/admin/registry/officer/")
    assert "Headquarters (DSAMA)" in page.content.decode()
    assert many == few


def test_an_operations_muster_point_shows_its_agency(admin_console):
    _headquarters("PSP", "DSAL")
    few, page = _queries(admin_console, "/admin/scheduler/operationsetup/add/")
    text = page.content.decode()
    assert ">Headquarters (PSP)</option>" in text and ">Headquarters (DSAL)</option>" in text
    _headquarters("PJ", "IAS", "DSAMA")
    many, _page = _queries(admin_console, "/admin/scheduler/operationsetup/add/")
    assert many == few
