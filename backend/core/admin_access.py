"""Sealed operations and victims' data in the Django admin: administrators alone, every read
audited.

The admin reads models directly, past the selectors' scoping, and Django's own "view"
permission knows nothing of reveal times or need to know: a staff login given that permission
read sealed operations, their teams and inspections. So these model admins answer to the
administrator role (or a superuser) only, whatever Django permissions a login holds, and every
list or object they show leaves an audit entry of a read.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from backend.core.access import principal_for

ADMINISTRATOR = "administrator"


def is_administrator(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.is_staff:
        return False
    return principal_for(user).has_role(ADMINISTRATOR)  # a superuser holds every role


class AdministratorsOnlyAdminMixin:
    """Put it first among a ModelAdmin's bases (or an inline's)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request.user) and super().has_module_permission(request)  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request.user) and super().has_view_permission(request, obj)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request.user) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_administrator(request.user) and super().has_add_permission(request, *args)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request.user) and super().has_delete_permission(request, obj)  # type: ignore[misc]


class AuditedReadsAdminMixin(AdministratorsOnlyAdminMixin):
    """Also: each list and each object shown is an audited read (who, what, from where)."""

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)  # type: ignore[misc]
        if getattr(response, "status_code", 0) == 200 and request.method == "GET":
            from backend.audit.services import audit_record

            model = self.model  # type: ignore[attr-defined]
            audit_record(
                actor=request.user,
                action="read",
                verb="admin_list",
                object_type=model._meta.label_lower,
                changes={"query": request.GET.urlencode()},
                request=request,
            )
        return response  # type: ignore[no-any-return]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        if getattr(response, "status_code", 0) == 200 and request.method == "GET":
            from backend.audit.services import audit_record

            model = self.model  # type: ignore[attr-defined]
            audit_record(
                actor=request.user,
                action="read",
                verb="admin_view",
                object_type=model._meta.label_lower,
                object_id=str(object_id),
                request=request,
            )
        return response  # type: ignore[no-any-return]
