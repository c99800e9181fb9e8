"""Personal fields are ciphertext in the database, plain to the code; a screened person's
identifying answers live in the protected store and everyone else sees a coded reference."""

from __future__ import annotations

import os
import subprocess
import sys

from cryptography.fernet import Fernet
from django.db import connection

from backend.checklists.services import parsed_definition
from backend.compliance.models import VictimPersonalDetails
from backend.inspections.models import Finding, Submission
from backend.privacy import crypto
from backend.privacy.models import ScreenedPerson
from tests.checklists.engine.factories import fill
from tests.privacy.conftest import FIELD_REF, PERSON, SCREENING_NOTE, SHELTER, SHELTER_NOTE


def _raw(table: str, columns: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table}")
        return cursor.fetchall()


def test_personal_fields_are_tokens_in_the_table_and_plain_to_the_code(referred):
    [row] = _raw(
        "compliance_victimpersonaldetails",
        "field_reference, full_name, date_of_birth, nationality, travel_document, contact, notes",
    )
    assert all(str(v).startswith(crypto.TOKEN_PREFIX) for v in row)
    assert not any(p in str(row) for p in (*PERSON.values(), FIELD_REF, "1999-04-02"))
    [service] = _raw("compliance_protectionservice", "provider_name, note")
    assert all(v.startswith(crypto.TOKEN_PREFIX) for v in service)
    details = VictimPersonalDetails.objects.get()
    assert (details.full_name, details.travel_document, details.field_reference) == (
        PERSON["full_name"],
        PERSON["travel_document"],
        FIELD_REF,
    )
    assert str(details.date_of_birth) == "1999-04-02"
    assert [(s.provider_name, s.note) for s in referred.services.all()] == [(SHELTER, SHELTER_NOTE)]


def test_the_same_document_is_found_again_by_its_keyed_hash_only(referred):
    details = VictimPersonalDetails.objects.get()
    assert details.travel_document_index == crypto.blind_index("p 7731904-q", purpose="travel_document")
    assert details.travel_document_index not in ("", PERSON["travel_document"])
    found = VictimPersonalDetails.objects.filter(
        travel_document_index=crypto.blind_index("P7731904Q", purpose="travel_document")
    )
    assert list(found) == [details]
    # Another index key, another hash: the index is useless without its own key.
    assert (
        crypto.blind_index("P7731904Q", purpose="travel_document")
        != crypto.hmac.new(b"other", b"travel_document\x00p7731904q", "sha256").hexdigest()
    )


def test_a_screened_persons_identifying_answers_leave_answers_and_evidence(referred, percy, api):
    submission = Submission.objects.get(template_version__template__code="ilo_forced_labour_screening")
    person = submission.answers["persons"][0]
    protected = ScreenedPerson.objects.get(submission=submission)
    assert person["person_ref"] == protected.coded_reference and protected.coded_reference.startswith("SP-")
    assert person["fl_03_note"] == "[protected]" and person["fl_03"] is True  # coded answers stay
    assert protected.answers["person_ref"] == FIELD_REF and protected.answers["fl_03_note"] == SCREENING_NOTE
    assert set(protected.answers) == {"person_ref"} | {k for k in person if k.endswith("_note")}
    assert protected.flagged
    finding = Finding.objects.get(potential_victim=True)
    assert dict(finding.evidence)["persons[0].person_ref"] == protected.coded_reference
    for table in ("inspections_submission", "inspections_finding", "privacy_screenedperson"):
        assert FIELD_REF not in str(_raw(table, "*")) and SCREENING_NOTE not in str(_raw(table, "*"))
    # Percy reviews the police's findings: he sees the coded reference, never the person's.
    body = api.as_(percy).get(f"/api/v1/review/submissions/{submission.uuid}/").content.decode()
    assert protected.coded_reference in body and FIELD_REF not in body and SCREENING_NOTE not in body


def test_without_the_key_values_are_unreadable_not_an_error(referred, settings):
    settings.PERSONAL_DATA_KEYS = [Fernet.generate_key().decode()]
    details = VictimPersonalDetails.objects.get()
    assert details.full_name == "[unreadable]" and details.date_of_birth is None
    assert (
        VictimPersonalDetails._meta.get_field("full_name")
        .get_prep_value(details.full_name)
        .startswith(crypto.TOKEN_PREFIX)
    )  # an unreadable value saved back is the token as it was


def test_with_debug_off_a_missing_key_stops_start_up_naming_the_variable(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PERSONAL_DATA_KEYS", "PERSONAL_DATA_INDEX_KEY", "DEBUG")
    }
    env.update(
        DEBUG="0", PERSONAL_DATA_KEYS_FILE=str(tmp_path / "none"), DJANGO_SETTINGS_MODULE="backend.settings"
    )
    run = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode != 0 and "PERSONAL_DATA_KEYS must be set" in run.stderr


def test_identifying_answers_are_never_written_to_submissions_or_findings(joint, alice):
    """Ingest takes them out before it inserts (no insert then update): neither the statements
    that write a submission or its findings nor the database's log of them ever carries the field
    reference or a note, for a first submission or its correction, and the referral still gets
    the field reference in the person's encrypted details."""
    from django.test.utils import CaptureQueriesContext

    from tests.compliance.conftest import ingest

    def writes(queries):
        return [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].startswith(("INSERT", "UPDATE"))
            and ('"inspections_submission"' in q["sql"] or '"inspections_finding"' in q["sql"])
        ]

    with CaptureQueriesContext(connection) as queries:
        first = joint.submit_screening(alice, fl_03_note=SCREENING_NOTE)
    assert writes(queries) and not [q for q in writes(queries) if q.startswith("UPDATE")]
    assert not [q for q in writes(queries) if FIELD_REF in q or SCREENING_NOTE in q]
    details = VictimPersonalDetails.objects.get()
    assert details.field_reference == FIELD_REF

    answers = fill(parsed_definition(joint.screening_version), yes=True, entries=1)
    answers["persons"][0].update({"person_ref": FIELD_REF, "nationality": "philippines"})
    answers["persons"][0]["fl_03_note"] = SCREENING_NOTE + " (corrected)"
    with CaptureQueriesContext(connection) as queries:
        ingest(alice, joint.inspection, joint.screening_version, answers, replaces=first.submission)
    inserted = [q for q in writes(queries) if q.startswith("INSERT")]
    assert inserted and not [q for q in inserted if FIELD_REF in q or SCREENING_NOTE in q]
    assert ScreenedPerson.objects.count() == 2  # the correction's person, in the protected store
    assert VictimPersonalDetails.objects.count() == 1  # still one referral: the same person
    for table in ("inspections_submission", "inspections_finding"):
        assert FIELD_REF not in str(_raw(table, "*")) and SCREENING_NOTE not in str(_raw(table, "*"))
