from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulerConfig(AppConfig):
    name = "scheduler"
    label = "scheduler"
    verbose_name = _("Scheduler")

    def ready(self) -> None:
        from scheduler import selectors  # noqa: F401  (registers the access rules)
