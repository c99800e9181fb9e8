"""A phone two officers share: officer A's sign-in ends (revoked) with work still on the phone,
officer B signs in on it. A's work waits for A: never sent under B's sign-in (B on A's team
would otherwise have A's checklist stored as B's), not B's to open or discard, said to wait for
A; A signs in again and it goes up as A's."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from backend.inspections.models import CheckIn, Submission
from mobile_api.services_auth import device_tokens_revoke_for_user
from tests.mobile_api.field.phone import (
    fill_checklist,
    go_online,
    open_phone,
    sign_in_app,
    wait_offline_ready,
    wait_statuses,
    work_items,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VENUE = "venue_prostitution_trafficking"
ALICES_REMARK = "Alice saw a chained exit"
QUIET_VENUE = {"venue_type": "karaoke", "persons_found": 0, "persons": 0, "remarks": ALICES_REMARK}


def forget_expected_401s(pages) -> None:
    # Chromium logs each answer to the revoked token (401) as a console error: expected here.
    expected = [p for p in pages.problems if "status of 401 (Unauthorized)" in p]
    for problem in expected:
        pages.problems.remove(problem)


def check_in_offline(page, assignment_id: str) -> None:
    page.goto(page.url.split("#")[0] + f"#/a/{assignment_id}")
    page.locator("#check-in").click()
    expect(page.locator("#checkin-status")).to_contain_text("Position recorded")


def test_a_teammates_unsent_work_waits_for_them_and_goes_up_as_theirs(pages, field, alice, dora):
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    wait_offline_ready(page)
    visit = str(field.revealed.uuid)

    # Alice works offline: a check-in and a finished checklist wait in the outbox.
    page.context.set_offline(True)
    check_in_offline(page, visit)
    fill_checklist(page, visit, VENUE, QUIET_VENUE)
    [alices] = work_items(page)
    assert alices["status"] == "queued"

    # Her device is revoked; back online the phone asks to sign in again, her work kept.
    device_tokens_revoke_for_user(actor=None, user=alice.user, reason="shift over")
    go_online(page)
    page.locator("#username").wait_for()

    # Dora, of Alice's team, signs in on the same phone and syncs: nothing of Alice's goes up.
    sign_in_app(page, pages.base_url, "dora")
    page.locator("#sync").click()
    expect(page.locator("#sync")).to_have_text("Sync now")
    page.wait_for_timeout(500)
    assert Submission.objects.count() == 0
    assert CheckIn.objects.count() == 0
    assert work_items(page) == [alices]

    # Dora is told whose it is and that it waits for her, with nothing to open or discard, and
    # nothing of Alice's visit or answers.
    held = page.locator(f"#outbox-list li[data-id='{alices['id']}']")
    expect(held).to_contain_text("Waiting for Alice Police to sign in again on this phone")
    expect(held.locator("a, button")).to_have_count(0)
    assert ALICES_REMARK not in page.locator("main").inner_text()
    # The visit is Dora's too: Alice's unsent checklist is not Dora's draft or waiting work.
    card = page.locator(f"#assignments li[data-id='{visit}']")
    expect(card.locator("[data-state]")).to_have_attribute("data-state", "not_started")
    # Opened by its address, Alice's checklist is not shown to Dora.
    page.goto(pages.base_url + f"/field/#/w/{alices['id']}")
    page.locator("#assignments").wait_for()
    assert ALICES_REMARK not in page.locator("main").inner_text()
    discarded = page.evaluate(
        "async (id) => (await import('/static/field/js/outbox.js')).discard(id)", alices["id"]
    )
    assert discarded is False

    # Dora signs out: the phone forgets Dora, and keeps Alice's work for her.
    page.locator("#sign-out").click()
    page.locator("#username").wait_for()
    assert work_items(page) == [alices]

    # Alice signs in again: her check-in and checklist go up as hers.
    sign_in_app(page, pages.base_url, "alice")
    wait_statuses(page, "complete", 1)
    [stored] = Submission.objects.all()
    assert stored.officer == alice and str(stored.uuid) == alices["id"]
    assert stored.answers["remarks"] == ALICES_REMARK
    assert list(CheckIn.objects.values_list("officer", flat=True)) == [alice.pk]
    forget_expected_401s(pages)


# The phone's database as the app before this change kept it (version 1): the same stores, and
# work and check-ins that do not say whose they are.
AS_BEFORE_OWNERS = """async () => {
    const store = await import('/static/field/js/store.js');
    const held = {};
    for (const name of ['work', 'files', 'checkins', 'assignments', 'templates']) {
        held[name] = await store.all(name);
    }
    const kv = {};
    for (const key of ['token', 'officer', 'device_id', 'cursor', 'synced_at', 'full_sync_at', 'language']) {
        kv[key] = await store.get('kv', key);
    }
    (await store.open()).close();
    await new Promise((ok, ko) => {
        const r = indexedDB.deleteDatabase('field-app');
        r.onsuccess = ok;
        r.onerror = ko;
    });
    const db = await new Promise((ok, ko) => {
        const r = indexedDB.open('field-app', 1);
        r.onupgradeneeded = () => {
            for (const name of ['kv', 'assignments', 'templates', 'work', 'files', 'checkins']) {
                r.result.createObjectStore(name, name === 'kv' ? undefined : {keyPath: 'id'});
            }
        };
        r.onsuccess = () => ok(r.result);
        r.onerror = ko;
    });
    const tx = db.transaction(['kv', 'assignments', 'templates', 'work', 'files', 'checkins'], 'readwrite');
    for (const [name, records] of Object.entries(held)) {
        for (const record of records) {
            const { officer, ...older } = record;
            tx.objectStore(name).put(name === 'work' || name === 'checkins' ? older : record);
        }
    }
    for (const [key, value] of Object.entries(kv)) {
        if (value !== undefined) tx.objectStore('kv').put(value, key);
    }
    await new Promise((ok) => (tx.oncomplete = ok));
    db.close();
}"""


def test_work_kept_before_the_phone_recorded_whose_it_was_stays_its_officers(pages, field, alice):
    """Work an earlier version of the app kept, without its officer, is the officer's the phone
    knew then: it waits for them through another officer's sign-in, and goes up as theirs."""
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    wait_offline_ready(page)
    visit = str(field.revealed.uuid)
    page.context.set_offline(True)
    check_in_offline(page, visit)
    fill_checklist(page, visit, VENUE, QUIET_VENUE)
    [alices] = work_items(page)
    page.evaluate(AS_BEFORE_OWNERS)
    page.reload()
    page.locator("#check-in").wait_for()
    owners = page.evaluate(
        """async () => {
            const store = await import('/static/field/js/store.js');
            return [...await store.all('work'), ...await store.all('checkins')].map(r => r.officer);
        }"""
    )
    assert owners == [{"id": str(alice.uuid), "full_name": "Alice Police"}] * 2

    device_tokens_revoke_for_user(actor=None, user=alice.user, reason="shift over")
    go_online(page)
    page.locator("#username").wait_for()
    sign_in_app(page, pages.base_url, "dora")
    held = page.locator(f"#outbox-list li[data-id='{alices['id']}']")
    expect(held).to_contain_text("Waiting for Alice Police")
    assert Submission.objects.count() == 0 and CheckIn.objects.count() == 0

    page.locator("#sign-out").click()
    page.locator("#username").wait_for()
    sign_in_app(page, pages.base_url, "alice")
    wait_statuses(page, "complete", 1)
    assert Submission.objects.get().officer == alice
    assert CheckIn.objects.get().officer == alice
    forget_expected_401s(pages)
