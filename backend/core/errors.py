"""One error shape for the whole API: ``application/problem+json`` (RFC 9457).

Every error body has ``type``, ``title``, ``status``, ``detail``, a stable machine-readable
``code`` and, for bad input, ``errors``: a mapping from field (dotted path for nested input) to a
list of messages. Services raise the domain exceptions below; the handler maps them, DRF's own
exceptions and Django's, so a client parses one shape whatever went wrong.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions as drf
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://inspections.invalid/problems/"


class DomainError(Exception):
    """A rule of the domain refused the request. Subclasses set ``code`` and ``status``."""

    code = "domain_error"
    status = 400
    title = _("The request was refused.")

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: dict[str, list[str]] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail or str(self.title))
        self.detail = detail or str(self.title)
        self.errors = errors or {}
        # Extension members of the problem body (RFC 9457 §3.2), e.g. the versions accepted.
        self.extra = extra or {}


class InvalidInput(DomainError):
    code = "invalid"
    status = 400
    title = _("The input is not valid.")


class NotFound(DomainError):
    """Also what a forbidden object answers: an outsider must not learn that it exists."""

    code = "not_found"
    status = 404
    title = _("Not found.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    title = _("The request conflicts with the current state.")


class Gone(DomainError):
    code = "gone"
    status = 410
    title = _("This no longer exists.")


class Forbidden(DomainError):
    code = "forbidden"
    status = 403
    title = _("You may not do this.")


class RequestTooLarge(DomainError):
    code = "request_too_large"
    status = 413
    title = _("The request body is too large.")


class TooDeep(DomainError):
    code = "too_deep"
    status = 400
    title = _("The request body is nested too deep.")


def too_large() -> RequestTooLarge:
    limit = int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    return RequestTooLarge(
        gettext("A request body may be at most %(limit)s bytes.") % {"limit": limit},
        extra={"max_bytes": limit},
    )


# Messages of the checklist engine (a pure core: English only, with the values in the text),
# shown in the reader's language by their code. English readers keep the engine's own text.
ANSWER_ERRORS = {
    "required": _("An answer is required."),
    "type": _("The answer has the wrong type."),
    "unknown_question": _("Not a question of this checklist."),
    "constraint": _("The answer does not satisfy the question's rule."),
    "min": _("The answer is below the smallest allowed."),
    "max": _("The answer is above the largest allowed."),
    "choice": _("Not one of the options."),
    "count_mismatch": _("The number of entries does not match the count given."),
    "nul_character": _("Text may not contain NUL characters."),
    "attachment_undeclared": _("The photo or signature is not declared in the submission's attachments."),
}


def _translated(message: Any) -> str:
    """A message in the reader's language. Lazy texts translate themselves; a plain English
    string raised by a service or serializer (``"Name sites, or …"``) is looked up in the
    catalogues at answer time."""
    text = str(message)
    return gettext(text) if text else text


def _answer_errors(errors: dict[str, list[str]], details: list[dict[str, Any]]) -> tuple[dict, list]:
    """The checklist's answer errors in the reader's language, keyed and listed as before."""
    if (translation.get_language() or "en").split("-")[0] == "en":
        return errors, details
    by_path: dict[str, list[str]] = {}
    out = []
    for item in details:
        text = str(ANSWER_ERRORS.get(item.get("code", ""), _("The answer is not valid.")))
        path = item.get("path") or ""
        message = f"{path}: {text}" if path else text
        by_path.setdefault(f"answers.{path}" if path else "answers", []).append(message)
        out.append({**item, "message": message})
    return {**{k: v for k, v in errors.items() if not k.startswith("answers")}, **by_path}, out


def problem(
    *, status: int, code: str, title: str, detail: str, errors: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if errors:
        body["errors"] = errors
    return body


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as ``{"field.sub[0].x": ["message", ...]}``."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
                path = f"{prefix}[{key}]"  # DRF keys list items by index
            else:
                name = (
                    "non_field_errors" if key in ("non_field_errors", "__all__") and not prefix else str(key)
                )
                path = f"{prefix}.{name}" if prefix else name
            out.update(_flatten(value, path))
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            out.setdefault(prefix or "non_field_errors", []).extend(str(item) for item in detail)
        else:
            for index, item in enumerate(detail):
                out.update(_flatten(item, f"{prefix}[{index}]"))
    else:
        out.setdefault(prefix or "non_field_errors", []).append(str(detail))
    return out


_DRF_CODES: dict[type[drf.APIException], str] = {
    drf.ValidationError: "invalid",
    drf.ParseError: "malformed_request",
    drf.AuthenticationFailed: "authentication_failed",
    drf.NotAuthenticated: "not_authenticated",
    drf.PermissionDenied: "permission_denied",
    drf.NotFound: "not_found",
    drf.MethodNotAllowed: "method_not_allowed",
    drf.NotAcceptable: "not_acceptable",
    drf.UnsupportedMediaType: "unsupported_media_type",
    drf.Throttled: "throttled",
}


def _problem_response(body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    response = Response(body, status=body["status"], headers=headers)
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


# A database that is restarting or unreachable: the phone should back off and retry, not
# conclude that its request was wrong or that the server broke.
DATABASE_RETRY_AFTER_SECONDS = 5


def _json_rendered(context: dict[str, Any]) -> None:
    """Render the problem as JSON whatever was negotiated: the browsable API (``?format=api``)
    or a CSV endpoint would otherwise draw it as HTML or CSV under a problem+json label."""
    from rest_framework.renderers import JSONRenderer  # importing it at the top loads the parsers

    request = context.get("request")
    if request is not None:
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = "application/json"


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    _json_rendered(context)
    if isinstance(exc, (OperationalError, InterfaceError)):
        title = str(_("The service is briefly unavailable; retry shortly."))
        return _problem_response(
            problem(status=503, code="unavailable", title=title, detail=title),
            {"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
        )
    if isinstance(exc, RequestDataTooBig):
        exc = too_large()
    if isinstance(exc, DomainError):
        errors = {k: [_translated(m) for m in v] for k, v in exc.errors.items()}
        extra = dict(exc.extra)
        if isinstance(extra.get("answer_errors"), list):
            errors, extra["answer_errors"] = _answer_errors(errors, extra["answer_errors"])
        body = problem(
            status=exc.status,
            code=exc.code,
            title=str(exc.title),
            detail=_translated(exc.detail),
            errors=errors,
        )
        body.update({k: v for k, v in extra.items() if k not in body})
        # A domain error may carry headers its client acts on (Retry-After, WWW-Authenticate).
        return _problem_response(body, dict(getattr(exc, "headers", {}) or {}) or None)
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return _problem_response(
            problem(
                status=400,
                code="invalid",
                title=str(InvalidInput.title),
                detail=str(_("The input is not valid.")),
                errors={("non_field_errors" if k == "__all__" else k): list(v) for k, v in errors.items()},
            )
        )
    if isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf.PermissionDenied()

    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, drf.APIException):
        return response  # an unexpected error: Django's 500 handling takes it
    code = next((c for klass, c in _DRF_CODES.items() if type(exc) is klass), None)
    if code is None:
        code = exc.default_code if isinstance(exc.default_code, str) else "error"
    if isinstance(exc, drf.ValidationError):
        body = problem(
            status=response.status_code,
            code=code,
            title=str(InvalidInput.title),
            detail=str(_("The input is not valid.")),
            errors={k: [_translated(m) for m in v] for k, v in _flatten(exc.detail).items()},
        )
    else:
        detail = _translated(exc.detail if isinstance(exc.detail, str) else exc.default_detail)
        if isinstance(exc, drf.ParseError) and (translation.get_language() or "en").split("-")[0] != "en":
            # The parser's reason is Python's English text; other readers get a sentence of theirs.
            detail = str(_("The request body could not be read."))
        title = str(exc.default_detail)
        if "{" in title:
            # A title with a placeholder ('Method "{method}" not allowed.') reads as the detail,
            # which DRF filled in.
            title = detail
        body = problem(status=response.status_code, code=code, title=title, detail=detail)
    headers = {k: v for k, v in response.headers.items() if k in ("WWW-Authenticate", "Retry-After", "Allow")}
    return _problem_response(body, headers)


def _json_problem(request: HttpRequest, status: int, code: str, title: str) -> JsonResponse:
    return JsonResponse(
        problem(status=status, code=code, title=title, detail=title),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def api_aware_404(request: HttpRequest, exception: Exception | None = None):  # type: ignore[no-untyped-def]
    """Unknown URLs under /api/ answer in the problem shape too; pages keep Django's page."""
    if request.path.startswith("/api/"):
        return _json_problem(request, 404, "not_found", str(NotFound.title))
    from django.views.defaults import page_not_found

    return page_not_found(request, exception or Http404())


