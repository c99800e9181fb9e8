"""Schemathesis over the published schema (/api/schema/) of the officers' API: no input, however
odd, makes a server error, and every answer the schema describes matches it.

Requests go in-process to the WSGI application, inside the test's transaction, signed in with
Alice's real device token. Generated ids almost never name anything, so each case that carries
ids is sent twice: as generated, then aimed at Alice's real assignment, checklist, submission
and photo (with her real credentials, answers and photo bytes where the body has room for
them), so the code behind the 404 is fuzzed too.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from werkzeug.test import Client

from backend.wsgi import application
from tests.checklists.engine.factories import UUID as PHOTO_REF
from tests.conftest import PASSWORD
from tests.mobile_api.conftest import API, jpeg_with_gps, submission_payload

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
# Every request carries the real token; refused tokens are tested in test_auth.py.
schema.config.generation.update(with_security_parameters=False)
schema = schema.include(path_regex=r"^/api/mobile/v1/")

# Error answers are problem+json and not in the schema, so their status codes are not checked;
# every answer the schema does describe must match it, body and Content-Type.
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


@pytest.fixture
def in_process_requests():
    """Django closes 'old' connections as a request starts and ends, which inside the test's
    transaction would close it; its own test client switches this off in the same way (and
    switches it back on after each request, so it is not used here)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield Client(application)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _sign_in(client: Client, officer: Any) -> str:
    body = {"username": officer.user.username, "password": PASSWORD, "device_name": "schemathesis"}
    response = client.post(f"{API}/auth/sign-in/", json=body)
    assert response.status_code == 201, response.text
    return response.json["token"]


@pytest.fixture
def world(field, alice, in_process_requests) -> dict[str, Any]:
    """Alice signed in, and what is worth aiming at: her assignment, its checklist, and one
    submission of hers whose photo has arrived."""
    client = in_process_requests
    token = _sign_in(client, alice)
    auth = {"Authorization": f"Bearer {token}"}
    photo = jpeg_with_gps()
    payload = submission_payload(field.revealed, field.venue_version, photo=photo)
    assert client.post(f"{API}/submissions/", json=payload, headers=auth).status_code == 201
    url = f"{API}/submissions/{payload['id']}/attachments/{PHOTO_REF}"
    assert client.put(url, data=photo, content_type="image/jpeg", headers=auth).status_code == 201
    return {
        "client": client,
        "alice": alice,
        "auth": auth,
        "photo": photo,
        "path": {
            "inspection_id": payload["inspection"],
            "version_id": payload["template_version"],
            "submission_id": payload["id"],
            "name": PHOTO_REF,
        },
        "body": {
            "inspection": payload["inspection"],
            "template_version": payload["template_version"],
            "answers": payload["answers"],
            "attachments": payload["attachments"],
            "username": alice.user.username,
            "password": PASSWORD,
        },
    }


def _swap(values: Any, real: dict[str, Any]) -> bool:
    if not isinstance(values, dict):
        return False
    keys = real.keys() & values.keys()
    values.update({key: real[key] for key in keys})
    return bool(keys)


def _answers(generated: Any, world: dict[str, Any]) -> dict[str, Any]:
    """Alice's valid answers, but with a generated remark: free text is what an officer may type
    anything into, so it stays fuzzed where the rest of the answers must be valid."""
    texts = [v for v in generated.values() if isinstance(v, str)] if isinstance(generated, dict) else []
    return {**world["body"]["answers"], **({"remarks": texts[0]} if texts else {})}


def _aim(case: Any, world: dict[str, Any]) -> bool:
    """Swap what ``case`` names for Alice's real things; whether there was anything to swap."""
    aimed = _swap(case.path_parameters, world["path"])
    if case.method == "PUT":
        case.body, aimed = world["photo"], True
    bodies = [case.body]
    if isinstance(case.body, dict) and isinstance(case.body.get("items"), list):
        bodies += case.body["items"]
    for body in bodies:
        if isinstance(body, dict):
            aimed |= _swap(body, {**world["body"], "answers": _answers(body.get("answers"), world)})
    return aimed


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same cases on every run: CI stays stable
    # The database and the signed-in phone are set up once per operation, not per example.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_no_server_error_and_answers_match_the_schema(case, world):
    for aimed in (False, True):
        if aimed:
            if not _aim(case, world):
                break
            cache.clear()  # the generated sign-ins' failures must not lock out the real one
        headers = world["auth"]
        if case.path.endswith("/auth/sign-out/"):  # giving its token up: a token of its own
            headers = {"Authorization": f"Bearer {_sign_in(world['client'], world['alice'])}"}
        case.call_and_validate(headers=headers, checks=CHECKS)
