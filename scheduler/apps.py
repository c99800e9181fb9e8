from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulerConfig(AppConfig):
    name = "scheduler"
    label = "scheduler"
    verbose_name = _("Scheduler")

    def ready(self) -> None:
        from backend.console import nav
        from scheduler import selectors  # noqa: F401  (registers the access rules)

        nav.register(
            label=_("Operations"),
            url_name="scheduler:operations",
            roles={"planner"},
            description=_("Joint operations: targets, planning, the plan workspace, publishing, briefings."),
            order=10,
        )
        nav.register(
            label=_("Programmes"),
            url_name="scheduler:programmes",
            roles={"planner"},
            description=_("Routine programmes of your agency's due inspections over days or weeks."),
            order=11,
        )
        nav.register(
            label=_("Due work"),
            url_name="scheduler:due-work",
            roles={"planner"},
            description=_("Request, list and cancel inspections that are due."),
            order=12,
        )
