"""``manage.py restore <folder>``: a backup made by ``manage.py backup``, into a new database and
an empty uploads storage, then checked against its manifest (README, "Backup and restore")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.core.backup import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    help = (
        "Restore a backup into the configured database (new or empty; on PostgreSQL created when "
        "missing) and uploads storage, then verify every table's rows and every file's SHA-256 "
        "against the manifest. --check only verifies the backup's own files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="a folder written by manage.py backup")
        parser.add_argument(
            "--check", action="store_true", help="only verify the backup's files against its manifest"
        )

    def handle(self, *args: Any, folder: Path, check: bool, **options: Any) -> None:
        try:
            if check:
                manifest = backup_verify(folder)
                self.stdout.write(
                    f"{folder} is whole: {manifest['database']['file']} and "
                    f"{len(manifest['media']['files'])} uploaded files match the manifest"
                )
                return
            report = backup_restore(folder, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"restored and verified: {report.tables} tables, {report.rows} rows, {report.files} files "
            f"(SHA-256 each), {report.attachments} attachments as declared"
        )
        if report.personal_files_unreadable:
            self.stdout.write(
                self.style.WARNING(
                    f"{report.personal_files_unreadable} personal files are whole but encrypted under a key "
                    "this server does not hold: set PERSONAL_DATA_KEYS to the backup's keys to read them"
                )
            )
