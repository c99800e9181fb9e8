"""Key rotation under arriving submissions loses nothing; a person's lawful request (access,
erasure) is served by victim protection alone, audited."""

from __future__ import annotations

import io
import json

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from backend.audit.models import AuditEntry
from backend.compliance import services as compliance
from backend.compliance.models import ProtectionService, Referral, VictimPersonalDetails, short_reference
from backend.privacy import crypto
from backend.privacy.access_report import access_report
from backend.privacy.models import ScreenedPerson
from backend.privacy.services import ENCRYPTED_COLUMNS, rotate_keys
from tests.privacy.conftest import FIELD_REF, PERSON, SCREENING_NOTE, SHELTER


def _tokens() -> list[str]:
    out = []
    with connection.cursor() as cursor:
        for table, columns in ENCRYPTED_COLUMNS:
            cursor.execute(f"SELECT {', '.join(columns)} FROM {table}")
            out += [v for row in cursor.fetchall() for v in row if v]
    return out


def _plain() -> dict:
    return {
        "details": sorted(
            (d.field_reference, d.full_name, d.travel_document, str(d.date_of_birth))
            for d in VictimPersonalDetails.objects.all()
        ),
        "services": sorted((s.provider_name, s.note) for s in ProtectionService.objects.all()),
        "screened": sorted(json.dumps(p.answers, sort_keys=True) for p in ScreenedPerson.objects.all()),
    }


def test_rotation_while_submissions_arrive_loses_nothing(joint, alice, vera, referred, settings, tmp_path):
    old, new = settings.PERSONAL_DATA_KEYS[0], Fernet.generate_key().decode()
    for n in range(2, 5):  # more people, so there are several batches
        joint.submit_screening(alice, person_ref=f"P-{n} green hat", fl_03_note=f"note {n}")
    settings.PERSONAL_DATA_KEYS = [new, old]
    arrived = []

    def meanwhile(progress):
        # A screening arrives and a detail is recorded between the first batches, under the new key.
        if len(arrived) >= 5:
            return
        n = 10 + len(arrived)
        arrived.append(joint.submit_screening(alice, person_ref=f"P-{n} late", fl_03_note=f"late {n}"))
        details = Referral.objects.order_by("-pk").first().personal_details
        compliance.victim_details_record(user=vera.user, details=details, contact=f"+853 6000 00{n}")

    rotate_keys(batch_size=2, progress=meanwhile)
    expected = _plain()
    assert len(arrived) == 5 and len(expected["details"]) == 4 + len(arrived)
    # Only the new key now: every value still opens, every one as it was.
    settings.PERSONAL_DATA_KEYS = [new]
    assert all(crypto.is_current(t) for t in _tokens())
    assert _plain() == expected
    assert (FIELD_REF, PERSON["full_name"], PERSON["travel_document"], "1999-04-02") in expected["details"]
    assert (
        any(SCREENING_NOTE in s for s in expected["screened"])
        and (SHELTER, "Room 14, east wing") in expected["services"]
    )
    # The command: resumable batches with progress; a second run has nothing left to do.
    out = io.StringIO()
    call_command("rotate_personal_data_keys", "--batch-size=3", f"--state={tmp_path / 's.json'}", stdout=out)
    assert "rows" in out.getvalue() and "Done: 0 values re-encrypted" in out.getvalue()


def test_a_persons_access_and_erasure_requests(referred, vera, percy, tmp_path):
    with pytest.raises(CommandError):
        call_command("person_request", str(referred.uuid), "--access", "--by=percy")
    out = tmp_path / "answer.json"
    call_command(
        "person_request", str(referred.uuid), "--access", "--by=vera", "--note=REQ-7", f"--out={out}"
    )
    answer = json.loads(out.read_text())
    assert answer["personal_details"]["full_name"] == PERSON["full_name"]
    assert answer["referral"]["screened_at"] == referred.screened_at.isoformat()  # when screened, too
    assert answer["screening"]["answers"]["fl_03_note"] == SCREENING_NOTE
    assert answer["protection_services"][0]["provider"] == SHELTER
    assert (out.stat().st_mode & 0o777) == 0o600

    call_command(
        "person_request", str(referred.uuid), "--erase", "--by=vera", "--note=REQ-8", stdout=io.StringIO()
    )
    details = VictimPersonalDetails.objects.get()
    assert (details.full_name, details.contact, details.field_reference) == ("", "", "")
    assert ScreenedPerson.objects.get(flagged=True).answers == {}
    assert Referral.objects.get().nationality_band == referred.nationality_band  # coded fields stay
    entries = AuditEntry.objects.filter(verb__startswith="person_request").order_by("at")
    assert [(e.verb, e.actor, e.changes.get("reason_text")) for e in entries] == [
        ("person_request_access", vera.user, "REQ-7"),
        ("person_request_erasure", vera.user, "REQ-8"),
    ]
    assert entries[1].changes["details"] == 1 and PERSON["full_name"] not in str(entries[1].changes)


def test_a_request_names_the_referral_by_the_reference_the_pages_show(referred, vera, percy, tmp_path):
    """The console, the referral's pages and the access report show a referral as "3D45D005";
    the command took only the whole UUID, and answered that reference "Refused: Not found."."""
    reference = short_reference(referred.uuid)
    out = tmp_path / "answer.json"
    call_command("person_request", reference, "--access", "--by=vera", "--note=REQ-9", f"--out={out}")
    assert json.loads(out.read_text())["personal_details"]["full_name"] == PERSON["full_name"]
    call_command("person_request", reference.lower(), "--access", "--by=vera", f"--out={out}")
    entry = AuditEntry.objects.filter(verb="person_request_access").order_by("at").first()
    assert entry.object_id == str(referred.uuid) and entry.changes["reason_text"] == "REQ-9"
    with pytest.raises(CommandError, match="may serve"):
        call_command("person_request", "0000ABCD", "--access", "--by=vera")
    with pytest.raises(CommandError, match="may serve"):
        call_command("person_request", reference, "--access", "--by=percy")


def test_a_refused_request_is_in_the_access_report(referred, vera, percy):
    """Someone without the victim-protection role asking for a person's data, or their erasure,
    was refused without a trace: the data-protection officer saw refused reads of the details,
    never a refused request."""
    with pytest.raises(CommandError):
        call_command("person_request", str(referred.uuid), "--erase", "--by=percy", "--note=REQ-10")
    today = timezone.localdate()
    rows = access_report(date_from=today, date_to=today, flagged_only=True)
    assert [(r.reader, r.verb, r.reason, r.reason_text, r.flags) for r in rows] == [
        ("percy", "victim_details_refused", "lawful_request", "REQ-10", ["refused"])
    ]
    assert VictimPersonalDetails.objects.get().full_name == PERSON["full_name"]  # nothing erased
