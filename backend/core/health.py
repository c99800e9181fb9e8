"""``GET /healthz``: is this instance able to serve? Checks the database and, when one is
configured, the broker. 200 when all pass, 503 with what failed otherwise."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET


def _check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def _check_broker() -> str | None:
    from kombu import Connection

    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, str] = {}
    failed: dict[str, str] = {}
    error = _check_database()
    checks["database"] = "ok" if error is None else "failed"
    if error:
        failed["database"] = error
    if settings.CELERY_BROKER_URL:
        error = _check_broker()
        checks["broker"] = "ok" if error is None else "failed"
        if error:
            failed["broker"] = error
    else:
        checks["broker"] = "not configured (tasks run in-process)"
    body: dict[str, object] = {"status": "ok" if not failed else "failed", "checks": checks}
    if failed:
        body["errors"] = failed
    return JsonResponse(body, status=200 if not failed else 503)
