"""Bad input: each case is a clear 4xx in the one problem shape, with a stable code and the
field named, and leaves nothing behind."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.checklists.engine.factories import UUID as PHOTO_REF
from tests.mobile_api.conftest import API, assert_problem, checkin_payload, row_counts, submission_payload

SUBMISSIONS = f"{API}/submissions/"
BATCH = f"{API}/submissions/batch/"


@dataclass(frozen=True)
class Request:
    path: str
    body: Any = None
    raw: bytes | None = None  # sent as is, instead of ``body`` as JSON
    headers: dict[str, str] | None = None


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[Any], Request]
    status: int
    code: str
    fields: tuple[str, ...] = ()


def venue(field, **overrides) -> dict[str, Any]:
    return {**submission_payload(field.revealed, field.venue_version), **overrides}


def without(key: str) -> Callable[[Any], Request]:
    def build(field):
        payload = venue(field)
        del payload[key]
        return Request(SUBMISSIONS, payload)

    return build


def with_(**overrides: Any) -> Callable[[Any], Request]:
    return lambda field: Request(SUBMISSIONS, venue(field, **overrides))


def answers(change: Callable[[dict[str, Any]], None]) -> Callable[[Any], Request]:
    def build(field):
        payload = venue(field)
        changed = copy.deepcopy(payload["answers"])
        change(changed)
        return Request(SUBMISSIONS, {**payload, "answers": changed})

    return build


def checkin(**overrides: Any) -> Callable[[Any], Request]:
    def build(field):
        payload = {k: v for k, v in checkin_payload(field.revealed, **overrides).items() if v is not ...}
        return Request(f"{API}/assignments/{field.revealed.uuid}/check-ins/", payload)

    return build


def duplicate_attachments(field) -> Request:
    payload = venue(field)
    return Request(SUBMISSIONS, {**payload, "attachments": payload["attachments"] * 2})


def other_templates_version(field) -> Request:
    return Request(SUBMISSIONS, venue(field, template_version=str(field.agency_version.uuid)))


def too_many(field) -> Request:
    return Request(BATCH, {"items": [venue(field) for _ in range(201)]})


def set_(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda a: a.__setitem__(key, value)


def drop(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda a: a.pop(key)


def bad_sha(field) -> Request:
    payload = venue(field)
    payload["attachments"][0]["sha256"] = "z" * 64
    return Request(SUBMISSIONS, payload)


def undeclared_photo(field) -> Request:
    return Request(SUBMISSIONS, venue(field, attachments=[]))


CASES = [
    # The body itself
    Case("non_json_body", lambda f: Request(SUBMISSIONS, raw=b'{"id": "'), 400, "malformed_request"),
    Case("json_array", lambda f: Request(SUBMISSIONS, [venue(f)]), 400, "invalid", ("non_field_errors",)),
    Case(
        "json_string", lambda f: Request(SUBMISSIONS, "a submission"), 400, "invalid", ("non_field_errors",)
    ),
    # The envelope
    Case("missing_id", without("id"), 400, "invalid", ("id",)),
    Case("id_not_a_uuid", with_(id="submission-1"), 400, "invalid", ("id",)),
    Case("missing_inspection", without("inspection"), 400, "invalid", ("inspection",)),
    Case("inspection_not_a_uuid", with_(inspection="42"), 400, "invalid", ("inspection",)),
    Case("unknown_inspection", with_(inspection=str(uuid.uuid4())), 404, "not_found"),
    Case("template_version_not_a_uuid", with_(template_version="v1"), 400, "invalid", ("template_version",)),
    Case(
        "template_version_of_another_template",
        other_templates_version,
        400,
        "template_version_unknown",
        ("template_version",),
    ),
    Case(
        "device_submitted_at_not_a_date",
        with_(device_submitted_at="last tuesday"),
        400,
        "invalid",
        ("device_submitted_at",),
    ),
    Case("replaces_not_a_uuid", with_(replaces="the last one"), 400, "invalid", ("replaces",)),
    Case("replaces_unknown", with_(replaces=str(uuid.uuid4())), 400, "invalid", ("replaces",)),
    Case(
        "location_latitude_out_of_range",
        with_(location={"latitude": 91, "longitude": 113.5}),
        400,
        "invalid",
        ("location.latitude",),
    ),
    # The answers
    Case("answers_not_an_object", with_(answers=["yes", "no"]), 400, "invalid", ("answers",)),
    Case(
        "answers_unknown_key",
        answers(set_("casino_licence", True)),
        400,
        "answers_invalid",
        ("answers.casino_licence",),
    ),
    Case(
        "required_answer_missing",
        answers(drop("locked_exits")),
        400,
        "answers_invalid",
        ("answers.locked_exits",),
    ),
    Case(
        "answer_of_the_wrong_type",
        answers(set_("locked_exits", "perhaps")),
        400,
        "answers_invalid",
        ("answers.locked_exits",),
    ),
    Case(
        "integer_out_of_bounds",
        answers(set_("persons_found", 501)),
        400,
        "answers_invalid",
        ("answers.persons_found",),
    ),
    Case(
        "option_not_in_the_choices",
        answers(set_("venue_type", "casino")),
        400,
        "answers_invalid",
        ("answers.venue_type",),
    ),
    Case("text_too_long", answers(set_("remarks", "x" * 4001)), 400, "answers_invalid", ("answers.remarks",)),
    Case(
        "photo_reference_not_declared",
        undeclared_photo,
        400,
        "answers_invalid",
        ("answers.officer_signature",),
    ),
    # The attachments declared
    Case("attachment_sha256_not_hex", bad_sha, 400, "invalid", ("attachments[0].sha256",)),
    Case("duplicate_attachment_names", duplicate_attachments, 400, "invalid", ("attachments",)),
    Case(
        "attachment_name_with_a_path",
        with_(attachments=[{"name": "../x", "sha256": "a" * 64}]),
        400,
        "invalid",
        ("attachments[0].name",),
    ),
    Case(
        "attachment_size_zero",
        with_(attachments=[{"name": PHOTO_REF, "sha256": "a" * 64, "size": 0}]),
        400,
        "invalid",
        ("attachments[0].size",),
    ),
    # Ids are UUID strings; times in order; declared sizes within what may be uploaded
    Case("id_a_number", with_(id=12345), 400, "invalid", ("id",)),
    Case(
        "started_after_submitted",
        with_(device_started_at="2030-01-01T10:00:00+08:00", device_submitted_at="2030-01-01T09:00:00+08:00"),
        400,
        "invalid",
        ("device_started_at",),
    ),
    Case(
        "attachment_size_beyond_the_limit",
        with_(attachments=[{"name": PHOTO_REF, "sha256": "a" * 64, "size": 10**20}]),
        400,
        "invalid",
        ("attachments[0].size",),
    ),
    # Batches
    Case("batch_items_not_a_list", lambda f: Request(BATCH, {"items": venue(f)}), 400, "invalid", ("items",)),
    Case("batch_without_items", lambda f: Request(BATCH, {}), 400, "invalid", ("items",)),
    Case("batch_empty", lambda f: Request(BATCH, {"items": []}), 400, "invalid", ("items",)),
    Case("batch_of_201", too_many, 400, "invalid", ("items",)),
    Case("batch_not_json", lambda f: Request(BATCH, raw=b"items=1"), 400, "malformed_request"),
    # Check-ins
    Case("checkin_latitude_200", checkin(latitude="200"), 400, "invalid", ("latitude",)),
    Case("checkin_longitude_not_a_number", checkin(longitude="east"), 400, "invalid", ("longitude",)),
    Case("checkin_missing_device_time", checkin(device_time=...), 400, "invalid", ("device_time",)),
    Case("checkin_id_not_a_uuid", checkin(id="7"), 400, "invalid", ("id",)),
    Case("checkin_negative_accuracy", checkin(accuracy_m="-5"), 400, "invalid", ("accuracy_m",)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_a_clear_problem_and_leaves_nothing_behind(field, alice, phone, case):
    client = phone(alice)
    request = case.build(field)
    counts = row_counts()
    headers = request.headers or {}
    if request.raw is not None:
        response = client.post(request.path, request.raw, content_type="application/json", **headers)
    else:
        response = client.post(request.path, request.body, format="json", **headers)
    body = assert_problem(response, case.status, case.code, case.fields)
    assert body["type"].endswith(case.code)
    assert body["detail"]
    assert row_counts() == counts


def test_there_are_at_least_twenty_distinct_cases():
    assert len({c.id for c in CASES}) == len(CASES) >= 20
