from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo city and its five-year history. The one app that may import every other: it
    composes them, and no other app imports it."""

    name = "backend.demo"
    label = "demo"
    verbose_name = _("Demo")
