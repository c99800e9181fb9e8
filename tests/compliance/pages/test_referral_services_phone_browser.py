"""A referral's protection services on a phone (390 px): each service is a card, as the referrals
are, not a table of five columns scrolled sideways inside its box, where the Note column lay past
the screen's edge (found on a newcomer's walk). Nothing is wider than the screen, every field (the
note too) shows beside its column's name, and a screen reader still meets a table with its
column headers; in the three languages."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.compliance import services
from tests.browser_support import PHONE, axe_check, card_rows, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
NOTE = "Placed in the women's shelter of the Caritas network; interpreter booked for Tuesday"


@pytest.fixture
def served(referral, vera):
    services.protection_service_record(
        user=vera.user,
        referral=referral,
        kind="shelter",
        provider_kind="ngo",
        provider_name="Caritas Macau",
        started_on=dt.date(2026, 12, 1),
        note=NOTE,
    )
    return referral


@pytest.mark.parametrize("language", ["en", "pt", "zh-hant"])
def test_services_are_cards_on_a_phone(pages, served, language):
    page = pages.new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    sign_in(page, pages.base_url, "vera", PASSWORD)
    if language != "en":
        page.locator(f'button[name="language"][value="{language}"]').click()
        page.wait_for_load_state()
    page.goto(f"{pages.base_url}/protection/{served.uuid}/")
    rows = card_rows(page, 'section[aria-labelledby="services-h"] table')
    assert len(rows) == 1 and len(rows[0]) == 5, rows
    assert rows[0][4]["text"] == NOTE  # the note, in view
    tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    names = [(n.get("role", {}).get("value"), (n.get("name") or {}).get("value")) for n in tree]
    headers = [h for role, h in names if role == "columnheader"]
    assert set(rows[0][i]["header"] for i in range(5)) <= set(headers), names
    assert sum(role == "cell" for role, _ in names) >= 5
    page.locator("#services").scroll_into_view_if_needed()
    axe_check(page)
    pages.shot(page, f"referral-services-cards-{language}")
