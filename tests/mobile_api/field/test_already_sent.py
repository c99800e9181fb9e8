"""A checklist a teammate sent first, on the phone: Alice finishes the venue checklist offline
while Dora, on her own phone, sends hers. When Alice's phone syncs, the server refuses Alice's as
a second current checklist of the visit (409 ``checklist_already_sent``): her phone keeps it, says
in her language who sent the visit's checklist and when, and offers to send hers as a correction
of Dora's, which the server stores as the next revision."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from backend.inspections.models import Submission
from tests.browser_support import axe_check
from tests.mobile_api.field.phone import (
    open_phone,
    refused_as_already_sent,
    sign_in_app,
    small_touch_targets,
    wait_statuses,
    work_items,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VENUE = "venue_prostitution_trafficking"
ALICES_VISIT = {"venue_type": "karaoke", "persons_found": 0, "persons": 0, "remarks": "Alice's notes"}


def test_a_checklist_a_teammate_sent_first_is_kept_and_sent_as_a_correction_of_theirs(
    pages, field, dora, phone
):
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    visit = str(field.revealed.uuid)

    # Offline, Alice finishes the visit's venue checklist; meanwhile Dora's phone sends its own.
    # Back online: Alice's is refused, and kept, saying who sent the visit's checklist.
    held, doras = refused_as_already_sent(page, pages, field, phone(dora), ALICES_VISIT)
    assert work_items(page) == [{"id": held["id"], "status": "refused"}]
    assert Submission.objects.filter(status=Submission.Status.ACCEPTED).count() == 1
    who = f"Dora Police (PSP, badge {dora.badge_number})"
    expect(page.locator("#outbox-list li p.muted")).to_contain_text(
        f"{who} sent this checklist for this visit first, "
    )
    page.goto(pages.base_url + f"/field/#/a/{visit}")
    card = page.locator(f"#checklists [data-finished='{VENUE}']")
    expect(card).to_contain_text(f"Venue inspection – prostitution and trafficking was sent by {who}, ")
    expect(card.locator(".badge[data-status='refused']")).to_be_visible()
    expect(page.locator(f"#checklists button[data-template='{VENUE}']")).to_have_count(0)

    # Her checklist, as she left it, to send as a correction of Dora's. (Followed by its address:
    # a sync still running would redraw this screen, scrolled to the top, under a tap.)
    link = card.locator("a.button")
    expect(link).to_have_attribute("href", f"#/w/{held['id']}")
    page.goto(pages.base_url + f"/field/#/w/{held['id']}")
    summary = page.locator("#summary")
    expect(summary).to_contain_text(f"{who} sent this checklist for this visit first, ")
    expect(summary).to_contain_text("send it as a correction of theirs")
    expect(page.locator(".q[data-path='remarks'] textarea")).to_have_value("Alice's notes")
    send = page.locator("#finish")
    expect(send).to_have_text("Send mine as a correction of theirs")
    expect(page.locator("#correct")).to_have_count(0)
    axe_check(page)
    assert small_touch_targets(page) == []

    # In the officer's language (chosen on the home screen).
    badge = dora.badge_number
    for language, said, button in (
        ("pt", f"Dora Police (PSP, n.º {badge}) enviou primeiro", "Enviar a minha como correcção da outra"),
        ("zh-hant", f"Dora Police（PSP，職員編號 {badge}）已於 ", "把我的作為對方檢查表的更正傳送"),
        ("en", f"{who} sent this checklist", "Send mine as a correction of theirs"),
    ):
        page.goto(pages.base_url + "/field/#/")
        page.locator("#language").select_option(language)
        expect(page.locator("#outbox-list li p.muted")).to_contain_text(said)
        page.goto(pages.base_url + f"/field/#/w/{held['id']}")
        expect(summary).to_contain_text(said)
        expect(send).to_have_text(button)

    # Sent: stored as the visit's checklist, the revision after Dora's, which stays on record.
    send.click()
    page.locator("#check-in").wait_for()  # finished, the phone returns to the visit
    page.goto(pages.base_url + "/field/#/")
    page.locator("#assignments").wait_for()
    wait_statuses(page, "complete", 1)
    assert work_items(page) == [{"id": held["id"], "status": "complete"}]
    alices = Submission.objects.get(uuid=held["id"])
    assert (alices.revision, str(alices.replaces.uuid), alices.status) == (2, doras["id"], "accepted")
    assert alices.answers["remarks"] == "Alice's notes"
    assert Submission.objects.get(uuid=doras["id"]).status == Submission.Status.SUPERSEDED
    assert [str(s.uuid) for s in Submission.objects.filter(status=Submission.Status.ACCEPTED)] == [held["id"]]
    # The visit's card no longer names Dora: what stands is Alice's.
    card = page.locator(f"#assignments .assignment[data-id='{visit}']")
    expect(card.locator(".visit-state .badge")).to_have_attribute("data-state", "sent")
    expect(card.locator(".sent-by")).to_have_count(0)
