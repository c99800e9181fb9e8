"""A person's files (a worker's card photo, a signature) are encrypted in storage, opened only
as they are served to someone who may see the submission, re-encrypted by key rotation, erased
with the person's identifying answers; a site photo stays as it was."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import uuid
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.utils import timezone
from PIL import Image

from backend.inspections import services as inspections
from backend.inspections.models import Attachment
from backend.inspections.personal_files import read_original
from backend.privacy import files as sealed
from backend.privacy.models import ScreenedPerson
from backend.privacy.services import apply_retention, rotate_keys
from tests.compliance.conftest import construction_answers
from tests.mobile_api.conftest import jpeg_with_gps

MARKER = b"Card of Nguyen Van Thanh, No. 1/234567/8"
SITE, CARD, SIGNATURE = (str(uuid.uuid4()) for _ in range(3))


def _jpeg(comment: bytes) -> bytes:
    """A JPEG whose comment segment carries ``comment`` (the original keeps it; the served
    copy drops it)."""
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(out, format="JPEG", comment=comment)
    return out.getvalue()


def _submit(joint, officer, files: dict[str, bytes]):
    answers = construction_answers(joint.construction_version)
    answers["site_photos"] = [SITE]
    answers["workers"][1]["card_photo"] = CARD
    answers["officer_signature"] = SIGNATURE
    declared = [
        inspections.DeclaredAttachment(name=name, sha256=hashlib.sha256(data).hexdigest())
        for name, data in files.items()
    ]
    result = inspections.submission_ingest(
        officer=officer,
        data=inspections.SubmissionInput(
            id=uuid.uuid4(),
            inspection=joint.inspection.uuid,
            template_version=joint.construction_version.uuid,
            answers=answers,
            device_submitted_at=timezone.now(),
            attachments=tuple(declared),
        ),
    )
    for name, data in files.items():
        inspections.attachment_store(
            officer=officer, submission=result.submission, name=name, chunks=[data], content_length=len(data)
        )
    return result.submission


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def files():
    return {SITE: jpeg_with_gps(), CARD: _jpeg(MARKER), SIGNATURE: _jpeg(b"signed by the site manager")}


def _stored(media: Path) -> bytes:
    return b"".join(p.read_bytes() for p in media.rglob("*") if p.is_file())


def test_a_persons_files_are_ciphertext_in_storage_and_plain_to_the_reviewer(
    joint, bob, carol, api, media, files
):
    submission = _submit(joint, bob, files)
    by_name = {a.name: a for a in Attachment.objects.filter(submission=submission)}
    assert {n for n, a in by_name.items() if a.personal} == {CARD, SIGNATURE}
    for name in (CARD, SIGNATURE):
        for field in (by_name[name].file, by_name[name].served_file):
            with field.open("rb") as handle:
                assert sealed.is_encrypted(handle.read(8)), f"{name}: {field.name} is not encrypted"
        assert read_original(by_name[name]) == files[name]  # the original, exactly as sent
    assert MARKER not in _stored(media) and b"signed by the site manager" not in _stored(media)
    with by_name[SITE].file.open("rb") as handle:
        assert handle.read() == files[SITE]  # a photo of the site is not a person's: as it was

    reviewer = api.as_(carol)
    served = reviewer.get(f"/api/v1/review/submissions/{submission.uuid}/attachments/{CARD}")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert served["Cache-Control"] == "private, no-store"
    data = b"".join(served.streaming_content)
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (40, 30)
    assert MARKER not in data  # the served copy, metadata and comments removed


def test_without_the_key_a_persons_file_is_a_clear_503_not_garbage(
    joint, bob, carol, api, media, files, settings
):
    submission = _submit(joint, bob, files)
    settings.PERSONAL_DATA_KEYS = [Fernet.generate_key().decode()]
    response = api.as_(carol).get(f"/api/v1/review/submissions/{submission.uuid}/attachments/{CARD}")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "personal_file_unreadable"
    site = api.as_(carol).get(f"/api/v1/review/submissions/{submission.uuid}/attachments/{SITE}")
    assert site.status_code == 200  # nothing else depends on the key


def test_rotation_re_encrypts_files_and_the_old_key_can_go(joint, bob, media, files, settings):
    submission = _submit(joint, bob, files)
    old_key = settings.PERSONAL_DATA_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.PERSONAL_DATA_KEYS = [new_key, old_key]
    before = {
        a.name: (a.file.name, a.served_file.name) for a in Attachment.objects.filter(submission=submission)
    }

    rotated = rotate_keys(batch_size=1)
    assert rotated["inspections_attachment"] == 4  # two files each for the card and the signature
    assert rotate_keys(batch_size=1)["inspections_attachment"] == 0  # resumable: nothing twice

    settings.PERSONAL_DATA_KEYS = [new_key]
    for attachment in Attachment.objects.filter(submission=submission):
        assert read_original(attachment) == files[attachment.name]
        if attachment.personal:
            assert attachment.file.name != before[attachment.name][0]  # written anew, the old removed
            assert not attachment.file.storage.exists(before[attachment.name][0])
    assert len([p for p in media.rglob("*") if p.is_file()]) == 6


def _screening_with_document_photo(joint):
    """A new version of the ILO screening whose person entry holds a photo of their document."""
    import copy

    from backend.checklists.services import template_version_create, template_version_publish

    definition = copy.deepcopy(joint.screening_version.definition)
    for section in definition["sections"]:
        for question in section["questions"]:
            if question["key"] == "persons":
                question["questions"].append(
                    {
                        "key": "document_photo",
                        "type": "photo",
                        "label": {
                            "en": "Photo of the document",
                            "zh-hant": "證件照片",
                            "pt": "Foto do documento",
                        },
                    }
                )
    version = template_version_create(actor=None, definition=definition)
    return template_version_publish(actor=None, version=version)


def test_retention_erases_the_files_in_a_screened_persons_entry_with_their_answers(
    joint, alice, percy, api, media, django_capture_on_commit_callbacks
):
    """An unflagged screening's identifying answers go after the policy's days, and the files in
    that person's entry (the photo of their document) go with them; the officer's signature,
    which is the submission's, stays."""
    from backend.checklists.services import parsed_definition
    from tests.checklists.engine.factories import fill

    version = _screening_with_document_photo(joint)
    document, signature = _jpeg(MARKER), _jpeg(b"officer")
    answers = fill(parsed_definition(version), yes=False, entries=1)
    answers["persons"][0].update(person_ref="P-2 blue cap", document_photo=CARD)
    answers["officer_signature"] = SIGNATURE
    result = inspections.submission_ingest(
        officer=alice,
        data=inspections.SubmissionInput(
            id=uuid.uuid4(),
            inspection=joint.inspection.uuid,
            template_version=version.uuid,
            answers=answers,
            device_submitted_at=timezone.now(),
            attachments=tuple(
                inspections.DeclaredAttachment(name=n, sha256=hashlib.sha256(d).hexdigest())
                for n, d in ((CARD, document), (SIGNATURE, signature))
            ),
        ),
    )
    for name, data in ((CARD, document), (SIGNATURE, signature)):
        inspections.attachment_store(
            officer=alice, submission=result.submission, name=name, chunks=[data], content_length=len(data)
        )
    person = ScreenedPerson.objects.get(submission=result.submission)
    assert not person.flagged
    card = Attachment.objects.get(name=CARD)
    assert card.personal and card.file.storage.exists(card.file.name)

    apply_retention(now=timezone.now() + dt.timedelta(days=29))
    assert Attachment.objects.get(name=CARD).erased_at is None  # not yet due

    with django_capture_on_commit_callbacks(execute=True):  # the files go once the erasure commits
        apply_retention(now=timezone.now() + dt.timedelta(days=31))
    erased = Attachment.objects.get(name=CARD)
    assert erased.erased_at is not None and not erased.file and not erased.served_file
    assert not card.file.storage.exists(card.file.name)
    assert not card.file.storage.exists(card.served_file.name)
    assert erased.sha256 == card.sha256  # the declaration stays: the record says what was erased
    assert Attachment.objects.get(name=SIGNATURE).erased_at is None
    assert ScreenedPerson.objects.get(pk=person.pk).erased_at is not None
    gone = api.as_(percy).get(f"/api/v1/review/submissions/{result.submission.uuid}/attachments/{CARD}")
    assert gone.status_code == 410
