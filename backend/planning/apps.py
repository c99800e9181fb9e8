from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "backend.planning"
    label = "planning"
    verbose_name = _("Planning")

    def ready(self) -> None:
        from backend.planning import selectors  # noqa: F401  (registers the access rules)
