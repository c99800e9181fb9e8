from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.formats import number_format

from backend.audit.admin_mixins import AuditedAdminMixin
from backend.privacy.models import RetentionPolicy


def _days(name: str) -> Any:
    """A number of days shown, grouped in the reader's language as the console's retention page
    shows it ("1,825", pt "1.825"): the admin said "1825" (Django groups only under
    USE_THOUSAND_SEPARATOR, which would group every number, years and ids among them)."""

    @admin.display(description=RetentionPolicy._meta.get_field(name).verbose_name, ordering=name)
    def shown(self: Any, obj: RetentionPolicy) -> str:
        return number_format(getattr(obj, name), force_grouping=True)

    return shown


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """One row: added once, changed after (every change audited), never deleted."""

    list_display = ("__str__", "screening_unflagged", "closed_referral", "updated_at")

    screening_unflagged = _days("screening_unflagged_days")
    closed_referral = _days("closed_referral_days")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Read only (a login allowed to view the policy, not to change it): the days as the list
        # shows them. Changing, the inputs stay plain numbers, as typed.
        if obj is not None and not self.has_change_permission(request, obj):
            return ("screening_unflagged", "closed_referral", "updated_at")
        return super().get_fields(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not RetentionPolicy.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
