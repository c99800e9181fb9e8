"""The position is not asked twice. Checked in at a visit (the phone's GPS), the officer found the
venue checklist asking for the "Position at check-in" again. Now a checklist started or opened
after a check-in at its visit takes the check-in's position, says where it came from ("from your
check-in at 21:40"), keeps it changeable ("Record my position"), and the server stores it as the
question's answer (validated as any other). A check-in too imprecise for the question is not
taken: the question says why and asks."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from playwright.sync_api import expect

from backend.inspections.models import Submission
from tests.browser_support import axe_check
from tests.mobile_api.field.phone import answer_everything, open_phone, sign_in_app, wait_statuses

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VENUE = "venue_prostitution_trafficking"
ANSWERS = {"venue_type": "karaoke", "persons_found": 0, "persons": 0}
POSITION = ".q[data-path='site_position']"


def check_in(page, base_url: str, assignment_id: str) -> str:
    """Check in at the visit; returns the check-in's time as the app says it (21:40)."""
    page.goto(f"{base_url}/field/#/a/{assignment_id}")
    page.locator("#check-in").click()
    expect(page.locator("#checkin-status")).to_contain_text("accuracy")
    device_time = page.evaluate(
        """async (id) => {
            const store = await import('/static/field/js/store.js');
            return (await store.all('checkins')).filter(c => c.assignment === id).pop().device_time;
        }""",
        assignment_id,
    )
    at = dt.datetime.fromisoformat(device_time.replace("Z", "+00:00"))
    return at.astimezone(zoneinfo.ZoneInfo("Asia/Macau")).strftime("%H:%M")


def draft_position(page):
    return page.evaluate(
        """async () => {
            const store = await import('/static/field/js/store.js');
            return (await store.all('work')).find(w => w.status === 'draft').answers.site_position ?? null;
        }"""
    )


def test_the_checklist_takes_the_check_in_position(pages, field):
    page = open_phone(pages, near=(22.2, 113.55))
    sign_in_app(page, pages.base_url, "alice")
    at = check_in(page, pages.base_url, str(field.revealed.uuid))

    page.locator(f"button[data-template='{VENUE}']").click()
    box = page.locator(POSITION)
    expect(box).to_have_attribute("data-answered", "1")
    expect(box.locator("[role=status]")).to_have_text(
        f"Position 22.2, 113.55 (accuracy 12 m), from your check-in at {at}"
    )
    # Changeable: the button to record another position is still there.
    expect(box.locator("button")).to_have_text("Record my position")
    axe_check(page)
    # Kept as the draft's answer, in the form the engine takes (numbers, not the check-in's strings).
    assert draft_position(page) == {"lat": 22.2, "lon": 113.55, "accuracy": 12}
    page.reload()
    expect(page.locator(POSITION).locator("[role=status]")).to_contain_text(f"from your check-in at {at}")

    answer_everything(page, ANSWERS)
    page.locator("#finish").click()
    page.locator("#check-in").wait_for()
    page.goto(pages.base_url + "/field/#/")
    wait_statuses(page, "complete", 1)
    stored = Submission.objects.get()
    assert stored.answers["site_position"] == {"lat": 22.2, "lon": 113.55, "accuracy": 12}

    # Read back, it still says where the position came from.
    page.locator("#outbox-list a").click()
    read_back = page.locator(f".checklist.read-only {POSITION}")
    expect(read_back).to_contain_text(f"from your check-in at {at}")


def test_the_check_in_position_can_be_changed(pages, field, second_visit):
    page = open_phone(pages, near=(22.2, 113.551))
    sign_in_app(page, pages.base_url, "alice")
    check_in(page, pages.base_url, str(second_visit.uuid))
    page.locator(f"button[data-template='{VENUE}']").click()
    expect(page.locator(POSITION)).to_contain_text("from your check-in")

    # The location not allowed (any more): said why in the app's words, not the browser's English
    # ("User denied Geolocation"), and how to allow it.
    page.context.clear_permissions()
    page.locator(POSITION).locator("button").click()
    status = page.locator(POSITION).locator("[role=status]")
    expect(status).to_have_text(
        "The phone could not give a position: this app may not use the phone's location. "
        "Allow it in the phone's or the browser's settings, then try again."
    )
    page.context.grant_permissions(["geolocation"])

    # Recorded again from where the officer stands now: the new position is the answer.
    page.context.set_geolocation({"latitude": 22.2004, "longitude": 113.5513, "accuracy": 5})
    page.locator(POSITION).locator("button").click()
    expect(status).to_have_text("Position 22.2004, 113.5513 (accuracy 5 m)")
    page.wait_for_function(
        """async () => {
            const store = await import('/static/field/js/store.js');
            const draft = (await store.all('work')).find(w => w.status === 'draft');
            return draft.answers.site_position && draft.answers.site_position.lat === 22.2004;
        }"""
    )
    # Opened again, it stays the officer's own: the check-in does not take its place.
    page.reload()
    expect(page.locator(POSITION).locator("[role=status]")).to_have_text(
        "Position 22.2004, 113.5513 (accuracy 5 m)"
    )
    answer_everything(page, ANSWERS)
    page.locator("#finish").click()
    page.locator("#check-in").wait_for()
    page.goto(pages.base_url + "/field/#/")
    wait_statuses(page, "complete", 1)
    stored = Submission.objects.get().answers["site_position"]
    assert stored == {"lat": 22.2004, "lon": 113.5513, "accuracy": 5}


def test_a_check_in_too_imprecise_for_the_question_is_not_taken(pages, field):
    page = open_phone(pages)
    page.context.set_geolocation({"latitude": 22.2, "longitude": 113.55, "accuracy": 250})
    sign_in_app(page, pages.base_url, "alice")
    at = check_in(page, pages.base_url, str(field.revealed.uuid))
    page.locator(f"button[data-template='{VENUE}']").click()
    box = page.locator(POSITION)
    expect(box).to_have_attribute("data-answered", "0")
    expect(box.locator("[role=status]")).to_have_text(
        f"Your check-in at {at} was not precise enough for this answer (accuracy 250 m, at most 100 m): "
        "record your position here."
    )
    assert draft_position(page) is None


def test_a_checklist_started_before_the_check_in_takes_it_when_opened_again(pages, field):
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    page.locator(f"button[data-template='{VENUE}']").click()
    expect(page.locator(POSITION)).to_have_attribute("data-answered", "0")
    at = check_in(page, pages.base_url, str(field.revealed.uuid))
    page.locator(f"button[data-template='{VENUE}']").click()  # "Continue …"
    expect(page.locator(POSITION).locator("[role=status]")).to_contain_text(f"from your check-in at {at}")
