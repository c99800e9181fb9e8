"""The review detail shows what a reviewer needs to judge a submission: each photo's served copy
(metadata stripped) and the check-ins with their distance and clock flags; the copy is served to
those who may review the submission and to nobody else."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from decimal import Decimal

from django.utils import timezone

from backend.inspections import services as inspections
from tests.checklists.engine.factories import UUID as PHOTO_REF
from tests.compliance.conftest import construction_answers
from tests.mobile_api.conftest import jpeg_with_gps


def _submit_with_photo(joint, officer):
    photo = jpeg_with_gps()
    result = inspections.submission_ingest(
        officer=officer,
        data=inspections.SubmissionInput(
            id=uuid.uuid4(),
            inspection=joint.inspection.uuid,
            template_version=joint.construction_version.uuid,
            answers=construction_answers(joint.construction_version),
            device_submitted_at=timezone.now(),
            attachments=(
                inspections.DeclaredAttachment(name=PHOTO_REF, sha256=hashlib.sha256(photo).hexdigest()),
                inspections.DeclaredAttachment(name="signature", sha256="0" * 64),
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


def _check_in(joint, officer, *, far: bool, skewed: bool):
    site = joint.site
    offset = Decimal("0.01") if far else Decimal("0")
    phone_clock = timezone.now() - (dt.timedelta(hours=1) if skewed else dt.timedelta(0))
    inspections.checkin_record(
        officer=officer,
        inspection=joint.inspection,
        data=inspections.CheckInInput(
            id=uuid.uuid4(),
            latitude=Decimal(site.latitude) + offset,
            longitude=Decimal(site.longitude),
            device_time=phone_clock,
        ),
        sent_at=phone_clock,  # the phone's clock as it sends (X-Device-Time)
    )


def test_detail_gives_each_photos_served_copy_and_the_check_in_flags(joint, bob, carol, api):
    _check_in(joint, bob, far=True, skewed=True)
    submission = _submit_with_photo(joint, bob)
    body = api.as_(carol).get(f"/api/v1/review/submissions/{submission.uuid}/").json()

    attachments = {a["name"]: a for a in body["attachments"]}
    assert attachments["signature"]["received"] is False and attachments["signature"]["url"] is None
    photo = attachments[PHOTO_REF]
    assert photo["received"] is True and photo["content_type"] == "image/jpeg"
    assert photo["url"].startswith("http") and photo["url"].endswith(
        f"/api/v1/review/submissions/{submission.uuid}/attachments/{PHOTO_REF}"
    )
    [check_in] = body["check_ins"]
    assert check_in["outside_radius"] is True and float(check_in["distance_m"]) > 1000
    assert check_in["clock_skewed"] is True and check_in["officer"] == bob.full_name
    assert "clock_skewed" in body

    served = api.as_(carol).get(photo["url"])
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    content = b"".join(served.streaming_content)
    assert content.startswith(b"\xff\xd8") and b"PhoneMaker" not in content  # EXIF stripped


def test_the_served_copy_is_nobody_elses(joint, bob, carol, oscar, paula, api, client):
    submission = _submit_with_photo(joint, bob)
    url = f"/api/v1/review/submissions/{submission.uuid}/attachments/{PHOTO_REF}"
    assert api.as_(carol).get(url).status_code == 200
    # No officer record (no way in: not let in); a planner who reviews nothing (not found).
    for outsider, status in ((oscar, 401), (paula, 404)):
        response = api.as_(outsider).get(url)
        assert response.status_code == status, outsider
        assert response["Content-Type"] == "application/problem+json"
    assert client.get(url).status_code in (401, 403)  # signed out
    missing = f"/api/v1/review/submissions/{submission.uuid}/attachments/signature-not-declared"
    assert api.as_(carol).get(missing).status_code == 404
    assert api.as_(carol).get("/api/v1/review/submissions/not-a-uuid/attachments/x").status_code == 404
