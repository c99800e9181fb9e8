from celery import shared_task

from backend.outbox.services import outbox_relay_pending


# Periodic (beat): a run that fails is simply the next run's work, never retried on its own.
@shared_task(name="outbox.relay_pending", autoretry_for=())
def relay_pending() -> int:
    return outbox_relay_pending()
