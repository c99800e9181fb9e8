"""Part of the restore drill: a backup (``manage.py backup``) holds personal fields encrypted; a
restore read without the personal data keys shows them unreadable, and with the keys exactly as
before. Transactional (the backup is taken by the command from committed data)."""

from __future__ import annotations

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from backend.compliance.models import VictimPersonalDetails
from tests.core.test_backup_restore import _restore, _Target
from tests.privacy.conftest import KNOWN_STRINGS, PERSON

pytestmark = pytest.mark.django_db(transaction=True)
COLUMNS = ("full_name", "travel_document", "date_of_birth", "field_reference")


def _read_raw(target: _Target) -> list:
    return _read(target, raw=True)


def _read(target: _Target, raw: bool = False) -> list:
    """The restored rows as the application reads them with the keys now in settings: each raw
    value through its model field, as a query would."""
    query = f"SELECT {', '.join(COLUMNS)} FROM compliance_victimpersonaldetails ORDER BY id"
    if target.vendor == "sqlite":
        import sqlite3

        with sqlite3.connect(target.path) as conn:
            rows = conn.execute(query).fetchall()
    else:
        import psycopg

        with psycopg.connect(target.url) as conn:
            rows = conn.execute(query).fetchall()
    if raw:
        return rows
    fields = [VictimPersonalDetails._meta.get_field(c) for c in COLUMNS]
    return [
        [str(f.from_db_value(v, None, connection)) for f, v in zip(fields, row, strict=True)] for row in rows
    ]


def test_a_restore_without_the_key_is_unreadable_and_with_it_exactly_as_before(referred, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    before = [[str(getattr(d, c)) for c in COLUMNS] for d in VictimPersonalDetails.objects.order_by("pk")]
    assert before[0][:2] == [PERSON["full_name"], PERSON["travel_document"]]
    folder = tmp_path / "backup"
    call_command("backup", str(folder), stdout=io.StringIO())
    backup = b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())
    assert not any(s.encode() in backup for s in KNOWN_STRINGS)

    target = _Target(tmp_path)
    try:
        done = _restore(folder, target.url, tmp_path / "restored-media")
        assert done.returncode == 0, done.stdout + done.stderr
        raw = str(_read_raw(target))
        assert not any(s in raw for s in KNOWN_STRINGS)
        assert _read(target) == before  # with the keys: exactly as before
        settings.PERSONAL_DATA_KEYS = [Fernet.generate_key().decode()]  # without them
        assert _read(target) == [["[unreadable]", "[unreadable]", "None", "[unreadable]"]]
    finally:
        target.drop()
