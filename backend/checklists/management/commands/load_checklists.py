from django.core.management.base import BaseCommand

from backend.checklists.services import checklists_load_builtin


class Command(BaseCommand):
    help = "Publish the built-in checklist templates whose definitions are new or changed (idempotent)."

    def handle(self, *args: object, **options: object) -> None:
        for version in checklists_load_builtin():
            self.stdout.write(f"{version.template.code} v{version.number} ({version.status})")
