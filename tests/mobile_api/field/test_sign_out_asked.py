"""Signing out with work unsent asks first ("Discard 1 unsent checklist and sign out"), and the
next tap signs out. A sync finishing in the background between the two taps (the app syncs as it
opens and as the network returns) redrew the home screen and put the button back to "Sign out":
the officer's second tap only asked again. The question now stands through a redraw in place."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import axe_check
from tests.mobile_api.field.phone import fill_checklist, open_phone, sign_in_app, wait_offline_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HELD = {
    "en": "Drafts not finished: 1 checklist. A sync does not send drafts: open them from the list, "
    "finish and send them, or signing out deletes them.",
    "pt-PT": "Rascunhos por terminar: 1 lista. A sincronização não envia rascunhos: abra-os na lista, "
    "termine-os e envie-os, ou serão eliminados ao sair.",
}


@pytest.mark.parametrize(
    ("locale", "asked"), [("en", "Discard 1 unsent checklist"), ("pt-PT", "Descartar 1")]
)
def test_the_second_tap_signs_out_though_a_sync_redrew_the_screen(pages, field, locale, asked):
    page = open_phone(pages, locale=locale)
    sign_in_app(page, pages.base_url, "alice")
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    page.locator("button[data-template='venue_prostitution_trafficking']").click()
    page.locator("#finish").wait_for()  # a draft: unsent work
    page.goto(f"{pages.base_url}/field/#/")
    page.locator("#sign-out").click()
    expect(page.locator("#sign-out")).to_contain_text(asked)
    # Said on the screen, and true of a draft: no sync sends it ("Sync first" was only spoken).
    warning = page.locator("#sign-out-warning")
    expect(warning).to_be_visible()
    expect(warning).to_have_text(HELD[locale])
    expect(page.locator("#sign-out")).to_have_attribute("aria-describedby", "sign-out-warning")

    # A sync in the background finishes and redraws the home screen in place.
    synced = page.evaluate("document.body.dataset.synced || ''")
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.wait_for_function("(before) => (document.body.dataset.synced || '') !== before", arg=synced)
    expect(page.locator("#sign-out")).to_contain_text(asked)
    expect(page.locator("#sign-out")).to_be_focused()
    expect(page.locator("#sign-out-warning")).to_have_text(HELD[locale])
    axe_check(page)

    expect(page.locator("#live")).to_contain_text(HELD[locale])  # said aloud when asked
    page.locator("#sign-out").click()
    expect(page.locator("#username")).to_be_visible()
    # Signed out, the question is not left to be read on the sign-in screen, the work deleted.
    expect(page.locator("#live")).to_be_empty()


def test_a_new_screen_asks_again(pages, field):
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    page.locator("button[data-template='venue_prostitution_trafficking']").click()
    page.locator("#finish").wait_for()
    page.goto(f"{pages.base_url}/field/#/")
    page.locator("#sign-out").click()
    expect(page.locator("#sign-out")).to_contain_text("Discard 1 unsent checklist")
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    page.locator("#check-in").wait_for()
    page.goto(f"{pages.base_url}/field/#/")
    expect(page.locator("#sign-out")).to_have_text("Sign out")


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        (
            "en",
            "1 checklist has not been sent. Sync first, or discard it. Drafts not finished: 1 checklist. "
            "A sync does not send drafts: open them from the list, finish and send them, or signing out "
            "deletes them.",
        ),
        (
            "zh-Hant",
            "有 1 份檢查表尚未傳送。請先同步，或將其捨棄。未完成的草稿：1 項檢查表。同步不會傳送草稿："
            "請從清單開啟，完成後傳送，否則登出時會被刪除。",
        ),
    ],
)
def test_queued_work_and_a_draft_are_said_apart(pages, field, second_visit, locale, said):
    """A checklist waiting to send goes with a sync; a draft does not: "2 checklists have not been
    sent. Sync first" counted the draft among what a sync sends, and the officer who synced first
    lost the draft all the same. Each is now said with what to do about it."""
    page = open_phone(pages, locale=locale)
    sign_in_app(page, pages.base_url, "alice")
    wait_offline_ready(page)
    page.context.set_offline(True)  # the finished checklist waits to be sent
    fill_checklist(page, str(field.revealed.uuid), "venue_prostitution_trafficking")
    page.goto(f"{pages.base_url}/field/#/a/{second_visit.uuid}")
    page.locator("button[data-template='venue_prostitution_trafficking']").click()
    page.locator("#finish").wait_for()  # a draft
    page.goto(f"{pages.base_url}/field/#/")
    page.locator("#sign-out").click()
    expect(page.locator("#sign-out-warning")).to_have_text(said)
    expect(page.locator("#live")).to_have_text(said)
