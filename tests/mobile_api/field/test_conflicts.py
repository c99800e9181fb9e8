"""An inspector declares a conflict of interest from the field app (the only way in an inspector
has): from the home screen to "Conflicts of interest", a search of the registry, the site chosen,
the tie said, "Declare"; the declaration is listed, and planners see it. On a 390 px phone, axe
clean. (Offline, and withdrawn: test_conflicts_offline.py.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from backend.registry import selectors
from backend.registry.models import ConflictOfInterest
from tests import factories
from tests.browser_support import SCREENSHOTS, axe_check
from tests.mobile_api.field.phone import PHONE_390, open_phone, sign_in_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "My cousin manages this karaoke."


def test_an_inspector_declares_a_conflict_for_a_site_found_by_search(pages, alice, paula, karaoke):
    factories.site(name_en="Jade Sauna", venue_type="sauna")
    factories.company(name_en="Lotus Leisure Ltd")
    page = open_phone(pages, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")

    page.locator("#open-conflicts").click()
    expect(page.locator("#screen-title")).to_have_text("Conflicts of interest")
    expect(page.locator("#conflicts-list")).to_contain_text("You have declared no conflict of interest.")
    axe_check(page)

    # Nothing chosen, nothing said: each said at its field, nothing sent.
    page.locator("#conflict-declare").click()
    expect(page.locator("#conflict-targets-error")).to_have_text("Search, then choose a site or a company.")
    expect(page.locator("#conflict-reason-error")).to_have_text("Say what ties you to it.")
    expect(page.locator("#conflict-reason")).to_have_attribute("aria-invalid", "true")

    page.locator("#conflict-q").fill("lotus")
    page.locator("#conflict-search").click()
    choices = page.locator("#conflict-targets label")
    expect(choices).to_have_count(2)  # the karaoke and the company, not the sauna
    expect(choices.nth(0)).to_contain_text("Golden Lotus Karaoke")
    expect(choices.nth(0)).to_contain_text("Rua do Lótus 8")
    expect(choices.nth(1)).to_contain_text("Lotus Leisure Ltd")
    expect(choices.nth(1)).to_contain_text("Company")
    page.get_by_label("Golden Lotus Karaoke").check()
    page.locator("#conflict-reason").fill(REASON)
    page.locator("#conflict-declare").click()
    expect(page.locator("#conflict-message")).to_have_text("Declared: Golden Lotus Karaoke.")
    declared = page.locator("#conflicts-list li.conflict")
    expect(declared).to_have_count(1)
    expect(declared).to_contain_text("Golden Lotus Karaoke")
    expect(declared).to_contain_text(REASON)
    expect(declared).to_contain_text("Declared:")
    expect(page.locator("#conflict-reason")).to_have_value("")  # the form starts afresh
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing scrolls sideways
    axe_check(page)
    page.screenshot(path=str(SCREENSHOTS / "field-conflicts-en-390.png"), full_page=True)

    row = ConflictOfInterest.objects.get()
    assert (row.officer, row.site, row.reason) == (alice, karaoke, REASON)
    assert [c.site for c in selectors.conflict_list(user=paula.user)] == [karaoke]

    # In Portuguese and in Chinese: the screen's words, the site's name as each language writes
    # it, and what was said at the declaration (in English) not said again on a later visit.
    for language, title, declare, name in (
        ("pt", "Conflitos de interesses", "Declarar", "Karaoke Lótus Dourado"),
        ("zh-hant", "利益衝突", "申報", "金蓮卡拉OK"),
    ):
        page.locator("#back").click()
        page.locator("#language").select_option(language)
        page.locator("#open-conflicts").click()
        expect(page.locator("#screen-title")).to_have_text(title)
        expect(page.locator("#conflict-declare")).to_have_text(declare)
        expect(page.locator("#conflicts-list li.conflict")).to_contain_text(name)
        expect(page.locator("#conflict-message")).to_be_hidden()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        axe_check(page)
        page.screenshot(path=str(SCREENSHOTS / f"field-conflicts-{language}-390.png"), full_page=True)
    expect(page.locator("#screen-title")).to_have_text("利益衝突")
    expect(page.locator("#conflicts-list li.conflict")).to_contain_text("蓮花街8號")  # the Chinese address
