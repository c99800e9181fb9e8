"""A signature without drawing, and the focus after keeping one. The signature pad took a finger
only (WCAG 2.1.1 Keyboard, 2.5.7 Dragging Movements), and "Keep this signature" redrew the
checklist, leaving the focus on the page. Now the name can be typed instead: the app writes it on
the pad, marked as typed, and keeps that picture as the answer's attachment (a PNG, as a drawn
one), which the server stores. Kept either way, the focus goes to the line saying what was kept,
and it is announced."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from backend.inspections.models import Attachment, Submission
from backend.inspections.personal_files import read_original
from tests.browser_support import axe_check
from tests.mobile_api.field.phone import answer_everything, open_phone, sign, sign_in_app, wait_statuses

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VENUE = "venue_prostitution_trafficking"
ANSWERS = {"venue_type": "karaoke", "persons_found": 0, "persons": 0}
SIGNATURE = ".q[data-path='officer_signature']"
QID = "q-officer_signature"


def focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.tagName")


def tab(page, times: int = 1) -> str:
    for _ in range(times):
        page.keyboard.press("Tab")
    return focused(page)


def start_venue(page, base_url: str, assignment_id: str) -> None:
    page.goto(f"{base_url}/field/#/a/{assignment_id}")
    page.locator(f"button[data-template='{VENUE}']").click()
    page.locator(SIGNATURE).wait_for()


def focus_before_signature(page) -> None:
    """The focus on the control just before the signature question, as the officer tabbing
    through the checklist reaches it."""
    page.evaluate(
        """(selector) => {
            const box = document.querySelector(selector);
            const all = [...document.querySelectorAll('input, textarea, button, select, a[href]')]
                .filter(e => !e.disabled && e.offsetParent !== null);
            const before = all.filter(e => box.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_PRECEDING);
            before[before.length - 1].focus();
        }""",
        SIGNATURE,
    )


def test_a_signature_typed_with_the_keyboard_alone(pages, field):
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    start_venue(page, pages.base_url, str(field.revealed.uuid))
    box = page.locator(SIGNATURE)
    focus_before_signature(page)

    # Tab reaches the signature's controls: keep, clear, and the way to sign without drawing.
    assert tab(page) == QID
    expect(page.locator(f"#{QID}")).to_have_text("Keep this signature")
    # Nothing signed yet: said, nothing kept.
    page.keyboard.press("Enter")
    expect(page.locator(f"#{QID}-said")).to_have_text(
        "Nothing is signed yet: draw on the pad, or type the name instead."
    )
    assert tab(page) == f"{QID}-clear"
    assert tab(page) == f"{QID}-mode"
    mode = page.locator(f"#{QID}-mode")
    expect(mode).to_have_text("Type the name instead")
    expect(mode).to_have_attribute("aria-expanded", "false")

    page.keyboard.press("Enter")
    assert focused(page) == f"{QID}-name"
    expect(mode).to_have_attribute("aria-expanded", "true")
    expect(mode).to_have_text("Draw instead")
    expect(page.locator(f"label[for='{QID}-name']")).to_have_text("Name, typed as the signature")
    page.keyboard.type("Alice Police")
    axe_check(page)
    pages.shot(page, "typed-signature")
    page.keyboard.press("Enter")  # keeps it, as the Keep button does

    # Kept: the focus on what was kept, said aloud; no longer the pad.
    kept = page.locator(f"#{QID}-kept")
    expect(kept).to_have_text("Signature kept, typed as “Alice Police”")
    expect(kept).to_be_focused()
    expect(page.locator("#live")).to_have_text("Signature kept, typed as “Alice Police”")
    expect(box).to_have_attribute("data-answered", "1")
    expect(box.locator("canvas")).to_have_count(0)
    expect(box.locator("img.signature")).to_be_visible()
    # Next: the button to clear it and sign again, which says what it clears.
    assert tab(page) == QID
    expect(page.locator(f"#{QID}")).to_have_text("Clear")

    # Cleared from the keyboard: the pad is back, the focus on it, and that is said.
    page.keyboard.press("Enter")
    expect(page.locator(f"#{QID}")).to_have_text("Keep this signature")
    expect(page.locator(f"#{QID}")).to_be_focused()
    expect(page.locator("#live")).to_have_text(
        "Signature cleared: sign again below, or undo clearing to bring it back."
    )
    expect(box).to_have_attribute("data-answered", "0")
    # And typed again, kept with the Keep button this time.
    assert tab(page) == f"{QID}-clear"
    expect(page.locator(f"#{QID}-clear")).to_have_text("Undo clearing")
    assert tab(page) == f"{QID}-mode"
    page.keyboard.press("Enter")
    page.keyboard.type("Alice Police")
    assert tab(page) == QID
    page.keyboard.press("Enter")
    expect(page.locator(f"#{QID}-kept")).to_be_focused()

    answer_everything(page, ANSWERS)
    page.locator("#finish").click()
    page.locator("#check-in").wait_for()
    page.goto(pages.base_url + "/field/#/")
    wait_statuses(page, "complete", 1)

    # The server holds it as it holds a drawn one: a PNG attachment named by the answer.
    submission = Submission.objects.get()
    reference = submission.answers["officer_signature"]
    attachment = Attachment.objects.get(submission=submission, name=reference)
    assert attachment.content_type == "image/png"
    image = Image.open(io.BytesIO(read_original(attachment))).convert("L")
    assert image.size == (680, 340)
    assert image.getextrema()[0] < 100  # something is written on it, not a blank pad

    # Read back on the phone: how it was signed.
    page.locator("#outbox-list a").click()
    expect(page.locator(".checklist.read-only img.signature")).to_have_attribute(
        "alt", "Signature kept, typed as “Alice Police”"
    )


def test_after_keeping_a_drawn_signature_the_focus_is_on_what_was_kept(pages, field):
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    start_venue(page, pages.base_url, str(field.revealed.uuid))
    sign(page, page.locator(SIGNATURE))
    kept = page.locator(f"#{QID}-kept")
    expect(kept).to_have_text("Signature kept, drawn on the pad")
    expect(kept).to_be_focused()
    expect(page.locator("#live")).to_have_text("Signature kept, drawn on the pad")


def test_finish_without_a_signature_takes_the_focus_to_the_pads_first_control(pages, field):
    # The first control of the unsigned signature was its typed-name field, in a closed panel:
    # focus() on it did nothing and the focus stayed on "Finish", far below the problem.
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    start_venue(page, pages.base_url, str(field.revealed.uuid))
    answer_everything(page, ANSWERS, leave=("officer_signature",))
    page.locator("#finish").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_have_text("1 answer needs attention before sending.")
    expect(page.locator(f"#{QID}")).to_be_focused()
    expect(page.locator(f"#{QID}")).to_have_text("Keep this signature")
    expect(page.locator(SIGNATURE)).to_have_class("q invalid")
    # Signed, nothing needs attention any more: the count atop the checklist goes with it (it
    # stood there, "1 answer needs attention", over a checklist all answered).
    sign(page, page.locator(SIGNATURE))
    expect(page.locator("#summary")).to_be_empty()
    expect(page.get_by_role("alert")).to_have_count(0)
