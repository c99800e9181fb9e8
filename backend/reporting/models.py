"""Statistics storage: rollups (derived, rebuilt at will from the records), the facts a report
states that no record holds, and published reports frozen as published.

Rollups are caches of ``GROUP BY`` results, never a source of truth: ``services.rollup_check``
compares them with the raw aggregation, and ``services.rollup_refresh(full=True)`` rebuilds them.
Each has one row per combination of its dimensions per local (Asia/Macau) day with a count.
``RollupDay`` keeps, per source and day, a signature of the raw rows (count, sum of ids, latest
change) so a refresh can find the days that changed without being told.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.core.i18n import pick
from backend.registry.models import Agency


class InspectionRollup(models.Model):
    """Inspections of record (see ``statistics.INSPECTION_STATUSES``) per day and dimensions."""

    day = models.DateField(_("day"))
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    category = models.CharField(_("category"), max_length=30)
    site_kind = models.CharField(_("site kind"), max_length=20)
    venue_type = models.CharField(_("venue type"), max_length=20, blank=True)
    parish = models.CharField(_("parish"), max_length=20)
    status = models.CharField(_("status"), max_length=12)
    joint = models.BooleanField(_("in a joint operation"))
    operation = models.ForeignKey(
        "inspections.Operation", null=True, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    n = models.PositiveIntegerField(_("inspections"))

    class Meta:
        verbose_name = _("inspection rollup row")
        verbose_name_plural = _("inspection rollup")
        indexes = [models.Index(fields=["day", "agency", "category"], name="reporting_insp_day_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.category} {self.status}: {self.n}"


class InspectionMonthRollup(models.Model):
    """The daily inspection rollup summed per month (``month`` is its first day): what dashboard
    queries by year, quarter or month over whole months read, a few thousand rows per year."""

    month = models.DateField(_("month"))
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    category = models.CharField(_("category"), max_length=30)
    site_kind = models.CharField(_("site kind"), max_length=20)
    venue_type = models.CharField(_("venue type"), max_length=20, blank=True)
    parish = models.CharField(_("parish"), max_length=20)
    status = models.CharField(_("status"), max_length=12)
    joint = models.BooleanField(_("in a joint operation"))
    operation = models.ForeignKey(
        "inspections.Operation", null=True, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    n = models.PositiveIntegerField(_("inspections"))

    class Meta:
        verbose_name = _("monthly inspection rollup row")
        verbose_name_plural = _("monthly inspection rollup")
        indexes = [models.Index(fields=["month", "agency", "category"], name="reporting_insp_month_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.category} {self.status}: {self.n}"


class _SiteRollupRow(models.Model):
    """What a per-site rollup row holds beside its period: the dimensions, the site with its
    operator, and its conducted inspections, of which in each status that counts (the status
    dimension of distinct counts)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    category = models.CharField(_("category"), max_length=30)
    site_kind = models.CharField(_("site kind"), max_length=20)
    venue_type = models.CharField(_("venue type"), max_length=20, blank=True)
    parish = models.CharField(_("parish"), max_length=20)
    joint = models.BooleanField(_("in a joint operation"))
    operation = models.ForeignKey(
        "inspections.Operation", null=True, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    site = models.ForeignKey(
        "registry.Site", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    operator = models.ForeignKey(
        "registry.Company", null=True, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    n = models.PositiveIntegerField(_("inspections"))
    n_submitted = models.PositiveIntegerField(default=0)
    n_reviewed = models.PositiveIntegerField(default=0)
    n_closed = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class InspectionSiteMonthRollup(_SiteRollupRow):
    """Conducted inspections (submitted, reviewed or closed: what distinct counts count) per local
    month, dimensions and site (with the site's operator): what distinct counts of sites and
    companies read. A site counted in two groups is two rows, so a count of distinct sites over
    any grouping of these rows is exact; there are at most sites × groups rows a month, whatever
    the number of inspections. No status column (it would split each row in three): a count per
    status that counts instead; the plain counts come from the daily and monthly rollups."""

    month = models.DateField(_("month"))

    class Meta:
        verbose_name = _("monthly inspection rollup row by site")
        verbose_name_plural = _("monthly inspection rollup by site")
        indexes = [models.Index(fields=["month", "agency", "category"], name="reporting_insp_site_month_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} site {self.site_id}: {self.n}"


class InspectionSiteWeekRollup(_SiteRollupRow):
    """The same per ISO week (``week`` is its Monday): what distinct counts by week read."""

    week = models.DateField(_("week"))

    class Meta:
        verbose_name = _("weekly inspection rollup row by site")
        verbose_name_plural = _("weekly inspection rollup by site")
        indexes = [models.Index(fields=["week", "agency", "category"], name="reporting_insp_site_week_idx")]

    def __str__(self) -> str:
        return f"{self.week} site {self.site_id}: {self.n}"


class _DistinctCounts(models.Model):
    """Distinct sites and companies with a conducted inspection in a period, in total
    (``dimension`` empty), per value of one dimension, and per pair of values of two
    (``dimension2``, in the order of ``statistics.DAY_DISTINCT_DIMENSIONS``): a row per period
    and values, instead of a row per period and site. A value is the dimension's stored value as
    text (an agency's id; ``true``/``false`` for joint)."""

    dimension = models.CharField(_("dimension"), max_length=20, blank=True)
    value = models.CharField(_("value"), max_length=30, blank=True)
    dimension2 = models.CharField(_("second dimension"), max_length=20, blank=True, default="")
    value2 = models.CharField(_("second value"), max_length=30, blank=True, default="")
    sites = models.PositiveIntegerField(_("sites"))
    companies = models.PositiveIntegerField(_("companies"))

    class Meta:
        abstract = True


class InspectionDayDistinct(_DistinctCounts):
    """Distinct counts per local day: what distinct counts by day read."""

    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("distinct count per day")
        verbose_name_plural = _("distinct counts per day")
        indexes = [models.Index(fields=["dimension", "dimension2", "day"], name="reporting_day_distinct_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.dimension}={self.value} {self.dimension2}={self.value2}: {self.sites}"


class InspectionWeekDistinct(_DistinctCounts):
    """Distinct counts per ISO week (``week`` is its Monday): what distinct counts by week read,
    a row per week and value (some 20,000 over five years) instead of the weekly per-site
    rollup's row per week, group and site (1.8 million at 5 million inspections)."""

    week = models.DateField(_("week"))

    class Meta:
        verbose_name = _("distinct count per week")
        verbose_name_plural = _("distinct counts per week")
        indexes = [
            models.Index(fields=["dimension", "dimension2", "week"], name="reporting_week_distinct_idx")
        ]

    def __str__(self) -> str:
        return (
            f"{self.week} {self.dimension}={self.value} {self.dimension2}={self.value2}: {self.sites} sites"
        )


class FindingRollup(models.Model):
    """Findings per day recorded (local) and dimensions."""

    day = models.DateField(_("day"))
    agency = models.ForeignKey(
        Agency, null=True, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    violation_code = models.CharField(_("violation"), max_length=20)
    severity = models.CharField(_("severity"), max_length=10)
    status = models.CharField(_("status"), max_length=10)
    potential_victim = models.BooleanField(_("potential victim signal"))
    # The category of the finding's inspection: findings by category from the rollup, not from
    # the records joined to their inspections (once a full build filled it, RollupClock
    # "finding_category").
    category = models.CharField(_("inspection category"), max_length=30, blank=True, default="")
    n = models.PositiveIntegerField(_("findings"))

    class Meta:
        verbose_name = _("finding rollup row")
        verbose_name_plural = _("finding rollup")
        indexes = [models.Index(fields=["day", "agency"], name="reporting_find_day_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.violation_code} {self.status}: {self.n}"


class RollupDay(models.Model):
    """The signature of one source's raw rows on one day when its rollup rows were last built."""

    source = models.CharField(max_length=20)
    day = models.DateField()
    rows = models.BigIntegerField()
    id_sum = models.BigIntegerField()
    state = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rollup day")
        verbose_name_plural = _("rollup days")
        constraints = [models.UniqueConstraint(fields=["source", "day"], name="rollup_day_once")]

    def __str__(self) -> str:
        return f"{self.source} {self.day}"


class RollupQueue(models.Model):
    """A local day whose rollups must be rebuilt: written by the transaction that changed its
    records (one multi-row INSERT, no lock, no read), consumed by the background refresh, which
    claims every queued row and rebuilds each day once, however many rows named it."""

    id = models.BigAutoField(primary_key=True)
    day = models.DateField()
    queued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("queued rollup day")
        verbose_name_plural = _("queued rollup days")

    def __str__(self) -> str:
        return f"{self.day} (queued {self.queued_at:%H:%M:%S})"


class RollupClock(models.Model):
    """When the rollups were last brought up to date: every change committed before ``as_of``
    is in the figures (the refresh started then and claimed every day queued before it)."""

    key = models.CharField(max_length=20, primary_key=True)
    as_of = models.DateTimeField()
    took_ms = models.PositiveIntegerField(default=0)
    days = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("rollup clock")
        verbose_name_plural = _("rollup clocks")

    def __str__(self) -> str:
        return f"{self.key}: {self.as_of:%Y-%m-%d %H:%M:%S}"


class ReportFact(models.Model):
    """A figure the report states that no record holds (e.g. the year the Committee was set up),
    kept by administrators with where it comes from."""

    key = models.SlugField(_("id"), max_length=80, unique=True)
    label_en = models.CharField(_("label (English)"), max_length=200)
    label_zh_hant = models.CharField(_("label (Traditional Chinese)"), max_length=200, blank=True)
    label_pt = models.CharField(_("label (Portuguese)"), max_length=200, blank=True)
    value = models.IntegerField(_("value"))
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    verified = models.BooleanField(_("confirmed by a source besides the report"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("report fact")
        verbose_name_plural = _("report facts")

    def __str__(self) -> str:
        return f"{self.key} = {self.value}"

    @property
    def label(self) -> str:
        return pick(en=self.label_en, zh_hant=self.label_zh_hant, pt=self.label_pt)


class PublishedReport(models.Model):
    """A report as published for a period. Its figures are frozen here; the report for the same
    period shows them as published, and any later change in the records as a difference."""

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    year_from = models.PositiveSmallIntegerField(_("from year"))
    year_to = models.PositiveSmallIntegerField(_("to year"))
    figures = models.JSONField(_("figures as published"))
    suppression_threshold = models.PositiveSmallIntegerField(_("small counts suppressed below"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-year_to", "-year_from"]
        verbose_name = _("published report")
        verbose_name_plural = _("published reports")
        constraints = [
            models.UniqueConstraint(fields=["year_from", "year_to"], name="report_published_once"),
            models.CheckConstraint(
                condition=Q(year_to__gte=models.F("year_from")), name="report_years_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year_from}–{self.year_to}"
