from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChecklistsConfig(AppConfig):
    name = "backend.checklists"
    label = "checklists"
    verbose_name = _("Checklists")

    def ready(self) -> None:
        from backend.checklists import selectors  # noqa: F401  (registers the access rules)
