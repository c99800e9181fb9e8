from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "backend.outbox"
    label = "outbox"
    verbose_name = _("Task outbox")

    def ready(self) -> None:
        from backend.outbox import signals  # noqa: F401 (connects the worker's reports to the rows)
