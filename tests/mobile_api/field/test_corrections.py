"""Corrections from the phone: a sent checklist is corrected by a new revision (``replaces``);
when someone else corrected it first, the phone explains ``stale_revision`` and corrects the
revision the server names as current."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from backend.inspections.models import Submission
from tests.mobile_api.field.phone import fill_checklist, open_phone, sign_in_app, wait_statuses, work_items

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VENUE = "venue_prostitution_trafficking"


def test_a_sent_checklist_is_corrected_after_a_colleagues_correction(pages, field, phone, dora):
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    fill_checklist(
        page, str(field.revealed.uuid), VENUE, {"venue_type": "karaoke", "persons_found": 0, "persons": 0}
    )
    page.goto(pages.base_url + "/field/#/")
    wait_statuses(page, "complete", 1)
    [first] = Submission.objects.all()

    # Dora, in the same team, corrects it from her phone first.
    colleague = phone(dora)
    answers = dict(first.answers, remarks="corrected by Dora")
    response = colleague.post(
        "/api/mobile/v1/submissions/",
        {
            "id": str(uuid.uuid4()),
            "inspection": str(field.revealed.uuid),
            "template_version": str(field.venue_version.uuid),
            "answers": answers,
            "device_submitted_at": timezone.now().isoformat(),
            "attachments": [
                {"name": a.name, "sha256": a.sha256, "size": a.size} for a in first.attachments.all()
            ],
            "replaces": str(first.uuid),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    current = response.json()["id"]

    # Alice corrects the revision she holds: the server refuses it as stale, the phone says why.
    page.locator("#outbox-list a").click()
    page.locator("#correct").click()
    page.locator(".q[data-path='remarks'] textarea").fill("corrected by Alice")
    page.locator("#finish").click()
    page.goto(pages.base_url + "/field/#/")
    page.wait_for_function("() => document.querySelector('#outbox-list [data-status=\"refused\"]') !== null")
    page.locator("#outbox-list li", has=page.locator("[data-status='refused']")).locator("a").click()
    assert "already corrected" in page.locator("#summary").inner_text()

    # Corrected again, on top of the current revision: stored as the third revision.
    page.locator("#correct").click()
    # The refused revision's screen has a #finish too: wait for the new draft's screen.
    page.locator("#main .badge[data-status='draft']").wait_for()
    page.locator("#finish").click()
    page.goto(pages.base_url + "/field/#/")
    page.wait_for_function(
        "() => document.querySelectorAll('#outbox-list [data-status=\"complete\"]').length === 2"
    )
    latest = Submission.objects.get(replaces__uuid=current)
    assert latest.revision == 3 and latest.answers["remarks"] == "corrected by Alice"
    assert Submission.objects.count() == 3


def test_correcting_a_sent_checklist_again_opens_the_correction_already_begun(pages, field):
    """An officer who began correcting a sent checklist, went back, and later taps "Correct and
    send again" on it once more finds the correction begun, with the change made, not a second
    blank-of-changes draft beside it (two corrections of one revision race: the second is refused
    as stale and the first's change is hidden behind the newer draft)."""
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    fill_checklist(
        page, str(field.revealed.uuid), VENUE, {"venue_type": "karaoke", "persons_found": 0, "persons": 0}
    )
    page.goto(pages.base_url + "/field/#/")
    wait_statuses(page, "complete", 1)
    [sent] = work_items(page)

    page.locator("#outbox-list a").click()
    page.locator("#correct").click()
    page.locator("#main .badge[data-status='draft']").wait_for()
    page.locator(".q[data-path='remarks'] textarea").fill("the exit was chained")
    expect(page.locator("#saved")).to_have_text("Saved on this phone")
    page.locator("#actions a").click()  # back to the visit, then to the sent checklist again
    page.locator("#check-in").wait_for()
    page.goto(pages.base_url + f"/field/#/w/{sent['id']}")
    page.locator("#correct").click()

    expect(page.locator(".q[data-path='remarks'] textarea")).to_have_value("the exit was chained")
    items = work_items(page)
    assert sorted(w["status"] for w in items) == ["complete", "draft"], items

    # Sent, then corrected once more from the first revision: the correction builds on the latest.
    page.locator("#finish").click()
    page.goto(pages.base_url + "/field/#/")
    wait_statuses(page, "complete", 2)
    page.goto(pages.base_url + f"/field/#/w/{sent['id']}")
    page.locator("#correct").click()
    page.locator("#main .badge[data-status='draft']").wait_for()
    expect(page.locator(".q[data-path='remarks'] textarea")).to_have_value("the exit was chained")
    page.locator("#finish").click()
    page.goto(pages.base_url + "/field/#/")
    wait_statuses(page, "complete", 3)
    latest = Submission.objects.order_by("-revision").first()
    assert latest.revision == 3 and latest.answers["remarks"] == "the exit was chained"
    assert not any(w["status"] == "refused" for w in work_items(page))


def test_a_correction_says_which_checklist_it_corrects_in_the_three_languages(pages, field):
    """In the outbox and on its own screen a correction read exactly like the checklist it
    corrects: it says it is a correction, of the checklist sent at what time."""
    import zoneinfo

    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    fill_checklist(
        page, str(field.revealed.uuid), VENUE, {"venue_type": "karaoke", "persons_found": 0, "persons": 0}
    )
    page.goto(pages.base_url + "/field/#/")
    wait_statuses(page, "complete", 1)
    [sent] = work_items(page)
    received = Submission.objects.get().received_at
    at = received.astimezone(zoneinfo.ZoneInfo("Asia/Macau")).strftime("%H:%M")
    # On the 24-hour clock in Chinese too, as the opening hours beside it ("20:00–04:00").
    at_zh = at
    expect(page.locator(".correction-of")).to_have_count(0)  # the checklist itself is no correction

    page.locator("#outbox-list a").click()
    page.locator("#correct").click()
    page.locator("#main .badge[data-status='draft']").wait_for()
    expect(page.locator("#correction-of")).to_have_text(f"Correction of the checklist sent at {at}")
    [correction] = [w for w in work_items(page) if w["id"] != sent["id"]]

    page.goto(pages.base_url + "/field/#/")
    said = page.locator(f"#outbox-list li[data-id='{correction['id']}'] .correction-of")
    expect(said).to_have_text(f"Correction of the checklist sent at {at}")
    expect(page.locator(f"#outbox-list li[data-id='{sent['id']}'] .correction-of")).to_have_count(0)
    for language, text in (
        ("zh-hant", f"更正於{at_zh}傳送的檢查表"),
        ("pt", f"Correcção da lista enviada às {at}"),
    ):
        page.locator("#language").select_option(language)
        expect(said).to_have_text(text)
        page.goto(pages.base_url + f"/field/#/w/{correction['id']}")
        expect(page.locator("#correction-of")).to_have_text(text)
        page.goto(pages.base_url + "/field/#/")
        said.wait_for()
