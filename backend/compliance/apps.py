from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "backend.compliance"
    label = "compliance"
    verbose_name = _("Review, compliance and referrals")

    def ready(self) -> None:
        from backend.compliance import selectors  # noqa: F401  (registers the access rules)
        from backend.compliance.services import referrals_for_findings
        from backend.inspections.services import register_findings_hook

        # Inside the ingest transaction: a submission that fails leaves no referral behind.
        register_findings_hook(referrals_for_findings)
