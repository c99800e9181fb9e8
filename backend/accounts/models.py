"""API tokens: how a script signs in to the back-office API (/api/v1/) as its user.

The machinery is the officers' device tokens' (``backend.core.tokens``): shown once, stored as a
hash, refused the moment they are revoked or expire. The table is its own, so a phone's token
opens the officers' API only and a script's token the back office only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.core.tokens import BearerToken


class ApiToken(BearerToken):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        # A token is only a credential of its user: it has no meaning without them.
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. a script."))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes = [models.Index(fields=["user", "revoked_at"], name="apitoken_user_revoked")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="apitoken_expires_after_created",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.name} ({self.token_prefix}…)"
