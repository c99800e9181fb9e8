"""A checklist its officer sent from another phone, read back from the server, shows its photos
and signature too: each read through the officers' API (GET submissions/<id>/attachments/<name>,
with the same checks as any attachment read), kept in memory only. A photo the server has not
received yet is said so, never drawn broken; offline, each says it can be seen when the phone is
online, and the answers read back earlier stay on screen."""

from __future__ import annotations

import io
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser_support import axe_check
from tests.mobile_api.conftest import API, attachment_url, sha256, submission_payload
from tests.mobile_api.field.phone import go_online, jpeg, open_phone, sign_in_app, work_items

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOADED = "img => img.complete && img.naturalWidth > 0"


def signature_png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (680, 340), "white")
    ImageDraw.Draw(image).line([(60, 250), (300, 90), (620, 240)], fill="black", width=6)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def loaded(locator) -> bool:
    return locator.evaluate(LOADED)


def test_photos_and_signature_sent_from_another_phone_are_read_back_from_the_server(
    pages, field, alice, phone
):
    """Alice sent the visit's venue checklist from another phone with two photos and her
    signature; that phone has uploaded the first photo and the signature, not yet the second."""
    first, second, signed = (str(uuid.uuid4()) for _ in range(3))
    files = {
        first: jpeg((30, 120, 200), (640, 480)),
        second: jpeg((200, 160, 20), (480, 640)),
        signed: signature_png(),
    }
    payload = submission_payload(field.revealed, field.venue_version)
    payload["answers"].update(site_photos=[first, second], officer_signature=signed, remarks="two photos")
    payload["attachments"] = [{"name": n, "sha256": sha256(b), "size": len(b)} for n, b in files.items()]
    other = phone(alice, "other phone")
    assert other.post(f"{API}/submissions/", payload, format="json").status_code == 201
    for name in (first, signed):
        response = other.put(
            attachment_url(payload["id"], name), files[name], content_type="application/octet-stream"
        )
        assert response.status_code == 201, response.content

    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    page.locator(f"a[data-read-back='{payload['id']}']").click()
    page.locator("#answers-sent").wait_for()
    expect(page.locator("#read-back-note")).to_have_text(
        "Sent from another phone and read back from the server, with its photos and signature."
    )
    read_only = page.locator(".checklist.read-only")
    photos = read_only.locator(".q[data-key='site_photos']")
    # The photo the server holds, loaded (a picture, not a broken image), and named as photo 1.
    expect(photos.locator("img")).to_have_count(1)
    photo = photos.locator("img").first
    expect(photo).to_have_attribute("alt", "Photo 1")
    page.wait_for_function(f"() => ({LOADED})(document.querySelector(\".q[data-key='site_photos'] img\"))")
    assert loaded(photo)
    expect(photos.locator("li").first).to_have_text("")  # its picture alone, no name it never had here
    # The one not uploaded yet is said so, and no request is made for it.
    expect(photos).to_contain_text("Photo 2: not yet received by the server")
    signature = read_only.locator("img.signature")
    expect(signature).to_have_attribute("alt", "The signature, as the server received it")
    page.wait_for_function(f"() => ({LOADED})(document.querySelector('.checklist.read-only img.signature'))")
    axe_check(page)
    pages.shot(page, "read-back-photos")
    # Nothing of it is kept on this phone: neither the checklist nor its files.
    assert work_items(page) == []
    assert (
        page.evaluate("async () => (await (await import('/static/field/js/store.js')).all('files')).length")
        == 0
    )

    # The other phone uploads the second photo while this one walks into a basement: opened again
    # offline, the answers read back earlier are still there, and the photos say when to look.
    response = other.put(
        attachment_url(payload["id"], second), files[second], content_type="application/octet-stream"
    )
    assert response.status_code == 201, response.content
    page.locator("#back").click()
    page.context.set_offline(True)
    page.locator(f"a[data-read-back='{payload['id']}']").click()
    page.locator("#answers-sent").wait_for()
    expect(read_only.locator(".q[data-path='remarks'] textarea")).to_have_value("two photos")
    expect(photos).to_contain_text("Photo 1: can be seen when the phone is online")
    expect(read_only.locator(".q[data-key='officer_signature']")).to_contain_text(
        "Signed; the signature can be seen when the phone is online"
    )
    expect(read_only.locator("img")).to_have_count(0)

    # Online again, the screen is read back afresh: both photos now, and the signature.
    go_online(page)
    expect(photos.locator("img")).to_have_count(2)
    page.wait_for_function(
        f"() => [...document.querySelectorAll(\".q[data-key='site_photos'] img\")].every({LOADED})"
    )
    page.wait_for_function(f"() => ({LOADED})(document.querySelector('.checklist.read-only img.signature'))")
    expect(photos).not_to_contain_text("not yet received")


def test_read_back_in_chinese_and_portuguese_says_what_is_not_received(pages, field, alice, phone):
    payload = submission_payload(field.revealed, field.venue_version)  # its photo never uploaded
    assert phone(alice, "other phone").post(f"{API}/submissions/", payload, format="json").status_code == 201
    for locale, photo_text, signature_text in (
        ("zh-TW", "照片 1：伺服器尚未收到", "已簽名；伺服器尚未收到簽名"),
        (
            "pt-PT",
            "Fotografia 1: ainda não recebida pelo servidor",
            "Assinada; a assinatura ainda não foi recebida pelo servidor",
        ),
    ):
        page = open_phone(pages, locale=locale)
        sign_in_app(page, pages.base_url, "alice")
        page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
        page.locator(f"a[data-read-back='{payload['id']}']").click()
        page.locator("#answers-sent").wait_for()
        read_only = page.locator(".checklist.read-only")
        expect(read_only.locator(".q[data-key='site_photos']")).to_contain_text(photo_text)
        expect(read_only.locator(".q[data-key='officer_signature']")).to_contain_text(signature_text)
        expect(read_only.locator("img")).to_have_count(0)
        axe_check(page)
