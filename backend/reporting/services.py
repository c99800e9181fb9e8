"""Every write of the statistics: rollup refreshes, the rollup check, publication (freezing) of
a report, and the enqueueing of refreshes from the stages that change records.

Rollups are rebuilt per local day: a day's rows are deleted and the day is aggregated again from
the raw records with one ``INSERT … SELECT … GROUP BY`` in the database. Which days to rebuild:

- the days a caller names (the findings hook names the day of the inspection and today);
- without names, the days whose signature changed: one grouped scan of the raw records gives,
  per day, the row count, the sum of ids and a state (latest ``updated_at`` of inspections, an
  id-weighted sum of statuses), compared with what was stored at the last build. It notices
  inserts, deletes, moves between days and status changes, however they were made;
- ``full=True`` rebuilds everything (the nightly job), which also catches changes of a site's
  parish or kind, which no signature of the inspections shows.

Changes from ingest and review never refresh in their request: their transaction queues the days
it touched (``RollupQueue``, one multi-row INSERT), and the background refresh
(``rollup_refresh_queued``, every ``ROLLUPS_REFRESH_SECONDS`` from beat) claims the whole queue
and rebuilds each queued day once, however many submissions named it. Once the queue drains the
rollups are exact; ``RollupClock`` says as of when, which the analysts' pages show. Without a
broker (tests, a process with no worker) the queue is drained right after the commit instead.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.audit.models import AuditEntry
from backend.audit.services import audit_record
from backend.core.errors import Conflict
from backend.core.inserts import insert_many
from backend.inspections.models import Finding
from backend.outbox.services import task_enqueue
from backend.reporting.models import PublishedReport, ReportFact, RollupClock, RollupDay, RollupQueue
from backend.reporting.rollups import (
    SITE_COUNTS,
    SPECS,
    RollupSpec,
    day_distinct_selects,
    day_to_date,
    month_columns,
    raw_month_columns,
    signature_state,
    site_columns,
    site_counts,
    site_month_columns,
    week_distinct_selects,
)
from backend.reporting.statistics import (
    DISTINCT_PAIRS_CLOCK,
    LATER_DIMENSIONS,
    LOCAL,
    SITE_LEVELS_CLOCK,
    WEEK_DISTINCT_CLOCK,
    suppression_threshold,
)

logger = logging.getLogger(__name__)

TASK_REFRESH = "reporting.refresh_rollups"
RANGES_PER_STATEMENT = 200


class ReportAlreadyPublished(Conflict):
    code = "report_already_published"
    title = _("A report for this period is already published.")


# --- Enqueueing ----------------------------------------------------------------------------------


def rollups_enqueue(*, days: Iterable[dt.date] | None = None) -> None:
    """Ask for a refresh of the rollups, in the caller's transaction.

    Named days are queued (one INSERT; the background refresh coalesces them); without names, a
    scan for changed days is asked of a worker through the outbox."""
    if days is None:
        task_enqueue(task_name=TASK_REFRESH, kwargs={})
        return
    insert_many([RollupQueue(day=d) for d in sorted(set(days))])
    if settings.CELERY_TASK_ALWAYS_EAGER:
        _drain_after_commit()


_queued = threading.local()


def _drain_in_process() -> None:
    if getattr(_queued, "pending", False):  # the first callback of a commit drains for all
        _queued.pending = False
        rollup_refresh_queued()


def _drain_after_commit() -> None:
    """No broker, so no beat: drain the queue once the transaction commits (once per commit,
    however many submissions a batch holds: the later callbacks find nothing pending)."""
    _queued.pending = True
    transaction.on_commit(_drain_in_process)


def _finding_days(findings: Iterable[Any]) -> set[dt.date]:
    return {timezone.localtime(f.created_at, LOCAL).date() for f in findings}


def _inspection_day(submission: Any) -> dt.date:
    return timezone.localtime(submission.inspection.planned_start, LOCAL).date()


def rollups_enqueue_for_submission(*, submission: Any, findings: Any, actor: Any = None) -> None:
    """Findings hook: the submission's findings are recorded today, its inspection (the day of
    its planned start) changes status, and a correction withdraws the findings of the revision
    it replaces, which may have been recorded on another day."""
    days = {_inspection_day(submission), timezone.localdate(timezone.now(), LOCAL)}
    if submission.replaces_id is not None:
        days |= _finding_days(Finding.objects.filter(submission_id=submission.replaces_id).only("created_at"))
    rollups_enqueue(days=days)


def rollups_enqueue_for_submissions(*, items: Sequence[tuple[Any, Any]], actor: Any = None) -> None:
    """The findings hook for many submissions at once (a phone's batch): one queue insert for
    all their days, and one read of the findings of the revisions they replace, if any."""
    if not items:
        return
    days = {timezone.localdate(timezone.now(), LOCAL)} | {_inspection_day(s) for s, _findings in items}
    replaced = {s.replaces_id for s, _findings in items if s.replaces_id is not None}
    if replaced:
        days |= _finding_days(Finding.objects.filter(submission_id__in=replaced).only("created_at"))
    rollups_enqueue(days=days)


def rollups_enqueue_for_review(*, submission: Any, findings: Any, actor: Any = None) -> None:
    """Review hook: the decided findings change status on the days they were recorded, and the
    inspection may become reviewed."""
    rollups_enqueue(days={_inspection_day(submission), *_finding_days(findings)})


# --- Refresh -------------------------------------------------------------------------------------


@dataclass
class RefreshResult:
    days: dict[str, int] = field(default_factory=dict)  # source -> days rebuilt
    full: bool = False


def _lock(source: str) -> None:
    """One refresh of a source at a time (PostgreSQL; SQLite has one writer anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(f"rollup:{source}".encode())])


