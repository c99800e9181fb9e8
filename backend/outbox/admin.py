from django.contrib import admin

from backend.outbox.models import OutboxMessage


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
