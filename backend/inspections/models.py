"""Operations, teams, inspections, and what the field sends back: check-ins, submissions,
attachments and the findings derived from them."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast, ExtractYear, TruncDate, TruncMonth
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from backend.checklists.models import TemplateVersion
from backend.core.i18n import pick
from backend.registry.models import Agency, Officer, Site

# Statistics count by the local day in Macau.
LOCAL_TZ = ZoneInfo("Asia/Macau")


def stored_local_day(field: str, verbose_name: Promise) -> models.GeneratedField:
    """The local (Asia/Macau) day of ``field``, kept by the database on every write however it
    is made (save, bulk insert, raw SQL, COPY), so statistics group and filter by a stored,
    indexable date instead of converting each row's timestamp when they read."""
    return models.GeneratedField(
        verbose_name=verbose_name,
        expression=TruncDate(field, tzinfo=LOCAL_TZ),
        output_field=models.DateField(),
        db_persist=True,
    )


def stored_local_month(field: str, verbose_name: Promise) -> models.GeneratedField:
    """The first day of the local month of ``field`` (see ``stored_local_day``)."""
    return models.GeneratedField(
        verbose_name=verbose_name,
        expression=Cast(TruncMonth(field, tzinfo=LOCAL_TZ), models.DateField()),
        output_field=models.DateField(),
        db_persist=True,
    )


