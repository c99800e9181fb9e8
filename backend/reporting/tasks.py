import datetime as dt

from celery import shared_task

from backend.reporting.services import rollup_refresh, rollup_refresh_queued


@shared_task(name="reporting.refresh_rollups")
def refresh_rollups(days: list[str] | None = None, full: bool = False) -> dict[str, int]:
    """Named days (from the findings hook), else the days whose records changed; ``full``
    rebuilds everything (nightly). Safe to run twice."""
    parsed = [dt.date.fromisoformat(d) for d in days] if days is not None else None
    return rollup_refresh(days=parsed, full=full).days


@shared_task(name="reporting.refresh_queued_rollups", ignore_result=True)
def refresh_queued_rollups() -> dict[str, int]:
    """The days that ingest and review queued, each rebuilt once (beat runs it every
    ROLLUPS_REFRESH_SECONDS): the rollups' staleness is at most that plus one refresh."""
    done = rollup_refresh_queued()
    return {"queued": done.queued, "days": len(done.days), "took_ms": done.took_ms}
