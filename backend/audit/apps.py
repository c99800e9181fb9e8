from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "backend.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from backend.console import nav

        nav.register(
            label=_("Audit log"),
            url_name="admin:audit_auditentry_changelist",
            roles={"administrator"},
            description=_("Who did what, and when: sign-ins, changes, decisions."),
            order=90,
            in_header=False,
        )
