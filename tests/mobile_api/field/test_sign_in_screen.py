"""The field app's sign-in screen as an officer meets it on a slow network: the phone's name is
offered in the officer's language ("Work phone", not an English "Field app" in every language) and
the name given last is offered again; while the server is asked, the button says "Signing in…"
and a second tap sends nothing more; a refusal gives the button back."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from mobile_api.models import DeviceToken
from mobile_api.services_auth import device_tokens_revoke_for_user
from tests.browser_support import axe_check
from tests.conftest import PASSWORD
from tests.mobile_api.field.phone import PHONE_390, go_online, open_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIGN_IN = "**/auth/sign-in/"


def test_the_phone_is_named_in_portuguese_and_the_wait_is_shown(pages, field, alice):
    page = open_phone(pages, locale="pt-PT")
    held = []
    page.route(SIGN_IN, lambda route: held.append(route))
    page.goto(f"{pages.base_url}/field/")
    name = page.locator("#device_name")
    expect(name).to_have_value("Telemóvel de serviço")

    page.locator("#username").fill("alice")
    page.locator("#password").fill(PASSWORD)
    name.fill("Pixel da Alice")
    button = page.locator("form button[type=submit]")
    button.click()
    expect(button).to_have_text("A iniciar sessão…")
    expect(button).to_be_disabled()
    expect(page.locator("form")).to_have_attribute("aria-busy", "true")
    # A second submit while waiting (the Enter key, a double tap) asks nothing more of the server.
    page.evaluate("document.querySelector('form').requestSubmit()")
    page.wait_for_timeout(300)
    assert len(held) == 1

    held[0].continue_()
    page.locator("body[data-signed-in]").wait_for(state="attached")
    [token] = DeviceToken.objects.filter(user=alice.user)
    assert token.device_name == "Pixel da Alice"

    # Her sign-in is ended by an administrator: the phone asks again and offers the name it has.
    device_tokens_revoke_for_user(actor=None, user=alice.user, reason="phone handed in")
    page.context.set_offline(True)
    go_online(page)
    page.locator("#username").wait_for()
    expect(page.locator("#device_name")).to_have_value("Pixel da Alice")
    expect(page.locator("form button[type=submit]")).to_have_text("Iniciar sessão")
    # Chromium logs each answer to the revoked token (401) as a console error: expected here.
    pages.problems[:] = [p for p in pages.problems if "status of 401 (Unauthorized)" not in p]


def test_a_refusal_gives_the_button_back(pages, field):
    page = open_phone(pages)
    page.goto(f"{pages.base_url}/field/")
    expect(page.locator("#device_name")).to_have_value("Work phone")
    page.locator("#username").fill("alice")
    page.locator("#password").fill("not her password")
    button = page.locator("form button[type=submit]")
    button.click()
    expect(page.locator("form .notice[role='alert']")).to_have_text("User name or password not accepted.")
    expect(button).to_be_enabled()
    expect(button).to_have_text("Sign in")
    expect(page.locator("form")).to_have_attribute("aria-busy", "false")
    assert not DeviceToken.objects.exists()
    # Chromium logs the refusal (400 or 401) as a console error: expected here.
    pages.problems[:] = [p for p in pages.problems if "Failed to load resource" not in p]


@pytest.mark.parametrize("viewport", [PHONE_390, {"width": 1280, "height": 900}], ids=["390", "1280"])
def test_a_refusal_puts_the_focus_where_the_officer_acts_next(pages, field, viewport):
    """The button, disabled while the server was asked, dropped the focus to the page's body on a
    refusal (the phone's keyboard closed, a screen reader back at the top): refused, the password
    is focused, selected and tied to the message; offline, the focus is on the button again."""
    page = open_phone(pages, locale="pt-PT", viewport=viewport)
    page.goto(f"{pages.base_url}/field/")
    page.locator("#username").fill("alice")
    password = page.locator("#password")
    password.fill("not her password")
    button = page.locator("form button[type=submit]")
    button.tap()
    expect(page.locator("form .notice[role='alert']")).to_have_text(
        "Nome de utilizador ou palavra-passe não aceites."
    )
    expect(password).to_be_focused()
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_attribute("aria-describedby", "sign-in-error")
    assert page.evaluate("document.activeElement.selectionEnd - document.activeElement.selectionStart") == 16
    axe_check(page)

    page.route(SIGN_IN, lambda route: route.abort("internetdisconnected"))
    page.keyboard.type(PASSWORD)
    button.tap()
    expect(page.locator("form .notice[role='alert']")).to_have_text(
        "Sem rede: para entrar é preciso uma ligação uma vez."
    )
    expect(button).to_be_focused()
    expect(password).to_have_value(PASSWORD)  # nothing typed is lost
    axe_check(page)
    pages.problems[:] = [p for p in pages.problems if "Failed to load resource" not in p]
