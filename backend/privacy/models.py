"""The protected store of screened persons' identifying answers.

A screening's identifying answers (the reference the officer used for the person, free-text
notes about them) leave the submission's answers and its findings' evidence at ingest: they are
kept here, encrypted, and the answers and evidence hold a coded reference (``SP-…``) in their
place, which reviewers, team leaders and analysts see. Victim protection reads the original
through ``backend.privacy.services`` (audited); retention erases it on schedule."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.privacy.fields import EncryptedJSONField


class ScreenedPerson(models.Model):
    submission = models.ForeignKey(
        "inspections.Submission", on_delete=models.CASCADE, related_name="screened_persons"
    )
    entry_path = models.CharField(_("entry"), max_length=100)
    coded_reference = models.CharField(_("coded reference"), max_length=20, db_index=True)
    # HMAC of the field reference (PERSONAL_DATA_INDEX_KEY): the same reference seen again.
    reference_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    answers = EncryptedJSONField(_("identifying answers"), blank=True, default=dict)
    flagged = models.BooleanField(_("indicators raised"), default=False)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True, db_index=True)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    class Meta:
        verbose_name = _("screened person's identifying answers")
        verbose_name_plural = _("screened persons' identifying answers")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "entry_path"], name="screened_person_once_per_entry"
            )
        ]

    def __str__(self) -> str:
        return self.coded_reference


class RetentionPolicy(models.Model):
    """How long personal data is kept, set by an administrator in the admin (one row, audited).
    Without a row the settings' defaults apply (PRIVACY_SCREENING_UNFLAGGED_DAYS,
    PRIVACY_CLOSED_REFERRAL_DAYS)."""

    screening_unflagged_days = models.PositiveIntegerField(
        _("identifying answers of a screened person no indicator flagged (days)"),
        default=30,
        validators=[MinValueValidator(1)],
        help_text=_("Erased this many days after the screening."),
    )
    closed_referral_days = models.PositiveIntegerField(
        _("a closed referral's personal details (days)"),
        default=5 * 365,
        validators=[MinValueValidator(1)],
        help_text=_(
            "The person's details, their services' provider and note and their screening answers are "
            "erased this many days after the referral was closed. Coded fields are kept."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policy")

    def __str__(self) -> str:
        return str(_("Retention policy"))
