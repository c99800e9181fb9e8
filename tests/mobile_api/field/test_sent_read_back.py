"""A sent checklist is read back on the phone: its answers in place (nothing to change), the
photos and the signature the phone still has, the site and when the server received it, with
"Correct and send again" as the way to change it: the phone's copy of what it sent. One its
officer sent from another phone (or before a sign-out) is read back from the server, which gives
its answers to the officer who sent it."""

from __future__ import annotations

import zoneinfo

import pytest
from playwright.sync_api import expect

from backend.inspections.models import Submission
from tests.browser_support import axe_check
from tests.mobile_api.conftest import submission_payload
from tests.mobile_api.field.phone import fill_checklist, open_phone, sign_in_app, wait_statuses, work_items

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VENUE = "venue_prostitution_trafficking"
ANSWERS = {"venue_type": "karaoke", "persons_found": 0, "persons": 0, "remarks": "fire exit chained shut"}


def test_a_sent_checklist_is_read_back_with_its_answers_photos_signature_site_and_time(pages, field):
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    fill_checklist(page, str(field.revealed.uuid), VENUE, ANSWERS, photos=2)
    page.goto(pages.base_url + "/field/#/")
    wait_statuses(page, "complete", 1)
    [sent] = work_items(page)
    stored = Submission.objects.get()

    page.locator("#outbox-list a").click()
    page.locator("#answers-sent").wait_for()
    # Where and when.
    details = page.locator("#sent-details")
    expect(details).to_contain_text("Golden Lotus Karaoke")
    expect(details).to_contain_text("Received by the server")
    at = stored.received_at.astimezone(zoneinfo.ZoneInfo("Asia/Macau")).strftime("%H:%M")
    expect(page.locator("#sent-at")).to_contain_text(at)
    # The answers as sent, read-only.
    remarks = page.locator(".checklist.read-only .q[data-path='remarks'] textarea")
    expect(remarks).to_have_value("fire exit chained shut")
    expect(remarks).to_be_disabled()
    karaoke = page.locator(".checklist.read-only .q[data-key='venue_type'] input[type=radio]:checked")
    expect(karaoke).to_be_disabled()
    # The photos and the signature the phone kept, as pictures.
    photo_box = page.locator(".checklist.read-only .q[data-type='photo']").first
    expect(photo_box.locator("img")).to_have_count(2)
    expect(page.locator(".checklist.read-only img.signature")).to_be_visible()
    # Nothing to change or add here: the change is a correction.
    read_only = page.locator(".checklist.read-only")
    expect(read_only.locator("button, input[type=file], canvas")).to_have_count(0)
    # No person was found: the persons group says so, not an empty box.
    persons = read_only.locator("[data-section='persons'] fieldset.repeat")
    expect(persons.locator(".entry")).to_have_count(0)
    expect(persons.locator("[data-empty]")).to_have_text("No entries")
    expect(page.locator("#finish")).to_have_count(0)
    expect(page.locator("#correct")).to_have_text("Correct and send again")
    axe_check(page)
    pages.shot(page, "read-back")

    # A photo no longer on the phone is said, not silently left out.
    page.evaluate(
        """async (id) => {
            const store = await import('/static/field/js/store.js');
            const item = await store.get('work', id);
            const signature = item.payload.answers.officer_signature;
            const first = item.payload.attachments.find(a => a.name !== signature);
            await store.del('files', first.name);
        }""",
        sent["id"],
    )
    page.reload()
    page.locator("#answers-sent").wait_for()
    expect(page.locator(".checklist.read-only").get_by_text("no longer on this phone")).to_have_count(1)

    # Read to the end, the way on is there too: no scrolling back up a long checklist.
    end = page.locator("#actions-end")
    expect(end.locator("#correct-end")).to_have_text("Correct and send again")
    expect(end.locator("#back-end")).to_have_attribute("href", f"#/a/{field.revealed.uuid}")
    assert end.bounding_box()["y"] > page.locator(".checklist.read-only").bounding_box()["y"]

    # Correcting starts from the answers sent (from the end as from the top).
    page.locator("#correct-end").click()
    page.locator("#main .badge[data-status='draft']").wait_for()
    expect(page.locator(".q[data-path='remarks'] textarea")).to_be_editable()
    expect(page.locator(".q[data-path='remarks'] textarea")).to_have_value("fire exit chained shut")


