from celery import shared_task

from backend.outbox.services import outbox_relay_pending


@shared_task(name="outbox.relay_pending")
def relay_pending() -> int:
    return outbox_relay_pending()
