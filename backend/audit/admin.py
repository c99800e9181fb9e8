from typing import Any

from django.apps import apps
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from backend.audit.models import AuditEntry


def object_type_name(object_type: str) -> str:
    """An entry's object type ("registry.officer") as its model is named in the reader's
    language ("人員"); a type no installed model answers to stays as recorded."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


class ObjectTypeFilter(admin.SimpleListFilter):
    title = _("object type")
    parameter_name = "object_type__exact"  # the address the field's own filter used

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        types = AuditEntry.objects.exclude(object_type="").values_list("object_type", flat=True)
        named = [(t, object_type_name(t)) for t in types.distinct().order_by()]
        return sorted(named, key=lambda choice: choice[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        return queryset.filter(object_type=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is evidence."""

    list_display = ("at", "actor_label", "action", "verb", "object_kind", "object_repr", "ip_address")
    list_filter = ("action", ObjectTypeFilter, "at")
    search_fields = ("actor_label", "verb", "object_id", "object_repr")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    @admin.display(description=_("object type"), ordering="object_type")
    def object_kind(self, obj: AuditEntry) -> str:
        return object_type_name(obj.object_type)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_active and request.user.is_superuser
