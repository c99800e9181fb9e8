from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from backend.core.admin_access import admin_agency_id, agency_records
from backend.outbox.models import OutboxMessage


def _planning_jobs(request: HttpRequest, agency_id: int) -> Q:
    from scheduler.models import PlanningJob

    jobs = agency_records(request.user, PlanningJob.objects.all()).values_list("uuid", flat=True)
    return Q(kwargs__job_id__in=[str(u) for u in jobs])


def _registry_imports(request: HttpRequest, agency_id: int) -> Q:
    from backend.registry_import.models import RegistryImport

    return Q(
        kwargs__import_id__in=list(
            RegistryImport.objects.filter(agency_id=agency_id).values_list("pk", flat=True)
        )
    )


# Which of the tasks an agency's administrator reads. A task's arguments name what it works on: a
# planning job's id (of a sealed operation too: the row and its time said a raid was being
# planned), a registry import's. Those follow their record, as the admin scopes it; the statistics'
# refresh (days) and a company's compliance score (companies are shared) are everyone's. A task
# not named here is shown only to a login with no officer record, so a new task is never read
# across agencies by default.
SHARED = object()
AGENCY_SCOPES: dict[str, Any] = {
    "scheduler.run_job": _planning_jobs,
    "registry_import.check": _registry_imports,
    "registry_import.apply": _registry_imports,
    "reporting.refresh_rollups": SHARED,
    "compliance.score_recompute": SHARED,
}


def agency_messages(request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> QuerySet[OutboxMessage]:
    """``queryset`` narrowed to the tasks the signed-in administrator's agency may read (all of
    them for a login with no officer record)."""
    agency_id = admin_agency_id(request.user)
    if agency_id is None:
        return queryset
    shown = Q(pk__in=[])
    for task_name, scope in AGENCY_SCOPES.items():
        if scope is SHARED:
            shown |= Q(task_name=task_name)
        else:
            rule: Callable[[HttpRequest, int], Q] = scope
            shown |= Q(task_name=task_name) & rule(request, agency_id)
    return queryset.filter(shown)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    # Failed rows are the tasks that spent their retries: filter on status to see them.
    list_display = ("created_at", "task_name", "status", "attempts", "relayed_at", "finished_at")
    list_filter = ("status", "task_name")
    search_fields = ("task_name", "id", "last_error")
    readonly_fields = (
        "id",
        "task_name",
        "kwargs",
        "created_at",
        "relayed_at",
        "heard_at",
        "finished_at",
        "attempts",
        "last_error",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[OutboxMessage]:
        return agency_messages(request, super().get_queryset(request))
