from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from backend.audit.admin_mixins import AuditedAdminMixin
from backend.privacy.models import RetentionPolicy


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """One row: added once, changed after (every change audited), never deleted."""

    list_display = ("__str__", "screening_unflagged_days", "closed_referral_days", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not RetentionPolicy.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
