from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "backend.reporting"
    label = "reporting"
    verbose_name = _("Statistics and reports")

    def ready(self) -> None:
        from backend.inspections.services import register_findings_hook
        from backend.reporting.services import rollups_enqueue_for_submission

        # In the ingest transaction: the refresh is recorded with the findings and runs after commit.
        register_findings_hook(rollups_enqueue_for_submission)
