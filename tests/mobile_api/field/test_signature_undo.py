"""Clearing a signature can be undone. "Limpar" (Clear) erased a signature drawn on the pad, or
one already kept, in one tap with no way back: the signer, gone by then, could not sign again. As
a phone's undo does, the button that cleared it now says "Desfazer limpeza" (Undo clearing) until
something is signed anew, and one tap brings the signature back; from the keyboard too."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import axe_check
from tests.mobile_api.field.phone import PHONE_390, open_phone, sign, sign_in_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VENUE = "venue_prostitution_trafficking"
SIGNATURE = ".q[data-path='officer_signature']"
QID = "q-officer_signature"

# How much of the pad is ink (its pixels not white).
INKED = """() => {
    const c = document.querySelector('#q-officer_signature-pad');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 128) n += 1;
    return n;
}"""


def draw(page) -> None:
    canvas = page.locator(f"{SIGNATURE} canvas")
    canvas.scroll_into_view_if_needed()
    area = canvas.bounding_box()
    x, y = area["x"] + 20, area["y"] + area["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 8):
        page.mouse.move(x + step * 30, y + (15 if step % 2 else -15))
    page.mouse.up()


def test_clearing_the_pad_and_a_kept_signature_is_undone_with_one_tap(pages, field):
    page = open_phone(pages, locale="pt-PT", viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    page.locator(f"button[data-template='{VENUE}']").click()
    box = page.locator(SIGNATURE)
    clear = page.locator(f"#{QID}-clear")

    # Drawn on the pad, cleared by a slip of the finger: the same button brings it back.
    draw(page)
    inked = page.evaluate(INKED)
    assert inked > 0
    expect(clear).to_have_text("Limpar")
    clear.tap()
    assert page.evaluate(INKED) == 0
    expect(clear).to_have_text("Desfazer limpeza")
    expect(page.locator(f"#{QID}-said")).to_have_text(
        "Área limpa: assine de novo, ou desfaça a limpeza para recuperar a assinatura."
    )
    axe_check(page)
    clear.tap()
    assert page.evaluate(INKED) == inked
    expect(clear).to_have_text("Limpar")
    expect(page.locator(f"#{QID}-said")).to_have_text("A assinatura voltou à área de assinatura.")

    # Kept, then cleared: the pad comes back offering the undo, which gives the same signature back.
    sign(page, box)
    page.locator(f"#{QID}").tap()  # "Limpar" under the kept signature
    expect(box).to_have_attribute("data-answered", "0")
    expect(clear).to_have_text("Desfazer limpeza")
    expect(page.locator("#live")).to_have_text(
        "Assinatura apagada: assine de novo abaixo, ou desfaça a limpeza para a recuperar."
    )
    clear.tap()
    expect(box).to_have_attribute("data-answered", "1")
    expect(page.locator(f"#{QID}-kept")).to_be_focused()
    expect(page.locator(f"#{QID}-kept")).to_have_text("Assinatura guardada, desenhada na área de assinatura")

    # Signed anew after a clear, the undo is gone: the button clears again.
    page.locator(f"#{QID}").tap()
    expect(clear).to_have_text("Desfazer limpeza")
    draw(page)
    expect(clear).to_have_text("Limpar")


def test_the_undo_from_the_keyboard(pages, field):
    page = open_phone(pages, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    page.locator(f"button[data-template='{VENUE}']").click()
    box = page.locator(SIGNATURE)
    sign(page, box)
    page.locator(f"#{QID}").focus()
    page.keyboard.press("Enter")  # Clear
    expect(page.locator(f"#{QID}")).to_be_focused()  # the pad's first control: Keep
    page.keyboard.press("Tab")
    undo = page.locator(f"#{QID}-clear")
    expect(undo).to_be_focused()
    expect(undo).to_have_text("Undo clearing")
    page.keyboard.press("Enter")
    expect(page.locator(f"#{QID}-kept")).to_be_focused()
    expect(page.locator("#live")).to_have_text("Signature kept, drawn on the pad")
    expect(box).to_have_attribute("data-answered", "1")
