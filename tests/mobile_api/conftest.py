"""A small field scenario built through the services, and a phone client.

- Alice (PSP) and Dora (PSP) form team "Night 1" of a revealed joint operation with one venue
  visit today (venue checklist plus the ILO screening), and of a sealed operation tomorrow.
- Bob (DSAL) has a routine employment-agency inspection of his own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from backend.audit.models import AuditEntry
from backend.checklists import engine
from backend.checklists.models import TemplateVersion
from backend.checklists.services import parsed_definition, template_version_create, template_version_publish
from backend.inspections import services as inspections
from backend.inspections.models import Attachment, CheckIn, Finding, Inspection, Operation, Submission
from tests import factories
from tests.checklists.engine.factories import UUID as PHOTO_REF
from tests.checklists.engine.factories import fill

API = "/api/mobile/v1"


@dataclass
class Field:
    revealed: Inspection
    sealed: Inspection
    routine: Inspection
    operation: Operation
    sealed_operation: Operation
    venue_version: TemplateVersion
    screening_version: TemplateVersion
    agency_version: TemplateVersion


FIELD_TEMPLATES = ("venue_prostitution_trafficking", "ilo_forced_labour_screening", "employment_agency")


def _publish_builtin(*codes: str) -> list[TemplateVersion]:
    """Publish the built-in checklists named: only those the scenario uses, which keeps every
    test's set-up short (loading all of them would double it)."""
    definitions = engine.load_builtin()
    return [
        template_version_publish(
            actor=None, version=template_version_create(actor=None, definition=definitions[code])
        )
        for code in codes
    ]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """A MEDIA_ROOT of the test's own, so uploads never land in var/ and files can be counted."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


@pytest.fixture
def dora(db):
    return factories.officer("PSP", username="dora", full_name="Dora Police", sex="F")


@pytest.fixture
def field(db, alice, dora, bob, paula) -> Field:
    venue_v, screening_v, agency_v = _publish_builtin(*FIELD_TEMPLATES)
    now = timezone.now()
    psp = alice.agency
    venue = factories.site(name_en="Golden Lotus Karaoke")

    operation = inspections.operation_create(
        actor=None,
        name="Thunderbolt night 1",
        lead_agency=psp,
        agencies=[bob.agency],
        planners=[paula],
        reveal_at=now - dt.timedelta(hours=1),
        starts_at=now - dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(hours=6),
        status=Operation.Status.PUBLISHED,
    )
    team = inspections.team_create(
        actor=None, name="Night 1", members=[alice, dora], leader=dora, operation=operation
    )
    revealed = inspections.inspection_issue(
        actor=None,
        site=venue,
        category="prostitution_trafficking",
        template_version=venue_v,
        additional_versions=[screening_v],
        planned_start=now,
        planned_end=now + dt.timedelta(hours=2),
        team=team,
        operation=operation,
        route_order=1,
    )
    sealed_operation = inspections.operation_create(
        actor=None,
        name="Thunderbolt night 2",
        lead_agency=psp,
        planners=[paula],
        reveal_at=now + dt.timedelta(hours=20),
        starts_at=now + dt.timedelta(hours=22),
        ends_at=now + dt.timedelta(hours=30),
        status=Operation.Status.PUBLISHED,
    )
    sealed_team = inspections.team_create(
        actor=None, name="Night 2", members=[alice], operation=sealed_operation
    )
    sealed = inspections.inspection_issue(
        actor=None,
        site=factories.site(name_en="Jade Sauna", venue_type="sauna"),
        category="prostitution_trafficking",
        template_version=venue_v,
        planned_start=now + dt.timedelta(hours=22),
        planned_end=now + dt.timedelta(hours=23),
        team=sealed_team,
        operation=sealed_operation,
    )
    bob_team = inspections.team_create(actor=None, name="DSAL routine", members=[bob])
    routine = inspections.inspection_issue(
        actor=None,
        site=factories.site(kind="employment_agency", name_en="Bright Future Agency", opening_hours=[]),
        category="employment_agency",
        template_version=agency_v,
        planned_start=now,
        planned_end=now + dt.timedelta(hours=8),
        team=bob_team,
    )
    return Field(revealed, sealed, routine, operation, sealed_operation, venue_v, screening_v, agency_v)


def jpeg_with_gps() -> bytes:
    """A small real JPEG carrying EXIF with a GPS block, as phones write them."""
    from PIL import Image

    image = Image.new("RGB", (32, 24), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (22.0, 11.0, 30.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def submission_payload(
    inspection: Inspection, version: TemplateVersion, *, photo: bytes | None = None, **overrides: Any
) -> dict[str, Any]:
    """A valid submission for ``inspection`` on ``version``, declaring the photo it references."""
    answers = fill(parsed_definition(version), yes=True, entries=1)
    photo = photo if photo is not None else jpeg_with_gps()
    payload: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "inspection": str(inspection.uuid),
        "template_version": str(version.uuid),
        "answers": answers,
        "device_submitted_at": timezone.now().isoformat(),
        "attachments": [{"name": PHOTO_REF, "sha256": sha256(photo), "size": len(photo)}],
    }
    payload.update(overrides)
    return payload


def checkin_payload(inspection: Inspection, **overrides: Any) -> dict[str, Any]:
    """A check-in standing on the site, sent now."""
    payload: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "latitude": str(inspection.site.latitude),
        "longitude": str(inspection.site.longitude),
        "accuracy_m": "8.0",
        "device_time": timezone.now().isoformat(),
    }
    payload.update(overrides)
    return payload


def attachment_url(submission_id: Any, name: str) -> str:
    return f"{API}/submissions/{submission_id}/attachments/{name}"


def assert_problem(response: Any, status: int, code: str | None = None, fields: tuple[str, ...] = ()) -> dict:
    """``response`` is an application/problem+json error of ``status`` (and ``code``), whose
    ``errors`` name each of ``fields``."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json"), response["Content-Type"]
    body = response.json()
    assert_problem_body(body, status, code, fields)
    return body


def assert_problem_body(
    body: dict, status: int, code: str | None = None, fields: tuple[str, ...] = ()
) -> None:
    assert {"type", "title", "status", "detail", "code"} <= body.keys(), body
    assert body["status"] == status, body
    if code is not None:
        assert body["code"] == code, body
    for name in fields:
        assert name in body.get("errors", {}), body


def row_counts() -> dict[str, int]:
    """How many rows each table the field writes to holds: what 'nothing left behind' compares."""
    return {m.__name__: m.objects.count() for m in (Submission, Attachment, Finding, CheckIn, AuditEntry)}


def stored_files(root: Any) -> list[Any]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture
def karaoke(db):
    """A venue named in the three languages, for the declarations of conflicts of interest."""
    return factories.site(
        name_en="Golden Lotus Karaoke",
        name_zh_hant="金蓮卡拉OK",
        name_pt="Karaoke Lótus Dourado",
        address="Rua do Lótus 8",
        address_zh_hant="蓮花街8號",
    )
