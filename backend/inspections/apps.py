from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "backend.inspections"
    label = "inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        from backend.inspections import selectors  # noqa: F401  (registers the access rules)
