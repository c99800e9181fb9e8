from django.core.management.base import BaseCommand

from backend.outbox.services import outbox_relay_pending


class Command(BaseCommand):
    help = "Relay pending task messages to the broker (or run them in-process when none is configured)."

    def handle(self, *args: object, **options: object) -> None:
        count = outbox_relay_pending()
        self.stdout.write(f"relayed {count}")
