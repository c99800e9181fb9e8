import datetime as dt

from celery import shared_task

from backend.reporting.services import rollup_refresh


@shared_task(name="reporting.refresh_rollups")
def refresh_rollups(days: list[str] | None = None, full: bool = False) -> dict[str, int]:
    """Named days (from the findings hook), else the days whose records changed; ``full``
    rebuilds everything (nightly). Safe to run twice."""
    parsed = [dt.date.fromisoformat(d) for d in days] if days is not None else None
    return rollup_refresh(days=parsed, full=full).days
