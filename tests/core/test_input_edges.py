"""Edges of the back-office API found by an outside test (#15): numbers too large for the
database, the browsable API's errors, and refusals Django makes before any view, each answered
in the problem shape instead of a server error or an HTML page."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tests.conftest import PASSWORD
from tests.mobile_api.conftest import assert_problem

THIRTY_DIGITS = "9" * 30


@pytest.fixture
def carol_script(settings, carol):
    """Carol (a DSAL reviewer) with a token made through the token endpoint."""
    settings.CONSOLE_2FA_REQUIRED = False
    client = APIClient()
    body = {"username": "carol", "password": PASSWORD, "name": "edges"}
    response = client.post("/api/v1/auth/tokens/", body, format="json")
    assert response.status_code == 201, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    return client


@pytest.mark.parametrize("param", ["limit", "offset"])
@pytest.mark.parametrize("value", [THIRTY_DIGITS, "-1", "1e3", "²"])
def test_page_numbers_out_of_range_are_a_400(carol_script, param, value):
    response = carol_script.get("/api/v1/officers/", {param: value})
    assert_problem(response, 400, "invalid", (param,))


def test_a_limit_above_the_largest_page_is_refused_naming_it(carol_script):
    """It was served 500 rows, which a script that asked for 100000 read as the whole list."""
    response = carol_script.get("/api/v1/officers/", {"limit": "100000"}, HTTP_ACCEPT_LANGUAGE="zh-Hant")
    body = assert_problem(response, 400, "invalid", ("limit",))
    assert body["errors"]["limit"] == ["須為 0 至 500 的整數。"]
    assert carol_script.get("/api/v1/officers/", {"limit": "500"}).status_code == 200


@pytest.mark.parametrize("year", [THIRTY_DIGITS, "²⁰²³", "0001", "20233"])
def test_a_prosecution_year_out_of_range_is_a_400(carol_script, year):
    response = carol_script.get("/api/v1/prosecutions/", {"year": year})
    assert_problem(response, 400, "invalid", ("year",))


def test_a_prosecution_year_is_a_filter(carol_script):
    response = carol_script.get("/api/v1/prosecutions/", {"year": "2023"})
    assert response.status_code == 200, response.content


def test_errors_of_the_browsable_api_are_json(carol_script):
    response = carol_script.get("/api/v1/officers/", {"limit": THIRTY_DIGITS, "format": "api"})
    body = assert_problem(response, 400, "invalid")
    assert body["errors"]["limit"]
    response = APIClient().get("/api/v1/officers/", {"format": "api"})
    assert_problem(response, 401, "not_authenticated")
    assert json.loads(response.content)["status"] == 401


def test_a_host_not_allowed_answers_a_problem_under_the_api(db, client):
    response = client.get("/api/v1/officers/", HTTP_HOST="evil.example")
    assert_problem(response, 400, "bad_request")
    page = client.get("/", HTTP_HOST="evil.example")
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")


def test_a_body_too_large_for_django_is_a_413_problem(settings, carol_script):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = {"username": "carol", "password": PASSWORD, "name": "x" * 5000}
    response = carol_script.post("/api/v1/auth/tokens/", body, format="json")
    problem = assert_problem(response, 413, "request_too_large")
    assert problem["max_bytes"] == 1024


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="stops talking to PostgreSQL mid-test")
@pytest.mark.django_db(transaction=True)
def test_a_database_that_does_not_answer_is_a_503_with_retry_after(alice, phone):
    client = phone(alice)
    settings_dict = connection.settings_dict
    port = settings_dict["PORT"]
    connection.close()
    settings_dict["PORT"] = "1"  # nothing listens there: as during a restart, connections are refused
    try:
        response = client.get("/api/mobile/v1/assignments/")
    finally:
        connection.close()
        settings_dict["PORT"] = port
    body = assert_problem(response, 503, "unavailable")
    assert response["Retry-After"] == "5"
    assert body["detail"]
