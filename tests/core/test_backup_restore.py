"""The restore drill (#15): ``manage.py backup`` dumps the database (pg_dump's custom format on
PostgreSQL, SQLite's backup API on SQLite) and every uploaded file with a manifest; ``manage.py
restore`` (a process of its own, as an operator runs it) restores into a NEW database and an
empty media folder and verifies every table's count and every file's SHA-256. The test then checks
the restored copy itself, independently of the command: the rows, the photos' bytes against what
the officers declared, and that no key (secret key, personal data keys) is in the backup. A damaged
backup is refused before anything is written; a non-empty target is refused. One test, as
setting up and emptying a transactional database is most of its time."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from backend.checklists.services import parsed_definition
from backend.inspections import services as inspections
from backend.inspections.models import Attachment, Submission
from backend.inspections.personal_files import read_original
from backend.privacy import files as sealed
from tests.checklists.engine.factories import UUID as PHOTO_REF
from tests.checklists.engine.factories import fill
from tests.mobile_api.conftest import dora, field, jpeg_with_gps, media  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


def _photo(n: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40 + n, 30), (n * 40 % 255, 90, 160)).save(out, format="JPEG")
    return out.getvalue()


def _submit(field, officer, inspection, version, photo: bytes) -> Submission:  # noqa: F811
    result = inspections.submission_ingest(
        officer=officer,
        data=inspections.SubmissionInput(
            id=uuid.uuid4(),
            inspection=inspection.uuid,
            template_version=version.uuid,
            answers=fill(parsed_definition(version), yes=True, entries=1),
            device_submitted_at=timezone.now(),
            attachments=(
                inspections.DeclaredAttachment(name=PHOTO_REF, sha256=hashlib.sha256(photo).hexdigest()),
            ),
        ),
    )
    inspections.attachment_store(
        officer=officer,
        submission=result.submission,
        name=PHOTO_REF,
        chunks=[photo],
        content_length=len(photo),
    )
    return result.submission


def _restore(folder: Path, database_url: str, media_root: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root), "DEBUG": "1"})
    return subprocess.run(  # noqa: S603 (this Python, our own command line)
        [sys.executable, "manage.py", "restore", str(folder), *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


class _Target:
    """A new, empty database of the test database's vendor: a SQLite file, or a PostgreSQL
    database with a throwaway name on the same server (dropped afterwards)."""

    def __init__(self, tmp_path: Path):
        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            self.path = tmp_path / "restored.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            s = connection.settings_dict
            self.name = f"ops_restore_{os.getpid()}_{secrets.token_hex(4)}"
            auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
            self.server = f"postgresql://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}"
            self.url = f"{self.server}/{self.name}"

    def counts(self) -> dict[str, int]:
        if self.vendor == "sqlite":
            with sqlite3.connect(self.path) as conn:
                tables = [
                    r[0]
                    for r in conn.execute(
                        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                    )
                ]
                return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
        import psycopg

        with psycopg.connect(self.url) as conn:
            tables = [
                r[0]
                for r in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                ).fetchall()
            ]
            return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}

    def drop(self) -> None:
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(f"{self.server}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def test_backup_then_restore_into_a_new_database_and_folder(
    field,  # noqa: F811
    alice,
    bob,
    media,  # noqa: F811
    settings,
    tmp_path,
):
    personal_key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    index_key = secrets.token_urlsafe(32)
    settings.PERSONAL_DATA_KEYS = [personal_key]
    settings.PERSONAL_DATA_INDEX_KEY = index_key
    photos = [_photo(n) for n in range(3)]
    _submit(field, alice, field.revealed, field.venue_version, photos[0])
    _submit(field, alice, field.revealed, field.screening_version, photos[1])
    _submit(field, bob, field.routine, field.agency_version, photos[2])
    assert Attachment.objects.exclude(file="").count() == 3

    folder = tmp_path / "backup"
    call_command("backup", str(folder), stdout=io.StringIO())
    manifest = json.loads((folder / "manifest.json").read_text())

    # The manifest counts what is there: every table, and each attachment with its file's SHA-256.
    tables = manifest["database"]["tables"]
    assert tables["inspections_submission"] == Submission.objects.count() == 3
    assert tables["inspections_attachment"] == Attachment.objects.count() == 3
    assert "django_migrations" in tables and tables["audit_auditentry"] > 0
    files = manifest["media"]["files"]
    for attachment in Attachment.objects.all():
        with attachment.file.open("rb") as stored:  # a person's file is stored encrypted
            assert files[attachment.file.name]["sha256"] == hashlib.sha256(stored.read()).hexdigest()
        assert hashlib.sha256(read_original(attachment)).hexdigest() == attachment.sha256
        assert attachment.served_file.name in files
    assert manifest["media"]["missing"] == []
    dump = folder / manifest["database"]["file"]
    assert dump.name == ("database.sqlite3" if connection.vendor == "sqlite" else "database.pgdump")

    # No key is in the backup, in any file.
    secrets_bytes = [personal_key.encode(), index_key.encode(), settings.SECRET_KEY.encode()]
    for path in folder.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert not any(s in content for s in secrets_bytes), f"a key is in {path}"

    target = _Target(tmp_path)
    restored_media = tmp_path / "restored-media"
    try:
        done = _restore(folder, target.url, restored_media)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "restored and verified" in done.stdout

        # Checked here too, not only by the command: every count, every photo's bytes.
        assert target.counts() == tables
        for attachment in Attachment.objects.all():
            original = (restored_media / attachment.file.name).read_bytes()
            if attachment.personal:  # stored encrypted: opened with the same keys
                with (restored_media / attachment.file.name).open("rb") as f:
                    original = b"".join(sealed.decrypt_chunks(f))
            assert hashlib.sha256(original).hexdigest() == attachment.sha256
            assert (restored_media / attachment.served_file.name).read_bytes() == (
                Path(media) / attachment.served_file.name
            ).read_bytes()
        assert original in photos

        # Restoring over a database that holds data (here the test's own) is refused, unchanged.
        before = Submission.objects.count()
        with pytest.raises(CommandError, match="not empty"):
            call_command("restore", str(folder), stdout=io.StringIO())
        assert Submission.objects.count() == before
    finally:
        target.drop()

    # A damaged backup is refused before anything is written (one flipped byte in one photo).
    damaged = tmp_path / "damaged"
    shutil.copytree(folder, damaged)
    photo = damaged / "media" / Attachment.objects.first().file.name
    flipped = bytearray(photo.read_bytes())
    flipped[-3] ^= 0xFF
    photo.write_bytes(bytes(flipped))
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(damaged), "--check", stdout=io.StringIO())
    files_before = sorted(Path(media).rglob("*"))
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(damaged), stdout=io.StringIO())
    assert Submission.objects.count() == 3 and sorted(Path(media).rglob("*")) == files_before
