from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from backend.core.admin_access import AgencyScopedAdminMixin
from mobile_api.models import DeviceToken
from mobile_api.services_auth import device_token_revoke


class TokenStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("live", _("live")), ("revoked", _("revoked"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[DeviceToken]) -> QuerySet[DeviceToken]:
        if self.value() == "live":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(DeviceToken)
class DeviceTokenAdmin(AgencyScopedAdminMixin, admin.ModelAdmin):
    """Signed-in phones. View-only: a token changes only through the revoke action, which goes
    through the service and so records who revoked it and leaves an audit entry. Tokens are
    neither added here (only a sign-in makes one) nor deleted (the row is the record). An
    agency's administrator sees and revokes their own agency's officers' phones alone."""

    list_display = (
        "user",
        "device_name",
        "token_prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    )
    list_filter = (TokenStateFilter, "created_at", "expires_at")
    list_select_related = ("user", "revoked_by")
    search_fields = ("user__username", "device_name", "device_id", "token_prefix")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in DeviceToken._meta.fields]
    actions = ["revoke_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("mobile_api.change_devicetoken")

    @admin.action(description=_("Revoke selected devices"), permissions=["revoke"])
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[DeviceToken]) -> None:
        revoked = 0
        for token in queryset.select_related("user").filter(revoked_at__isnull=True):
            revoked += device_token_revoke(
                actor=request.user, token=token, reason="revoked by an administrator", request=request
            )
        self.message_user(
            request,
            ngettext("%(count)d device revoked.", "%(count)d devices revoked.", revoked) % {"count": revoked},
            messages.SUCCESS,
        )
