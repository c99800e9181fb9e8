from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "backend.inspections"
    label = "inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        from django.core import checks

        from backend.inspections import selectors  # noqa: F401  (registers the access rules)

        # Asked for (check --deploy --database default), not at every migrate: it reads every
        # current submission, seconds on millions of rows.
        checks.register(_checklist_duplicates, checks.Tags.database, deploy=True)
        _serialize_zoneinfo()


def _checklist_duplicates(app_configs: object = None, databases: object = None, **kwargs: object) -> list:
    """``manage.py check --deploy --database default``: a warning when visits hold two current
    checklists of one template from different officers, which the one-sender rule refuses since
    migration 0005 but an older database may hold."""
    from django.core import checks
    from django.db import DatabaseError

    if not databases:
        return []
    from backend.inspections.selectors import checklist_duplicates

    try:
        groups = checklist_duplicates()
    except DatabaseError:  # not migrated yet: nothing to say
        return []
    if not groups:
        return []
    return [
        checks.Warning(
            f"{len(groups)} visit(s) hold two current checklists of one template sent by different "
            "officers (from before the one-sender rule); their findings count twice.",
            hint="Run `manage.py checklist_duplicates` to list them, then keep one of each and delete "
            "the other in the admin (it stays as a tombstone, its findings withdrawn).",
            id="inspections.W001",
        )
    ]


def _serialize_zoneinfo() -> None:
    """Migrations write the time zone of the stored local days (``models.local_day``) as
    ``zoneinfo.ZoneInfo("Asia/Macau")``, which Django's migration writer does not know."""
    from zoneinfo import ZoneInfo

    from django.db.migrations.serializer import BaseSerializer
    from django.db.migrations.writer import MigrationWriter

    class ZoneInfoSerializer(BaseSerializer):
        def serialize(self) -> tuple[str, set[str]]:
            return f"zoneinfo.ZoneInfo({self.value.key!r})", {"import zoneinfo"}

    MigrationWriter.register_serializer(ZoneInfo, ZoneInfoSerializer)
