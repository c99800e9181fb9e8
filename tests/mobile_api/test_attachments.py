"""Uploading a submission's files: verified by SHA-256, stored once under server-made paths,
typed by their content, and served without their photo metadata."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from backend.inspections.models import Attachment
from backend.inspections.personal_files import read_original
from tests.checklists.engine.factories import UUID as PHOTO_REF
from tests.mobile_api.conftest import (
    API,
    assert_problem,
    attachment_url,
    jpeg_with_gps,
    row_counts,
    sha256,
    stored_files,
    submission_payload,
)

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
TEXT = b"This is a plain text note, not a photo.\n"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def declared(name: str, data: bytes) -> dict:
    return {"name": name, "sha256": sha256(data), "size": len(data)}


def submit(client, field, *extra: tuple[str, bytes], photo: bytes | None = None) -> dict:
    """A venue submission declaring its photo (referenced by the answers) and ``extra`` files."""
    photo = photo if photo is not None else jpeg_with_gps()
    payload = submission_payload(
        field.revealed,
        field.venue_version,
        attachments=[declared(PHOTO_REF, photo), *(declared(n, d) for n, d in extra)],
    )
    response = client.post(f"{API}/submissions/", payload, format="json")
    assert response.status_code == 201, response.content
    return payload


def put(client, payload, name, data, content_type="application/octet-stream"):
    return client.put(attachment_url(payload["id"], name), data, content_type=content_type)


def test_a_submission_is_complete_when_every_declared_file_has_arrived(field, alice, phone):
    client = phone(alice)
    payload = submit(client, field, ("receipt", PDF))

    first = put(client, payload, PHOTO_REF, jpeg_with_gps(), "image/jpeg")
    assert first.status_code == 201, first.content
    assert first.json() == {
        "name": PHOTO_REF,
        "sha256": sha256(jpeg_with_gps()),
        "size": len(jpeg_with_gps()),
        "content_type": "image/jpeg",
        "submission_complete": False,
    }
    detail = client.get(f"{API}/submissions/{payload['id']}/").json()
    assert (detail["complete"], detail["missing_attachments"]) == (False, ["receipt"])

    second = put(client, payload, "receipt", PDF, "application/pdf")
    assert second.status_code == 201
    assert second.json()["content_type"] == "application/pdf"
    assert second.json()["submission_complete"] is True
    detail = client.get(f"{API}/submissions/{payload['id']}/").json()
    assert (detail["complete"], detail["missing_attachments"]) == (True, [])


def test_bytes_that_differ_from_the_declared_checksum_are_refused_and_nothing_is_stored(
    field, alice, phone, media
):
    client = phone(alice)
    payload = submit(client, field)
    counts = row_counts()
    tampered = jpeg_with_gps() + b"\x00"
    body = assert_problem(put(client, payload, PHOTO_REF, tampered), 400, "attachment_checksum_mismatch")
    assert body["declared_sha256"] == sha256(jpeg_with_gps())
    assert stored_files(media) == []
    assert Attachment.objects.get().received_at is None
    assert row_counts() == counts


def test_uploading_the_same_file_again_is_harmless(field, alice, phone, media):
    client = phone(alice)
    payload = submit(client, field)
    assert put(client, payload, PHOTO_REF, jpeg_with_gps()).status_code == 201
    files = stored_files(media)
    counts = row_counts()

    again = put(client, payload, PHOTO_REF, jpeg_with_gps())
    assert again.status_code == 200
    assert again.json()["submission_complete"] is True
    assert stored_files(media) == files
    assert len(files) == 2  # the original and the served copy, once each
    assert row_counts() == counts


def test_other_bytes_for_a_received_file_are_refused(field, alice, phone, media):
    client = phone(alice)
    payload = submit(client, field)
    assert put(client, payload, PHOTO_REF, jpeg_with_gps()).status_code == 201
    original = read_original(Attachment.objects.get())
    assert_problem(put(client, payload, PHOTO_REF, png()), 400, "attachment_checksum_mismatch")
    assert read_original(Attachment.objects.get()) == original
    assert len(stored_files(media)) == 2


def test_a_file_over_the_size_limit_is_refused(field, alice, phone, media, settings):
    client = phone(alice)
    payload = submit(client, field)
    # Lowered after the submission was accepted (a larger declaration is refused at submission).
    settings.ATTACHMENT_MAX_BYTES = 256
    assert len(jpeg_with_gps()) > 256
    body = assert_problem(put(client, payload, PHOTO_REF, jpeg_with_gps()), 413, "attachment_too_large")
    assert body["max_bytes"] == 256
    assert stored_files(media) == []
    assert Attachment.objects.get().received_at is None


def test_a_text_file_sent_as_a_jpeg_is_refused(field, alice, phone, media):
    client = phone(alice)
    payload = submit(client, field, ("note", TEXT))
    assert_problem(put(client, payload, "note", TEXT, "image/jpeg"), 415, "attachment_type_refused")
    assert stored_files(media) == []


def test_bytes_that_only_start_like_a_jpeg_are_refused(field, alice, phone, media):
    fake = b"\xff\xd8\xff" + b"definitely not an image" * 4
    client = phone(alice)
    payload = submit(client, field, ("fake", fake))
    assert_problem(put(client, payload, "fake", fake, "image/jpeg"), 415, "attachment_type_refused")
    assert stored_files(media) == []


def test_the_type_is_sniffed_from_the_content_not_taken_from_the_client(field, alice, phone):
    client = phone(alice)
    payload = submit(client, field, ("sketch", png()))
    response = put(client, payload, "sketch", png(), "application/octet-stream")
    assert response.status_code == 201
    assert response.json()["content_type"] == "image/png"
    served = client.get(attachment_url(payload["id"], "sketch"))
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"


def test_storage_paths_are_made_by_the_server(field, alice, phone, media):
    client = phone(alice)
    payload = submit(client, field, ("holiday-snap.jpg", png()))
    assert put(client, payload, "holiday-snap.jpg", png()).status_code == 201
    attachment = Attachment.objects.get(name="holiday-snap.jpg")
    assert attachment.file.name == f"attachments/{payload['id']}/{attachment.uuid}"
    assert all("holiday" not in str(path) for path in stored_files(media))
    assert all(path.resolve().is_relative_to(media.resolve()) for path in stored_files(media))


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd", "..%2F..%2Fsettings.py", "..", "%2e%2e", f"{PHOTO_REF}/../{PHOTO_REF}"],
)
def test_a_name_that_climbs_out_is_refused(field, alice, phone, media, name):
    client = phone(alice)
    payload = submit(client, field)
    response = put(client, payload, name, jpeg_with_gps())
    assert response.status_code in (400, 404), response.content
    assert stored_files(media) == []


def test_a_name_that_climbs_out_cannot_be_declared(field, alice, phone):
    payload = submission_payload(
        field.revealed,
        field.venue_version,
        attachments=[declared(PHOTO_REF, jpeg_with_gps()), declared("../evil", PDF)],
    )
    response = phone(alice).post(f"{API}/submissions/", payload, format="json")
    assert_problem(response, 400, "invalid", fields=("attachments[1].name",))


def test_a_file_the_submission_did_not_declare_is_not_found(field, alice, phone, media):
    client = phone(alice)
    payload = submit(client, field)
    assert_problem(put(client, payload, "surprise", PDF), 404, "not_found")
    assert_problem(client.get(attachment_url(payload["id"], "surprise")), 404, "not_found")
    assert stored_files(media) == []


def test_a_file_not_yet_uploaded_is_not_found(field, alice, phone):
    client = phone(alice)
    payload = submit(client, field)
    assert_problem(client.get(attachment_url(payload["id"], PHOTO_REF)), 404, "not_found")


def test_the_served_photo_has_no_metadata_and_the_original_is_kept_intact(field, alice, phone):
    client = phone(alice)
    photo = jpeg_with_gps()
    with Image.open(io.BytesIO(photo)) as shot:
        assert shot.getexif().get_ifd(0x8825)  # the phone's GPS is in the upload
    payload = submit(client, field, photo=photo)
    assert put(client, payload, PHOTO_REF, photo, "image/jpeg").status_code == 201

    served = client.get(attachment_url(payload["id"], PHOTO_REF))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    data = b"".join(served.streaming_content)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and image.size == (32, 24)
        assert len(image.getexif()) == 0
        assert not image.getexif().get_ifd(0x8825)
        assert "exif" not in image.info
    assert b"PhoneMaker" not in data

    attachment = Attachment.objects.get()
    assert read_original(attachment) == photo


def _jpeg(orientation: int | None, size=(64, 48)) -> bytes:
    """A noisy JPEG with GPS, a maker and (optionally) an orientation, as phones write them."""
    import random

    image = Image.frombytes("RGB", size, random.Random(3).randbytes(size[0] * size[1] * 3))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    if orientation is not None:
        exif[0x0112] = orientation
    exif.get_ifd(0x8825)[2] = (22.0, 11.0, 30.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=85, progressive=orientation == 6)
    return out.getvalue()


@pytest.mark.parametrize("orientation", [None, 6])
def test_a_served_jpeg_keeps_every_pixel_and_only_its_orientation(field, alice, phone, orientation):
    """The served copy of a JPEG is the same image (not encoded again, so no loss and no decoding
    of a large photo in the web process), without GPS or maker, upright as shot."""
    client = phone(alice)
    photo = _jpeg(orientation)
    payload = submit(client, field, photo=photo)
    assert put(client, payload, PHOTO_REF, photo, "image/jpeg").status_code == 201
    data = b"".join(client.get(attachment_url(payload["id"], PHOTO_REF)).streaming_content)
    assert b"PhoneMaker" not in data and len(data) < len(photo)
    with Image.open(io.BytesIO(data)) as served, Image.open(io.BytesIO(photo)) as shot:
        assert served.tobytes() == shot.tobytes()
        exif = served.getexif()
        assert not exif.get_ifd(0x8825)
        assert dict(exif) == ({} if orientation is None else {0x0112: orientation})


def test_a_truncated_jpeg_is_refused_and_nothing_is_stored(field, alice, phone, media):
    client = phone(alice)
    photo = _jpeg(None)[:-200]
    payload = submit(client, field, photo=photo)
    assert_problem(put(client, payload, PHOTO_REF, photo, "image/jpeg"), 415, "attachment_type_refused")
    assert not [p for p in media.rglob("*") if p.is_file()]
