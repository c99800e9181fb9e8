"""``manage.py checklist_duplicates [--check]``: the visits that hold two current checklists of
one template sent as firsts by different officers (from before the one-sender rule, migration
inspections 0005), so an administrator can settle each: exit status 1 with ``--check`` when any
is found."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from backend.inspections.selectors import checklist_duplicates


class Command(BaseCommand):
    help = "List visits holding two current checklists of one template sent by different officers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="exit status 1 when any is found")

    def handle(self, *args: Any, **options: Any) -> None:
        groups = checklist_duplicates()
        for group in groups:
            visit = group[0].inspection
            planned = timezone.localtime(visit.planned_start)
            self.stdout.write(
                f"visit {visit.uuid} ({visit.site.name_en}, planned {planned:%Y-%m-%d %H:%M}), "
                f"checklist {group[0].template_version.template.code}: {len(group)} current"
            )
            for submission in group:
                findings = submission.findings.count()
                self.stdout.write(
                    f"  submission {submission.uuid}: {submission.officer.full_name} "
                    f"({submission.officer.agency.code}), received "
                    f"{timezone.localtime(submission.received_at):%Y-%m-%d %H:%M:%S}, revision "
                    f"{submission.revision}, {findings} finding{'s' if findings != 1 else ''}"
                )
        if not groups:
            self.stdout.write(
                "No visit holds two current checklists of one template from different officers."
            )
            return
        self.stdout.write(
            f"{len(groups)} visit(s) to settle. Keep the checklist that should count; delete the other "
            "in the admin (Submissions, filter 'duplicate of a colleague's', action 'Delete the "
            "selected submissions'): it stays on record as a tombstone and its findings are withdrawn."
        )
        if options["check"]:
            raise SystemExit(1)
