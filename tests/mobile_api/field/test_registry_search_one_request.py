"""The registry's search, on the phone, is one request. The phone asked the server three times for
each search (once per language, so a site chosen could be read after the officer switched
language offline), and three times for the declarations it lists: on a slow network in the field,
three times the wait. The search's answer now carries each match's names and address lines in the
three languages (``names``, ``addresses``), as does the declarations' list: one request each, and
the results still read in the language switched to offline, as does a declaration made from them
there. On a 390 px phone and at 1280 px, axe clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from backend.registry.models import ConflictOfInterest
from tests import factories
from tests.browser_support import axe_check
from tests.mobile_api.field.phone import PHONE_390, go_online, open_phone, sign_in_app, wait_offline_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_to(page, language: str) -> None:
    page.locator("#back").click()
    page.locator("#language").select_option(language)
    page.locator("#open-conflicts").click()


def test_a_search_is_one_request_and_reads_in_every_language_offline(pages, alice, karaoke):
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
    asked: list[str] = []  # the reads of the officers' API, by path
    page.on(
        "request",
        lambda r: (
            asked.append(r.url.split("/api/mobile/v1/")[1])
            if "/api/mobile/v1/" in r.url and r.method == "GET"
            else None
        ),
    )

    page.locator("#open-conflicts").click()
    expect(page.locator("#conflicts-list")).to_contain_text("You have declared no conflict of interest.")
    page.locator("#conflict-q").fill("pearl")
    page.locator("#conflict-search").click()
    choice = page.locator("#conflict-targets label")
    expect(choice).to_have_count(1)
    expect(choice).to_contain_text("Pearl River Spa")
    page.wait_for_timeout(500)  # any other language's request would have gone by now
    assert [u for u in asked if u.startswith(("registry/", "me/"))] == [
        "me/conflicts/",
        "registry/search/?q=pearl",
    ]

    # Offline, the results and the declaration made from them read in the language switched to.
    page.context.set_offline(True)
    switch_to(page, "zh-hant")
    expect(choice).to_contain_text("珠江水療")
    expect(choice).to_contain_text("珠江街3號")
    page.get_by_label("珠江水療").check()
    page.locator("#conflict-reason").fill("我哥哥是東主。")
    page.locator("#conflict-declare").click()
    waiting = page.locator("#conflicts-list li.conflict.queued")
    expect(waiting.locator(".conflict-name")).to_have_text("珠江水療")
    switch_to(page, "pt")
    expect(waiting.locator(".conflict-name")).to_have_text("Spa Rio das Pérolas")
    expect(waiting).to_contain_text("Rua das Pérolas 3")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    axe_check(page)

    # Back online: sent, and the list read again in one request, named in Portuguese.
    go_online(page)
    listed = page.locator("#conflicts-list li.conflict:not(.queued)")
    expect(listed).to_have_count(1, timeout=30_000)
    asked.clear()
    switch_to(page, "pt")
    expect(listed.locator(".conflict-name")).to_have_text("Spa Rio das Pérolas")
    page.wait_for_timeout(500)
    assert [u for u in asked if u.startswith("me/")] == ["me/conflicts/"]
    assert ConflictOfInterest.objects.filter(site=spa, officer=alice).count() == 1
    page.set_viewport_size({"width": 1280, "height": 900})
    axe_check(page)
