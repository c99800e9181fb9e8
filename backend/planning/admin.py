from django.contrib import admin

from backend.audit.admin_mixins import AuditedAdminMixin
from backend.core.admin_access import AgencyScopedAdminMixin
from backend.planning.models import DueWork


@admin.register(DueWork)
class DueWorkAdmin(AgencyScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("site", "agency", "category", "reason", "earliest", "latest", "priority", "status")
    list_filter = ("status", "reason", "agency", "category")
    search_fields = ("site__name_en", "note", "source_id", "uuid")
    date_hierarchy = "latest"
    list_select_related = ("site", "agency")
    autocomplete_fields = ("site", "agency")
    readonly_fields = ("inspection", "source_type", "source_id", "requested_by")
