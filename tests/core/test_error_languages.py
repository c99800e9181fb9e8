"""Every error the API answers comes in the reader's language: each request below provokes one
error code, asked in English, Traditional Chinese and Portuguese (Accept-Language); a message
outside ``en`` that is the English one word for word fails the test.

Catalogues searched: backend/locale (LOCALE_PATHS, first) and each app's own ``locale/`` folder
(scheduler/locale, backend/<app>/locale), as Django searches them."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests import factories
from tests.conftest import PASSWORD, signed_in
from tests.mobile_api.conftest import dora, field, media, submission_payload  # noqa: F401 (fixtures)

MOBILE = "/api/mobile/v1/"
LANGUAGES = ("en", "zh-hant", "pt")
WORD = re.compile(r"[A-Za-z]{3,}")


def _messages(body: dict[str, Any]) -> list[str]:
    """The human-readable texts of a problem body, in a stable order."""
    texts = [body.get("title", ""), body.get("detail", "")]
    for key in sorted(body.get("errors", {})):
        texts.extend(body["errors"][key])
    texts.extend(item["message"] for item in body.get("answer_errors", []))
    return texts


def _sign_in(client: APIClient, officer: Any) -> str:
    body = {"username": officer.user.username, "password": PASSWORD, "device_name": "languages"}
    response = client.post(MOBILE + "auth/sign-in/", body, format="json", REMOTE_ADDR="10.20.0.1")
    assert response.status_code == 201, response.content
    return response.json()["token"]


def _cases(field, alice, andy) -> dict[str, Callable[[APIClient, str], Any]]:  # noqa: F811
    token: dict[str, str] = {}

    def bearer(client: APIClient) -> dict[str, str]:
        if "alice" not in token:
            token["alice"] = _sign_in(APIClient(), alice)
        return {"HTTP_AUTHORIZATION": f"Bearer {token['alice']}"}

    def submit(client, lang, **overrides):
        payload = submission_payload(field.revealed, field.venue_version, **overrides)
        return client.post(
            MOBILE + "submissions/", payload, format="json", HTTP_ACCEPT_LANGUAGE=lang, **bearer(client)
        )

    def conflict(client, lang):
        first = submission_payload(field.revealed, field.venue_version)
        client.post(MOBILE + "submissions/", first, format="json", **bearer(client))
        changed = {**first, "device_submitted_at": "2020-01-01T00:00:00+08:00"}
        return client.post(
            MOBILE + "submissions/", changed, format="json", HTTP_ACCEPT_LANGUAGE=lang, **bearer(client)
        )

    def locked(client, lang):
        wrong = {"username": f"locked-{lang}", "password": "wrong", "device_name": "x"}
        for _ in range(6):
            response = client.post(
                MOBILE + "auth/sign-in/",
                wrong,
                format="json",
                REMOTE_ADDR="10.30.0.1",
                HTTP_ACCEPT_LANGUAGE=lang,
            )
        return response

    def planner(client, lang, method, path, body):
        planner_user = field.operation.planners.first().user
        signed_in(client, planner_user)
        return getattr(client, method)(
            "/api/v1/planning/" + path, body, format="json", HTTP_ACCEPT_LANGUAGE=lang
        )

    def officer_api(client, lang, method, path, body):
        signed_in(client, andy.user)  # a back-office officer (an inspector's phone token is not let in)
        return getattr(client, method)("/api/v1/" + path, body, format="json", HTTP_ACCEPT_LANGUAGE=lang)

    def checkin_twice(client, lang):
        from tests.mobile_api.conftest import checkin_payload

        first = checkin_payload(field.revealed)
        url = MOBILE + f"assignments/{field.revealed.uuid}/check-ins/"
        client.post(url, first, format="json", **bearer(client))
        changed = {**first, "accuracy_m": "99.0"}
        return client.post(url, changed, format="json", HTTP_ACCEPT_LANGUAGE=lang, **bearer(client))

    def undeclared(client, lang):
        payload = submission_payload(field.revealed, field.venue_version)
        made = client.post(MOBILE + "submissions/", payload, format="json", **bearer(client))
        assert made.status_code in (200, 201), made.content
        return client.put(
            MOBILE + f"submissions/{payload['id']}/attachments/nope.jpg",
            b"x",
            content_type="image/jpeg",
            HTTP_ACCEPT_LANGUAGE=lang,
            **bearer(client),
        )

    def statistics(client, lang, params):
        signed_in(client, andy.user)
        return client.get("/api/v1/statistics/query/", params, HTTP_ACCEPT_LANGUAGE=lang)

    return {
        "not_authenticated": lambda c, lang: c.get(MOBILE + "assignments/", HTTP_ACCEPT_LANGUAGE=lang),
        "token_invalid": lambda c, lang: c.get(
            MOBILE + "assignments/", HTTP_AUTHORIZATION="Bearer nonsense", HTTP_ACCEPT_LANGUAGE=lang
        ),
        "invalid_credentials": lambda c, lang: c.post(
            MOBILE + "auth/sign-in/",
            {"username": "alice", "password": "wrong", "device_name": "x"},
            format="json",
            REMOTE_ADDR=f"10.40.0.{LANGUAGES.index(lang)}",
            HTTP_ACCEPT_LANGUAGE=lang,
        ),
        "invalid_required": lambda c, lang: c.post(
            MOBILE + "auth/sign-in/", {}, format="json", HTTP_ACCEPT_LANGUAGE=lang
        ),
        "malformed_request": lambda c, lang: c.post(
            MOBILE + "auth/sign-in/", "{not json", content_type="application/json", HTTP_ACCEPT_LANGUAGE=lang
        ),
        "unsupported_media_type": lambda c, lang: c.post(
            MOBILE + "auth/sign-in/", {"username": "alice"}, HTTP_ACCEPT_LANGUAGE=lang
        ),
        "method_not_allowed": lambda c, lang: c.delete(
            MOBILE + "assignments/", HTTP_ACCEPT_LANGUAGE=lang, **bearer(c)
        ),
        "not_found_object": lambda c, lang: c.get(
            MOBILE + f"assignments/{uuid.uuid4()}/", HTTP_ACCEPT_LANGUAGE=lang, **bearer(c)
        ),
        "not_found_url": lambda c, lang: c.get("/api/v1/no-such-thing/", HTTP_ACCEPT_LANGUAGE=lang),
        "invalid_uuid": lambda c, lang: submit(c, lang, id="not-a-uuid"),
        "answers_invalid": lambda c, lang: submit(
            c, lang, answers={"no_such_question": 1, "workers_checked": "many"}
        ),
        "template_version_unknown": lambda c, lang: submit(c, lang, template_version=str(uuid.uuid4())),
        "submission_conflict": conflict,
        "too_many_attempts": locked,
        "statistics_invalid": lambda c, lang: statistics(c, lang, {"measure": "nope"}),
        "statistics_filters": lambda c, lang: statistics(
            c, lang, {"measure": "inspections", "venue_type": "", "category": "nope", "by": "colour,colour"}
        ),
        "statistics_period": lambda c, lang: statistics(
            c, lang, {"measure": "inspections", "from": "2019-13"}
        ),
        "planning_invalid": lambda c, lang: planner(c, lang, "post", "operations/", {}),
        "planning_targets": lambda c, lang: planner(
            c, lang, "post", f"operations/{field.operation.uuid}/targets/", {"wave": "w1"}
        ),
        "planning_publish": lambda c, lang: planner(
            c, lang, "post", f"operations/{field.operation.uuid}/plan/publish/", {}
        ),
        "due_work_window": lambda c, lang: planner(
            c,
            lang,
            "post",
            "due-work/",
            {
                "site": str(field.revealed.site.uuid),
                "category": "prostitution_trafficking",
                "earliest": "2030-03-08",
                "latest": "2030-03-04",
            },
        ),
        "due_work_priority": lambda c, lang: planner(
            c,
            lang,
            "post",
            "due-work/",
            {
                "site": str(field.revealed.site.uuid),
                "category": "prostitution_trafficking",
                "earliest": "2030-03-04",
                "latest": "2030-03-08",
                "priority": 9,
            },
        ),
        "operation_times": lambda c, lang: planner(
            c,
            lang,
            "post",
            "operations/",
            {
                "name": "Bad times",
                "lead_agency": "PSP",
                "starts_at": "2030-03-01T20:00:00+08:00",
                "ends_at": "2030-03-02T02:00:00+08:00",
                "reveal_at": "2030-03-01T22:00:00+08:00",
                "waves": [{"code": "W1", "starts_at": "2030-03-01T21:00:00+08:00"}],
            },
        ),
        "checkin_conflict": lambda c, lang: checkin_twice(c, lang),
        "attachment_undeclared": lambda c, lang: undeclared(c, lang),
        "conflict_unnamed": lambda c, lang: officer_api(
            c, lang, "post", "me/conflicts/", {"reason": "A cousin works there."}
        ),
    }


@pytest.fixture
def andy(db):
    return factories.officer("DSAL", username="andy", roles=("analyst",))


# The cases about signing in; every other one must reach the endpoint's own rules.
SIGNED_OUT = {"not_authenticated", "token_invalid", "invalid_credentials"}

CASES = [
    "not_authenticated",
    "token_invalid",
    "invalid_credentials",
    "invalid_required",
    "malformed_request",
    "unsupported_media_type",
    "method_not_allowed",
    "not_found_object",
    "not_found_url",
    "invalid_uuid",
    "answers_invalid",
    "template_version_unknown",
    "submission_conflict",
    "too_many_attempts",
    "statistics_invalid",
    "statistics_filters",
    "statistics_period",
    "planning_invalid",
    "planning_targets",
    "planning_publish",
    "due_work_window",
    "due_work_priority",
    "conflict_unnamed",
    "operation_times",
    "checkin_conflict",
    "attachment_undeclared",
]


@pytest.mark.parametrize("case", CASES)
def test_every_error_is_in_the_readers_language(field, alice, andy, case, settings):  # noqa: F811
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    send = _cases(field, alice, andy)[case]
    bodies = {}
    for lang in LANGUAGES:
        response = send(APIClient(), lang)
        assert response.status_code not in (401, 403) or case in SIGNED_OUT, (case, response.content)
        assert 400 <= response.status_code < 500, (case, lang, response.content)
        assert response["Content-Type"].startswith("application/problem+json"), (
            case,
            response["Content-Type"],
        )
        bodies[lang] = json.loads(response.content)
    english = _messages(bodies["en"])
    assert all(english), (case, bodies["en"])
    assert "{" not in bodies["en"]["title"], bodies["en"]["title"]  # placeholders filled
    for lang in ("zh-hant", "pt"):
        codes = (bodies[lang]["code"], bodies["en"]["code"])
        assert codes[0] == codes[1], codes
        left_in_english = [
            text
            for text, en in zip(_messages(bodies[lang]), english, strict=True)
            if text == en and WORD.search(en)
        ]
        assert not left_in_english, (case, lang, left_in_english)
