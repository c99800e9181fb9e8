"""The append-only audit log.

Every write and every read of sensitive data leaves one entry: who, what, which object, when,
from where. Entries are written only by ``backend.audit.services.audit_record``; the model
refuses updates and deletes, and a database trigger (see the migration) refuses them too, so
not even a raw SQL statement through the application's connection can rewrite history.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditLogIsAppendOnly(Exception):
    pass


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditLogIsAppendOnly("The audit log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("The audit log is append-only.")


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("create")
        UPDATE = "update", _("update")
        DELETE = "delete", _("delete")
        READ = "read", _("read of sensitive data")
        LOGIN = "login", _("sign-in")
        LOGIN_FAILED = "login_failed", _("failed sign-in")
        LOGOUT = "logout", _("sign-out")
        DECIDE = "decide", _("decision")
        OTHER = "other", _("other")

    id = models.UUIDField(_("id"), primary_key=True, default=uuid.uuid4, editable=False)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The name at the time, kept even if the account is renamed later.
    actor_label = models.CharField(_("who (as then named)"), max_length=150, blank=True)
    action = models.CharField(_("what"), max_length=20, choices=Action.choices)
    verb = models.CharField(
        _("operation"), max_length=80, help_text=_("The service that acted, e.g. site_create.")
    )
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    user_agent = models.CharField(_("client"), max_length=300, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        # In local time, as the page shows the entry's own time beside it (not UTC, a date apart
        # for the first eight hours of a Macao day).
        at = timezone.localtime(self.at)
        # The operation by its name in the reader's language, as the list shows it (the page's title
        # and breadcrumbs read "site_set_risk" in Chinese).
        from backend.audit.verbs import verb_label

        return f"{at:%Y-%m-%d %H:%M} {self.actor_label or '-'} {verb_label(self.verb)} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("The audit log is append-only.")
