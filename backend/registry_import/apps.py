from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryImportConfig(AppConfig):
    name = "backend.registry_import"
    label = "registry_import"
    verbose_name = _("Registry imports")

    def ready(self) -> None:
        from backend.console import nav

        nav.register(
            label=_("Registry imports"),
            url_name="registry_import:list",
            roles={"administrator"},
            description=_(
                "Bring sites, companies, officers and shifts in from spreadsheets: templates, a dry run, "
                "places on the map, then apply all or nothing."
            ),
            order=80,
        )