def stored_local_year(field: str, verbose_name: Promise) -> models.GeneratedField:
    """The local year of ``field`` (see ``stored_local_day``)."""
    return models.GeneratedField(
        verbose_name=verbose_name,
        expression=ExtractYear(field, tzinfo=LOCAL_TZ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )


class Category(models.TextChoices):
    """Inspection categories as the published statistics count them."""

    PROSTITUTION_TRAFFICKING = "prostitution_trafficking", _("prostitution and human trafficking")
    ILLEGAL_EMPLOYMENT = "illegal_employment", _("illegal employment")
    CONSTRUCTION_LARGE_SCALE = "construction_large_scale", _("large-scale construction inspection")
    CONSTRUCTION_PREVENTIVE = "construction_preventive", _("preventive construction inspection")
    CONSTRUCTION_QUESTIONNAIRE = "construction_questionnaire", _("construction questionnaire survey")
    EMPLOYMENT_AGENCY = "employment_agency", _("employment agency inspection")


class Operation(models.Model):
    """A joint operation. Until ``reveal_at`` its targets, teams and times are visible to its
    planners alone; the selectors enforce it everywhere (lists, counts, phones, exports)."""

    # An operation's states in its own context: Portuguese agrees them with "a operação" (feminine),
    # where the same English words describe a plan or a case (masculine).
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("operation status", "draft")
        PUBLISHED = "published", pgettext_lazy("operation status", "published")
        CLOSED = "closed", pgettext_lazy("operation status", "closed")
        CANCELLED = "cancelled", pgettext_lazy("operation status", "cancelled")

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    lead_agency = models.ForeignKey(
        Agency, verbose_name=_("lead agency"), on_delete=models.PROTECT, related_name="led_operations"
    )
    agencies = models.ManyToManyField(
        Agency, verbose_name=_("participating agencies"), related_name="operations", blank=True
    )
    planners = models.ManyToManyField(
        Officer, verbose_name=_("planners"), related_name="planned_operations", blank=True
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    reveal_at = models.DateTimeField(_("revealed to the teams at"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("joint operation")
        verbose_name_plural = _("joint operations")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="operation_starts_before_end"
            ),
            models.CheckConstraint(
                condition=Q(reveal_at__lte=models.F("starts_at")), name="operation_revealed_by_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_revealed(self, at: dt.datetime | None = None) -> bool:
        return self.status in (self.Status.PUBLISHED, self.Status.CLOSED) and self.reveal_at <= (
            at or timezone.now()
        )


class Team(models.Model):
    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    # A team a plan issued is named in each of the console's languages ({"en": "Night Shield –
    # Team 3 (PSP·DSAL)", "pt": "… – Equipa 3 (PSP·DSAL)", …}); ``name`` holds the deployment's
    # default language's. A team named by hand has its one name and none here.
    names = models.JSONField(_("name in each language"), default=dict, blank=True)
    operation = models.ForeignKey(
        Operation,
        verbose_name=_("operation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="teams",
    )
    leader = models.ForeignKey(
        Officer, verbose_name=_("leader"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    members = models.ManyToManyField(Officer, verbose_name=_("members"), related_name="teams")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name

    def name_in(self, language: str | None = None) -> str:
        """The team's name in ``language`` (by default the active one), or its one name."""
        code = (language or translation.get_language() or "").lower()
        return self.names.get(code) or self.name


class Inspection(models.Model):
    # In their own context, as an operation's: "a inspecção" is feminine in Portuguese.
    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("inspection status", "planned")
        ASSIGNED = "assigned", pgettext_lazy("inspection status", "assigned")
        IN_PROGRESS = "in_progress", pgettext_lazy("inspection status", "in progress")
        SUBMITTED = "submitted", pgettext_lazy("inspection status", "submitted")
        REVIEWED = "reviewed", pgettext_lazy("inspection status", "reviewed")
        CLOSED = "closed", pgettext_lazy("inspection status", "closed")
        CANCELLED = "cancelled", pgettext_lazy("inspection status", "cancelled")
        NO_ACCESS = "no_access", pgettext_lazy("inspection status", "no access")

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="inspections"
    )
    category = models.CharField(_("category"), max_length=30, choices=Category.choices, db_index=True)
    # The agency the inspection is counted for in statistics: the operation's lead agency, or
    # the agency of the team's leader (or first member) for routine work.
    agency = models.ForeignKey(
        Agency, verbose_name=_("responsible agency"), on_delete=models.PROTECT, related_name="inspections"
    )
    operation = models.ForeignKey(
        Operation,
        verbose_name=_("operation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    template_version = models.ForeignKey(
        TemplateVersion,
        verbose_name=_("checklist version"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    # Further checklists issued with the inspection, e.g. the per-person ILO screening on a venue visit.
    additional_versions = models.ManyToManyField(
        TemplateVersion, verbose_name=_("additional checklists"), related_name="+", blank=True
    )
    planned_start = models.DateTimeField(_("window start"))
    planned_end = models.DateTimeField(_("window end"))
    route_order = models.PositiveSmallIntegerField(_("order in the team's route"), default=0)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    priority = models.PositiveSmallIntegerField(_("priority"), default=3, help_text=_("1 (highest) to 5"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The phones' incremental sync reads changes by this field.
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    # What statistics group and filter by (see ``stored_local_day``).
    local_day = stored_local_day("planned_start", _("planned day (Macao time)"))
    local_month = stored_local_month("planned_start", _("planned month (Macao time)"))
    local_year = stored_local_year("planned_start", _("planned year (Macao time)"))

    class Meta:
        ordering = ["planned_start", "route_order"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gt=models.F("planned_start")),
                name="inspection_window_start_before_end",
            ),
        ]
        # planned_start: statistics rebuild a day's figures by it. local_day, covering what
        # the statistics read of an inspection: ad-hoc breakdowns by any dimension over any
        # period and the rollup rebuild of a day read this index alone, not the table.
        indexes = [
            models.Index(fields=["team", "updated_at"]),
            models.Index(fields=["planned_start"]),
            models.Index(
                fields=["local_day"],
                include=["status", "agency", "category", "site", "operation", "local_month", "local_year"],
                name="inspection_stats_idx",
            ),
        ]

    def __str__(self) -> str:
        # One label translated: get_category_display() translates every category's label to find
        # one (it hashes them all), which was a sixth of a batch's CPU in the audit's object_repr.
        try:
            category = str(Category(self.category).label)
        except ValueError:
            category = self.category
        return f"{category} @ {self.site} {self.planned_start:%Y-%m-%d}"


class CheckIn(models.Model):
    """An officer's arrival at the site, with the phone's GPS. Far from the site is flagged,
    never refused: the officer is there and the record says how far off the fix was."""

    uuid = models.UUIDField(_("client id"), unique=True)
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT, related_name="check_ins"
    )
    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="check_ins"
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    accuracy_m = models.DecimalField(_("accuracy (m)"), max_digits=8, decimal_places=1, null=True, blank=True)
    distance_m = models.DecimalField(_("distance from the site (m)"), max_digits=10, decimal_places=1)
    outside_radius = models.BooleanField(_("outside the check-in radius"), default=False)
    device_time = models.DateTimeField(_("time on the phone"))
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    clock_skewed = models.BooleanField(_("phone clock skewed"), default=False)
    content_digest = models.CharField(_("SHA-256 of the content"), max_length=64, editable=False)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")

    def __str__(self) -> str:
        return f"{self.officer} @ {self.inspection} ({self.distance_m} m)"


SIGNATURE_DRAWN, SIGNATURE_TYPED = "drawn", "typed"


class Submission(models.Model):
    """What an officer recorded for an inspection: the client-made UUID is its identity.

    An accepted submission never changes. A correction is a new revision naming the one it
    replaces. A deleted submission stays as a tombstone so that a replay from a phone cannot
    bring it back."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        SUPERSEDED = "superseded", _("superseded by a correction")
        DELETED = "deleted", _("deleted by an administrator")

    uuid = models.UUIDField(_("client id"), unique=True)
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT, related_name="submissions"
    )
    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="submissions"
    )
    template_version = models.ForeignKey(
        TemplateVersion,
        verbose_name=_("checklist version"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    revision = models.PositiveIntegerField(_("revision"), default=1)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("correction of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    answers = models.JSONField(_("answers"))
    content_digest = models.CharField(_("SHA-256 of the content"), max_length=64, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACCEPTED)
    score = models.JSONField(_("score"), default=dict, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    device_started_at = models.DateTimeField(_("started on the phone"), null=True, blank=True)
    device_submitted_at = models.DateTimeField(_("finished on the phone"))
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    clock_skewed = models.BooleanField(_("phone clock skewed"), default=False)
    clock_skew_seconds = models.IntegerField(_("phone clock ahead by (s)"), null=True, blank=True)
    # How each of its signatures was made, as the phone said ({attachment name: "drawn" or
    # "typed"}): drawn on the pad, or the signer's name typed with the keyboard (written on the
    # image by the app, which marks it as typed on its face too). A name absent, or null: not
    # said (a phone older than the flag): unknown. Kept with the submission, which never changes,
    # so the review page reads it with the row it shows. Nullable without a default: SQLite adds
    # it in place, where a default would rebuild the table and drop db_guard's trigger.
    signature_methods = models.JSONField(_("how its signatures were made"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        indexes = [
            models.Index(fields=["inspection", "status"]),
            # An agency's officers' submissions as ids alone (an index-only scan): the review
            # board's submissions without findings (compliance.selectors._concerning).
            models.Index(fields=["officer", "id"], name="submission_officer_id_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.inspection} r{self.revision}"

    @property
    def is_complete(self) -> bool:
        """Every declared attachment has arrived."""
        return all(a.received_at is not None for a in self.attachments.all())

    @property
    def typed_signatures(self) -> frozenset[str]:
        """The attachment names of its signatures the phone says were typed (the signer's name
        typed with the keyboard and written on the image by the app), not drawn: what the review
        page marks them with."""
        return frozenset(n for n, m in (self.signature_methods or {}).items() if m == SIGNATURE_TYPED)


def attachment_path(instance: Attachment, filename: str) -> str:
    # Server-made: nothing of the client's file name reaches the file system.
    return f"attachments/{instance.submission.uuid}/{instance.uuid}"


def served_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.submission.uuid}/{instance.uuid}-served"


class Attachment(models.Model):
    """A file a submission declared (name, SHA-256, size); its bytes arrive separately."""

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.PROTECT, related_name="attachments"
    )
    name = models.CharField(_("name"), max_length=100)
    sha256 = models.CharField(_("declared SHA-256"), max_length=64)
    declared_size = models.PositiveIntegerField(_("declared size"), null=True, blank=True)
    content_type = models.CharField(_("content type (sniffed)"), max_length=60, blank=True)
    size = models.PositiveIntegerField(_("size"), null=True, blank=True)
    file = models.FileField(_("file as received"), upload_to=attachment_path, max_length=200, blank=True)
    served_file = models.FileField(_("file as served"), upload_to=served_path, max_length=200, blank=True)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    # A file of a person's (a photo inside a screened person's entry, a signature): stored
    # encrypted under PERSONAL_DATA_KEYS (backend/privacy/files.py), both the original and the
    # served copy; erased with the person's identifying answers when retention says so.
    personal = models.BooleanField(_("belongs to a person (encrypted)"), default=False)
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)

    class Meta:
        ordering = ["submission", "name"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [models.UniqueConstraint(fields=["submission", "name"], name="attachment_unique_name")]

    def __str__(self) -> str:
        return f"{self.submission.uuid}/{self.name}"


class Finding(models.Model):
    """A finding derived by the checklist engine from an accepted submission. It becomes
    official when its competent agency approves it (review, a later stage)."""

    class Severity(models.TextChoices):
        LOW = "low", _("low")
        MEDIUM = "medium", _("medium")
        HIGH = "high", _("high")
        CRITICAL = "critical", _("critical")

    class Status(models.TextChoices):
        DRAFT = "draft", _("awaiting review")
        OFFICIAL = "official", _("official")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn with its submission")

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.PROTECT, related_name="findings"
    )
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT, related_name="findings"
    )
    rule_code = models.CharField(_("rule"), max_length=80)
    violation_code = models.CharField(_("violation"), max_length=20, db_index=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    competent_agency = models.ForeignKey(
        Agency,
        verbose_name=_("competent agency"),
        null=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    competent_agency_code = models.CharField(_("competent agency code"), max_length=20)
    title = models.JSONField(_("title"), default=dict)
    entry_path = models.CharField(_("entry"), max_length=100, blank=True)
    potential_victim = models.BooleanField(_("potential victim signal"), default=False)
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # What statistics group and filter by (see ``stored_local_day``).
    local_day = stored_local_day("created_at", _("day created (Macao time)"))

    class Meta:
        ordering = ["submission", "pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        indexes = [
            models.Index(
                fields=["local_day"],
                include=["status", "competent_agency", "violation_code", "severity", "potential_victim"],
                name="finding_stats_idx",
            ),
            # The submissions an agency's findings concern, as ids alone (an index-only scan):
            # the review board's (compliance.selectors._concerning).
            models.Index(fields=["competent_agency", "submission"], name="finding_agency_submission_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.violation_code} {self.display_title}"

    @property
    def display_title(self) -> str:
        return pick(
            en=self.title.get("en", ""), zh_hant=self.title.get("zh-hant", ""), pt=self.title.get("pt", "")
        )
