from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "backend.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from backend.registry import selectors  # registers the access rules

        agency = self.get_model("Agency")
        post_save.connect(selectors.agencies_forget, sender=agency, dispatch_uid="agencies_forget_save")
        post_delete.connect(selectors.agencies_forget, sender=agency, dispatch_uid="agencies_forget_delete")
