import pytest
from django.test import override_settings


def test_healthy_database_answers_200(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_unreachable_broker_answers_503_naming_it(client, db):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"] == {"database": "ok", "broker": "failed"}
    assert "broker" in body["errors"]


def test_broken_database_answers_503(client, db, monkeypatch):
    """The database server is outside the project: stand in for one that refuses connections."""
    from django.db import OperationalError

    from backend.core import health

    class _DownDatabase:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", _DownDatabase())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["errors"]["database"] == "OperationalError: connection refused"


@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/"])
def test_api_documentation_is_served(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
