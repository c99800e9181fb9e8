"""A checklist the server refused, and that the officer decides not to send at all (a teammate's
is the visit's, the visit was taken off them, it was started on the wrong visit), is discarded
from its screen after a second tap that says it will never be sent and what is deleted with it:
the outbox, the visit and the phone's storage no longer hold it or its photos, and the server
never did. Only what the server never stored goes so: a sent or complete checklist, and one whose
file upload was refused (stored, its files pending), offer no discard."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from backend.inspections.models import Submission
from tests.browser_support import axe_check
from tests.mobile_api.field.phone import (
    fill_checklist,
    go_online,
    open_phone,
    refused_as_already_sent,
    sign_in_app,
    small_touch_targets,
    wait_offline_ready,
    wait_statuses,
    work_items,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VENUE = "venue_prostitution_trafficking"
QUIET_VENUE = {"venue_type": "karaoke", "persons_found": 0, "persons": 0}
DISCARD = "Discard this checklist"
ASK = "Discard this checklist for good? Tap again"
WARNING = (
    "If discarded, this checklist is never sent, and its answers, photos and signatures are deleted "
    "from this phone."
)
DISCARDED = (
    "Checklist discarded: it will not be sent, and its answers, photos and signatures were deleted "
    "from this phone."
)


def files_by_work(page) -> list[str]:
    """The item each photo and signature the phone holds was taken for."""
    return page.evaluate(
        "async () => (await (await import('/static/field/js/store.js')).all('files')).map(f => f.work)"
    )


def wait_outbox(page, expected: list[str]) -> None:
    """Until the outbox list shows exactly these statuses (in any order)."""
    page.wait_for_function(
        """(expected) => {
            const seen = [...document.querySelectorAll('#outbox-list .badge')].map(e => e.dataset.status);
            return JSON.stringify(seen.sort()) === JSON.stringify([...expected].sort());
        }""",
        arg=expected,
        timeout=30_000,
    )


def discard_in_outbox(page, work_id: str) -> bool:
    return page.evaluate("async (id) => (await import('/static/field/js/outbox.js')).discard(id)", work_id)


def test_a_refused_checklist_is_discarded_after_a_second_tap_with_its_files(pages, field, second_visit):
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    visit = str(field.revealed.uuid)
    # The second visit's checklist is sent; the first's is refused (no column stores a NUL).
    fill_checklist(page, str(second_visit.uuid), VENUE, QUIET_VENUE)
    fill_checklist(page, visit, VENUE, {**QUIET_VENUE, "remarks": "broken\x00remark"})
    page.goto(pages.base_url + "/field/#/")
    wait_outbox(page, ["complete", "refused"])
    held = {w["status"]: w["id"] for w in work_items(page)}
    assert Submission.objects.count() == 1
    assert not Submission.objects.filter(inspection=field.revealed).exists()
    assert held["refused"] in files_by_work(page) and held["complete"] in files_by_work(page)
    card = page.locator(f"#assignments .assignment[data-id='{visit}'] .visit-state .badge")
    expect(card).to_have_attribute("data-state", "refused")
    sign_out = page.locator("#sign-out")
    sign_out.click()  # the refused checklist counts as unsent: the first tap only warns
    expect(sign_out).to_have_text("Discard 1 unsent checklist and sign out")

    # Said in the officer's language, the consequence before the second tap.
    for language, label, ask, warning in (
        (
            "zh-hant",
            "捨棄此檢查表",
            "確定永久捨棄此檢查表？請再按一次",
            "捨棄後，此檢查表不會傳送，其答案、照片及簽名會從此手機刪除。",
        ),
        (
            "pt",
            "Descartar esta lista",
            "Descartar esta lista de vez? Toque de novo",
            "Se a descartar, esta lista nunca é enviada, e as suas respostas, fotografias e assinaturas "
            "são apagadas deste telemóvel.",
        ),
        ("en", DISCARD, ASK, WARNING),
    ):
        page.goto(pages.base_url + "/field/#/")
        page.locator("#language").select_option(language)
        expect(page.locator("#language")).to_have_value(language)
        page.goto(pages.base_url + f"/field/#/w/{held['refused']}")
        discard = page.locator("#discard")
        expect(discard).to_have_text(label)
        expect(page.locator("#discard-warning")).to_be_hidden()
        discard.click()
        expect(discard).to_have_text(ask)
        expect(page.locator("#discard-warning")).to_have_text(warning)

    # The screen as the officer meets it: a refused checklist, with a way to discard it.
    page.goto(pages.base_url + "/field/#/")
    page.goto(pages.base_url + f"/field/#/w/{held['refused']}")
    expect(page.locator("#main > p .badge[data-status='refused']")).to_be_visible()
    discard = page.locator("#discard")
    expect(discard).to_have_text(DISCARD)
    axe_check(page)
    assert small_touch_targets(page) == []

    # The first tap asks, says what follows, and is read out; nothing is gone yet.
    discard.click()
    expect(discard).to_have_text(ASK)
    warning = page.locator("#discard-warning")
    expect(warning).to_be_visible()
    expect(warning).to_have_text(WARNING)
    expect(discard).to_have_attribute("aria-describedby", "discard-warning")
    expect(page.locator("#live")).to_have_text(f"{ASK} {WARNING}")
    assert page.evaluate("document.activeElement.id") == "discard"
    axe_check(page)
    assert small_touch_targets(page) == []
    pages.shot(page, "confirm")
    assert len(work_items(page)) == 2

    # The second discards it, with its photos and signature, and nothing else.
    discard.click()
    notice = page.locator("#main .notice[role='status']")
    expect(notice).to_have_text(DISCARDED)
    expect(notice).to_have_attribute("role", "status")
    assert page.evaluate("location.hash") == f"#/a/{visit}"
    assert page.evaluate("document.activeElement.id") == "main"
    # Nothing of it left on the visit: the checklist is there to start again.
    expect(page.locator(f"#checklists button[data-template='{VENUE}']")).to_have_text(
        "Start Venue inspection – prostitution and trafficking"
    )
    expect(page.locator(f"#checklists [data-finished='{VENUE}']")).to_have_count(0)
    axe_check(page)
    assert work_items(page) == [{"id": held["complete"], "status": "complete"}]
    left = files_by_work(page)
    assert held["refused"] not in left and held["complete"] in left
    assert Submission.objects.count() == 1 and not Submission.objects.filter(uuid=held["refused"]).exists()

    # The home screen follows: one item in the outbox, the visit untouched, nothing unsent.
    page.goto(pages.base_url + "/field/#/")
    wait_statuses(page, "complete", 1)
    expect(card).to_have_attribute("data-state", "not_started")
    page.locator("#sign-out").click()  # nothing unsent: no warning, signed out at once
    page.locator("#username").wait_for()


def test_a_checklist_a_teammate_sent_first_is_discarded_and_theirs_stands(pages, field, dora, phone):
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    visit = str(field.revealed.uuid)
    held, doras = refused_as_already_sent(page, pages, field, phone(dora), QUIET_VENUE)

    # Dora's is the visit's checklist: Alice gives hers up rather than send it as a correction.
    page.goto(pages.base_url + f"/field/#/w/{held['id']}")
    expect(page.locator("#finish")).to_have_text("Send mine as a correction of theirs")
    discard = page.locator("#discard")
    discard.click()
    expect(discard).to_have_text(ASK)
    discard.click()
    expect(page.locator("#main .notice[role='status']")).to_have_text(DISCARDED)
    # A sync that ends now redraws the visit in place, and the note stays until the officer moves on
    # (CI once saw the redraw of the discard's own sync take it away before it could be read).
    synced = page.evaluate("document.body.dataset.synced || ''")
    page.evaluate("async () => (await import('/static/field/js/outbox.js')).sync()")
    page.wait_for_function("(before) => (document.body.dataset.synced || '') !== before", arg=synced)
    expect(page.locator("#main .notice[role='status']")).to_have_text(DISCARDED)
    # The visit says who sent its checklist, and offers nothing to start in its place.
    card = page.locator(f"#checklists [data-sent-elsewhere='{VENUE}']")
    expect(card).to_contain_text("was sent by Dora Police")
    expect(page.locator(f"#checklists button[data-template='{VENUE}']")).to_have_count(0)
    assert work_items(page) == []
    assert files_by_work(page) == []
    [stored] = Submission.objects.all()
    assert str(stored.uuid) == doras["id"] and stored.status == Submission.Status.ACCEPTED

    page.goto(pages.base_url + "/field/#/")
    expect(page.locator("#outbox-list")).to_contain_text("Nothing waiting.")
    visit_card = page.locator(f"#assignments .assignment[data-id='{visit}']")
    expect(visit_card.locator(".visit-state .badge")).to_have_attribute("data-state", "sent")
    expect(visit_card.locator(".sent-by")).to_contain_text("Dora Police")


def test_what_the_server_stored_offers_no_discard(pages, field, second_visit):
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    wait_offline_ready(page)
    # Sent and complete.
    fill_checklist(page, str(second_visit.uuid), VENUE, QUIET_VENUE)
    page.goto(pages.base_url + "/field/#/")
    wait_statuses(page, "complete", 1)
    [complete] = work_items(page)

    # Stored, and then one of its files refused: the phone's copy of a photo was damaged after
    # it was declared, so its checksum no longer matches and the server refuses the upload.
    page.context.set_offline(True)
    fill_checklist(page, str(field.revealed.uuid), VENUE, QUIET_VENUE)
    [queued] = [w for w in work_items(page) if w["status"] == "queued"]
    page.evaluate(
        """async (id) => {
            const store = await import('/static/field/js/store.js');
            const file = (await store.all('files')).find(f => f.work === id);
            const damaged = new Blob(['not the photo taken'], {type: 'image/jpeg'});
            await store.put('files', {...file, blob: damaged});
        }""",
        queued["id"],
    )
    go_online(page)
    page.goto(pages.base_url + "/field/#/")
    wait_outbox(page, ["complete", "refused"])
    stored = Submission.objects.get(uuid=queued["id"])  # the checklist itself was stored
    assert stored.inspection == field.revealed
    refused = page.evaluate(
        "async (id) => (await (await import('/static/field/js/store.js')).get('work', id))", queued["id"]
    )
    assert refused["status"] == "refused" and refused["result"]["id"] == queued["id"]

    for item, status in ((complete, "complete"), (queued, "refused")):
        page.goto(pages.base_url + f"/field/#/w/{item['id']}")
        expect(page.locator(f"#main > p .badge[data-status='{status}']")).to_be_visible()
        expect(page.locator("#actions")).to_be_visible()
        expect(page.locator("#discard")).to_have_count(0)
        assert discard_in_outbox(page, item["id"]) is False  # and the outbox refuses it anyway
    assert sorted(w["status"] for w in work_items(page)) == ["complete", "refused"]
    assert queued["id"] in files_by_work(page)
    assert Submission.objects.count() == 2

    # A refusal that names a stored submission of the item's id is no discard either.
    verdicts = page.evaluate(
        """async () => {
            const { discardable } = await import('/static/field/js/outbox.js');
            const refused = (code, more = {}) => ({status: 'refused', problem: {code}, ...more});
            return {
                draft: discardable({status: 'draft'}),
                invalid: discardable(refused('answers_invalid')),
                stale: discardable(refused('stale_revision')),
                already_sent: discardable(refused('checklist_already_sent')),
                conflict: discardable(refused('submission_conflict')),
                deleted: discardable(refused('submission_deleted')),
                file: discardable(refused('attachment_checksum_mismatch', {result: {id: 'x'}})),
                queued: discardable({status: 'queued'}),
                sending: discardable({status: 'sending'}),
                sent: discardable({status: 'sent', result: {id: 'x'}}),
                complete: discardable({status: 'complete', result: {id: 'x'}}),
            };
        }"""
    )
    assert {k for k, v in verdicts.items() if v} == {"draft", "invalid", "stale", "already_sent"}

    # Chromium logs the refused upload (400) as a console error: that one, and nothing else.
    expected = [p for p in pages.problems if "status of 400" in p]
    assert len(expected) == 1, pages.problems
    pages.problems.remove(expected[0])