def test_a_checklist_sent_from_another_phone_is_read_back_from_the_server(pages, field, alice, dora, phone):
    """Alice sent the visit's venue checklist from another phone: this one offers to open it, and
    shows the answers the server stored (GET submissions/<id>/ gives them to her alone)."""
    payload = submission_payload(field.revealed, field.venue_version)
    payload["answers"]["remarks"] = "sent from the other phone"
    response = phone(alice, "other phone").post("/api/mobile/v1/submissions/", payload, format="json")
    assert response.status_code == 201, response.content

    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    # Her own: "sent by you from another phone", not by her own name and badge.
    own = page.locator("[data-sent-elsewhere] .sent-by").first
    expect(own).to_contain_text("was sent by you from another phone,")
    expect(own).not_to_contain_text("Alice Police")
    page.locator(f"a[data-read-back='{payload['id']}']").click()
    page.locator("#answers-sent").wait_for()
    expect(page.locator("#read-back-note")).to_have_text(
        "Sent from another phone and read back from the server, with its photos and signature."
    )
    remarks = page.locator(".checklist.read-only .q[data-path='remarks'] textarea")
    expect(remarks).to_have_value("sent from the other phone")
    expect(remarks).to_be_disabled()
    expect(page.locator("#sent-details")).to_contain_text("Received by the server")
    stored = Submission.objects.get(uuid=payload["id"])
    expect(page.locator("#summary")).to_contain_text(f"{stored.findings.count()} findings recorded")
    # Corrected here too (test_correct_read_back.py), from the top as from the end.
    expect(page.locator("#correct")).to_have_text("Correct and send again")
    expect(page.locator("#actions-end #correct-end")).to_have_text("Correct and send again")
    expect(page.locator("#actions-end #back-end")).to_have_attribute("href", f"#/a/{field.revealed.uuid}")
    axe_check(page)
    # Nothing of it is kept on this phone.
    assert work_items(page) == []

    # Offline, it says what reading it back needs.
    page.context.set_offline(True)
    page.reload()
    expect(page.locator("#read-back-unavailable")).to_have_text(
        "Reading back a checklist sent from another phone, with its photos and signature, needs a connection."
    )

    # A teammate is told who sent it, and has nothing to open.
    teammate = open_phone(pages)
    sign_in_app(teammate, pages.base_url, "dora")
    teammate.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    expect(teammate.locator("[data-sent-elsewhere] .sent-by").first).to_contain_text("Alice Police")
    expect(teammate.locator("a[data-read-back]")).to_have_count(0)
    # On her visits' list, the visit says who sent: she, from another phone.
    page.context.set_offline(False)
    page.goto(f"{pages.base_url}/field/#/")
    card = page.locator(f".assignment[data-id='{field.revealed.uuid}'] .sent-by")
    expect(card).to_have_text("Sent by you (from another phone)")


@pytest.mark.parametrize(("locale", "entry"), [("en", "Entry"), ("zh-Hant", "第")])
def test_the_same_finding_for_two_people_says_which_entry(pages, field, alice, phone, locale, entry):
    """The venue checklist's finding for each person found (V-13) was listed twice, word for word,
    with nothing to tell which person each was: each now says its entry, as the form numbers them."""
    from backend.checklists.services import parsed_definition
    from tests.checklists.engine.factories import fill

    payload = submission_payload(field.revealed, field.venue_version)
    payload["answers"] = fill(parsed_definition(field.venue_version), yes=True, entries=2)
    response = phone(alice, "other phone").post("/api/mobile/v1/submissions/", payload, format="json")
    assert response.status_code == 201, response.content
    entries = [f["entry"] for f in response.json()["findings"] if f["violation_code"] == "V-13"]
    assert set(entries) == {"persons[0]", "persons[1]"}

    page = open_phone(pages, locale=locale)
    sign_in_app(page, pages.base_url, "alice")
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    page.locator(f"a[data-read-back='{payload['id']}']").click()
    page.locator("#answers-sent").wait_for()
    listed = [text for text in page.locator("#summary li").all_inner_texts() if text.startswith("V-13")]
    assert len(listed) == len(entries) and len(set(listed)) == len(listed), listed
    assert all(entry in text for text in listed), listed
