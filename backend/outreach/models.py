"""Prevention work and hotline logs: what the report's "prevention" and "victim protection"
chapters count besides inspections.

``Activity`` is a training class, seminar, lecture, workshop or explanatory session. One row may
stand for several sessions of the same course (``sessions``), with the participants of all of
them. The organiser is an agency, or a free text where the source does not name one ("not
stated in seed facts"); never both.

``HotlineCall`` is one call to a hotline: which line, what kind of call, what came of it, and
the day. It holds no personal data by design: no caller, number, name or free-text notes.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from backend.registry.models import Agency


class Activity(models.Model):
    class Kind(models.TextChoices):
        TRAINING_CLASS = "training_class", _("training class")
        SEMINAR = "seminar", _("seminar")
        LECTURE = "lecture", _("lecture")
        WORKSHOP = "workshop", _("workshop")
        EXPLANATORY_SESSION = "explanatory_session", _("explanatory session")

    class Audience(models.TextChoices):
        SECURITY_OFFICERS = "security_officers", _("security officers")
        EMPLOYMENT_SERVICE_INSTRUCTORS = "employment_service_instructors", _("employment service instructors")
        EMPLOYEES = "employees", _("employees")
        WORKERS = "workers", _("workers (labour rights)")
        FRONTLINE_STAFF = "frontline_staff", _("frontline staff")
        TEACHERS_STUDENTS = "teachers_students", _("teachers and students")
        STUDENTS = "students", _("students")
        PUBLIC = "public", _("general public")

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    organiser = models.ForeignKey(
        Agency,
        verbose_name=_("organising agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outreach_activities",
    )
    organiser_text = models.CharField(
        _("organiser (when no agency is named)"),
        max_length=200,
        blank=True,
        help_text=_('e.g. "not stated in seed facts"'),
    )
    audience = models.CharField(_("audience"), max_length=32, choices=Audience.choices)
    held_on = models.DateField(_("date"), db_index=True)
    sessions = models.PositiveIntegerField(
        _("sessions"), default=1, help_text=_("How many sessions this record stands for.")
    )
    participants = models.PositiveIntegerField(_("participants"))
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "pk"]
        verbose_name = _("prevention activity")
        verbose_name_plural = _("prevention activities")
        constraints = [
            models.CheckConstraint(condition=Q(sessions__gte=1), name="activity_at_least_one_session"),
            models.CheckConstraint(
                condition=(Q(organiser__isnull=False) & Q(organiser_text=""))
                | (Q(organiser__isnull=True) & ~Q(organiser_text="")),
                name="activity_organiser_agency_xor_text",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on} ({self.participants})"

    @property
    def organiser_label(self) -> str:
        return self.organiser.code if self.organiser_id else self.organiser_text


class HotlineCall(models.Model):
    class Hotline(models.TextChoices):
        REPORT_ASSISTANCE_24H = "report_assistance_24h", _("24-hour Report and Assistance Hotline")
        FORCED_LABOUR = "forced_labour", _("Combat and Prevention of Forced Labour Hotline")

    class Kind(models.TextChoices):
        INQUIRY = "inquiry", _("inquiry")
        HELP = "help", _("call for help")
        REPORT = "report", _("report")

    class Outcome(models.TextChoices):
        INFORMATION_GIVEN = "information_given", _("information given")
        REFERRED_POLICE = "referred_police", _("referred to the police")
        REFERRED_LABOUR = "referred_labour", _("referred to the labour bureau")
        REFERRED_PROTECTION = "referred_protection", _("referred to victim protection")
        NO_ACTION = "no_action", _("no further action")

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    hotline = models.CharField(_("hotline"), max_length=30, choices=Hotline.choices)
    kind = models.CharField(_("kind of call"), max_length=10, choices=Kind.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    received_on = models.DateField(_("date"), db_index=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "pk"]
        verbose_name = _("hotline call")
        verbose_name_plural = _("hotline calls")
        indexes = [models.Index(fields=["hotline", "kind", "received_on"])]

    def __str__(self) -> str:
        return f"{self.get_hotline_display()} {self.get_kind_display()} {self.received_on}"
