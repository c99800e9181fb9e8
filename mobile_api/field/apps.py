from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldConfig(AppConfig):
    """The officers' installable offline web app, served at /field/: a client of mobile_api."""

    name = "mobile_api.field"
    label = "field"
    verbose_name = _("Officers' field app")
