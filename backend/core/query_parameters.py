"""A back-office list refuses a query parameter it does not take.

A misspelt filter (``?stauts=open``, ``?site_kinds=venue``) was ignored, and the list answered
everything, which a script reads as the filtered answer. The parameters a list takes are those its
operation documents in the OpenAPI schema (its filters, ``limit`` and ``offset`` where it has
pages, ``ordering`` or ``search`` where it has them), plus ``format`` (DRF's choice of renderer,
e.g. ``?format=api``); anything else is the 400 ``invalid`` problem naming each unknown parameter
and the accepted ones, in the reader's language. The schema is the one list of names, so a filter
documented is a filter accepted, and an undocumented one shows up at once.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request

from backend.core.errors import InvalidInput

ALWAYS_ACCEPTED = frozenset({"format"})

_accepted_by_view: dict[type, frozenset[str]] = {}


def _documented(view: Any, request: Request) -> frozenset[str]:
    """The query parameters the view's GET documents, as /api/schema/ gives them."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.plumbing import ComponentRegistry

    generator = SchemaGenerator()
    callback = view.__class__.as_view(**getattr(view, "_initkwargs", None) or {})
    fake = generator.create_view(callback, "GET", request)
    fake.request = request  # a filterset reads the queryset, which needs the caller
    fake.kwargs, fake.args = dict(view.kwargs), tuple(view.args)
    path = request.path
    operation = fake.schema.get_operation(path, path, "/api/v1/", "GET", ComponentRegistry())
    names = {p["name"] for p in (operation or {}).get("parameters", []) if p.get("in") == "query"}
    return frozenset(names)


def accepted_query_parameters(view: Any, request: Request) -> frozenset[str]:
    accepted = _accepted_by_view.get(view.__class__)
    if accepted is None:
        accepted = _accepted_by_view[view.__class__] = _documented(view, request) | ALWAYS_ACCEPTED
    return accepted


def refuse_unknown_query_parameters(view: Any, request: Request) -> None:
    accepted = accepted_query_parameters(view, request)
    unknown = [name for name in request.query_params if name not in accepted]
    if not unknown:
        return
    names = ", ".join(sorted(accepted))
    message = _("Unknown parameter. This list takes: %(names)s.")
    raise InvalidInput(errors={name: [str(message) % {"names": names}] for name in unknown})


class KnownQueryParameters:
    """Mixin of a back-office list view: a GET with a parameter the list does not take is refused
    (after authentication and permissions, so an anonymous caller is still told to sign in)."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if request.method in ("GET", "HEAD"):
            refuse_unknown_query_parameters(self, request)
