from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "backend.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from backend.registry import selectors  # noqa: F401  (registers the access rules)
