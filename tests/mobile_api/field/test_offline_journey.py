"""The field app in Chromium on a 360×740 phone: a night's work done offline, then synced.

Sign in through the app's own screen, go offline, check in, fill two venue checklists with
photos and one ILO screening of three persons, reload while offline (everything is still
there), go online: exactly those submissions and files arrive, once each, with the findings and
the referrals they cause. A sealed operation's visit never shows.
"""

from __future__ import annotations

import hashlib
import io

import pytest
from django.conf import settings
from PIL import Image

from backend.compliance.models import Referral
from backend.inspections.models import Attachment, CheckIn, Finding, Submission
from backend.inspections.personal_files import read_original
from tests.browser_support import axe_check
from tests.mobile_api.field.phone import (
    answer_everything,
    open_phone,
    sign_in_app,
    small_touch_targets,
    statuses,
    wait_offline_ready,
    wait_statuses,
    work_items,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_venue(page, assignment_id: str) -> None:
    page.goto(page.url.split("#")[0] + f"#/a/{assignment_id}")
    page.locator("button[data-template='venue_prostitution_trafficking']").click()
    # Two persons found: one holds her own documents, one does not (a finding per entry).
    answer_everything(page, {"venue_type": "karaoke", "persons_found": 2, "persons": 2}, photos=2)
    page.locator("#finish").click()
    page.locator("#check-in").wait_for()


def test_a_night_offline_then_synced_once(pages, field, second_visit, alice):
    page = open_phone(pages)
    page.goto(pages.base_url + "/field/")
    page.locator("#username").wait_for()
    axe_check(page)  # the sign-in screen
    sign_in_app(page, pages.base_url, "alice")
    page.locator("#assignments .assignment").nth(1).wait_for()
    names = page.locator("#assignments .assignment h4").all_inner_texts()
    assert names == ["1. Golden Lotus Karaoke", "2. Silver Moon Massage"]
    assert "Jade Sauna" not in page.content()  # the sealed night's visit
    assert page.locator("#route-map .stop-marker").count() == 2
    assert small_touch_targets(page) == []
    held = page.evaluate(
        "async () => (await (await import('/static/field/js/store.js')).all('assignments')).length"
    )
    assert held == 2  # the sealed night's visit never reached the phone
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    axe_check(page)
    wait_offline_ready(page)

    page.context.set_offline(True)
    page.locator("#assignments .assignment h4 a").first.click()
    page.locator("#check-in").click()
    page.wait_for_function("() => document.querySelector('#checkin-status').textContent.includes('accuracy')")

    fill_venue(page, str(field.revealed.uuid))
    page.locator("button[data-template='ilo_forced_labour_screening']").click()
    # Three persons screened: the first answers yes to every indicator (a potential victim).
    answer_everything(
        page,
        {"screened_count": 3, "persons": 3, "fl_01": True, "age_band": "26_40"},
    )
    axe_check(page)
    assert small_touch_targets(page) == []
    page.locator("#finish").click()
    page.locator("#check-in").wait_for()
    fill_venue(page, str(second_visit.uuid))

    # A reload with no network: the shell comes from the service worker, the work from IndexedDB.
    page.goto(pages.base_url + "/field/#/")
    page.reload()
    page.locator("#outbox-list").wait_for()
    # Three checklists and the check-in wait to be sent, each listed as queued.
    assert sorted(statuses(page)) == ["queued", "queued", "queued", "queued"]
    assert page.locator("#outbox-list li.checkin").count() == 1
    assert Submission.objects.count() == 0 and CheckIn.objects.count() == 0

    synced_before = page.evaluate("document.body.dataset.synced")
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_statuses(page, "complete", 3)
    page.wait_for_function("(before) => document.body.dataset.synced !== before", arg=synced_before)
    # The visits moved on by the officer's own work are not "changed since the last sync".
    changed = page.evaluate(
        """async () => (await (await import('/static/field/js/store.js')).all('assignments'))
            .map(a => a.changed)"""
    )
    assert changed == [False, False]
    synced_before = page.evaluate("document.body.dataset.synced")
    page.locator("#sync").click()  # a second sync sends nothing twice
    # The list already says "complete": wait for this sync to be over before counting.
    page.wait_for_function("(before) => document.body.dataset.synced !== before", arg=synced_before)
    wait_statuses(page, "complete", 3)

    assert Submission.objects.count() == 3
    assert CheckIn.objects.count() == 1
    attachments = Attachment.objects.all()
    # Two venue checklists with two photos and a signature each, a screening with a signature.
    assert attachments.count() == 7
    assert all(a.received_at is not None for a in attachments)
    # Photos (taken at 2400×1800) were shrunk on the phone; what arrived is what was declared.
    photos = [a for a in attachments if a.content_type == "image/jpeg"]
    assert len(photos) == 4
    for attachment in photos:
        data = read_original(attachment)
        assert hashlib.sha256(data).hexdigest() == attachment.sha256
        assert max(Image.open(io.BytesIO(data)).size) == settings.FIELD_PHOTO_MAX_EDGE
    screening = Submission.objects.get(template_version=field.screening_version)
    assert len(screening.answers["persons"]) == 3
    assert Finding.objects.filter(submission=screening, potential_victim=True).count() == 3
    assert Referral.objects.count() >= 1
    for submission in Submission.objects.filter(template_version=field.venue_version):
        assert submission.findings.exists()
    pages.shot(page, "synced")

    # Signing out leaves nothing personal on the phone.
    page.locator("#sign-out").click()
    page.locator("#username").wait_for()
    assert work_items(page) == []
    held = page.evaluate(
        """async () => {
            const store = await import('/static/field/js/store.js');
            const counts = {};
            for (const name of ['kv', 'assignments', 'templates', 'work', 'files', 'checkins']) {
                counts[name] = (await store.all(name)).length;
            }
            counts.web_storage = localStorage.length + sessionStorage.length;
            const cached = [];
            for (const name of await caches.keys()) {
                for (const request of await (await caches.open(name)).keys()) cached.push(request.url);
            }
            counts.cached = cached.map(u => new URL(u).pathname);
            return counts;
        }"""
    )
    # The device token, the officer, the sync cursor, the work, the files: all gone; what the
    # service worker keeps is the shell alone, the same for everyone.
    cached = held.pop("cached")
    assert held == {
        "kv": 0,
        "assignments": 0,
        "templates": 0,
        "work": 0,
        "files": 0,
        "checkins": 0,
        "web_storage": 0,
    }
    assert cached and all(p.startswith(("/field/", "/static/")) for p in cached), cached
