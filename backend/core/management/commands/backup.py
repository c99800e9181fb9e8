"""``manage.py backup <folder>``: the database and the uploaded files, with a manifest (README,
"Backup and restore"; backend/core/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump's custom format on PostgreSQL, SQLite's backup API on SQLite) "
        "and every uploaded file into a new folder, with a manifest of every table's rows and every "
        "file's SHA-256. The secret key and the personal data keys are never in it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="a new (or empty) folder to write the backup into")

    def handle(self, *args: Any, folder: Path, **options: Any) -> None:
        try:
            manifest = backup_create(folder, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        db = manifest["database"]
        media = manifest["media"]
        self.stdout.write(
            f"backed up to {folder}: {len(db['tables'])} tables, {sum(db['tables'].values())} rows "
            f"({db['file']}, {db['size']} bytes), {len(media['files'])} uploaded files, "
            f"{len(manifest['attachments'])} attachments"
        )
        if media["missing"]:
            raise CommandError(
                f"{len(media['missing'])} file(s) the database names are not in the uploads storage "
                f"(listed in the manifest's media.missing): the backup is written but incomplete."
            )
