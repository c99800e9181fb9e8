"""A night's work through HTTP alone, then every request retried: each record and file exactly once."""

from __future__ import annotations

import datetime as dt
import io
import uuid

from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from backend.audit.models import AuditEntry
from backend.checklists.services import parsed_definition
from backend.inspections.models import Attachment, CheckIn, Finding, Submission
from tests.checklists.engine.factories import fill
from tests.conftest import PASSWORD
from tests.mobile_api.conftest import API, attachment_url, checkin_payload, sha256, stored_files


def photo(colour: tuple[int, int, int]) -> bytes:
    """A JPEG as a phone writes it, GPS and all."""
    exif = Image.Exif()
    exif.get_ifd(0x8825)[1] = "N"
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def queued(
    inspection_id: str, version: dict, answers: dict, files: dict[str, bytes], minutes_ago: int
) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "inspection": inspection_id,
        "template_version": version["id"],
        "answers": answers,
        "device_started_at": (timezone.now() - dt.timedelta(minutes=minutes_ago + 20)).isoformat(),
        "device_submitted_at": (timezone.now() - dt.timedelta(minutes=minutes_ago)).isoformat(),
        "attachments": [{"name": n, "sha256": sha256(d), "size": len(d)} for n, d in files.items()],
        "location": {"latitude": "22.210000", "longitude": "113.545000"},
    }


def test_a_night_of_field_work_synced_twice_is_stored_once(field, alice, media):
    phone = APIClient()

    # Sign in.
    signed_in = phone.post(
        f"{API}/auth/sign-in/",
        {"username": "alice", "password": PASSWORD, "device_name": "Alice's phone"},
        format="json",
    )
    assert signed_in.status_code == 201, signed_in.content
    phone.credentials(HTTP_AUTHORIZATION=f"Bearer {signed_in.json()['token']}")

    # Today's assignments.
    [assignment] = phone.get(f"{API}/assignments/").json()["results"]
    assert assignment["id"] == str(field.revealed.uuid)
    inspection_id = assignment["id"]

    # The checklists, downloaded, then confirmed unchanged.
    versions = {}
    for checklist in assignment["checklists"]:
        url = f"{API}/templates/{checklist['id']}/"
        downloaded = phone.get(url)
        assert downloaded.status_code == 200
        assert downloaded["ETag"] == f'"{checklist["digest"]}"'
        assert phone.get(url, HTTP_IF_NONE_MATCH=downloaded["ETag"]).status_code == 304
        versions[checklist["template"]] = downloaded.json()
    venue_v = versions["venue_prostitution_trafficking"]
    screening_v = versions["ilo_forced_labour_screening"]

    # Check in at the door.
    arrival = checkin_payload(field.revealed)
    check_in_url = f"{API}/assignments/{inspection_id}/check-ins/"
    first_arrival = phone.post(check_in_url, arrival, format="json")
    assert first_arrival.status_code == 201

    # The work, queued offline: the venue checklist with two photos and a signature, and an
    # ILO screening for each of two persons, each signed.
    files: dict[str, dict[str, bytes]] = {}
    names = [str(uuid.uuid4()) for _ in range(5)]
    venue_answers = fill(parsed_definition(field.venue_version), entries=2)
    venue_answers["site_photos"], venue_answers["officer_signature"] = names[:2], names[2]
    for n, person in enumerate(venue_answers["persons"]):
        person["person_ref"] = f"P{n + 1}"
    venue_files = {names[0]: photo((200, 0, 0)), names[1]: photo((0, 200, 0)), names[2]: photo((0, 0, 200))}
    queue = [queued(inspection_id, venue_v, venue_answers, venue_files, minutes_ago=50)]
    files[queue[0]["id"]] = venue_files
    for n, name in enumerate(names[3:]):
        screening = fill(parsed_definition(field.screening_version), entries=1)
        screening["persons"][0]["person_ref"] = f"P{n + 1}"
        screening["officer_signature"] = name
        screening_files = {name: photo((90, 90, 30 + n))}
        queue.append(queued(inspection_id, screening_v, screening, screening_files, minutes_ago=40 - n))
        files[queue[-1]["id"]] = screening_files

    # Back in signal: sync, then upload the files.
    now = {"HTTP_X_DEVICE_TIME": timezone.now().isoformat()}
    first_sync = phone.post(f"{API}/submissions/batch/", {"items": queue}, format="json", **now)
    assert first_sync.status_code == 200
    assert [r["status"] for r in first_sync.json()["results"]] == [201, 201, 201], first_sync.json()
    for result in first_sync.json()["results"]:
        assert result["body"]["complete"] is False and result["body"]["clock_skewed"] is False
    for submission_id, submitted in files.items():
        for name, data in submitted.items():
            uploaded = phone.put(attachment_url(submission_id, name), data, content_type="image/jpeg")
            assert uploaded.status_code == 201, uploaded.content
    findings = {r["id"]: r["body"]["findings"] for r in first_sync.json()["results"]}
    assert all(findings.values())

    # The phone never saw the answers: it retries everything.
    retry = phone.post(f"{API}/submissions/batch/", {"items": queue}, format="json", **now)
    assert [r["status"] for r in retry.json()["results"]] == [200, 200, 200]
    for result in retry.json()["results"]:
        assert result["body"]["findings"] == findings[result["id"]]
        assert result["body"]["complete"] is True
    for submission_id, submitted in files.items():
        for name, data in submitted.items():
            again = phone.put(attachment_url(submission_id, name), data, content_type="image/jpeg")
            assert again.status_code == 200
    second_arrival = phone.post(check_in_url, arrival, format="json")
    assert second_arrival.status_code == 200
    assert second_arrival.json() == first_arrival.json()

    # Each record and each file exactly once, with its findings.
    assert Submission.objects.count() == 3
    assert Attachment.objects.count() == 5
    assert Attachment.objects.filter(received_at__isnull=False).count() == 5
    assert CheckIn.objects.count() == 1
    assert Finding.objects.count() == sum(len(f) for f in findings.values())
    for submission_id, shown in findings.items():
        stored = Finding.objects.filter(submission__uuid=submission_id)
        assert {str(f.uuid) for f in stored} == {f["id"] for f in shown}
    assert len(stored_files(media)) == 10  # each photo's original and its served copy
    assert AuditEntry.objects.filter(verb="submission_ingest").count() == 3
    assert AuditEntry.objects.filter(verb="attachment_store").count() == 5
    assert AuditEntry.objects.filter(verb="checkin_record").count() == 1

    # And what the phone reads back is the finished work.
    for submission_id in files:
        detail = phone.get(f"{API}/submissions/{submission_id}/").json()
        assert detail["complete"] is True and detail["findings"] == findings[submission_id]
    potential_victims = Finding.objects.filter(inspection=field.revealed, potential_victim=True)
    assert (
        potential_victims.filter(
            submission__template_version__template__code="ilo_forced_labour_screening"
        ).count()
        == 2
    )
