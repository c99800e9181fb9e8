"""What the server refuses for good is kept on the phone and said, with its reason and what the
officer can do, and the rest of the queue goes on.

- A check-in recorded offline at a visit then taken off the officer (their team changed) was
  deleted from the phone at the next sync without a word: the officer believed they had checked
  in. Now it is kept, marked "Not taken by the server" with "The server did not take your
  check-in: this visit is no longer assigned to you.", said at the top of the screen the sync
  leaves them on, until they remove it.
- A batch the server (or a proxy in front of it) refused as a whole with a 4xx it has no step for
  (a 413 page with no problem+json) was sent again, whole and unchanged, with backoff, forever: the
  checklists stayed "Sending" and the officer was told only "Not sent yet". Now each item is sent
  on its own: the one refused is marked refused with the reason in the officer's language and
  what to do (open it to correct and send again, or discard it), and the others are stored.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from backend.inspections import services as inspections
from backend.inspections.models import CheckIn, Submission
from tests.browser_support import axe_check
from tests.mobile_api.field.phone import (
    PHONE_390,
    fill_checklist,
    go_online,
    open_phone,
    sign_in_app,
    wait_offline_ready,
    work_items,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VENUE = "venue_prostitution_trafficking"
QUIET_VENUE = {"venue_type": "karaoke", "persons_found": 0, "persons": 0}
NOT_YOURS = "The server did not take your check-in: this visit is no longer assigned to you."


def test_a_check_in_at_a_visit_taken_off_the_officer_is_kept_and_said(pages, field, dora):
    page = open_phone(pages, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    wait_offline_ready(page)
    page.context.set_offline(True)
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    page.locator("#check-in").click()
    expect(page.locator("#outbox-list li.checkin")).to_have_count(1)

    # Meanwhile the planner takes alice off the team: the visit is no longer hers.
    inspections.team_set_members(actor=None, team=field.revealed.team, members=[dora], leader=dora)
    go_online(page)
    # The sync leaves her on the home screen (the visit has left the phone), which says why.
    said = page.locator("main > .notice.danger[data-carried]")
    expect(said).to_have_text(NOT_YOURS, timeout=30_000)
    expect(page).to_have_url(f"{pages.base_url}/field/#/")
    assert not CheckIn.objects.filter(inspection=field.revealed).exists()

    card = page.locator("#outbox-list li.checkin")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Golden Lotus Karaoke")
    expect(card.locator(".badge")).to_have_text("Not taken by the server")
    expect(card.locator(".refusal")).to_have_text(NOT_YOURS)
    # Not waiting to be sent: nothing counts it as queued, and no sync sends it again.
    expect(page.locator("#queued")).to_have_count(0)
    axe_check(page)

    page.locator("#language").select_option("pt")
    expect(card.locator(".refusal")).to_have_text(
        "O servidor não aceitou a sua chegada registada: esta visita já não lhe está atribuída."
    )
    expect(card.locator(".badge")).to_have_text("Não aceite pelo servidor")
    page.locator("#language").select_option("zh-hant")
    expect(card.locator(".refusal")).to_have_text("伺服器沒有接收你的簽到：此巡查已不再分配給你。")
    axe_check(page)
    page.locator("#language").select_option("en")

    # Read, the officer removes it.
    card.locator("button").click()
    expect(page.locator("#outbox-list li.checkin")).to_have_count(0)
    assert (
        page.evaluate(
            "async () => (await (await import('/static/field/js/store.js')).all('checkins')).length"
        )
        == 0
    )
    # The server's refusal, asked for above, is the console's only error.
    expected = [p for p in pages.problems if "status of 404" in p and "/check-ins/" in p]
    assert expected, pages.problems
    for problem in expected:
        pages.problems.remove(problem)


def test_a_batch_refused_as_a_whole_is_sent_item_by_item_and_the_refused_one_said(pages, field, second_visit):
    page = open_phone(pages, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    wait_offline_ready(page)
    page.context.set_offline(True)
    fill_checklist(page, str(field.revealed.uuid), VENUE, QUIET_VENUE)
    fill_checklist(page, str(second_visit.uuid), VENUE, QUIET_VENUE)
    items = work_items(page)
    assert len(items) == 2

    # A proxy in front of the server refuses the batch, and the first visit's checklist alone,
    # as too large: a page, no problem+json.
    too_large = page.evaluate(
        """async (visit) => (await (await import('/static/field/js/store.js')).all('work'))
            .find(w => w.inspection === visit).id""",
        str(field.revealed.uuid),
    )
    batches = []

    def proxy_batch(route):
        batches.append(route.request.url)
        route.fulfill(status=413, content_type="text/html", body="<h1>413 Request Entity Too Large</h1>")

    def proxy_single(route):
        if route.request.method == "POST" and json.loads(route.request.post_data)["id"] == too_large:
            route.fulfill(status=413, content_type="text/html", body="<h1>413 Request Entity Too Large</h1>")
        else:
            route.continue_()

    page.route("**/api/mobile/v1/submissions/batch/", proxy_batch)
    page.route("**/api/mobile/v1/submissions/", proxy_single)
    go_online(page)
    page.goto(pages.base_url + "/field/#/")

    refused = page.locator(f"#outbox-list li.work[data-id='{too_large}']")
    expect(refused.locator(".badge")).to_have_attribute("data-status", "refused", timeout=30_000)
    expect(refused.locator(".refusal")).to_have_text(
        "The server refused this checklist: it is too large for the server to receive (error 413). "
        "Open it to correct it and send it again, or to discard it."
    )
    # The other checklist went on.
    other = page.locator("#outbox-list li.work").filter(has_not=page.locator(f"[data-id='{too_large}']"))
    expect(page.locator("#outbox-list li.work .badge[data-status='complete']")).to_have_count(1)
    assert other.count() >= 1
    assert list(Submission.objects.values_list("inspection", flat=True)) == [second_visit.pk]
    # Not retried in a loop: nothing waits to be sent, and no next attempt is due.
    expect(page.locator("#queued")).to_have_count(0)
    expect(page.locator("#retry")).to_have_text("")
    sent_batches = len(batches)
    page.wait_for_timeout(3000)
    assert len(batches) == sent_batches
    axe_check(page)

    page.locator("#language").select_option("pt")
    expect(refused.locator(".refusal")).to_have_text(
        "O servidor recusou esta lista: é demasiado grande para o servidor a receber (erro 413). "
        "Abra-a para a corrigir e enviar de novo, ou para a descartar."
    )
    page.locator("#language").select_option("zh-hant")
    expect(refused.locator(".refusal")).to_have_text(
        "伺服器拒絕此檢查表：太大，伺服器無法接收（錯誤413）。請開啟它，更正後再次傳送，或將它捨棄。"
    )
    page.locator("#language").select_option("en")

    # On the item: the reason, and the discard the app offers a refused checklist.
    refused.locator("a").click()
    expect(page.locator(".notice.danger[role=alert]")).to_have_text(
        "The server refused this checklist: it is too large for the server to receive (error 413)."
    )
    expect(page.locator("#discard")).to_be_visible()
    axe_check(page)
    # The proxy's answers, asked for above, are the console's only errors.
    expected = [p for p in pages.problems if "status of 413" in p]
    assert expected, pages.problems
    for problem in expected:
        pages.problems.remove(problem)


def test_a_photo_refused_by_a_proxy_is_said_and_sent_again_when_asked(pages, field, second_visit):
    """A stored checklist's photo refused with a 413 page (a proxy's size limit) was marked
    refused with no reason at all, and offered to be changed and finished again in place, which the
    server then refused as other content under the same id. Now it says the server stored the
    checklist but refused a photo, and why; it offers to send the files again or to correct it."""
    page = open_phone(pages, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    blocked: list[str] = []

    def proxy(route):
        submission = route.request.url.split("/submissions/")[1].split("/")[0]
        if route.request.method == "PUT" and (not blocked or blocked[0] == submission):
            blocked[:1] = [submission]
            route.fulfill(status=413, content_type="text/html", body="<h1>413 Request Entity Too Large</h1>")
        else:
            route.continue_()

    page.route("**/api/mobile/v1/submissions/*/attachments/*", proxy)
    fill_checklist(page, str(field.revealed.uuid), VENUE, QUIET_VENUE)
    fill_checklist(page, str(second_visit.uuid), VENUE, QUIET_VENUE)
    page.goto(pages.base_url + "/field/#/")
    [refused_id] = blocked
    refused = page.locator(f"#outbox-list li.work[data-id='{refused_id}']")
    expect(refused.locator(".badge")).to_have_attribute("data-status", "refused", timeout=30_000)
    expect(page.locator("#outbox-list li.work .badge[data-status='complete']")).to_have_count(
        1, timeout=30_000
    )
    expect(refused.locator(".refusal")).to_have_text(
        "The server stored this checklist but refused one of its photos or its signature: it is too "
        "large for the server to receive (error 413). Open it to send its photos and signature "
        "again, or to correct it and send it again."
    )
    expect(page.locator("#retry")).to_have_text("")
    axe_check(page)
    page.locator("#language").select_option("pt")
    expect(refused.locator(".refusal")).to_have_text(
        "O servidor guardou esta lista mas recusou uma das suas fotografias ou a sua assinatura: é "
        "demasiado grande para o servidor a receber (erro 413). Abra-a para enviar de novo as "
        "fotografias e a assinatura, ou para a corrigir e enviar de novo."
    )
    page.locator("#language").select_option("zh-hant")
    expect(refused.locator(".refusal")).to_have_text(
        "伺服器已儲存此檢查表，但拒絕了其中一張照片或簽名：太大，伺服器無法接收（錯誤413）。"
        "請開啟它，再次傳送照片及簽名，或更正後再次傳送。"
    )
    page.locator("#language").select_option("en")

    # On the item: read-only (its answers are on the server), with the two ways on, no discard.
    refused.locator("a").click()
    expect(page.locator(".notice.danger[role=alert]")).to_contain_text("refused one of its photos")
    expect(page.locator("#finish")).to_have_count(0)
    expect(page.locator("#discard")).to_have_count(0)
    expect(page.locator("#correct")).to_be_visible()
    axe_check(page)
    # The proxy's limit raised, the officer sends the files again.
    page.unroute("**/api/mobile/v1/submissions/*/attachments/*")
    page.locator("#retry-files").click()
    expect(page.locator("main .badge[data-status='complete']").first).to_be_visible(timeout=30_000)
    stored = Submission.objects.get(uuid=refused_id)
    assert stored.attachments.exists()
    assert all(a.received_at for a in stored.attachments.all())
    expected = [p for p in pages.problems if "status of 413" in p]
    assert expected, pages.problems
    for problem in expected:
        pages.problems.remove(problem)


def test_an_answer_the_app_cannot_read_is_tried_again_and_said(pages, field):
    """A batch answered 200 with a page instead of JSON (a captive portal, a misconfigured
    proxy) stopped the sync with an error: the checklist stayed "Sending", no retry was due and
    nothing was said. Now it goes back to the queue and is tried again later, as the line says."""
    page = open_phone(pages, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    page.route(
        "**/api/mobile/v1/submissions/batch/",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<h1>Welcome</h1>"),
    )
    fill_checklist(page, str(field.revealed.uuid), VENUE, QUIET_VENUE)
    page.goto(pages.base_url + "/field/#/")
    expect(page.locator("#retry")).to_have_text(
        re.compile(r"^Not sent yet: the server could not take it now\. Next attempt at \d\d:\d\d\.$")
    )
    expect(page.locator("#queued")).to_have_text("Queued: 1")
    assert [w["status"] for w in work_items(page)] == ["queued"]
    page.unroute("**/api/mobile/v1/submissions/batch/")
    page.locator("#sync").click()
    expect(page.locator("#outbox-list li.work .badge")).to_have_attribute(
        "data-status", "complete", timeout=30_000
    )
    assert Submission.objects.filter(inspection=field.revealed).count() == 1


def test_a_check_in_refused_at_a_visit_still_held_is_said_under_its_button(pages, field):
    page = open_phone(pages, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    problem = {"type": "about:blank", "title": "You may not do this.", "status": 403, "code": "forbidden"}
    problem["detail"] = "Check-ins are closed for this operation."
    page.route(
        "**/api/mobile/v1/assignments/*/check-ins/",
        lambda route: route.fulfill(
            status=403, content_type="application/problem+json", body=json.dumps(problem)
        ),
    )
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    page.locator("#check-in").click()
    said = page.locator("#checkin-status")
    expect(said).to_have_text(
        "The server did not take your check-in: Check-ins are closed for this operation.",
        timeout=30_000,
    )
    expect(said).to_have_class("notice danger")
    # Not checked in: the button does not offer to check in "again", and the top says it once.
    expect(page.locator("#check-in")).to_have_text("Check in here")
    expect(page.locator("main > .notice[data-carried]")).to_have_count(0)
    expect(page.locator("#outbox-list li.checkin .refusal")).to_have_text(
        "The server did not take your check-in: Check-ins are closed for this operation."
    )
    axe_check(page)
    expected = [p for p in pages.problems if "status of 403" in p]
    assert expected, pages.problems
    for problem_seen in expected:
        pages.problems.remove(problem_seen)
