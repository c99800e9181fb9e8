"""An import of a registry file: the file as uploaded, its dry run row by row, and its outcome."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from backend.registry_import.columns import KIND_CHOICES


class RegistryImport(models.Model):
    class Status(models.TextChoices):
        # "received" is also a time column elsewhere ("received at"); this is the import's state.
        RECEIVED = "received", pgettext_lazy("registry import status", "received")
        CHECKING = "checking", _("checking")
        REFUSED = "refused", _("refused")
        TO_PLACE = "to_place", _("rows to place on the map")
        READY = "ready", _("ready to apply")
        APPLYING = "applying", _("applying")
        APPLIED = "applied", _("applied")
        FAILED = "failed", _("failed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=KIND_CHOICES)
    file = models.FileField(_("file"), upload_to="registry_imports/")
    file_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=4)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    # The agency the importing administrator is limited to; empty for a superuser of no agency.
    agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    # Refusals of the whole file (a missing column…): [{"code", "params"}].
    file_problems = models.JSONField(_("problems of the file"), default=list, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    failure = models.TextField(_("failure"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("registry import")
        verbose_name_plural = _("registry imports")

    def __str__(self) -> str:
        created = timezone.localtime(self.created_at)
        return f"{self.get_kind_display()} {self.file_name} ({created:%Y-%m-%d %H:%M})"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.RECEIVED, self.Status.CHECKING, self.Status.APPLYING)

    @property
    def percent(self) -> int:
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0


class ImportRow(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("to create")
        UPDATE = "update", _("to update")
        UNCHANGED = "unchanged", _("unchanged")
        REFUSED = "refused", _("refused")

    class Placed(models.TextChoices):
        FILE = "file", _("coordinates in the file")
        KNOWN = "known", _("place already known")
        GEOCODER = "geocoder", _("geocoded")
        MAP = "map", _("placed on the map")
        NOT_YET = "", _("not placed")

    registry_import = models.ForeignKey(RegistryImport, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(_("row"))
    key = models.CharField(_("match key"), max_length=130)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    values = models.JSONField(_("values"), default=dict)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    # A row to update: the columns whose values differ from the record's (column keys, in the
    # file's order), so the dry run says what an update changes, not only that it does.
    changed = models.JSONField(_("changed columns"), default=list, blank=True)
    # And what those columns hold on record now (column key → the record's value, as an export
    # writes it), so the dry run shows each change as old → new.
    previous = models.JSONField(_("values on record"), default=dict, blank=True)
    # Sites only: whether the row has a place, and why not (a code of columns.PLACE_REASONS).
    needs_place = models.BooleanField(_("to place"), default=False)
    placed = models.CharField(_("placed by"), max_length=10, choices=Placed.choices, blank=True)
    place_problem = models.CharField(_("why not placed"), max_length=20, blank=True)

    class Meta:
        ordering = ["registry_import", "number"]
        indexes = [
            models.Index(fields=["registry_import", "action"]),
            models.Index(fields=["registry_import", "needs_place"]),
        ]

    def __str__(self) -> str:
        return f"{self.registry_import_id} row {self.number} ({self.action})"
