"""The field app when things go wrong: a refusal shown at its question, fixed and resent; a page
closed in the middle of a sync, reopened and resumed; a revoked device that keeps its unsent work
for the next sign-in. Each stores every submission and file exactly once."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from backend.inspections.models import Attachment, Submission
from mobile_api.services_auth import device_tokens_revoke_for_user
from tests.browser_support import axe_check
from tests.mobile_api.conftest import stored_files
from tests.mobile_api.field.phone import (
    answer_everything,
    fill_checklist,
    go_online,
    open_phone,
    sign_in_app,
    wait_offline_ready,
    wait_statuses,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VENUE = "venue_prostitution_trafficking"
QUIET_VENUE = {"venue_type": "karaoke", "persons_found": 0, "persons": 0}


def test_a_refused_item_shows_the_servers_message_at_its_question_then_is_fixed(pages, field):
    page = open_phone(pages)  # an English phone, the app switched to Portuguese
    sign_in_app(page, pages.base_url, "alice")
    page.locator("#language").select_option("pt")
    expect(page.locator("#screen-title")).to_have_text("Tarefas")
    # The engine accepts any text; the server refuses a NUL character, which no column can store.
    fill_checklist(page, str(field.revealed.uuid), VENUE, {**QUIET_VENUE, "remarks": "broken\x00remark"})
    page.goto(pages.base_url + "/field/#/")
    wait_statuses(page, "refused", 1)
    assert Submission.objects.count() == 0

    page.locator("#outbox-list a").click()
    error = page.locator(".q[data-path='remarks'] .err")
    # The server's message, in the app's language rather than the phone's.
    assert "O texto não pode conter caracteres NUL." in error.inner_text()
    assert page.locator(".q.invalid").count() == 1  # at that question only
    axe_check(page)
    pages.shot(page, "refused")

    page.locator(".q[data-path='remarks'] textarea").fill("clean remark")
    assert error.inner_text() == ""
    page.locator("#finish").click()
    page.goto(pages.base_url + "/field/#/")
    wait_statuses(page, "complete", 1)
    [stored] = Submission.objects.all()
    assert stored.answers["remarks"] == "clean remark"


def test_a_page_closed_in_the_middle_of_a_sync_resumes_and_stores_once(pages, field, media):
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    wait_offline_ready(page)
    page.context.set_offline(True)
    fill_checklist(page, str(field.revealed.uuid), VENUE, QUIET_VENUE, photos=2)

    held = []
    page.route("**/attachments/**", lambda route: held.append(route.request.url))  # never answered
    go_online(page)
    deadline = time.monotonic() + 20
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert held, "the upload of the first file never started"
    assert Submission.objects.count() == 1
    assert not Attachment.objects.filter(received_at__isnull=False).exists()
    page.close()  # the battery dies with a file half-sent

    again = page.context.new_page()
    again.on("console", lambda message: pages._console(again, message))
    again.on("pageerror", lambda error: pages.problems.append(f"uncaught: {error}"))
    pages.pages.append(again)
    again.goto(pages.base_url + "/field/")
    wait_statuses(again, "complete", 1)
    files = stored_files(media)
    synced_before = again.evaluate("document.body.dataset.synced")
    again.locator("#sync").click()
    # The list already says "complete": wait for this sync to be over before counting.
    again.wait_for_function("(before) => document.body.dataset.synced !== before", arg=synced_before)
    wait_statuses(again, "complete", 1)

    assert Submission.objects.count() == 1
    assert Attachment.objects.count() == 3  # two photos and the signature
    assert Attachment.objects.filter(received_at__isnull=False).count() == 3
    assert stored_files(media) == files  # nothing stored twice


def test_a_revoked_device_keeps_its_unsent_work_for_the_next_sign_in(pages, field, alice):
    page = open_phone(pages, locale="zh-TW")  # the app follows the phone's language
    sign_in_app(page, pages.base_url, "alice")
    assert page.locator("#app-title").inner_text() == "外勤巡查"
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    axe_check(page)
    wait_offline_ready(page)
    page.context.set_offline(True)
    fill_checklist(page, str(field.revealed.uuid), VENUE, QUIET_VENUE)

    device_tokens_revoke_for_user(actor=None, user=alice.user, reason="phone reported lost")
    go_online(page)
    page.locator("#username").wait_for()  # back to sign-in, on the next request
    assert "未傳送的工作會保留" in page.locator("main").inner_text()
    # Put back in the queue once the refused request has unwound, which may finish just after the
    # sign-in screen is drawn (read at once, it was sometimes still "sending").
    page.wait_for_function(
        "() => import('/static/field/js/store.js').then(s => s.all('work'))"
        ".then(w => w.length === 1 && w[0].status === 'queued')",
        polling=100,
    )
    assert Submission.objects.count() == 0

    page.locator("#language").select_option("pt")
    # The console's catalogue names the shell's words ("Iniciar sessão"); wait for the re-render.
    expect(page.locator("form button[type=submit]")).to_have_text("Iniciar sessão")
    sign_in_app(page, pages.base_url, "alice")
    wait_statuses(page, "complete", 1)
    assert Submission.objects.count() == 1
    assert page.locator("#screen-title").inner_text() == "Tarefas"
    # Chromium logs each answer of the revoked token (401) as a console error: those are expected
    # here (how many depends on the requests in flight when it was revoked), and nothing else.
    expected = [p for p in pages.problems if "status of 401 (Unauthorized)" in p]
    assert expected, pages.problems
    for problem in expected:
        pages.problems.remove(problem)


def test_a_busy_server_is_retried_after_the_time_it_asks(pages, field):
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    answered = []

    def busy_once(route):
        if not answered:
            answered.append(time.monotonic())
            route.fulfill(status=429, headers={"Retry-After": "2"}, json={"code": "throttled"})
        else:
            answered.append(time.monotonic())
            route.continue_()

    page.route("**/submissions/batch/", busy_once)
    fill_checklist(page, str(field.revealed.uuid), VENUE, QUIET_VENUE)
    page.goto(pages.base_url + "/field/#/")
    wait_statuses(page, "complete", 1)
    assert len(answered) == 2 and answered[1] - answered[0] >= 1.9  # waited as Retry-After said
    assert Submission.objects.count() == 1
    # Chromium logs the 429 as a console error: the one expected here, and only it.
    expected = [p for p in pages.problems if "status of 429" in p]
    assert len(expected) == 1, pages.problems
    pages.problems.remove(expected[0])


def test_an_officer_who_moves_on_while_a_checklist_is_sending_stays_where_they_went(pages, field):
    """On a slow network, Finish waits for the sending to say how it went. An officer who goes on
    to another screen meanwhile stays there when the answer comes: the phone used to take them
    back to the visit, even from a checklist they had since opened."""
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    held = []
    page.route("**/submissions/batch/", lambda route: held.append(route))  # answered below
    page.goto(pages.base_url + f"/field/#/a/{field.revealed.uuid}")
    page.locator(f"button[data-template='{VENUE}']").click()
    answer_everything(page, QUIET_VENUE)
    page.locator("#finish").click()
    deadline = time.monotonic() + 20
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert held, "the checklist was never sent"

    page.goto(pages.base_url + "/field/#/")  # the officer moves on while it is sending
    page.locator("#outbox-list").wait_for()
    synced = page.locator("body").get_attribute("data-synced")
    held[0].continue_()
    page.wait_for_function("(before) => document.body.dataset.synced !== before", arg=synced)
    wait_statuses(page, "complete", 1)
    page.wait_for_timeout(500)  # the finished send's own step, were it to move the page
    assert page.evaluate("location.hash") == "#/"
    assert page.locator("#outbox-list").is_visible()
    assert Submission.objects.count() == 1
