"""Device tokens: how a field officer's phone proves who it is to the officers' API.

A token is handed to the phone once, at sign-in, and stored only as a hash; the machinery is
shared with the back office's script tokens (``backend.core.tokens``), the table is not.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.core.tokens import BearerToken


class DeviceToken(BearerToken):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        # A token is only a credential of its user: it has no meaning without them.
        on_delete=models.CASCADE,
        related_name="device_tokens",
    )
    device_name = models.CharField(_("device name"), max_length=100)
    device_id = models.CharField(
        _("device id"), max_length=200, blank=True, help_text=_("As the phone reports it; not verified.")
    )
    token_prefix = models.CharField(
        _("token starts with"),
        max_length=8,
        editable=False,
        help_text=_("The first characters of the token, to tell devices apart; not enough to use it."),
    )
    created_at = models.DateTimeField(_("signed in at"), default=timezone.now, editable=False)
    revoke_reason = models.CharField(_("reason for revoking"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("device token")
        verbose_name_plural = _("device tokens")
        indexes = [models.Index(fields=["user", "revoked_at"], name="devicetoken_user_revoked")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="devicetoken_expires_after_created",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.device_name} ({self.token_prefix}…)"


class SignInCounter(models.Model):
    """Failed sign-ins within one fixed window, for one account, account-and-address or address.

    In the database rather than a per-process cache so the limit holds across web processes and
    under parallel attempts: every attempt adds to its counters with one atomic UPDATE before the
    password is checked.
    """

    key = models.CharField(max_length=80, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    window_ends_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("failed sign-in counter")
        verbose_name_plural = _("failed sign-in counters")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class FeedCursor(models.Model):
    """What a phone held after a sync of its assignments (see mobile_api/feed.py): each
    assignment's id with a digest of what it was sent. The phone keeps only this row's key, so
    its cursor stays short however much it holds; the same holdings give the same key."""

    key = models.CharField(max_length=64, primary_key=True)
    officer = models.ForeignKey(
        "registry.Officer", verbose_name=_("officer"), on_delete=models.CASCADE, related_name="+"
    )
    held = models.BinaryField(_("held assignments"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("assignment feed cursor")
        indexes = [models.Index(fields=["officer", "created_at"])]

    def __str__(self) -> str:
        return self.key[:12]
