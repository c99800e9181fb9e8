"""Checking in at the site with GPS: far away is recorded and flagged, never refused; idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine
from django.utils import timezone
from geopy.distance import geodesic

from backend.audit.models import AuditEntry
from backend.inspections.models import CheckIn
from tests.mobile_api.conftest import API, assert_problem, checkin_payload


def url(inspection) -> str:
    return f"{API}/assignments/{inspection.uuid}/check-ins/"


def test_a_check_in_on_the_site_is_recorded(field, alice, phone):
    payload = checkin_payload(field.revealed)
    response = phone(alice).post(url(field.revealed), payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id"] == payload["id"]
    assert Decimal(body["distance_m"]) == 0
    assert body["outside_radius"] is False
    assert body["clock_skewed"] is False

    checkin = CheckIn.objects.get(uuid=payload["id"])
    assert checkin.officer == alice and checkin.inspection == field.revealed
    field.revealed.refresh_from_db()
    assert field.revealed.status == "in_progress"
    assert AuditEntry.objects.filter(
        verb="checkin_record", object_id=str(checkin.uuid), actor=alice.user
    ).exists()


def test_outside_the_radius_is_recorded_and_flagged_not_refused(field, alice, phone, settings):
    settings.CHECKIN_RADIUS_METRES = 150
    site = field.revealed.site
    # About 330 m north of the site.
    latitude = site.latitude + Decimal("0.003")
    payload = checkin_payload(field.revealed, latitude=str(latitude))
    response = phone(alice).post(url(field.revealed), payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    expected = geodesic(
        (float(site.latitude), float(site.longitude)), (float(latitude), float(site.longitude))
    ).m
    assert abs(Decimal(body["distance_m"]) - Decimal(str(expected))) < 1
    assert body["outside_radius"] is True
    assert CheckIn.objects.get(uuid=payload["id"]).outside_radius is True


def test_the_radius_is_the_configured_one(field, alice, phone, settings):
    settings.CHECKIN_RADIUS_METRES = 500
    latitude = field.revealed.site.latitude + Decimal("0.003")
    response = phone(alice).post(url(field.revealed), checkin_payload(field.revealed, latitude=str(latitude)))
    assert response.status_code == 201
    assert response.json()["outside_radius"] is False


def test_the_same_check_in_again_answers_as_the_first_time(field, alice, phone):
    client = phone(alice)
    payload = checkin_payload(field.revealed)
    first = client.post(url(field.revealed), payload, format="json")
    again = client.post(url(field.revealed), payload, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert CheckIn.objects.count() == 1


def test_the_same_id_with_other_content_is_a_conflict(field, alice, phone):
    client = phone(alice)
    payload = checkin_payload(field.revealed)
    assert client.post(url(field.revealed), payload, format="json").status_code == 201
    moved = {**payload, "latitude": str(field.revealed.site.latitude + Decimal("0.001"))}
    assert_problem(client.post(url(field.revealed), moved, format="json"), 409, "conflict")
    stored = CheckIn.objects.get()
    assert stored.latitude == field.revealed.site.latitude
    assert CheckIn.objects.count() == 1


def test_a_phone_clock_far_from_the_server_is_flagged(field, alice, phone):
    far = (timezone.now() + dt.timedelta(hours=2)).isoformat()
    response = phone(alice).post(url(field.revealed), checkin_payload(field.revealed), HTTP_X_DEVICE_TIME=far)
    assert response.status_code == 201
    assert response.json()["clock_skewed"] is True


def test_a_device_time_in_the_future_is_flagged(field, alice, phone):
    future = (timezone.now() + dt.timedelta(hours=2)).isoformat()
    response = phone(alice).post(url(field.revealed), checkin_payload(field.revealed, device_time=future))
    assert response.status_code == 201
    assert response.json()["clock_skewed"] is True


def test_a_check_in_queued_offline_is_not_skewed_and_is_received_at_server_time(field, alice, phone):
    client = phone(alice)
    queued = checkin_payload(field.revealed, device_time=(timezone.now() - dt.timedelta(hours=3)).isoformat())
    server_time = timezone.now() + dt.timedelta(seconds=30)
    with time_machine.travel(server_time, tick=False):
        response = client.post(url(field.revealed), queued, format="json")
    assert response.status_code == 201
    assert response.json()["clock_skewed"] is False
    assert CheckIn.objects.get().received_at == server_time
