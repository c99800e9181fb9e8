from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "backend.privacy"
    label = "privacy"
    verbose_name = _("Personal data")

    def ready(self) -> None:
        from backend.inspections.services import register_findings_hook
        from backend.privacy.screening import protect_on_ingest

        # After the referral hook (backend.compliance comes first in INSTALLED_APPS), which copies
        # the field reference into the referred person's encrypted details.
        register_findings_hook(protect_on_ingest)
