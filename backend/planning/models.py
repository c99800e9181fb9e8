"""Due work: requests that a site be inspected, with a window, a priority and a reason.

Compliance writes it when it orders a follow-up, rules write it for routine visits, a planner
writes it by hand; the scheduler reads it. Nothing else creates inspections from it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from backend.registry.models import Agency, Site


class DueWork(models.Model):
    class Reason(models.TextChoices):
        ROUTINE = "routine", _("routine visit (frequency rule)")
        NEVER_INSPECTED = "never_inspected", _("never inspected")
        FOLLOW_UP = "follow_up", _("follow-up of a compliance case")
        MANUAL = "manual", _("manual request")
        COMPLAINT = "complaint", _("complaint or hotline tip")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        PLANNED = "planned", _("planned")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="due_work")
    agency = models.ForeignKey(
        Agency, verbose_name=_("responsible agency"), on_delete=models.PROTECT, related_name="due_work"
    )
    category = models.CharField(_("inspection category"), max_length=30)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    earliest = models.DateField(_("due from"))
    latest = models.DateField(_("due by"))
    priority = models.PositiveSmallIntegerField(_("priority"), default=3, help_text=_("1 (highest) to 5"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    # Where the request came from (e.g. a compliance case), by type and public id.
    source_type = models.CharField(_("source type"), max_length=60, blank=True)
    source_id = models.CharField(_("source id"), max_length=64, blank=True)
    # Checklist items to carry into the follow-up (e.g. the failed items of the last inspection).
    carry_items = models.JSONField(_("items to re-check"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name=_("planned as"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="due_work",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["latest", "priority"]
        verbose_name = _("due work")
        verbose_name_plural = _("due work")
        constraints = [
            models.CheckConstraint(
                condition=Q(latest__gte=models.F("earliest")), name="due_work_window_ordered"
            ),
            models.CheckConstraint(
                condition=Q(priority__gte=1, priority__lte=5), name="due_work_priority_1_to_5"
            ),
        ]
        indexes = [models.Index(fields=["status", "latest"]), models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return f"{self.site} {self.get_reason_display()} by {self.latest}"
