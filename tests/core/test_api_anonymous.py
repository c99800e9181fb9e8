"""Anonymous callers of the back-office API get 401 with ``WWW-Authenticate`` in the problem
shape, as on the officers' API, never 403: a client must be told to sign in, not that it may not.
Every route under /api/v1/ is found by walking the URL configuration, so a new endpoint is
covered the day it is added."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

PREFIX = "api/v1/"
HANDLERS = ("get", "post", "put", "patch", "delete")
# Creating a token is how a script signs in: it takes a password, not a session.
SIGN_IN = {("POST", "/api/v1/auth/tokens/")}
_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def _routes(patterns, prefix: str = ""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^)]*)\)")


def _concrete(route: str) -> str:
    """A URL the route matches: a UUID no row has for each id, a sample for the other parameters.
    The UUIDs are derived from the route, so every test process collects the same test ids."""

    def value(match: re.Match[str]) -> str:
        if match["converter"] == "int":
            return "2019"
        if match["name"] == "kind":
            return "operations"
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{route}#{match['name']}"))

    def sample(match: re.Match[str]) -> str:  # a re_path's group: digits, or the first choice
        return "2019" if "\\d" in match["body"] else match["body"].split("|")[0]

    route = _GROUP.sub(sample, route).replace("^", "").replace("$", "").replace("\\.", ".")
    url = "/" + _PARAMETER.sub(value, route)
    assert get_resolver().resolve(url), url
    return url


def _back_office_calls() -> list[tuple[str, str]]:
    calls = set()
    for route, callback in _routes(get_resolver().url_patterns):
        if not route.startswith(PREFIX):
            continue
        view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        assert view is not None, f"{route} is not a class-based API view"
        url = _concrete(route)
        for handler in HANDLERS:
            if hasattr(view, handler) and (handler.upper(), url.split("?")[0]) not in SIGN_IN:
                calls.add((handler.upper(), url))
    return sorted(calls)


CALLS = _back_office_calls()


def test_the_walk_finds_the_back_office():
    paths = {path for _method, path in CALLS}
    assert any(p.startswith("/api/v1/planning/") for p in paths)
    assert any(p.startswith("/api/v1/statistics/") for p in paths)
    assert "/api/v1/me/" in paths and "/api/v1/auth/tokens/" in paths
    assert len(CALLS) > 40


@pytest.mark.parametrize(("method", "path"), CALLS, ids=[f"{m} {p}" for m, p in CALLS])
def test_anonymous_caller_is_told_to_sign_in(db, method, path):
    response = APIClient().generic(method, path, data="{}", content_type="application/json")
    assert response.status_code == 401, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["code"] == "not_authenticated"


def test_a_session_cookie_without_a_user_is_anonymous_too(db):
    client = APIClient()
    client.cookies["sessionid"] = "not-a-session"
    response = client.get("/api/v1/planning/operations/")
    assert response.status_code == 401
