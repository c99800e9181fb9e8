"""A new version of the app, deployed while a phone runs the old one. The phone kept running the
old version, and nothing told the officer; now the service worker installs the new one beside it
and waits, the app says "A new version of the app is ready" (in the officer's language) with a
button to switch, and never switches by itself: a checklist being typed stays as it is, the
focus where it was. Switching keeps the draft (the answer typed just before included), the
checklist queued by the old version with its photo, and the phone's files; the new version sends
the old one's queued work to the server. Portuguese, at 390 px, axe clean with the notice shown."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from backend.inspections.models import Attachment, Submission
from tests.browser_support import axe_check
from tests.mobile_api.field.phone import (
    PHONE_390,
    fill_checklist,
    open_phone,
    sign_in_app,
    wait_offline_ready,
    work_items,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VENUE = "venue_prostitution_trafficking"
QUIET_VENUE = {"venue_type": "karaoke", "persons_found": 0, "persons": 0}
READY = (
    "Está pronta uma nova versão da aplicação. Ao mudar, os seus rascunhos, fotografias e tudo o que "
    "aguarda envio são mantidos."
)
WAITING = ("queued", "sending")  # its request held: it waits, being sent
BATCH = "**/api/mobile/v1/submissions/batch/"


def app_version(page) -> str:
    return page.evaluate("JSON.parse(document.getElementById('field-config').textContent).version")


def files_kept(page) -> int:
    return page.evaluate(
        "async () => (await (await import('/static/field/js/store.js')).all('files')).length"
    )


def test_a_new_version_is_offered_and_switching_keeps_the_work(pages, field, second_visit, settings):
    page = open_phone(pages, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    page.locator("#language").select_option("pt")
    wait_offline_ready(page)
    old = app_version(page)

    # The old version queues a checklist with a photo, offline; back online, the server is not
    # reached (its request is held), so it is still waiting when the new version comes.
    page.context.set_offline(True)
    fill_checklist(page, str(field.revealed.uuid), VENUE, QUIET_VENUE)
    held = []
    page.route(BATCH, lambda route: held.append(route))
    page.context.set_offline(False)
    # And a checklist is being typed at the second visit: a draft.
    page.goto(pages.base_url + f"/field/#/a/{second_visit.uuid}")
    page.locator(f"button[data-template='{VENUE}']").click()
    remarks = page.locator(".q[data-key='remarks'] textarea, .q[data-key='remarks'] input").first
    remarks.fill("Porta das traseiras fechada")
    expect(page.locator("#saved")).not_to_be_empty()
    draft_url = page.url
    kept_before = {w["id"]: w["status"] for w in work_items(page)}
    [queued] = [i for i, status in kept_before.items() if status in WAITING]
    [draft] = [i for i, status in kept_before.items() if status == "draft"]
    photos = files_kept(page)
    assert photos >= 1

    # A deploy: the app's version changes (a setting written into the shell, as a release's files
    # would). The phone starts the app again on the checklist it was typing.
    settings.FIELD_PHOTO_QUALITY = settings.FIELD_PHOTO_QUALITY - 1
    page.reload()
    notice = page.locator("#update")
    expect(notice).to_contain_text(READY)
    expect(page.locator("#live")).to_have_text(READY)  # said once, politely
    # Offered, never forced: the officer goes on typing in the old version, undisturbed.
    remarks.focus()
    page.wait_for_timeout(1500)
    assert app_version(page) == old and page.url == draft_url
    expect(remarks).to_have_value("Porta das traseiras fechada")
    # The old version keeps its shell (offline, its page still starts) until the officer switches.
    assert page.evaluate("v => caches.has('field-shell-' + v)", old)
    assert page.evaluate("document.activeElement.closest('.q')?.dataset.key") == "remarks"
    switch = page.locator("#update-switch")
    expect(switch).to_have_text("Mudar para a nova versão")
    box = switch.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    axe_check(page)
    pages.shot(page, "notice-390")

    # The last words typed, then at once "switch": nothing lost.
    remarks.fill("Porta das traseiras fechada; saída de emergência livre")
    asked = len(held)
    switch.click()
    page.wait_for_function(
        "old => document.body.dataset.ready === '1'"
        " && JSON.parse(document.getElementById('field-config').textContent).version !== old",
        arg=old,
    )
    assert page.url == draft_url
    expect(page.locator("#main")).to_contain_text("A aplicação está agora na nova versão.")
    expect(page.locator("#update")).to_be_hidden()
    expect(page.locator(".q[data-key='remarks'] textarea, .q[data-key='remarks'] input").first).to_have_value(
        "Porta das traseiras fechada; saída de emergência livre"
    )
    kept = {w["id"]: w["status"] for w in work_items(page)}
    assert kept.keys() == {queued, draft} and kept[draft] == "draft" and kept[queued] in WAITING
    assert files_kept(page) == photos
    axe_check(page)

    # The new version sends what the old one queued, to the same server API.
    # (Its first try, at its start, is the request held now: let go.)
    deadline = time.monotonic() + 30
    while len(held) == asked and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    held[-1].continue_()
    page.unroute(BATCH)
    deadline = time.monotonic() + 30
    while {w["id"]: w["status"] for w in work_items(page)}[queued] != "complete":
        assert time.monotonic() < deadline, work_items(page)
        page.wait_for_timeout(300)
    submission = Submission.objects.get(uuid=queued)
    assert Attachment.objects.filter(submission=submission).count() == photos
    assert Submission.objects.count() == 1


def test_another_tab_switched_first(pages, field, settings):
    """Two tabs of the app: both are told; one switches, the other, still on the old version, is
    not switched under the officer and switches when asked."""
    page = open_phone(pages, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    wait_offline_ready(page)
    other = page.context.new_page()
    other.on("console", lambda message: pages._console(other, message))
    other.on("pageerror", lambda error: pages.problems.append(f"uncaught: {error}"))
    other.goto(pages.base_url + "/field/#/")
    other.locator("body[data-ready]").wait_for(state="attached")
    old = app_version(page)

    settings.FIELD_PHOTO_QUALITY = settings.FIELD_PHOTO_QUALITY - 1
    page.reload()
    expect(page.locator("#update")).to_contain_text("A new version of the app is ready")
    expect(other.locator("#update")).to_contain_text("A new version of the app is ready")
    page.locator("#update-switch").click()
    page.wait_for_function(
        "old => document.body.dataset.ready === '1'"
        " && JSON.parse(document.getElementById('field-config').textContent).version !== old",
        arg=old,
    )
    other.wait_for_timeout(1000)
    assert app_version(other) == old
    expect(other.locator("#update")).to_be_visible()
    other.locator("#update-switch").click()
    other.wait_for_function(
        "old => document.body.dataset.ready === '1'"
        " && JSON.parse(document.getElementById('field-config').textContent).version !== old",
        arg=old,
    )
    expect(other.locator("#main")).to_contain_text("The app is now on its new version.")
