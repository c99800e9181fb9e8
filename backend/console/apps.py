from typing import Any

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _

# django-otp's authenticator model names itself and its fields in English only (plain strings, not
# marked for translation, so no catalogue can translate them): the admin's words for the ones it
# shows. Only the names shown are set, never what a migration records (a field's original
# verbose_name and help_text, the model's Meta as declared), so django-otp's migrations stay as
# they are; the help texts are the admin form's (backend.console.admin).
SECOND_FACTOR_FIELDS = {
    "user": _("login"),
    "name": _("name"),
    "confirmed": _("confirmed"),
    "created_at": _("created at"),
    "last_used_at": _("last used at"),
}


class ConsoleConfig(AppConfig):
    default = True  # of the two here: the other is the admin's
    name = "backend.console"
    label = "console"
    verbose_name = _("Console")

    def ready(self) -> None:
        # django-otp's authenticators appear in the admin under this app's name; its own label
        # ("otp_totp") means nothing to an administrator, in any language.
        from django.apps import apps
        from django_otp.plugins.otp_totp.models import TOTPDevice

        apps.get_app_config("otp_totp").verbose_name = _("Second factor")
        TOTPDevice._meta.verbose_name = _("authenticator")
        TOTPDevice._meta.verbose_name_plural = _("authenticators")
        for name, label in SECOND_FACTOR_FIELDS.items():
            TOTPDevice._meta.get_field(name).verbose_name = label


class ConsoleAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin (in INSTALLED_APPS in its place), whose every date-time field, in a
    model's form, an inline or a list, keeps its stored value when saved unchanged
    (backend.console.admin_site.StoredDateTimeField) and labels its date and time boxes
    (LabelledSplitDateTime). Set before the admin modules are loaded:
    each model admin copies the admin's field defaults when it is registered.

    Every model admin's delete page and "delete selected" action, whatever its mixins, list what
    depends on a record as its agency's administrator may see it, and refuse a delete that would
    touch another agency's records (backend.core.admin_access.agency_deleted_objects)."""

    default = False

    def ready(self) -> None:
        from django.contrib.admin import options
        from django.db import models

        from backend.console.admin_site import LabelledSplitDateTime, StoredDateTimeField
        from backend.core.admin_access import agency_deleted_objects

        def get_deleted_objects(model_admin: options.ModelAdmin, objs: Any, request: Any) -> Any:
            return agency_deleted_objects(objs, request, model_admin.admin_site)

        options.ModelAdmin.get_deleted_objects = get_deleted_objects  # type: ignore[assignment]

        options.FORMFIELD_FOR_DBFIELD_DEFAULTS[models.DateTimeField] = {
            **options.FORMFIELD_FOR_DBFIELD_DEFAULTS[models.DateTimeField],
            "form_class": StoredDateTimeField,
            "widget": LabelledSplitDateTime,
        }
        super().ready()
