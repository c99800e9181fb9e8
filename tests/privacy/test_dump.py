"""No plain personal data in a full dump: after a person is screened through the officers' API,
referred, read (with reasons), recorded, sheltered, exported on request, notified and rotated,
every table (audit log, outbox and task payloads included), the media folder, the mails and the
logs are searched for the person's names, document number, contact, shelter and notes."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from django.core import mail
from django.core.management import call_command
from django.db import connection

from backend.compliance.models import Referral
from backend.outbox.models import OutboxMessage
from backend.privacy.services import person_request, rotate_keys
from tests.privacy.conftest import KNOWN_STRINGS


def _full_dump() -> str:
    """Every row of every table, through the test's own connection (it sees the uncommitted test
    data, which a separate pg_dump would not); on SQLite the engine's own dump as well."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            parts.append(f"{table}: {cursor.fetchall()!r}")
    if connection.vendor == "sqlite":
        parts.extend(connection.connection.iterdump())
    return "\n".join(parts)


def _files(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file()) if root.exists() else b""


def test_no_plain_personal_data_anywhere(referred, vera, api, client, settings, tmp_path, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.REFERRAL_NOTIFY_EMAILS = ["protection@example.org"]
    url = f"/api/v1/referrals/{referred.uuid}/person/"
    assert api.as_(vera).get(url + "?reason=protection").status_code == 200
    assert (
        api.as_(vera).post(url + "record/", {"notes": "Sleeps in the container behind Block C"}).status_code
        == 200
    )
    person_request(user=vera.user, referral_uuid=referred.uuid, kind="access", note="REQ-1")
    call_command("relay_outbox", stdout=io.StringIO())  # task payloads sent (or run in-process)
    rotate_keys(batch_size=1)
    assert OutboxMessage.objects.exists() and Referral.objects.count() == 1

    dump = _full_dump()
    assert "compliance_victimpersonaldetails" in dump and "privacy_screenedperson" in dump
    assert "audit_auditentry" in dump and "outbox_outboxmessage" in dump
    out, err = capfd.readouterr()
    media = _files(Path(settings.MEDIA_ROOT))
    mails = "\n".join(f"{m.subject}\n{m.body}" for m in mail.outbox)
    for text in KNOWN_STRINGS:
        assert text not in dump, f"{text!r} in the database dump"
        assert text.encode() not in media, f"{text!r} in the media folder"
        assert text not in caplog.text and text not in out and text not in err, f"{text!r} in the logs"
        assert text not in mails, f"{text!r} in a mail"
