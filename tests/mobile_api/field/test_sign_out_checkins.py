"""Signing out deletes the officer's unsent work from the phone, check-ins recorded offline
included; the question it asks first ("Discard 1 unsent checklist and sign out") counted the
checklists only, so a check-in alone was deleted on one tap, and beside a checklist it went
unnamed. It now names the check-ins too, in each language. Both kinds are counted each on its own
("1 checklist and 1 check-in"): their sum, "Descartar 2 listas e chegadas", read as two checklists
for one checklist and one check-in."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from backend.inspections.models import CheckIn
from tests.browser_support import axe_check
from tests.mobile_api.field.phone import (
    fill_checklist,
    open_phone,
    sign_in_app,
    wait_offline_ready,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("locale", "alone", "both"),
    [
        (
            "en",
            "Discard 1 unsent check-in and sign out",
            "Discard 1 checklist and 1 check-in not yet sent, and sign out",
        ),
        ("zh-Hant", "捨棄 1 項未傳送的簽到並登出", "捨棄未傳送的 1 項檢查表及 1 項簽到並登出"),
        (
            "pt-PT",
            "Descartar 1 chegada registada por enviar e sair",
            "Descartar 1 lista e 1 chegada registada por enviar e sair",
        ),
    ],
)
def test_an_unsent_check_in_is_named_before_sign_out_deletes_it(pages, field, locale, alone, both):
    page = open_phone(pages, locale=locale)
    sign_in_app(page, pages.base_url, "alice")
    wait_offline_ready(page)
    page.context.set_offline(True)
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    page.locator("#check-in").click()
    expect(page.locator("#outbox-list li.checkin")).to_have_count(1)

    page.goto(f"{pages.base_url}/field/#/")
    page.locator("#sign-out").click()
    expect(page.locator("#sign-out")).to_have_text(alone)
    axe_check(page)

    fill_checklist(page, str(field.revealed.uuid), "venue_prostitution_trafficking")
    page.goto(f"{pages.base_url}/field/#/")
    page.locator("#sign-out").click()
    expect(page.locator("#sign-out")).to_have_text(both)
    page.locator("#sign-out").click()  # the second tap signs out, as the button said
    expect(page.locator("#username")).to_be_visible()
    assert not CheckIn.objects.exists()  # discarded, never sent
