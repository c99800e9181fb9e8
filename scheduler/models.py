"""What planners ask of the scheduler and what it answers: operation set-ups (team rule, waves,
targets), routine programmes, and planning jobs holding the draft plan."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from backend.inspections.models import Operation
from backend.registry.models import Agency, Officer, Site, Unit


class OperationSetup(models.Model):
    """The team rule of a joint operation and where its teams muster."""

    operation = models.OneToOneField(
        Operation, verbose_name=_("operation"), on_delete=models.CASCADE, related_name="setup"
    )
    muster_unit = models.ForeignKey(
        Unit, verbose_name=_("muster point"), on_delete=models.PROTECT, related_name="+"
    )
    team_min_size = models.PositiveSmallIntegerField(_("team size at least"), default=2)
    team_max_size = models.PositiveSmallIntegerField(_("team size at most"), default=5)
    required_agencies = models.JSONField(_("agencies every team needs"), default=list, blank=True)
    required_skills = models.JSONField(_("skills every team needs"), default=list, blank=True)
    female_officer = models.BooleanField(_("a female officer in every team"), default=True)
    min_leader_rank = models.PositiveSmallIntegerField(_("leader's minimum rank"), null=True, blank=True)
    visit_minutes = models.PositiveSmallIntegerField(_("minutes per target"), default=45)
    sync_tolerance_minutes = models.PositiveSmallIntegerField(_("wave start tolerance (minutes)"), default=10)

    class Meta:
        verbose_name = _("operation set-up")
        verbose_name_plural = _("operation set-ups")
        constraints = [
            models.CheckConstraint(
                condition=Q(team_max_size__gte=models.F("team_min_size")), name="setup_team_size_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.operation} set-up"


class Wave(models.Model):
    """Targets of one wave are entered at the same moment, so none can warn another."""

    operation = models.ForeignKey(
        Operation, verbose_name=_("operation"), on_delete=models.CASCADE, related_name="waves"
    )
    code = models.SlugField(_("code"), max_length=20)
    starts_at = models.DateTimeField(_("starts"))

    class Meta:
        ordering = ["operation", "starts_at"]
        verbose_name = _("wave")
        verbose_name_plural = _("waves")
        constraints = [models.UniqueConstraint(fields=["operation", "code"], name="wave_unique_code")]

    def __str__(self) -> str:
        return f"{self.operation} {self.code}"


class ChosenBy(models.TextChoices):
    PLANNER = "planner", _("named by the planner")
    RISK = "risk", _("by risk")
    DRAW = "draw", _("by random draw")


class Target(models.Model):
    operation = models.ForeignKey(
        Operation, verbose_name=_("operation"), on_delete=models.CASCADE, related_name="targets"
    )
    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+")
    wave = models.ForeignKey(
        Wave, verbose_name=_("wave"), null=True, blank=True, on_delete=models.SET_NULL, related_name="targets"
    )
    priority = models.PositiveSmallIntegerField(_("priority"), default=3)
    languages = models.JSONField(_("languages likely spoken"), default=list, blank=True)
    category = models.CharField(_("category"), max_length=30, default="prostitution_trafficking")
    # How the target was chosen: named by the planner, among the riskiest of a selection, or
    # drawn at random from the rest of it (with the seed of that draw, so it can be shown again).
    chosen_by = models.CharField(
        _("chosen by"), max_length=10, choices=ChosenBy.choices, default=ChosenBy.PLANNER
    )
    draw_seed = models.BigIntegerField(_("seed of the draw"), null=True, blank=True)

    class Meta:
        ordering = ["operation", "pk"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [models.UniqueConstraint(fields=["operation", "site"], name="target_unique_site")]

    def __str__(self) -> str:
        return f"{self.operation}: {self.site}"


class Programme(models.Model):
    """A routine programme: an agency's due inspections planned over days or weeks."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="programmes"
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    officers = models.ManyToManyField(
        Officer, verbose_name=_("officers"), related_name="programmes", blank=True
    )
    planners = models.ManyToManyField(
        Officer, verbose_name=_("planners"), related_name="planned_programmes", blank=True
    )
    work_in_pairs = models.BooleanField(_("officers work in pairs"), default=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("routine programme")
        verbose_name_plural = _("routine programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="programme_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PlanningJob(models.Model):
    """One run of the solver. Its ``plan`` is the draft a planner reads, adjusts and publishes."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")
        PUBLISHED = "published", _("published")

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    operation = models.ForeignKey(
        Operation,
        verbose_name=_("operation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("routine programme"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    seed = models.PositiveIntegerField(_("seed"), default=1)
    time_limit_seconds = models.PositiveIntegerField(_("time limit (s)"), default=30)
    progress = models.FloatField(_("progress"), default=0.0)
    best_objective = models.FloatField(_("best objective so far"), null=True, blank=True)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    # The draft plan (ids: officer and site UUIDs, target ids or due-work UUIDs) and its
    # evaluation by the independent checker.
    plan = models.JSONField(_("draft plan"), default=dict, blank=True)
    evaluation = models.JSONField(_("evaluation"), default=dict, blank=True)
    pins = models.JSONField(_("pinned visits"), default=dict, blank=True)
    # The officers the planner placed by hand: [{"officer": uuid, "route": index or None (taken
    # out), "minute": the departure of the team, which says its night or day}].
    officer_pins = models.JSONField(_("officers placed by hand"), default=list, blank=True)
    # After publishing: which team and inspection each route and visit became, so that a
    # re-plan can change them in place.
    published_refs = models.JSONField(_("published as"), default=dict, blank=True)
    replan_of = models.ForeignKey(
        "self",
        verbose_name=_("re-plan of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replans",
    )
    moves = models.PositiveIntegerField(_("visits moved by the re-plan"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    # Written every second by the process running the job: when it stops, the worker is gone.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("planning job")
        verbose_name_plural = _("planning jobs")
        constraints = [
            models.CheckConstraint(
                condition=(Q(operation__isnull=False) & Q(programme__isnull=True))
                | (Q(operation__isnull=True) & Q(programme__isnull=False)),
                name="job_for_operation_xor_programme",
            )
        ]

    def __str__(self) -> str:
        return f"plan of {self.operation or self.programme} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (
            self.Status.SUCCEEDED,
            self.Status.FAILED,
            self.Status.CANCELLED,
            self.Status.PUBLISHED,
        )

    @property
    def waiting_long(self) -> bool:
        """Queued for longer than a free worker takes to start a run: every worker is busy, or
        none is running (stopped, or the broker is down). The panel says so, not "waiting" alone
        for ever; the run is kept and starts when a worker takes it."""
        from backend.outbox.selectors import waited_long

        return self.status == self.Status.QUEUED and waited_long(self.created_at)

    @property
    def progress_step(self) -> str:
        """How far the run is, in the steps its panel announces: its state, whether a plan is
        found, and which quarter of its time it is in. The percentage changes every second; a
        screen reader told it each second heard nothing else."""
        step = f"{self.status}.{int(self.best_objective is not None)}.{min(3, int(self.progress * 4))}"
        return f"{step}.waiting" if self.waiting_long else step
