from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "backend.reporting"
    label = "reporting"
    verbose_name = _("Statistics and reports")

    def ready(self) -> None:
        from backend.compliance.services import register_review_hook
        from backend.inspections.services import register_findings_hook
        from backend.reporting.services import (
            rollups_enqueue_for_review,
            rollups_enqueue_for_submission,
            rollups_enqueue_for_submissions,
        )

        # In the ingest and review transactions: the refresh is recorded with the change and runs
        # after commit, so every change that moves a counted figure refreshes its days.
        register_findings_hook(rollups_enqueue_for_submission, many=rollups_enqueue_for_submissions)
        register_review_hook(rollups_enqueue_for_review)

        from backend.console import nav

        analysts = {"analyst", "administrator"}
        nav.register(
            label=_("Dashboard"),
            url_name="reporting:dashboard",
            roles=analysts,
            description=_("The indicators by period, agency, category and parish, with charts and a map."),
            order=60,
        )
        nav.register(
            label=_("Breakdowns"),
            url_name="reporting:breakdown",
            roles=analysts,
            description=_("Any measure by the dimensions you choose, as a table and a chart; CSV and XLSX."),
            order=61,
        )
        nav.register(
            label=_("Yearly report"),
            url_name="reporting:report-index",
            roles=analysts,
            description=_(
                "The report in three languages, as a page and as PDF; publications and corrections."
            ),
            order=62,
        )
