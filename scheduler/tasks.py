from celery import shared_task

from scheduler.services import planning_expire_stale, planning_run


@shared_task(name="scheduler.run_job", acks_late=True)
def run_job(job_id: str) -> str | None:
    """Plan one queued job. Safe to run twice: a job that is not queued is left alone."""
    job = planning_run(job_id=job_id)
    return None if job is None else job.status


# Periodic (beat): the next run is the retry.
@shared_task(name="scheduler.expire_stale", autoretry_for=(), ignore_result=True)
def expire_stale() -> None:
    """Fail every running job whose worker stopped beating, with the reason, so nothing stays
    `running` for ever even when no planner looks at it; the planner may start again."""
    planning_expire_stale()
