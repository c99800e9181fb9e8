"""Schemathesis over the whole back-office API (/api/v1/, every operation of the published schema)
as signed-in personas: a planner, a reviewer, victim protection, an analyst and an administrator,
each with an API token made through POST /api/v1/auth/tokens/ (password and authenticator code)
as a script makes one. No input and no sequence of calls makes a server error (#15).

Two runs, both in-process on the WSGI application inside the test's transaction:

- per operation, each generated case as the next persona in turn, and once per operation aimed at
  the world's real objects (the joint operation, its submission and photo, the referral, the site,
  the company, a token...) as every persona, so the code behind the 404 and each persona's access
  rules on a real object are fuzzed too;
- stateful: Schemathesis's state machine, whose links it infers from the schema (a created
  operation's id fed to its reads and edits, and so on), each step as the next persona.

Small here (``FUZZ_EXAMPLES`` examples per operation, default 1; ``FUZZ_STEPS`` state machine
runs, default 8); the long run is the same test with larger numbers:
``FUZZ_EXAMPLES=50 FUZZ_STEPS=200 pytest tests/core/test_backoffice_schemathesis.py`` (README,
"Benchmarks"). Answers' bodies are not checked against the schema here (that is the officers' API's
test and tests/core/test_api_schema.py); only that none is a server error.
"""

from __future__ import annotations

import collections
import itertools
import os
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import Client

from backend.compliance.models import Referral
from backend.wsgi import application
from tests import factories
from tests.accounts.test_api_tokens import code, enrol
from tests.checklists.engine.factories import UUID as PHOTO_REF
from tests.compliance.conftest import _fast_passwords, andy, catalogue, joint, vera  # noqa: F401 (fixtures)
from tests.conftest import PASSWORD

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "1"))
STEPS = int(os.environ.get("FUZZ_STEPS", "8"))

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
schema.config.generation.update(with_security_parameters=False)
schema = schema.include(path_regex=r"^/api/v1/")

CHECKS = [schemathesis.checks.not_a_server_error]
SETTINGS = {
    "deadline": None,
    "derandomize": True,  # the same cases on every run: CI stays stable
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
}


@pytest.fixture
def in_process_requests():
    """As in tests/mobile_api/test_schemathesis.py: Django's closing of 'old' connections at each
    request would close the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield Client(application)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _token(client: Client, user: Any) -> tuple[str, str]:
    device = enrol(user)
    body = {
        "username": user.username,
        "password": PASSWORD,
        "name": "schemathesis",
        "otp_code": code(device, steps_ahead=1),
    }
    response = client.post("/api/v1/auth/tokens/", json=body)
    assert response.status_code == 201, response.text
    return response.json["token"], response.json["id"]


@pytest.fixture
def world(joint, alice, paula, carol, vera, andy, in_process_requests) -> dict[str, Any]:  # noqa: F811
    """The personas signed in with their tokens, and the real objects worth aiming at: a joint
    operation Paula plans, a construction submission with its finding, a screening with its
    referral, the site, the contractor."""
    admin = factories.officer("PSP", username="adam", full_name="Adam Admin", roles=("administrator",))
    client = in_process_requests
    construction = joint.submit_construction(alice).submission
    joint.submit_screening(alice)
    referral = Referral.objects.order_by("pk").first()
    assert referral is not None
    tokens = {}
    token_id = ""
    for who in (paula, carol, vera, andy, admin):
        tokens[who.user.username], token_id = _token(client, who.user)
    return {
        "client": client,
        "auth": [{"Authorization": f"Bearer {t}"} for t in tokens.values()],
        "aimed": set(),
        "examples": 0,
        "statuses": collections.Counter(),
        "path": {
            "operation_id": str(joint.operation.uuid),
            "kind": "operations",
            "subject_id": str(joint.operation.uuid),
            "submission_id": str(construction.uuid),
            "name": PHOTO_REF,
            "referral_id": str(referral.uuid),
            "site_id": str(joint.site.uuid),
            "company_id": str(joint.contractor.uuid),
            "officer_id": str(alice.uuid),
            "token_id": token_id,
            "lang": "en",
            "route": 1,
            "year_from": 2023,
            "year_to": 2024,
        },
    }


def _aim(case: Any, real: dict[str, Any]) -> bool:
    if not isinstance(case.path_parameters, dict):
        return False
    keys = real.keys() & case.path_parameters.keys()
    case.path_parameters.update({key: real[key] for key in keys})
    return bool(keys)


# Every operation, drawn in one test: the world (personas, tokens, objects) is built once, not
# once per operation as a parametrized test would.
OPERATIONS = sorted((r.ok() for r in schema.get_all_operations()), key=lambda o: o.label)


def _call(case: Any, auth: dict[str, str], world: dict[str, Any]) -> None:
    response = case.call(headers=auth)
    world["statuses"][response.status_code] += 1
    case.validate_response(response, checks=CHECKS)


def _tally(world: dict[str, Any]) -> str:
    statuses = world["statuses"]
    by_class = {f"{c}xx": sum(n for s, n in statuses.items() if s // 100 == c) for c in (2, 3, 4, 5)}
    return f"{sum(statuses.values())} requests, " + ", ".join(f"{k} {v}" for k, v in by_class.items())


@given(data=st.data())
@settings(max_examples=EXAMPLES, **SETTINGS)
def test_no_server_error_for_any_persona(data, world):
    personas = itertools.cycle(world["auth"])
    for operation in OPERATIONS:
        case = data.draw(operation.as_strategy(), label=operation.label)
        # As generated, as the next persona (all of them over the operations and examples).
        cache.clear()  # the generated token requests' failures must not lock a persona out
        _call(case, next(personas), world)
        # Aimed at the world's real objects, once per operation, as every persona (each one's
        # access rules meet a real object: a forbidden one must be a 4xx, never a 5xx).
        if operation.label in world["aimed"] or not _aim(case, world["path"]):
            continue
        world["aimed"].add(operation.label)
        for auth in world["auth"]:
            cache.clear()
            _call(case, auth, world)
    world["examples"] += 1
    print(f"\nback-office fuzzing: {world['examples']} examples, {_tally(world)}")


def test_every_back_office_operation_is_fuzzed():
    assert len(OPERATIONS) >= 60 and all(o.path.startswith("/api/v1/") for o in OPERATIONS)


def test_no_server_error_in_any_sequence_of_calls(world):
    class Machine(schema.as_state_machine()):  # type: ignore[misc]
        """Each scenario starts from the same world (a savepoint rolled back after it) and the
        same first persona, so Hypothesis can replay and shrink one."""

        def setup(self) -> None:
            self.personas = itertools.cycle(world["auth"])
            self.savepoint = transaction.savepoint()

        def teardown(self) -> None:
            transaction.savepoint_rollback(self.savepoint)

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": next(self.personas)}

        def before_call(self, case: Any) -> None:
            cache.clear()
            _aim(case, {k: v for k, v in world["path"].items() if k in ("kind", "lang", "route")})

        def after_call(self, response: Any, case: Any) -> None:
            world["statuses"][response.status_code] += 1
            world["steps"].append(f"{case.method} {case.path}")

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            case.validate_response(response, checks=CHECKS)

    world["steps"] = []
    Machine.run(settings=settings(max_examples=STEPS, stateful_step_count=6, **SETTINGS))
    print(f"\nstateful back-office fuzzing: {STEPS} scenarios, {_tally(world)}")
    # The links Schemathesis inferred chain real calls: more than one operation was reached.
    assert len(set(world["steps"])) > 1, world["steps"]
