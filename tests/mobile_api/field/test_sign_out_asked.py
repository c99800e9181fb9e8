"""Signing out with work unsent asks first ("Discard 1 unsent checklist and sign out"), and the
next tap signs out. A sync finishing in the background between the two taps (the app syncs as it
opens and as the network returns) redrew the home screen and put the button back to "Sign out":
the officer's second tap only asked again. The question now stands through a redraw in place."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import axe_check
from tests.mobile_api.field.phone import open_phone, sign_in_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HELD = {
    "en": "A sync does not send a draft or a refused checklist: open it from the list first, "
    "or it is deleted.",
    "pt-PT": "A sincronização não envia rascunhos nem listas recusadas: abra-os primeiro na lista, "
    "ou serão eliminados.",
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
