"""Celery tasks of compliance: thin, they take ids, call one service and are safe to run twice.
They are queued only through ``backend.outbox.services.task_enqueue`` (or Celery beat)."""

from __future__ import annotations

from celery import shared_task

from backend.compliance import services
from backend.registry.models import Company


@shared_task(name="compliance.referral_notify")
def referral_notify(referral_id: str) -> None:
    services.referral_notify(referral_uuid=referral_id)


@shared_task(name="compliance.deadlines_due")
def deadlines_due() -> int:
    """Periodic (Celery beat): request the follow-up of every case past its deadline."""
    return len(services.case_deadlines_process())


@shared_task(name="compliance.score_recompute")
def score_recompute(company_id: int) -> None:
    company = Company.objects.filter(pk=company_id).first()
    if company is not None:  # a company deleted meanwhile has nothing left to score
        services.company_score_compute(company=company)
