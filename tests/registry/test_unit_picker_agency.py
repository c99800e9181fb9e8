"""An officer's unit picker offers the units of the agency chosen in the form. It offered every
agency's units, and a unit of another agency was refused only after saving ("The unit belongs to
another agency"). Without an agency chosen it still offers all, each with its agency."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from backend.registry.models import Officer, Unit
from tests import factories
from tests.browser_support import sign_in, sign_in_client

PASSWORD = "correct-horse-battery"
SEARCH = {"app_label": "registry", "model_name": "officer", "field_name": "unit", "term": ""}


def _units() -> dict[str, Unit]:
    return {
        code: factories.unit(factories.agency(code), code=f"{code.lower()}-patrol")
        for code in ("PSP", "DSAL")
    }


def _root(django_user_model) -> str:
    """A login with no officer record, which moves officers between agencies: an agency's own
    administrator keeps to their agency (tests/registry/test_admin_agency_scope.py)."""
    django_user_model.objects.create_superuser("root", "root@example.invalid", PASSWORD)
    return "root"


@pytest.mark.django_db
def test_the_search_keeps_to_the_agency_it_is_given(client, django_user_model):
    sign_in_client(client, _root(django_user_model), PASSWORD)
    admin_console = client
    units = _units()
    everyone = admin_console.get("/admin/autocomplete/", SEARCH).json()["results"]
    assert {str(units["PSP"].pk), str(units["DSAL"].pk)} <= {r["id"] for r in everyone}

    dsal = admin_console.get("/admin/autocomplete/", {**SEARCH, "agency": units["DSAL"].agency_id}).json()
    assert [r["text"] for r in dsal["results"]] == ["dsal-patrol (DSAL)"]


@pytest.mark.django_db
@pytest.mark.parametrize("agency", ["\u00b2", "\u0661", "9" * 30])
def test_an_agency_that_is_no_agency_id_narrows_nothing(client, django_user_model, agency):
    """A hand-edited ``agency`` of digits that are no id ("²", which str.isdigit() accepts and
    int() refuses; thirty digits, beyond any column) was a server error: the search offers every
    unit, as without an agency."""
    client.raise_request_exception = False
    sign_in_client(client, _root(django_user_model), PASSWORD)
    units = _units()
    found = client.get("/admin/autocomplete/", {**SEARCH, "agency": agency})
    assert found.status_code == 200, found.status_code
    assert {str(units["PSP"].pk), str(units["DSAL"].pk)} <= {r["id"] for r in found.json()["results"]}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_officers_unit_picker_follows_the_chosen_agency(pages, django_user_model):
    root = _root(django_user_model)
    units = _units()
    tom = factories.officer("PSP", username="tom", full_name="Tom Inspector", unit=units["PSP"])
    page = pages.new_page()
    sign_in(page, pages.base_url, root, PASSWORD, next_path=f"/admin/registry/officer/{tom.pk}/change/")

    def offered(*units: str) -> None:
        page.locator(".field-unit .select2-selection").click()
        expect(page.locator(".select2-results__option")).to_have_text(units)

    # The page opens with the officer's unit chosen: the "change" Django's scripts fire on every
    # related field as the page loads is no change of agency (it emptied the unit, and every save
    # of an officer, a leaver's deactivation included, was refused with "This field is required").
    expect(page.locator("select[name='unit']")).to_have_value(str(units["PSP"].pk))
    offered("psp-patrol (PSP)")
    page.keyboard.press("Escape")

    # Moved to the labour bureau: its units are offered, and one is saved with it.
    page.locator(".field-agency .select2-selection").click()
    page.locator(".select2-search__field").fill("DSAL")
    page.locator(".select2-results__option", has_text="DSAL").click()
    # The PSP unit chosen before is emptied at once, not left to be refused on saving.
    expect(page.locator("select[name='unit']")).to_have_value("")
    offered("dsal-patrol (DSAL)")
    page.locator(".select2-results__option", has_text="dsal-patrol").click()
    with page.expect_navigation():
        page.locator("input[name='_continue']").click()
    assert page.locator(".errornote").count() == 0
    tom = Officer.objects.get(pk=tom.pk)
    assert (tom.agency.code, tom.unit_id) == ("DSAL", units["DSAL"].pk)
