from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "backend.outreach"
    label = "outreach"
    verbose_name = _("Prevention and hotlines")
