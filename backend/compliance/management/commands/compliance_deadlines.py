"""``manage.py compliance_deadlines``: what the periodic task ``compliance.deadlines_due`` does,
for a server without Celery beat (run it daily from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from backend.compliance.services import case_deadlines_process


class Command(BaseCommand):
    help = "Request the follow-up inspection of every compliance case whose corrective deadline has passed."

    def handle(self, *args: Any, **options: Any) -> None:
        cases = case_deadlines_process()
        self.stdout.write(self.style.SUCCESS(f"Follow-ups requested: {len(cases)}."))
