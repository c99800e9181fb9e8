"""A checklist the officer sent from another phone (or before a sign-out), read back from the
server, is corrected on this phone: "Correct and send again" starts a draft here from the
server's answers, its photos and signature copied from the server to the phone (the server keeps
each revision's own files, so the correction declares and uploads them again); the draft is kept
and finished offline as any draft, and sent as a correction (``replaces``) of the revision read
back. Overtaken by a correction from the other phone, it is refused as stale and corrected again
from what the officer typed. Offline, without the server's copy, it says it can be corrected when
online. A teammate's stays read-only."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from backend.inspections.models import Submission
from backend.inspections.personal_files import read_original
from tests.browser_support import axe_check
from tests.mobile_api.conftest import API, attachment_url, sha256, submission_payload
from tests.mobile_api.field.phone import (
    go_online,
    jpeg,
    open_phone,
    sign_in_app,
    wait_offline_ready,
    wait_statuses,
    work_items,
)
from tests.mobile_api.field.test_read_back_photos import LOADED, signature_png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sent_from_other_phone(field, other, *, remarks="sent from the other phone"):
    """Alice's venue checklist sent from her other phone with a photo and her signature, both
    uploaded; the payload and the files by name."""
    photo, signed = str(uuid.uuid4()), str(uuid.uuid4())
    files = {photo: jpeg((30, 120, 200), (640, 480)), signed: signature_png()}
    payload = submission_payload(field.revealed, field.venue_version)
    payload["answers"].update(site_photos=[photo], officer_signature=signed, remarks=remarks)
    payload["attachments"] = [{"name": n, "sha256": sha256(b), "size": len(b)} for n, b in files.items()]
    assert other.post(f"{API}/submissions/", payload, format="json").status_code == 201
    for name, data in files.items():
        response = other.put(
            attachment_url(payload["id"], name), data, content_type="application/octet-stream"
        )
        assert response.status_code == 201, response.content
    return payload, photo, signed


def open_read_back(page, base_url, field, submission_id):
    page.goto(f"{base_url}/field/#/a/{field.revealed.uuid}")
    page.locator(f"a[data-read-back='{submission_id}']").click()
    page.locator("#answers-sent").wait_for()


def test_a_checklist_read_back_from_the_server_is_corrected_on_this_phone(pages, field, alice, dora, phone):
    other = phone(alice, "other phone")
    payload, photo, signed = sent_from_other_phone(field, other)
    base = Submission.objects.get(uuid=payload["id"])

    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    wait_offline_ready(page)
    open_read_back(page, pages.base_url, field, payload["id"])
    expect(page.locator("#read-back-note")).to_have_text(
        "Sent from another phone and read back from the server, with its photos and signature."
    )
    expect(page.locator("#correct")).to_have_text("Correct and send again")
    expect(page.locator("#actions-end #correct-end")).to_have_text("Correct and send again")
    page.wait_for_function("() => document.querySelectorAll('.checklist.read-only img').length === 2")
    axe_check(page)

    # Offline, opened again: its answers (read back earlier) but not its files are held, so the
    # correction cannot start from the server's copy; it says when it can, and begins nothing.
    page.locator("#back").click()
    page.context.set_offline(True)
    page.locator(f"a[data-read-back='{payload['id']}']").click()
    page.locator("#answers-sent").wait_for()
    page.locator("#correct").click()
    expect(page.locator("#correct-said")).to_have_text(
        "It can be corrected when the phone is online: the correction starts from the server's copy, "
        "with its photos and signature."
    )
    assert work_items(page) == []
    axe_check(page)
    # Reopened offline with nothing held at all, it says so too.
    page.reload()
    expect(page.locator("#read-back-unavailable")).to_be_visible()
    expect(page.locator("#correct-when-online")).to_contain_text(
        "It can be corrected when the phone is online"
    )

    # Online: the correction starts from the server's answers, its photo and signature on the phone.
    go_online(page)
    page.locator("#answers-sent").wait_for()
    page.locator("#correct").click()
    page.locator("#main .badge[data-status='draft']").wait_for()
    expect(page.locator("#correction-of")).to_contain_text("Correction of the checklist sent at")
    remarks = page.locator(".q[data-path='remarks'] textarea")
    expect(remarks).to_be_editable()
    expect(remarks).to_have_value("sent from the other phone")
    page.wait_for_function(f"() => ({LOADED})(document.querySelector(\".q[data-key='site_photos'] img\"))")
    page.wait_for_function(
        f"() => ({LOADED})(document.querySelector(\".q[data-key='officer_signature'] img\"))"
    )
    [draft] = work_items(page)
    assert draft["status"] == "draft"
    axe_check(page)
    pages.shot(page, "read-back-correction")

    # Offline again: typed, kept through a reload, finished and queued as any draft.
    page.context.set_offline(True)
    remarks.fill("fire exit chained shut, seen again")
    page.locator("#saved").wait_for(state="attached")
    expect(page.locator("#saved")).to_have_text("Saved on this phone")
    page.reload()
    expect(page.locator(".q[data-path='remarks'] textarea")).to_have_value(
        "fire exit chained shut, seen again"
    )
    page.locator("#finish").click()
    page.locator("#check-in").wait_for()
    assert work_items(page) == [{"id": draft["id"], "status": "queued"}]

    # Back online it is sent as the next revision of the one read back, with its files again.
    go_online(page)
    page.goto(pages.base_url + "/field/#/")
    wait_statuses(page, "complete", 1)
    correction = Submission.objects.get(uuid=draft["id"])
    base.refresh_from_db()
    assert base.status == Submission.Status.SUPERSEDED
    assert correction.replaces_id == base.pk and correction.revision == 2
    assert correction.answers["remarks"] == "fire exit chained shut, seen again"
    assert correction.answers["site_photos"] == [photo] and correction.answers["officer_signature"] == signed
    received = {a.name: a for a in correction.attachments.all()}
    assert set(received) == {photo, signed}
    assert all(a.received_at is not None and a.size > 0 for a in received.values())
    # The served copies it carried are the files as sent, once each: the photo and the signature
    # are the same bytes as the revision read back (the app's own photos and signatures have no
    # metadata to strip), under the same names; nothing lost, nothing added.
    sent_first = {a.name: a for a in base.attachments.all()}
    for name in (photo, signed):
        assert read_original(received[name]) == read_original(sent_first[name])

    # The visit now shows the correction as this phone's, to open (and correct again) here.
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    expect(page.locator(f"a[data-work='{draft['id']}']")).to_be_visible()
    expect(page.locator("a[data-read-back]")).to_have_count(0)

    # A teammate's checklist stays read-only: Dora has nothing to open or correct of it.
    teammate = open_phone(pages)
    sign_in_app(teammate, pages.base_url, "dora")
    teammate.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    expect(teammate.locator("[data-sent-elsewhere]").first).to_contain_text(
        "only the officer who sent it can correct it"
    )
    expect(teammate.locator("a[data-read-back], #correct")).to_have_count(0)


def test_a_correction_overtaken_by_the_other_phone_keeps_what_was_typed(pages, field, alice, phone):
    other = phone(alice, "other phone")
    payload, _photo, _signed = sent_from_other_phone(field, other)

    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    open_read_back(page, pages.base_url, field, payload["id"])
    page.locator("#correct").click()
    page.locator("#main .badge[data-status='draft']").wait_for()
    page.locator(".q[data-path='remarks'] textarea").fill("typed on this phone")

    # Meanwhile the other phone corrects the same revision (its files are the same bytes).
    theirs = dict(payload, id=str(uuid.uuid4()), replaces=payload["id"])
    theirs["answers"] = dict(payload["answers"], remarks="corrected on the other phone")
    theirs["device_submitted_at"] = timezone.now().isoformat()
    response = other.post(f"{API}/submissions/", theirs, format="json")
    assert response.status_code == 201, response.content

    # Sent, it is refused as stale; corrected again, the officer's typing is all there, and it goes
    # as a correction of the other phone's revision.
    page.locator("#finish").click()
    page.goto(pages.base_url + "/field/#/")
    wait_statuses(page, "refused", 1)
    page.locator("#outbox-list a").click()
    expect(page.locator("#summary")).to_contain_text("already corrected")
    page.locator("#correct").click()
    page.locator("#main .badge[data-status='draft']").wait_for()
    expect(page.locator(".q[data-path='remarks'] textarea")).to_have_value("typed on this phone")
    page.locator("#finish").click()
    page.goto(pages.base_url + "/field/#/")
    page.wait_for_function(
        "() => document.querySelector('#outbox-list [data-status=\"complete\"]') !== null", timeout=30_000
    )
    current = Submission.objects.get(status=Submission.Status.ACCEPTED, template_version=field.venue_version)
    assert current.revision == 3
    assert current.replaces.uuid == uuid.UUID(theirs["id"])
    assert current.answers["remarks"] == "typed on this phone"
    assert all(a.received_at for a in current.attachments.all())


@pytest.mark.parametrize(
    ("locale", "correct", "when_online", "correction_of"),
    [
        (
            "zh-TW",
            "更正並重新傳送",
            "手機連線後可更正：更正以伺服器的副本為起點，連同照片及簽名。",
            "更正於",
        ),
        (
            "pt-PT",
            "Corrigir e enviar de novo",
            "Pode ser corrigida quando o telemóvel tiver rede: a correcção parte da cópia do servidor, "
            "com as fotografias e a assinatura.",
            "Correcção",
        ),
    ],
)
def test_correcting_a_read_back_in_chinese_and_portuguese(
    pages, field, alice, phone, locale, correct, when_online, correction_of
):
    payload, _photo, _signed = sent_from_other_phone(field, phone(alice, "other phone"))
    page = open_phone(pages, locale=locale)
    sign_in_app(page, pages.base_url, "alice")
    open_read_back(page, pages.base_url, field, payload["id"])
    page.locator("#back").click()
    page.context.set_offline(True)
    page.locator(f"a[data-read-back='{payload['id']}']").click()
    page.locator("#answers-sent").wait_for()
    expect(page.locator("#correct")).to_have_text(correct)
    page.locator("#correct").click()
    expect(page.locator("#correct-said")).to_have_text(when_online)
    axe_check(page)
    go_online(page)
    page.locator("#answers-sent").wait_for()
    page.locator("#correct").click()
    page.locator("#main .badge[data-status='draft']").wait_for()
    expect(page.locator("#correction-of")).to_contain_text(correction_of)
    page.wait_for_function(
        f"() => ({LOADED})(document.querySelector(\".q[data-key='officer_signature'] img\"))"
    )
    axe_check(page)


def test_a_photo_the_server_never_received_does_not_stop_the_correction(pages, field, alice, phone):
    """A photo the other phone declared but never uploaded (lost with that phone) blocked the
    correction: it said to wait for the server to have it, for ever. The officer may correct
    without it: the correction's form asks for that photo again, the signature the server has is
    copied as before, and the correction is sent with the new photo."""
    other = phone(alice, "other phone")
    photo, signed = str(uuid.uuid4()), str(uuid.uuid4())
    files = {photo: jpeg((30, 120, 200), (640, 480)), signed: signature_png()}
    payload = submission_payload(field.revealed, field.venue_version)
    payload["answers"].update(site_photos=[photo], officer_signature=signed, remarks="the photo never came")
    payload["attachments"] = [{"name": n, "sha256": sha256(b), "size": len(b)} for n, b in files.items()]
    assert other.post(f"{API}/submissions/", payload, format="json").status_code == 201
    response = other.put(
        attachment_url(payload["id"], signed), files[signed], content_type="application/octet-stream"
    )
    assert response.status_code == 201  # the signature arrived; the photo never will

    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    wait_offline_ready(page)
    open_read_back(page, pages.base_url, field, payload["id"])
    page.locator("#correct").click()
    expect(page.locator("#correct-said")).to_have_text(
        "It can be corrected once the server has received all its photos and its signature from the "
        "other phone."
    )
    expect(page.locator("#correct-without-hint")).to_be_visible()
    assert work_items(page) == []
    axe_check(page)

    page.locator("#correct-without").click()
    page.locator("#main .badge[data-status='draft']").wait_for()
    photos = page.locator(".q[data-key='site_photos']")
    expect(photos).to_have_attribute("data-answered", "0")
    page.wait_for_function(
        f"() => ({LOADED})(document.querySelector(\".q[data-key='officer_signature'] img\"))"
    )
    photos.locator("input[type=file]").set_input_files(
        [{"name": "again.jpg", "mimeType": "image/jpeg", "buffer": jpeg((200, 60, 60))}]
    )
    expect(photos).to_have_attribute("data-answered", "1")
    [draft] = work_items(page)
    page.locator("#finish").click()
    page.goto(pages.base_url + "/field/#/")
    wait_statuses(page, "complete", 1)

    correction = Submission.objects.get(uuid=draft["id"])
    assert correction.replaces.uuid == uuid.UUID(payload["id"])
    [retaken] = correction.answers["site_photos"]
    assert retaken != photo and correction.answers["officer_signature"] == signed
    received = {a.name: a for a in correction.attachments.all()}
    assert set(received) == {retaken, signed} and all(a.received_at for a in received.values())
