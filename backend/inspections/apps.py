from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "backend.inspections"
    label = "inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        from backend.inspections import selectors  # noqa: F401  (registers the access rules)

        _serialize_zoneinfo()


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
