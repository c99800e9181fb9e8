from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "backend.compliance"
    label = "compliance"
    verbose_name = _("Review, compliance and referrals")

    def ready(self) -> None:
        from backend.compliance import selectors  # noqa: F401  (registers the access rules)
        from backend.compliance.services import referrals_for_findings, referrals_for_submissions
        from backend.inspections.services import register_findings_hook

        # Inside the ingest transaction: a submission that fails leaves no referral behind.
        register_findings_hook(referrals_for_findings, many=referrals_for_submissions)
        self._register_console_pages()

    def _register_console_pages(self) -> None:
        from backend.console import nav

        nav.register(
            label=_("Review queue"),
            url_name="compliance_console:review-queue",
            roles={"reviewer", "team_leader"},
            description=_("Submissions awaiting your agency's decision: flags first, photos, findings."),
            order=20,
            notes=_review_home_notes,
        )
        nav.register(
            label=_("Compliance register"),
            url_name="compliance_console:register",
            roles={"reviewer"},
            description=_("Employment agencies and contractors with their score, its factors and history."),
            order=30,
        )
        nav.register(
            label=_("Cases"),
            url_name="compliance_console:cases",
            roles={"reviewer"},
            description=_("Your agency's compliance cases: deadlines, notices, follow-ups and outcomes."),
            order=31,
        )
        # Victim protection alone: nobody else sees the entry, the pages or a count of them.
        nav.register(
            label=_("Referrals"),
            url_name="compliance_console:referrals",
            roles={"victim_protection"},
            description=_("Referrals of potential victims and the protection services given."),
            order=40,
            notes=_protection_home_notes,
        )


def _protection_home_notes(user: Any) -> list[Any]:
    """The referrals waiting, on victim protection's home page (imported when the page is drawn:
    the app registry is ready by then)."""
    from backend.compliance.pages.protection import home_notes

    return home_notes(user)


def _review_home_notes(user: Any) -> list[Any]:
    """The submissions waiting for the user's review, on a reviewer's or team leader's home page."""
    from backend.compliance.pages.review import home_notes

    return home_notes(user)
