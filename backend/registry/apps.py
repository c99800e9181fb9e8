from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "backend.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from backend.console import nav
        from backend.registry import selectors  # registers the access rules

        # The administrator's everyday lists, one step from the console's home.
        for order, (label, model, description) in enumerate(
            (
                (
                    _("Officers"),
                    "officer",
                    _(
                        "Who works where: agency, unit, roles and sign-in; "
                        "deactivate leavers, unlock a sign-in."
                    ),
                ),
                (_("Sites"), "site", _("The places inspected: address, position, opening hours, licence.")),
                (_("Companies"), "company", _("Employers and employment agencies.")),
            )
        ):
            nav.register(
                label=label,
                url_name=f"admin:registry_{model}_changelist",
                roles={"administrator"},
                description=description,
                order=81 + order,
                in_header=False,
            )

        agency = self.get_model("Agency")
        post_save.connect(selectors.agencies_forget, sender=agency, dispatch_uid="agencies_forget_save")
        post_delete.connect(selectors.agencies_forget, sender=agency, dispatch_uid="agencies_forget_delete")
