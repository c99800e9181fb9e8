"""Celery tasks of personal data: thin, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from backend.privacy import services


@shared_task(name="privacy.apply_retention")
def apply_retention() -> dict[str, int]:
    """Daily (Celery beat): erase what the retention policy no longer keeps; counts audited."""
    return services.apply_retention().as_dict()
