from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsoleConfig(AppConfig):
    name = "backend.console"
    label = "console"
    verbose_name = _("Console")

    def ready(self) -> None:
        # django-otp's authenticators appear in the admin under this app's name; its own label
        # ("otp_totp") means nothing to an administrator, in any language.
        from django.apps import apps

        apps.get_app_config("otp_totp").verbose_name = _("Second factor")
