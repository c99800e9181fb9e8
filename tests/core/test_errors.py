"""One error shape for the whole API: application/problem+json with a stable code."""

import pytest
from django.urls import path
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.errors import Conflict


class _Input(serializers.Serializer):
    name = serializers.CharField(max_length=5)
    count = serializers.IntegerField(min_value=0)
    items = serializers.ListField(child=serializers.DictField(child=serializers.IntegerField()))


class _EchoApi(APIView):
    authentication_classes: list = []
    permission_classes: list = []

    def post(self, request):
        data = _Input(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(data.validated_data)


class _ConflictApi(APIView):
    authentication_classes: list = []
    permission_classes: list = []

    def post(self, request):
        raise Conflict("Already stored with other content.")


urlpatterns = [path("api/test/echo/", _EchoApi.as_view()), path("api/test/conflict/", _ConflictApi.as_view())]


def _assert_problem(response, status, code):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"].endswith(code)
    assert body["title"] and body["detail"]
    return body


@pytest.mark.urls("tests.core.test_errors")
def test_validation_errors_name_every_field(client):
    response = client.post(
        "/api/test/echo/",
        {"name": "much too long", "count": -1, "items": [{"a": "x"}]},
        content_type="application/json",
    )
    body = _assert_problem(response, 400, "invalid")
    assert set(body["errors"]) == {"name", "count", "items[0].a"}


@pytest.mark.urls("tests.core.test_errors")
def test_malformed_json_is_a_problem_too(client):
    response = client.post("/api/test/echo/", "{not json", content_type="application/json")
    _assert_problem(response, 400, "malformed_request")


@pytest.mark.urls("tests.core.test_errors")
def test_domain_exception_keeps_its_code(client):
    body = _assert_problem(client.post("/api/test/conflict/"), 409, "conflict")
    assert body["detail"] == "Already stored with other content."


@pytest.mark.urls("tests.core.test_errors")
def test_wrong_method_is_a_problem(client):
    _assert_problem(client.get("/api/test/conflict/"), 405, "method_not_allowed")


def test_unauthenticated_is_a_problem(client, db):
    response = client.get("/api/v1/sites/")
    _assert_problem(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_unknown_api_url_is_a_problem(client, db):
    _assert_problem(client.get("/api/v1/no-such-thing/"), 404, "not_found")
