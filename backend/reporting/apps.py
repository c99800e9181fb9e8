from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "backend.reporting"
    label = "reporting"
    verbose_name = _("Statistics and reports")

    def ready(self) -> None:
        from backend.compliance.services import register_review_hook
        from backend.inspections.services import register_findings_hook
        from backend.reporting.services import rollups_enqueue_for_review, rollups_enqueue_for_submission

        # In the ingest and review transactions: the refresh is recorded with the change and runs
        # after commit, so every change that moves a counted figure refreshes its days.
        register_findings_hook(rollups_enqueue_for_submission)
        register_review_hook(rollups_enqueue_for_review)
