"""The back-office API's root, /api/v1/: where a script starts.

It answered 404, so an integrator given the base URL learnt nothing there. With a token it now
lists the resources the token's role may use (each a link, with its methods) and links to the
schema and its documentation. Like the rest of /api/v1/ it needs a token: an anonymous caller is
told to sign in (401, ``WWW-Authenticate``), as everywhere else, and learns nothing of the roles.
Only collections are listed (no object's id), and only the caller's own: never another role's
resources, the admin or anything about people.

Who may use what mirrors the selectors and permission classes each resource checks (compliance
selectors' CASE_READERS, SCORE_READERS and _referrals, reporting's statistics_access, the
planners' IsPlanner), as tests/core/test_role_access.py's ROLE_TABLE records them; a resource a
role may not use is not listed, so the index promises nothing that answers 403.
"""

from __future__ import annotations

from typing import Any

from django.urls import resolve, reverse
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.access import ADMINISTRATOR, principal_for
from backend.core.query_parameters import KnownQueryParameters

EVERY_ROLE = frozenset(
    {"team_leader", "planner", "reviewer", "victim_protection", "analyst", ADMINISTRATOR, "data_protection"}
)
REVIEW = frozenset({"reviewer", "team_leader"})
CASES = frozenset({"reviewer", "team_leader", "analyst", ADMINISTRATOR})
SCORES = frozenset({"reviewer", "analyst", "planner", ADMINISTRATOR})
REFERRALS = frozenset({"victim_protection", "analyst", "reviewer", "team_leader"})
PROSECUTIONS = frozenset({"reviewer", "analyst", ADMINISTRATOR})
PLANNING = frozenset({"planner", ADMINISTRATOR})
STATISTICS = frozenset({"analyst", ADMINISTRATOR, "planner", "reviewer"})

# (URL name, the roles that may use it). Collections only: a path with an object's id is reached
# from a collection's answer.
RESOURCES: list[tuple[str, frozenset[str]]] = [
    ("me", EVERY_ROLE),
    ("my-conflicts", EVERY_ROLE),
    ("api-token-list", EVERY_ROLE),
    ("site-list", EVERY_ROLE),
    ("officer-list", EVERY_ROLE),
    ("violation-list", EVERY_ROLE),
    ("review-queue", REVIEW),
    ("review-findings", REVIEW),
    ("case-list", CASES),
    ("case-open", frozenset({"reviewer"})),
    ("compliance-ranking", SCORES),
    ("compliance-register", SCORES),
    ("referral-list", REFERRALS),
    ("prosecution-list", PROSECUTIONS),
    ("prosecution-record", frozenset({"reviewer"})),
    ("planning-operations", PLANNING),
    ("planning-programmes", PLANNING),
    ("planning-due-work", PLANNING),
    ("statistics-catalogue", STATISTICS),
    ("statistics-query", STATISTICS),
    ("statistics-csv", STATISTICS),
    ("statistics-xlsx", STATISTICS),
]
PREFIX = "/api/v1/"
METHODS = ("get", "post", "put", "patch", "delete")


def _roles(user: Any) -> set[str]:
    principal = principal_for(user)
    return set(principal.roles) | ({ADMINISTRATOR} if principal.is_superuser else set())


def _methods(path: str) -> list[str]:
    view = resolve(path).func.cls  # type: ignore[attr-defined]
    return [method.upper() for method in METHODS if hasattr(view, method)]


class ResourceOutput(serializers.Serializer):
    name = serializers.CharField(help_text="Its path under /api/v1/, e.g. `cases/`.")
    href = serializers.URLField()
    methods = serializers.ListField(child=serializers.CharField())


@extend_schema_serializer(component_name="ApiRootOutput")
class ApiRootOutput(serializers.Serializer):
    resources = ResourceOutput(many=True, help_text="The collections your token's role may use.")
    schema = serializers.URLField(help_text="The OpenAPI schema (YAML; `?format=json` for JSON).")
    docs = serializers.URLField(help_text="The schema as a page (Swagger UI).")
    redoc = serializers.URLField(help_text="The schema as a page (ReDoc).")


class ApiRootApi(KnownQueryParameters, APIView):
    """The API's index: the resources your token's role may use, and the schema and its pages."""

    @extend_schema(responses=ApiRootOutput, operation_id="v1_root")
    def get(self, request: Request) -> Response:
        roles = _roles(request.user)
        resources = []
        for name, allowed in RESOURCES:
            if roles & allowed:
                path = reverse(name)
                resources.append(
                    {
                        "name": path.removeprefix(PREFIX),
                        "href": request.build_absolute_uri(path),
                        "methods": _methods(path),
                    }
                )
        links = {key: request.build_absolute_uri(reverse(name)) for key, name in LINKS.items()}
        return Response(ApiRootOutput({"resources": resources, **links}).data)


LINKS = {"schema": "schema", "docs": "api-docs", "redoc": "api-redoc"}
