"""A signature on a submission's review page is described as a signature, not a photo. Its
thumbnail's text for a screen reader read "Photo: Signature of the site's person in charge"
("Fotografia: Assinatura…"), and so did the photo viewer it opens: now "Signature: …" in the
three languages, and a signature not yet uploaded says so ("signature not uploaded yet")."""

from __future__ import annotations

import hashlib
import re
import uuid
from html import unescape

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from backend.checklists.services import parsed_definition
from backend.inspections import services as inspections
from tests.browser_support import PHONE, axe_check, sign_in
from tests.checklists.engine.factories import UUID as PHOTO_REF
from tests.compliance.conftest import construction_answers
from tests.compliance.pages.conftest import check_in, signed_in
from tests.mobile_api.conftest import jpeg_with_gps

SIGNATURE_REF = "2c5f39cb-3fa2-42e3-994a-1127e4ddb538"


@pytest.fixture
def signed(joint, bob):
    """Bob's construction checklist with its photos and, as the field app sends it, a signature
    of its own (a file apart from the photos)."""
    check_in(joint, bob)
    version = joint.construction_version
    keys = [q.key for q in parsed_definition(version).questions.values() if q.type == "signature"]
    answers = construction_answers(version, **dict.fromkeys(keys, SIGNATURE_REF))
    files = {PHOTO_REF: jpeg_with_gps(), SIGNATURE_REF: jpeg_with_gps()}
    result = inspections.submission_ingest(
        officer=bob,
        data=inspections.SubmissionInput(
            id=uuid.uuid4(),
            inspection=joint.inspection.uuid,
            template_version=version.uuid,
            answers=answers,
            device_submitted_at=timezone.now(),
            attachments=tuple(
                inspections.DeclaredAttachment(name=name, sha256=hashlib.sha256(data).hexdigest())
                for name, data in files.items()
            ),
        ),
    )
    for name, data in files.items():
        inspections.attachment_store(
            officer=bob, submission=result.submission, name=name, chunks=[data], content_length=len(data)
        )
    return result.submission


pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery"
WORDS = {
    "en": ("Photo: ", "Signature: "),
    "pt": ("Fotografia: ", "Assinatura: "),
    "zh-hant": ("照片：", "簽名："),
}
THUMB_ALT = r'<button type="button" class="thumb"[^>]*><img [^>]*alt="([^"]*)"'


def _signature_labels(joint, lang):
    definition = parsed_definition(joint.construction_version)
    return [q.label.get(lang) for q in definition.questions.values() if q.type == "signature"]


@pytest.mark.parametrize("language", ["en", "pt", "zh-hant"])
def test_a_signature_thumbnail_is_described_as_a_signature(language, signed, joint, carol, client):
    signed_in(client, carol)
    client.cookies["django_language"] = language
    page = client.get(f"/review/{signed.uuid}/").content.decode()
    alts = [unescape(a) for a in re.findall(THUMB_ALT, page)]
    photo, signature = WORDS[language]
    labels = _signature_labels(joint, language)
    assert labels, "the construction checklist asks for a signature"
    for label in labels:
        assert f"{signature}{label}" in alts, alts
        assert f"{photo}{label}" not in alts, alts
    assert any(alt.startswith(photo) for alt in alts), alts  # a photo is still a photo


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [None, PHONE])
def test_the_photo_viewer_names_a_signature_a_signature(viewport, pages, signed, joint, carol):
    page = pages.new_page(locale="pt-PT", **({"viewport": viewport} if viewport else {}))
    sign_in(page, pages.base_url, "carol", PASSWORD)
    page.locator('button[name="language"][value="pt"]').click()
    page.wait_for_load_state()
    page.goto(f"{pages.base_url}/review/{signed.uuid}/")
    [label] = _signature_labels(joint, "pt")[:1]
    thumb = page.get_by_role("button", name=f"Assinatura: {label}").first
    expect(thumb).to_be_visible()
    expect(page.get_by_role("button", name=f"Fotografia: {label}")).to_have_count(0)
    axe_check(page)
    thumb.click()
    dialog = page.locator("#lightbox")
    expect(dialog).to_be_visible()
    expect(page.locator("#lightbox-img")).to_have_attribute("alt", f"Assinatura: {label}")
    axe_check(page)
