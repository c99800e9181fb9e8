from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "backend.privacy"
    label = "privacy"
    verbose_name = _("Personal data")

    def ready(self) -> None:
        from backend.inspections.services import register_answers_protector, register_findings_hook
        from backend.privacy.screening import protect_before_insert, protect_on_ingest, protect_on_ingest_many

        # New submissions are protected before they are stored; the findings hook protects the
        # rest (corrections). After the referral hook (backend.compliance comes first in
        # INSTALLED_APPS), which copies the field reference into the referred person's encrypted
        # details.
        register_answers_protector(protect_before_insert)
        register_findings_hook(protect_on_ingest, many=protect_on_ingest_many)
        self._register_console_pages()

    def _register_console_pages(self) -> None:
        from backend.console import nav

        nav.ROLE_INTRODUCTIONS["data_protection"] = (
            _("Data protection"),
            _("Review who read persons' details, when and why; follow up the reads flagged."),
        )
        # The role's name (backend.registry's Role), in this app's catalogue too.
        _("data-protection officer")

        nav.register(
            label=_("Access report"),
            url_name="privacy_console:access-report",
            roles={"data_protection"},
            description=_("Who read which person's details, when and why; unusual reads flagged."),
            order=90,
            notes=_access_home_notes,
        )
        nav.register(
            label=_("Retention"),
            url_name="privacy_console:retention",
            roles={"data_protection"},
            description=_(
                "How long persons' details are kept, what the next run erases and what each run erased."
            ),
            order=91,
        )


def _access_home_notes(user: Any) -> list[Any]:
    """The flagged reads, on the data-protection officer's home page (imported when the page is
    drawn: the app registry is ready by then)."""
    from backend.privacy.pages import home_notes

    return home_notes(user)
