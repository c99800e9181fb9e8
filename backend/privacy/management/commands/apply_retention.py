"""Apply the retention policy now (what the daily task privacy.apply_retention does)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from backend.privacy.services import apply_retention, retention_policy


class Command(BaseCommand):
    help = "Erase personal data past its retention period; the counts go to the audit log."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Policy: {retention_policy()}")
        self.stdout.write(str(apply_retention().as_dict()))
