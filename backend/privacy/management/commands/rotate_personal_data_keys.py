"""Re-encrypt every personal value under the first of PERSONAL_DATA_KEYS.

1. Put the new key first in PERSONAL_DATA_KEYS (keep the old ones after it) and restart.
2. ``manage.py rotate_personal_data_keys`` (batches of ``--batch-size``; progress per batch).
3. When it reports 0 left, remove the old keys and restart.

Interrupted? Run it again: values already under the first key are skipped, and ``--resume``
starts each table after the last id the previous run finished (kept in var/key_rotation.json,
or ``--state``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from backend.privacy.services import RotationProgress, rotate_keys


class Command(BaseCommand):
    help = "Re-encrypt personal data under the first of PERSONAL_DATA_KEYS, in resumable batches."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--resume", action="store_true", help="Start after the last batch done.")
        parser.add_argument("--state", default=str(Path(settings.BASE_DIR) / "var" / "key_rotation.json"))

    def handle(self, *args: Any, **options: Any) -> None:
        state_file = Path(options["state"])
        start: dict[str, int] = {}
        if options["resume"] and state_file.is_file():
            start = json.loads(state_file.read_text())
        state = dict(start)

        def progress(p: RotationProgress) -> None:
            state[p.table] = p.last_id
            state_file.parent.mkdir(parents=True, exist_ok=True)
            state_file.write_text(json.dumps(state))
            self.stdout.write(
                f"{p.table}: {p.rows_seen}/{p.total} rows, {p.values_rotated} values re-encrypted"
            )

        rotated = rotate_keys(batch_size=max(1, options["batch_size"]), start=start, progress=progress)
        if state_file.is_file():
            state_file.unlink()
        total = sum(rotated.values())
        self.stdout.write(self.style.SUCCESS(f"Done: {total} values re-encrypted under the first key."))