def api_aware_400(request: HttpRequest, exception: Exception | None = None):  # type: ignore[no-untyped-def]
    """Refusals Django makes before any view (a body above DATA_UPLOAD_MAX_MEMORY_SIZE, a host
    not in ALLOWED_HOSTS) answer in the problem shape under /api/; pages keep Django's page."""
    if request.path.startswith("/api/"):
        if isinstance(exception, RequestDataTooBig):
            error = too_large()
            body = problem(status=error.status, code=error.code, title=str(error.title), detail=error.detail)
            body.update(error.extra)
            return JsonResponse(body, status=error.status, content_type=PROBLEM_CONTENT_TYPE)
        return _json_problem(request, 400, "bad_request", str(_("The request was refused.")))
    from django.views.defaults import bad_request

    return bad_request(request, exception or Exception())


DATABASE_DOWN = (OperationalError, InterfaceError)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The answer while the database cannot be reached (restarting, failing over): 503 with
    ``Retry-After``, a problem under /api/, else a page of its own in the reader's language that
    reads nothing from the database (the console's shell needs the session, which is in it). An
    htmx request gets the header that makes the browser load the page again, which then shows
    this: htmx swaps no 5xx answer, so a button would otherwise seem to do nothing."""
    headers = {"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)}
    if request.path.startswith("/api/"):
        response = _json_problem(
            request, 503, "unavailable", str(_("The service is briefly unavailable; retry shortly."))
        )
        response["Retry-After"] = headers["Retry-After"]
        return response
    from django.template.loader import render_to_string

    language = translation.get_language_from_request(request)
    with translation.override(language):
        retry = request.get_full_path() if request.method in ("GET", "HEAD") else ""
        body = render_to_string("503.html", {"retry_url": retry})
    response = HttpResponse(body, status=503, headers=headers)
    if request.headers.get("HX-Request") == "true":
        response.headers["HX-Refresh"] = "true"
    return response


class DatabaseUnavailableMiddleware:
    """A view that meets the database down answers ``database_unavailable`` (with ``DEBUG`` on
    too: a stack trace tells a planner nothing). What fails outside a view (a session saved
    after it) reaches ``api_aware_500``, which answers the same."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_DOWN):
            # With the traceback: an OperationalError is also SQLite's "no such column", a bug.
            logger.warning(
                "Database unavailable: %s %s: %s", request.method, request.path, exception, exc_info=exception
            )
            return database_unavailable(request)
        return None


def api_aware_500(request: HttpRequest):  # type: ignore[no-untyped-def]
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return database_unavailable(request)
    if request.path.startswith("/api/"):
        return _json_problem(request, 500, "server_error", str(_("An unexpected error occurred.")))
    from django.views.defaults import server_error

    return server_error(request)


# --- The shape in the OpenAPI schema ---------------------------------------------------------------

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Every error of the API (RFC 9457). Further members may follow, e.g. `max_bytes`.",
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string", "description": "In the reader's language (Accept-Language)."},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "In the reader's language (Accept-Language)."},
        "code": {"type": "string", "description": "Stable and machine-readable, e.g. `invalid`."},
        "errors": {
            "type": "object",
            "description": "For bad input: each field or parameter (dotted path) with its messages.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["type", "title", "status", "detail", "code"],
}


RESPONSE_HEADERS: dict[str, dict[str, Any]] = {
    "401": {
        "WWW-Authenticate": {
            "schema": {"type": "string"},
            "description": "The scheme to authenticate with: `Bearer`.",
        }
    },
    "429": {
        "Retry-After": {
            "schema": {"type": "integer", "minimum": 0},
            "description": "Seconds to wait before trying again.",
        }
    },
}


def problem_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular post-processing hook: every back-office operation documents the errors it
    can answer, as ``application/problem+json``: 400 (it takes parameters or a body), 401 and 403
    (it needs a token), 404 (its path names an object). Documented answers were 2xx only, so a
    client generated from the schema had no type for the errors it had to handle."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    content = {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    reasons = {
        "400": (
            "The input is not valid (`errors` names each field or parameter, and a parameter or "
            "body member the operation does not take)."
        ),
        "401": "No token, or a bad, revoked or expired one (`not_authenticated`, `token_invalid`).",
        "403": "Your role may not do this.",
        "404": "No such object, or one outside what you may see.",
    }
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/v1/"):
            continue  # the officers' API documents its own errors
        for operation in operations.values():
            for status, documented in operation["responses"].items():
                # An error a view names with its reason alone (the token endpoint's 401, 403 and
                # 429) is a Problem too; a 401 names its scheme, a 429 when to retry.
                if status[0] in "45" and "content" not in documented:
                    documented["content"] = content
                    if status in RESPONSE_HEADERS:
                        documented.setdefault("headers", RESPONSE_HEADERS[status])
            statuses = []
            queried = any(p.get("in") == "query" for p in operation.get("parameters", []))
            if queried or operation.get("requestBody"):
                statuses.append("400")
            if operation.get("security", [{}]) != [{}]:
                statuses += ["401", "403"]
            if "{" in path:
                statuses.append("404")
            for status in statuses:
                documented = {"description": reasons[status], "content": content}
                operation["responses"].setdefault(status, documented)
    return result
