"""Edges of the input found by an outside test (#15): each was a 5xx or silently accepted, and
is now a clear answer in the problem shape, or accepted as a real phone means it."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from backend.inspections.models import CheckIn, Submission
from tests.checklists.engine.factories import UUID as PHOTO_REF
from tests.mobile_api.conftest import (
    API,
    assert_problem,
    attachment_url,
    checkin_payload,
    jpeg_with_gps,
    row_counts,
    sha256,
    submission_payload,
)

SUBMISSIONS = f"{API}/submissions/"
BATCH = f"{API}/submissions/batch/"


def venue(field, photo: bytes | None = None, **overrides):
    return {**submission_payload(field.revealed, field.venue_version, photo=photo), **overrides}


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# --- Text that is not Unicode --------------------------------------------------------------------


def test_half_an_emoji_in_an_answer_is_refused_not_a_server_error(field, alice, phone):
    payload = venue(field)
    payload["answers"]["remarks"] = "@@HALF@@"
    raw = json.dumps(payload).replace("@@HALF@@", "\\ud83d").encode()
    client = phone(alice)
    counts = row_counts()
    response = client.post(SUBMISSIONS, raw, content_type="application/json")
    body = assert_problem(response, 400, "malformed_request")
    assert "surrogate" in body["detail"] or "Unicode" in body["detail"]
    assert row_counts() == counts


def test_a_whole_emoji_is_kept(field, alice, phone):
    payload = venue(field)
    payload["answers"]["remarks"] = "@@EMOJI@@"
    raw = json.dumps(payload).replace("@@EMOJI@@", "\\ud83d\\ude00 ok").encode()
    response = phone(alice).post(SUBMISSIONS, raw, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Submission.objects.get(uuid=payload["id"]).answers["remarks"] == "\U0001f600 ok"


# --- Nesting -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [SUBMISSIONS, BATCH])
def test_answers_nested_beyond_the_limit_are_refused(field, alice, phone, path):
    payload = venue(field)
    payload["answers"]["remarks"] = "@@DEEP@@"
    text = json.dumps(payload)
    if path == BATCH:
        text = json.dumps({"items": ["@@ITEM@@"]}).replace('"@@ITEM@@"', text)
    raw = text.replace('"@@DEEP@@"', nested(950)).encode()
    client = phone(alice)
    counts = row_counts()
    body = assert_problem(client.post(path, raw, content_type="application/json"), 400, "too_deep")
    assert "64" in body["detail"]
    assert row_counts() == counts


@pytest.mark.parametrize("path", [SUBMISSIONS, BATCH])
def test_a_whole_body_nested_deep_is_refused(alice, phone, path, db):
    response = phone(alice).post(path, nested(5000).encode(), content_type="application/json")
    assert_problem(response, 400, "too_deep")


def test_nesting_within_the_limit_is_read(alice, phone, db):
    # 64 levels parse; the body is then refused for its shape, not its depth.
    response = phone(alice).post(SUBMISSIONS, nested(64).encode(), content_type="application/json")
    assert_problem(response, 400, "invalid")


# --- Declared attachment sizes --------------------------------------------------------------------


@pytest.mark.parametrize("size", [2**31, 10**20, 15 * 1024 * 1024 + 1])
def test_a_declared_size_beyond_the_limit_is_refused_at_submission(field, alice, phone, size):
    payload = venue(field)
    payload["attachments"][0]["size"] = size
    client = phone(alice)
    counts = row_counts()
    response = client.post(SUBMISSIONS, payload, format="json")
    assert_problem(response, 400, "invalid", ("attachments[0].size",))
    assert row_counts() == counts


def test_an_upload_whose_size_differs_from_the_declaration_is_refused(field, alice, phone, media):
    photo = jpeg_with_gps()
    payload = venue(field, photo=photo)
    payload["attachments"][0]["size"] = len(photo) + 10  # a wrong declaration, the right hash
    client = phone(alice)
    assert client.post(SUBMISSIONS, payload, format="json").status_code == 201
    response = client.put(
        attachment_url(payload["id"], PHOTO_REF), photo, content_type="application/octet-stream"
    )
    body = assert_problem(response, 400, "attachment_size_mismatch")
    assert body["declared_size"] == len(photo) + 10
    assert not [p for p in media.rglob("*") if p.is_file()]


# --- Identifiers and times -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["id", "inspection", "template_version", "replaces"])
def test_ids_sent_as_numbers_are_refused(field, alice, phone, name):
    payload = venue(field, **{name: 12345})
    response = phone(alice).post(SUBMISSIONS, payload, format="json")
    assert_problem(response, 400, "invalid", (name,))
    assert not Submission.objects.filter(uuid=uuid.UUID(int=12345)).exists()


def test_a_check_in_id_sent_as_a_number_is_refused(field, alice, phone):
    payload = checkin_payload(field.revealed, id=12345)
    response = phone(alice).post(
        f"{API}/assignments/{field.revealed.uuid}/check-ins/", payload, format="json"
    )
    assert_problem(response, 400, "invalid", ("id",))


def test_started_after_finished_is_refused(field, alice, phone):
    now = timezone.now()
    payload = venue(
        field,
        device_started_at=now.isoformat(),
        device_submitted_at=(now - dt.timedelta(minutes=5)).isoformat(),
    )
    response = phone(alice).post(SUBMISSIONS, payload, format="json")
    assert_problem(response, 400, "invalid", ("device_started_at",))


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00", "0001-01-01T00:00:00+08:00"])
def test_a_time_before_the_calendar_is_refused_not_a_server_error(field, alice, phone, when):
    """A phone's time in year one without its offset is made Macau's, a day before the calendar
    in UTC: DRF's check that such a time exists raised OverflowError, a 500, which the phone
    retries for ever. Now the field's 400 (the phone keeps the work and says why), alone in a
    batch, and nothing is written."""
    client = phone(alice)
    before = row_counts()
    for name in ("device_submitted_at", "device_started_at"):
        response = client.post(SUBMISSIONS, venue(field, **{name: when}), format="json")
        assert_problem(response, 400, "invalid", (name,))
    batch = {"items": [venue(field, device_submitted_at=when), venue(field)]}
    response = client.post(BATCH, batch, format="json")
    assert [r["status"] for r in response.json()["results"]] == [400, 201], response.content
    checkin = {**checkin_payload(field.revealed), "device_time": when}
    response = client.post(f"{API}/assignments/{field.revealed.uuid}/check-ins/", checkin, format="json")
    assert_problem(response, 400, "invalid", ("device_time",))
    after = row_counts()
    assert after["Submission"] == before["Submission"] + 1 and after["CheckIn"] == before["CheckIn"]


@pytest.mark.parametrize("fmt", ["multipart", "form"])
def test_form_bodies_are_an_unsupported_media_type(field, alice, phone, fmt):
    client = phone(alice)
    data = {"id": str(uuid.uuid4()), "inspection": str(field.revealed.uuid)}
    if fmt == "form":
        response = client.post(
            SUBMISSIONS, "id=1&inspection=2", content_type="application/x-www-form-urlencoded"
        )
    else:
        response = client.post(SUBMISSIONS, data, format="multipart")
    assert_problem(response, 415, "unsupported_media_type")
    response = client.post(BATCH, "items=1", content_type="application/x-www-form-urlencoded")
    assert_problem(response, 415, "unsupported_media_type")


# --- Body size -----------------------------------------------------------------------------------


def long_batch(field, count: int, remarks: int) -> dict:
    items = []
    for _ in range(count):
        item = venue(field)
        item["answers"]["remarks"] = "很" * remarks  # Chinese remarks: three bytes a character
        items.append(item)
    return {"items": items}


def test_a_full_batch_with_long_remarks_is_accepted(field, alice, phone):
    body = long_batch(field, 200, 4000)
    raw = json.dumps(body, ensure_ascii=False).encode()
    assert len(raw) > 2_500_000
    response = phone(alice).post(BATCH, raw, content_type="application/json")
    assert response.status_code == 200, response.content[:500]
    assert {r["status"] for r in response.json()["results"]} == {201}


def test_a_body_beyond_the_limit_is_a_413_problem(alice, phone, settings, db):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    raw = json.dumps({"items": ["x" * 2000]}).encode()
    response = phone(alice).post(BATCH, raw, content_type="application/json")
    body = assert_problem(response, 413, "request_too_large")
    assert body["max_bytes"] == 1000


# --- Coordinates ---------------------------------------------------------------------------------


def test_a_phones_double_is_accepted_and_rounded_in_a_submission(field, alice, phone):
    payload = venue(field, location={"latitude": 22.198745123456789, "longitude": 113.54321987654321})
    response = phone(alice).post(SUBMISSIONS, payload, format="json")
    assert response.status_code == 201, response.content
    stored = Submission.objects.get(uuid=payload["id"])
    assert (stored.latitude, stored.longitude) == (Decimal("22.198745"), Decimal("113.543220"))


def test_a_phones_double_is_accepted_and_rounded_in_a_check_in(field, alice, phone):
    payload = checkin_payload(field.revealed, latitude=22.198745123456789, longitude=113.54321987654321)
    response = phone(alice).post(
        f"{API}/assignments/{field.revealed.uuid}/check-ins/", payload, format="json"
    )
    assert response.status_code == 201, response.content
    stored = CheckIn.objects.get(uuid=payload["id"])
    assert (stored.latitude, stored.longitude) == (Decimal("22.198745"), Decimal("113.543220"))


# --- The phone's clock ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["yesterday", "2025-13-45T25:00:00+08:00", "2025-03-03T09:00:00"])
def test_an_unreadable_device_time_is_recorded_as_absent_and_flagged(field, alice, phone, value):
    payload = venue(field)
    client = phone(alice)
    response = client.post(SUBMISSIONS, payload, format="json", HTTP_X_DEVICE_TIME=value)
    assert response.status_code == 201, response.content
    assert response.json()["clock_skewed"] is True
    stored = Submission.objects.get(uuid=payload["id"])
    assert stored.clock_skewed and stored.clock_skew_seconds is None

    batch = {"items": [venue(field), venue(field)]}
    response = client.post(BATCH, batch, format="json", HTTP_X_DEVICE_TIME=value)
    assert [r["status"] for r in response.json()["results"]] == [201, 201]

    checkin = checkin_payload(field.revealed)
    response = client.post(
        f"{API}/assignments/{field.revealed.uuid}/check-ins/",
        checkin,
        format="json",
        HTTP_X_DEVICE_TIME=value,
    )
    assert response.status_code == 201, response.content
    assert response.json()["clock_skewed"] is True


def test_a_readable_device_time_is_not_flagged(field, alice, phone):
    payload = venue(field)
    response = phone(alice).post(
        SUBMISSIONS, payload, format="json", HTTP_X_DEVICE_TIME=timezone.now().isoformat()
    )
    assert response.json()["clock_skewed"] is False


def test_the_uploaded_photo_with_its_declared_size_completes_the_submission(field, alice, phone):
    photo = jpeg_with_gps()
    payload = venue(field, photo=photo)
    client = phone(alice)
    client.post(SUBMISSIONS, payload, format="json")
    response = client.put(attachment_url(payload["id"], PHOTO_REF), photo, content_type="image/jpeg")
    assert response.status_code == 201, response.content
    assert response.json()["submission_complete"] is True
    assert response.json()["sha256"] == sha256(photo)