def _ranges(days: Sequence[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive days merged into [first, last] ranges."""
    out: list[tuple[dt.date, dt.date]] = []
    for day in sorted(set(days)):
        if out and day == out[-1][1] + dt.timedelta(days=1):
            out[-1] = (out[-1][0], day)
        else:
            out.append((day, day))
    return out


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=LOCAL)


def _range_q(spec: RollupSpec, ranges: Sequence[tuple[dt.date, dt.date]]) -> Q:
    q = Q()
    for first, last in ranges:
        q |= Q(**{f"{spec.day_field}__gte": first, f"{spec.day_field}__lte": last})
    return q


def _insert_select(table: str, columns: dict[str, Any], rows: Any, count: Any) -> None:
    """``INSERT INTO table (columns…, n) SELECT … GROUP BY …``: built by the ORM, run in the database.
    ``count`` may be a mapping of count columns to aggregates."""
    counts = count if isinstance(count, dict) else {"n": count}
    aliases = {f"r_{name}": expr for name, expr in columns.items()}
    grouped = (
        rows.annotate(**aliases)
        .values(*aliases)
        .annotate(**{f"r_{c}": a for c, a in counts.items()})
        .order_by()
    )
    sql, params = grouped.query.sql_with_params()
    names = ", ".join(connection.ops.quote_name(c) for c in [*columns, *counts])
    picked = ", ".join(connection.ops.quote_name(a) for a in [*aliases, *(f"r_{c}" for c in counts)])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(table)} ({names}) "  # noqa: S608
            f"SELECT {picked} FROM ({sql}) AS src",
            params,
        )


def _insert_days(spec: RollupSpec, where: Q | None) -> None:
    raw = spec.raw() if where is None else spec.raw().filter(where)
    _insert_select(spec.table, spec.columns(), raw, Count("pk"))


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _rebuild_site_months(spec: RollupSpec, months: Sequence[dt.date] | None) -> None:
    """The per-site monthly rollup of the given months (all when None), from the raw rows of
    those months (read by their stored local month: an index range, no time conversion)."""
    model = spec.site_month_model
    if model is None or spec.month_field is None:
        return
    raw = spec.raw().filter(SITE_COUNTS)
    if months is None:
        model.objects.all().delete()
        _insert_select(model._meta.db_table, site_month_columns(spec), raw, site_counts())
        return
    for chunk in _chunks(sorted(set(months)), RANGES_PER_STATEMENT):
        model.objects.filter(month__in=chunk).delete()
        rows = raw.filter(**{f"{spec.month_field}__in": chunk})
        _insert_select(model._meta.db_table, site_month_columns(spec), rows, site_counts())


def _rebuild_site_days(spec: RollupSpec, days: Sequence[dt.date] | None) -> None:
    """The per-site weekly rollup and the per-week distinct counts of the weeks of ``days``, and
    the per-day distinct counts of ``days`` (all when None), from the raw rows (read by their
    stored local day); the per-week distinct counts from the weekly per-site rows just built."""
    weekly, daily = spec.site_week_model, spec.day_distinct_model
    if weekly is None or daily is None:
        return
    raw = spec.raw().filter(SITE_COUNTS)
    if days is None:
        weekly.objects.all().delete()
        daily.objects.all().delete()
        _insert_select(weekly._meta.db_table, site_columns(spec, "week"), raw, site_counts())
        _rebuild_week_distinct(spec, None)
        _insert_day_distinct(spec, spec.raw())
        for key in (SITE_LEVELS_CLOCK, WEEK_DISTINCT_CLOCK, DISTINCT_PAIRS_CLOCK):
            RollupClock.objects.update_or_create(key=key, defaults={"as_of": timezone.now()})
        return
    weeks = sorted({d - dt.timedelta(days=d.weekday()) for d in days})
    for chunk in _chunks(weeks, RANGES_PER_STATEMENT):
        weekly.objects.filter(week__in=chunk).delete()
        ranges = [(w, w + dt.timedelta(days=6)) for w in chunk]
        rows = raw.filter(_range_q(spec, ranges))
        _insert_select(weekly._meta.db_table, site_columns(spec, "week"), rows, site_counts())
        _rebuild_week_distinct(spec, chunk)
    for ranges in _chunks(_ranges(days), RANGES_PER_STATEMENT):
        for first, last in ranges:
            daily.objects.filter(day__gte=first, day__lte=last).delete()
        _insert_day_distinct(spec, spec.raw().filter(_range_q(spec, ranges)))


def _rebuild_week_distinct(spec: RollupSpec, weeks: Sequence[dt.date] | None) -> None:
    """The per-week distinct counts of ``weeks`` (all when None) from the weekly per-site rollup,
    which must hold those weeks already."""
    model, weekly = spec.week_distinct_model, spec.site_week_model
    if model is None or weekly is None:
        return
    rows = weekly.objects.all()
    if weeks is None:
        model.objects.all().delete()
    else:
        model.objects.filter(week__in=weeks).delete()
        rows = rows.filter(week__in=weeks)
    _insert_distinct(model, "week", week_distinct_selects(spec, rows))


def _insert_day_distinct(spec: RollupSpec, rows: Any) -> None:
    _insert_distinct(spec.day_distinct_model, "day", day_distinct_selects(spec, rows))  # type: ignore[arg-type]


def _insert_distinct(model: Any, period: str, selects: Sequence[Any]) -> None:
    """Rows of distinct counts (``day_distinct_selects``' columns) into ``model``, whose period
    column is ``period``."""
    table = connection.ops.quote_name(model._meta.db_table)
    for grouped in selects:
        sql, params = grouped.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({period}, dimension, value, dimension2, value2, sites, companies) "  # noqa: S608
                f"SELECT r_day, r_dim, r_value, r_dim2, r_value2, r_sites, r_companies FROM ({sql}) AS src",
                params,
            )


def _rebuild_months(spec: RollupSpec, months: Sequence[dt.date] | None) -> None:
    """The monthly rollups of the given months (all when None): summed from the daily rollup,
    and per site from the raw rows."""
    _rebuild_site_months(spec, months)
    model = spec.month_model
    if model is None:
        return
    daily = spec.model.objects.all()
    if months is None:
        model.objects.all().delete()
        _insert_select(model._meta.db_table, month_columns(spec), daily, Sum("n"))
        return
    for chunk in _chunks(sorted(set(months)), RANGES_PER_STATEMENT):
        model.objects.filter(month__in=chunk).delete()
        where = Q()
        for month in chunk:
            where |= Q(day__gte=month, day__lt=_next_month(month))
        _insert_select(model._meta.db_table, month_columns(spec), daily.filter(where), Sum("n"))


def _signatures(spec: RollupSpec, where: Q | None) -> dict[dt.date, tuple[int, int, int]]:
    raw = spec.raw()
    if where is not None:
        raw = raw.filter(where)
    rows = raw.annotate(r_day=spec.columns()["day"]).values("r_day").annotate(**spec.signature()).order_by()
    return {
        day_to_date(r["r_day"]): (int(r["rows"]), int(r["id_sum"] or 0), signature_state(r)) for r in rows
    }


def _store_signatures(spec: RollupSpec, days: Sequence[dt.date], signatures: dict[dt.date, Any]) -> None:
    for chunk in _chunks(sorted(days), 500):
        RollupDay.objects.filter(source=spec.source, day__in=chunk).delete()
    RollupDay.objects.bulk_create(
        [
            RollupDay(source=spec.source, day=day, rows=sig[0], id_sum=sig[1], state=sig[2])
            for day, sig in signatures.items()
        ],
        batch_size=1000,
    )


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _rebuild_days(spec: RollupSpec, days: Sequence[dt.date]) -> None:
    days = sorted(set(days))
    for chunk in _chunks(days, 500):
        spec.model.objects.filter(day__in=chunk).delete()
    signatures: dict[dt.date, Any] = {}
    for ranges in _chunks(_ranges(days), RANGES_PER_STATEMENT):
        where = _range_q(spec, ranges)
        _insert_days(spec, where)
        signatures.update(_signatures(spec, where))
    _store_signatures(spec, days, signatures)
    _rebuild_months(spec, [_month(d) for d in days])
    _rebuild_site_days(spec, days)


def _rebuild_all(spec: RollupSpec) -> int:
    spec.model.objects.all().delete()
    RollupDay.objects.filter(source=spec.source).delete()
    _insert_days(spec, None)
    signatures = _signatures(spec, None)
    _store_signatures(spec, [], signatures)
    _rebuild_months(spec, None)
    _rebuild_site_days(spec, None)
    return len(signatures)


def _changed_days(spec: RollupSpec) -> list[dt.date]:
    current = _signatures(spec, None)
    stored = {
        r.day: (r.rows, r.id_sum, r.state)
        for r in RollupDay.objects.filter(source=spec.source).only("day", "rows", "id_sum", "state")
    }
    return sorted(d for d in current.keys() | stored.keys() if current.get(d) != stored.get(d))


def rollup_refresh(
    *, sources: Sequence[str] | None = None, days: Iterable[dt.date] | None = None, full: bool = False
) -> RefreshResult:
    """Bring the rollups up to date with the raw records (see the module's docstring). Safe to
    run twice, and concurrently (one refresh per source at a time)."""
    result = RefreshResult(full=full)
    wanted = list(days) if days is not None else None
    for name in sources or list(SPECS):
        spec = SPECS[name]
        with transaction.atomic():
            _lock(name)
            if full:
                result.days[name] = _rebuild_all(spec)
                for key in LATER_DIMENSIONS.get(name, {}).values():
                    RollupClock.objects.update_or_create(key=key, defaults={"as_of": timezone.now()})
                continue
            todo = wanted if wanted is not None else _changed_days(spec)
            if todo:
                _rebuild_days(spec, todo)
            result.days[name] = len(set(todo))
    return result


QUEUE_CLOCK = "queue"


@dataclass
class QueuedRefresh:
    as_of: dt.datetime
    queued: int  # rows claimed
    days: list[dt.date]
    took_ms: int


def rollup_refresh_queued() -> QueuedRefresh:
    """Claim every queued day and rebuild each once, in one transaction: a failure leaves the
    queue as it was. Every change committed before the refresh started is then in the rollups,
    which ``RollupClock`` records (``as_of``). Safe to run concurrently (one at a time)."""
    started = time.perf_counter()
    with transaction.atomic():
        _lock("queue")
        as_of = timezone.now()  # before the claim: whatever committed earlier is claimed below
        table = connection.ops.quote_name(RollupQueue._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} RETURNING day")  # noqa: S608 (our table's name)
            claimed = [day_to_date(row[0]) for row in cursor.fetchall()]
        days = sorted(set(claimed))
        if days:
            rollup_refresh(days=days)
        took_ms = round((time.perf_counter() - started) * 1000)
        RollupClock.objects.update_or_create(
            key=QUEUE_CLOCK, defaults={"as_of": as_of, "took_ms": took_ms, "days": len(days)}
        )
    return QueuedRefresh(as_of=as_of, queued=len(claimed), days=days, took_ms=took_ms)


def rollups_as_of() -> dt.datetime | None:
    """When the rollups were last exact (see ``rollup_refresh_queued``), or None before the first
    refresh. Days still queued after it are not yet in the figures."""
    clock = RollupClock.objects.filter(key=QUEUE_CLOCK).first()
    return clock.as_of if clock is not None else None


@dataclass
class CheckResult:
    source: str
    groups: int
    differences: list[dict[str, Any]]

    @property
    def ok(self) -> bool:
        return not self.differences


def _groups(rows: Any, columns: dict[str, Any], count: Any) -> dict[tuple[Any, ...], int]:
    aliases = {f"r_{c}": e for c, e in columns.items()}
    out: dict[tuple[Any, ...], int] = {}
    for row in rows.annotate(**aliases).values(*aliases).annotate(r_n=count).order_by():
        key = []
        for c in columns:
            value = row[f"r_{c}"]
            if c in ("day", "month"):
                value = day_to_date(value)
            elif c in ("joint", "potential_victim"):
                value = bool(value)
            key.append(value)
        out[tuple(key)] = int(row["r_n"] or 0)
    return out


def _differences(
    level: str, names: list[str], raw: dict[Any, int], roll: dict[Any, int]
) -> list[dict[str, Any]]:
    return [
        {"level": level, **dict(zip(names, k, strict=True)), "raw": raw.get(k, 0), "rollup": roll.get(k, 0)}
        for k in sorted(raw.keys() | roll.keys(), key=lambda k: tuple(str(x) for x in k))
        if raw.get(k, 0) != roll.get(k, 0)
    ]


def rollup_check(
    *, source: str, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> CheckResult:
    """Compare a rollup (daily, and monthly where there is one) with the raw aggregation over the
    same columns, group by group. Both sides are aggregated in the database; only the groups are
    compared here. With a period, the monthly level is compared over the whole months in it."""
    spec = SPECS[source]
    raw = spec.raw()
    daily = spec.model.objects.all()
    if date_from:
        raw = raw.filter(**{f"{spec.date_field}__gte": _start(date_from)})
        daily = daily.filter(day__gte=date_from)
    if date_to:
        raw = raw.filter(**{f"{spec.date_field}__lt": _start(date_to + dt.timedelta(days=1))})
        daily = daily.filter(day__lte=date_to)
    columns = spec.columns()
    identity = {c: F(c) for c in columns}
    raw_groups = _groups(raw, columns, Count("pk"))
    differences = _differences("day", list(columns), raw_groups, _groups(daily, identity, Sum("n")))
    if spec.month_model is not None:
        months = raw_month_columns(spec)
        monthly = spec.month_model.objects.all()
        raw_months = spec.raw()
        period = Q()
        if date_from:
            first = _month(date_from) if date_from.day == 1 else _next_month(date_from)
            period &= Q(month__gte=first)
            monthly = monthly.filter(month__gte=first)
            raw_months = raw_months.filter(**{f"{spec.date_field}__gte": _start(first)})
        if date_to:
            last_of_month = (date_to + dt.timedelta(days=1)).day == 1
            end = _next_month(_month(date_to)) if last_of_month else _month(date_to)
            monthly = monthly.filter(month__lt=end)
            period &= Q(month__lt=end)
            raw_months = raw_months.filter(**{f"{spec.date_field}__lt": _start(end)})
        differences += _differences(
            "month",
            list(months),
            _groups(raw_months, months, Count("pk")),
            _groups(monthly, {c: F(c) for c in months}, Sum("n")),
        )
        if spec.site_month_model is not None:
            by_site = site_month_columns(spec)
            per_site = spec.site_month_model.objects.filter(period)
            differences += _differences(
                "site-month",
                list(by_site),
                _groups(raw_months.filter(SITE_COUNTS), by_site, Count("pk")),
                _groups(per_site, {c: F(c) for c in by_site}, Sum("n")),
            )
    differences += _check_site_days(spec, date_from, date_to)
    return CheckResult(source=source, groups=len(raw_groups), differences=differences)


def _check_site_days(
    spec: RollupSpec, date_from: dt.date | None, date_to: dt.date | None
) -> list[dict[str, Any]]:
    """The weekly per-site rollup and the per-week distinct counts (over the whole weeks of the
    period) and the per-day distinct counts against the raw rows."""
    weekly, daily = spec.site_week_model, spec.day_distinct_model
    if weekly is None or daily is None:
        return []
    raw = spec.raw()
    weeks = weekly.objects.all()
    days = daily.objects.all()
    week_counts = spec.week_distinct_model.objects.all() if spec.week_distinct_model else None
    if date_from:
        monday = date_from + dt.timedelta(days=-date_from.weekday() % 7)
        raw_weeks = Q(**{f"{spec.day_field}__gte": monday})
        weeks = weeks.filter(week__gte=monday)
        week_counts = week_counts.filter(week__gte=monday) if week_counts is not None else None
        days = days.filter(day__gte=date_from)
        raw_days = Q(**{f"{spec.day_field}__gte": date_from})
    else:
        raw_weeks, raw_days = Q(), Q()
    if date_to:
        end = date_to + dt.timedelta(days=1)
        end -= dt.timedelta(days=end.weekday())  # the Monday after the last whole week
        raw_weeks &= Q(**{f"{spec.day_field}__lt": end})
        weeks = weeks.filter(week__lt=end)
        week_counts = week_counts.filter(week__lt=end) if week_counts is not None else None
        days = days.filter(day__lte=date_to)
        raw_days &= Q(**{f"{spec.day_field}__lte": date_to})
    by_site = site_columns(spec, "week")
    differences = _differences(
        "site-week",
        list(by_site),
        _groups(raw.filter(SITE_COUNTS).filter(raw_weeks), by_site, Count("pk")),
        _groups(weeks, {c: F(c) for c in by_site}, Sum("n")),
    )
    names = ["day", "dimension", "value", "dimension2", "value2", "count"]
    differences += _differences(
        "day-distinct",
        names,
        _distinct_expected(day_distinct_selects(spec, raw.filter(raw_days))),
        _distinct_stored(days, "day"),
    )
    if week_counts is not None:
        differences += _differences(
            "week-distinct",
            ["week", "dimension", "value", "dimension2", "value2", "count"],
            _distinct_expected(day_distinct_selects(spec, raw.filter(raw_weeks), "week")),
            _distinct_stored(week_counts, "week"),
        )
    return differences


def _distinct_expected(selects: Sequence[Any]) -> dict[tuple[Any, ...], int]:
    """Distinct counts from the raw rows (``day_distinct_selects``), keyed like ``_distinct_stored``."""
    out: dict[tuple[Any, ...], int] = {}
    for grouped in selects:
        for r in grouped:
            key = (day_to_date(r["r_day"]), r["r_dim"], str(r["r_value"]), r["r_dim2"], str(r["r_value2"]))
            out[(*key, "sites")] = int(r["r_sites"])
            out[(*key, "companies")] = int(r["r_companies"])
    return out


def _distinct_stored(rows: Any, period: str) -> dict[tuple[Any, ...], int]:
    out: dict[tuple[Any, ...], int] = {}
    for r in rows.values(period, "dimension", "value", "dimension2", "value2", "sites", "companies"):
        key = (day_to_date(r[period]), r["dimension"], r["value"], r["dimension2"], r["value2"])
        out[(*key, "sites")] = r["sites"]
        out[(*key, "companies")] = r["companies"]
    return out


# --- Publication ---------------------------------------------------------------------------------


@transaction.atomic
def report_publish(
    *, year_from: int, year_to: int, actor: Any = None, request: Any = None
) -> PublishedReport:
    """Freeze the report of a period as published now (small counts of people suppressed). Its
    figures never change afterwards; a later correction of the records shows as a difference."""
    from backend.reporting.report import report_figures

    if PublishedReport.objects.filter(year_from=year_from, year_to=year_to).exists():
        raise ReportAlreadyPublished()
    threshold = suppression_threshold()
    figures = report_figures(year_from=year_from, year_to=year_to, frozen=False, threshold=threshold)
    published = PublishedReport.objects.create(
        year_from=year_from,
        year_to=year_to,
        figures={f.id: f.value for f in figures},
        suppression_threshold=threshold,
        published_at=timezone.now(),
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor, action=AuditEntry.Action.CREATE, verb="report_publish", obj=published, request=request
    )
    return published


def report_fact_ensure(*, key: str, value: int, label_en: str, **defaults: Any) -> ReportFact:
    """Create a report fact unless it exists: an administrator's later edit is never overwritten."""
    fact, _created = ReportFact.objects.get_or_create(
        key=key, defaults={"value": value, "label_en": label_en, **defaults}
    )
    return fact
