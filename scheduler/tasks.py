from celery import shared_task

from scheduler.services import planning_run


@shared_task(name="scheduler.run_job", acks_late=True)
def run_job(job_id: str) -> str | None:
    """Plan one queued job. Safe to run twice: a job that is not queued is left alone."""
    job = planning_run(job_id=job_id)
    return None if job is None else job.status
