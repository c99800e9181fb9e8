"""The database down (restarting, failing over) as a console user meets it: a page of the
project's, 503 with Retry-After, in her language, never Django's bare "Server Error (500)" (or,
with DEBUG on, a stack trace); the APIs answer problem+json 503. Every query of the request
fails as a refused connection does (``connection.execute_wrapper``), on SQLite and PostgreSQL
alike; the real thing (a closed port) was walked by hand and answered the same."""

from __future__ import annotations

import sys
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.test import RequestFactory

from backend.core import errors
from tests.conftest import PASSWORD, signed_in

pytestmark = pytest.mark.django_db

SAID = {
    "en": ("Briefly unavailable", "The database cannot be reached just now"),
    "pt": ("Momentaneamente indisponível", "Não é possível chegar à base de dados neste momento"),
    "zh-hant": ("暫時無法使用", "目前無法連接資料庫"),
}


@contextmanager
def database_down():
    def refused(execute, sql, params, many, context):
        raise OperationalError('connection to server at "db" (10.0.0.5), port 5432 failed: refused')

    with connection.execute_wrapper(refused):
        yield


def _is_the_page(response, language: str = "en") -> str:
    text = response.content.decode()
    assert response.status_code == 503, text[:500]
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"] == str(errors.DATABASE_RETRY_AFTER_SECONDS)
    assert all(words in text for words in SAID[language]), text
    assert "Traceback" not in text and "OperationalError" not in text and "10.0.0.5" not in text
    return text


@pytest.mark.parametrize("language", SAID)
def test_a_signed_in_page_answers_the_projects_503_in_the_readers_language(client, paula, language):
    signed_in(client, paula.user)
    with database_down():
        response = client.get("/planning/?page=2", HTTP_ACCEPT_LANGUAGE=language)
    text = _is_the_page(response, language)
    assert 'href="/planning/?page=2"' in text  # "Try again" loads the same page


def test_signing_in_answers_the_page_and_a_form_sent_offers_no_resend(client, db):
    with database_down():
        response = client.post("/sign-in/", {"username": "paula", "password": "whatever"})
    text = _is_the_page(response)
    assert "Try again" not in text  # a link would GET a form's address


def test_an_htmx_request_has_the_browser_load_the_page_again(client, paula):
    """htmx swaps no 5xx answer: the button pressed seemed to do nothing."""
    signed_in(client, paula.user)
    with database_down():
        response = client.get("/planning/", HTTP_HX_REQUEST="true")
    _is_the_page(response)
    assert response["HX-Refresh"] == "true"


def test_the_officers_api_answers_a_problem_503(client, bob):
    signed = client.post(
        "/api/mobile/v1/auth/sign-in/",
        {"username": "bob", "password": PASSWORD, "device_name": "phone"},
        content_type="application/json",
    )
    with database_down():
        response = client.get(
            "/api/mobile/v1/assignments/", HTTP_AUTHORIZATION=f"Bearer {signed.json()['token']}"
        )
    assert response.status_code == 503 and response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "unavailable" and response["Retry-After"]


def test_a_failure_outside_any_view_answers_the_same(db):
    """A session saved after the view, a middleware reading the database: Django's 500 handler
    takes it, and answers the page (a problem under /api/) rather than "Server Error (500)"."""
    factory = RequestFactory()
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        assert sys.exc_info()[1] is not None
        page = errors.api_aware_500(factory.get("/compliance/", HTTP_ACCEPT_LANGUAGE="pt"))
        api = errors.api_aware_500(factory.get("/api/mobile/v1/assignments/"))
    _is_the_page(page, "pt")
    assert api.status_code == 503 and api["Content-Type"] == "application/problem+json"
    assert errors.api_aware_500(factory.get("/compliance/")).status_code == 500  # any other error
