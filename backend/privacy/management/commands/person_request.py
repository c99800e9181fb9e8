"""Answer a referred person's lawful request for their data (Macao's Law 8/2005).

    manage.py person_request <reference> --access --by <username> [--note "..."] [--out file.json]
    manage.py person_request <reference> --erase --by <username> [--note "..."]

``<reference>`` is the referral's as every page shows it (``3D45D005``, either case) or its whole
UUID. ``--by`` names the victim-protection officer serving the request (the command refuses anyone
else); the request is audited (``person_request_access`` / ``person_request_erasure``) with the
note. Access writes everything held on the person as JSON (to ``--out`` or the screen); erasure
erases their personal fields now and keeps the coded ones, so no statistic moves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from backend.core.errors import DomainError, NotFound
from backend.privacy.services import person_request


class Command(BaseCommand):
    help = "Serve a referred person's access or erasure request (victim protection; audited)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "referral", help="The referral's reference as the console shows it (3D45D005), or its whole id."
        )
        kind = parser.add_mutually_exclusive_group(required=True)
        kind.add_argument("--access", action="store_true")
        kind.add_argument("--erase", action="store_true")
        parser.add_argument("--by", required=True, help="Username of the victim-protection officer.")
        parser.add_argument("--note", default="", help="The request's reference (no personal data).")
        parser.add_argument("--out", help="Write the access answer to this file (mode 600).")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["by"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['by']!r}.")
        kind = "access" if options["access"] else "erasure"
        try:
            answer = person_request(
                user=user,
                referral_uuid=options["referral"],
                kind=kind,
                note=options["note"],
                via="command_line",
            )
        except NotFound as exc:
            raise CommandError(
                f"Refused: no referral {options['referral']!r} that {options['by']} may serve "
                "(the victim-protection role is needed, and the reference the console shows or the whole id)."
            ) from exc
        except DomainError as exc:
            raise CommandError(f"Refused: {exc.detail}") from exc
        text = json.dumps(answer, ensure_ascii=False, indent=2)
        if options["out"]:
            path = Path(options["out"])
            path.touch(mode=0o600)
            path.write_text(text, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"{kind}: written to {path}"))
        else:
            self.stdout.write(text)
        if kind == "erasure":
            self.stdout.write(self.style.SUCCESS("Personal fields erased; coded fields kept."))
