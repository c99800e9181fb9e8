"""A declaration of a conflict of interest waiting on the phone is named in the reader's language.
The registry's search names a site in the language it is asked in, and the declaration kept on the
phone kept that one name: declared offline in English, it still read "Pearl River Spa, Rua das
Pérolas 3" after the officer switched to Chinese, or Portuguese. The search's results now carry
their names (and address lines) in the app's three languages, so the declaration is read in each,
offline, and so is the list as last read (read in the three languages). On a 390 px phone, axe
clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from backend.registry import services as registry
from backend.registry.models import ConflictOfInterest
from tests import factories
from tests.browser_support import SCREENSHOTS, axe_check
from tests.mobile_api.field.phone import PHONE_390, go_online, open_phone, sign_in_app, wait_offline_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMED = (
    ("zh-hant", "珠江水療", "珠江街3號"),
    ("pt", "Spa Rio das Pérolas", "Rua das Pérolas 3"),
    ("en", "Pearl River Spa", "Rua das Pérolas 3"),
)


def switch_to(page, language: str) -> None:
    page.locator("#back").click()
    page.locator("#language").select_option(language)
    page.locator("#open-conflicts").click()


def test_a_declaration_kept_offline_reads_in_the_language_switched_to(pages, alice):
    spa = factories.site(
        name_en="Pearl River Spa",
        name_zh_hant="珠江水療",
        name_pt="Spa Rio das Pérolas",
        address="Rua das Pérolas 3",
        address_zh_hant="珠江街3號",
    )
    page = open_phone(pages, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    wait_offline_ready(page)
    page.locator("#open-conflicts").click()
    page.locator("#conflict-q").fill("pearl")
    page.locator("#conflict-search").click()
    page.get_by_label("Pearl River Spa").check()
    page.locator("#conflict-reason").fill("My brother owns it.")
    page.context.set_offline(True)
    page.locator("#conflict-declare").click()
    waiting = page.locator("#conflicts-list li.conflict.queued")
    expect(waiting).to_have_count(1)

    for language, name, address in NAMED:
        switch_to(page, language)
        expect(waiting.locator(".conflict-name")).to_have_text(name)
        expect(waiting).to_contain_text(address)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        axe_check(page)
        page.screenshot(path=str(SCREENSHOTS / f"field-conflict-named-{language}-390.png"), full_page=True)

    # Sent by the sync: listed as the server has it.
    go_online(page)
    listed = page.locator("#conflicts-list li.conflict:not(.queued)")
    expect(listed).to_have_count(1, timeout=30_000)
    assert ConflictOfInterest.objects.filter(site=spa, officer=alice).count() == 1


def test_the_declarations_read_in_one_language_read_offline_in_another(pages, alice, karaoke):
    registry.conflict_declare(actor=None, officer=alice, site=karaoke, reason="My cousin manages it.")
    page = open_phone(pages, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    wait_offline_ready(page)
    page.locator("#open-conflicts").click()
    listed = page.locator("#conflicts-list li.conflict")
    expect(listed.locator(".conflict-name")).to_have_text("Golden Lotus Karaoke")

    page.context.set_offline(True)
    for language, name, address in (
        ("zh-hant", "金蓮卡拉OK", "蓮花街8號"),
        ("pt", "Karaoke Lótus Dourado", "Rua do Lótus 8"),
    ):
        switch_to(page, language)
        expect(page.locator("#conflicts-as-of")).to_be_visible()
        expect(listed.locator(".conflict-name")).to_have_text(name)
        expect(listed).to_contain_text(address)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        axe_check(page)
