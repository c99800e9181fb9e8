"""Sites: coordinates inside the service area, opening hours across midnight, kinds."""

import datetime as dt
import zoneinfo

import pytest
from django.test import override_settings

from backend.core.env import BoundingBox
from backend.core.errors import InvalidInput
from backend.registry.models import Site
from tests import factories

MACAU = zoneinfo.ZoneInfo("Asia/Macau")


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    # 2026-11-30 is a Monday (weekday 0).
    return dt.datetime(2026, 11, 30, hour, minute, tzinfo=MACAU) + dt.timedelta(days=day)


@pytest.mark.parametrize(("lat", "lon"), [(22.54, 114.05), (22.30, 113.55), (22.19, 113.70), (0, 0)])
def test_coordinates_outside_the_service_area_are_refused(db, lat, lon):
    with pytest.raises(InvalidInput) as refused:
        factories.site(latitude=lat, longitude=lon)
    assert "latitude" in refused.value.errors
    assert not Site.objects.exists()  # nothing half written


@override_settings(SERVICE_AREA=BoundingBox(south=22.5, west=114.0, north=22.6, east=114.1))
def test_the_service_area_is_a_setting(db):
    assert factories.site(latitude=22.54, longitude=114.05).pk
    with pytest.raises(InvalidInput):
        factories.site(latitude=22.19, longitude=113.54)


def test_venue_open_from_eight_at_night_to_four_in_the_morning(db):
    # Open Friday night only: 20:00 Friday until 04:00 Saturday.
    venue = factories.site(opening_hours=[(4, dt.time(20), dt.time(4))])
    assert not venue.is_open_at(_at(4, 19, 59))
    assert venue.is_open_at(_at(4, 20, 0))
    assert venue.is_open_at(_at(4, 23, 30))
    assert venue.is_open_at(_at(5, 0, 30))  # Saturday early morning still counts as Friday night
    assert venue.is_open_at(_at(5, 3, 59))
    assert not venue.is_open_at(_at(5, 4, 0))
    assert not venue.is_open_at(_at(4, 3, 0))  # Friday early morning belongs to Thursday night: closed
    assert not venue.is_open_at(_at(5, 21, 0))  # Saturday night: closed


def test_opening_hours_are_read_in_local_time_whatever_the_zone_of_the_moment(db):
    venue = factories.site(opening_hours=[(0, dt.time(9), dt.time(18))])
    monday_ten_local_in_utc = _at(0, 10).astimezone(dt.UTC)
    assert venue.is_open_at(monday_ten_local_in_utc)


def test_same_opening_and_closing_time_is_refused(db):
    with pytest.raises(InvalidInput) as refused:
        factories.site(opening_hours=[(0, dt.time(9), dt.time(9))])
    assert "opening_hours[0]" in refused.value.errors


def test_only_venues_have_a_venue_type(db):
    with pytest.raises(InvalidInput) as refused:
        factories.site(kind="construction_site", venue_type="bar")
    assert "venue_type" in refused.value.errors
    with pytest.raises(InvalidInput):
        factories.site(kind="venue", venue_type="", opening_hours=[])


def test_a_subcontractor_chain_can_be_followed(db):
    main = factories.company("contractor", name_en="Main Build")
    sub = factories.company("subcontractor", name_en="Sub Works", main_contractor=main)
    subsub = factories.company("subcontractor", name_en="Labour Supply", main_contractor=sub)
    assert [c.name_en for c in subsub.chain()] == ["Labour Supply", "Sub Works", "Main Build"]


def test_a_contracting_loop_is_refused(db):
    from django.core.exceptions import ValidationError

    a = factories.company("contractor")
    b = factories.company("subcontractor", main_contractor=a)
    a.main_contractor = b
    with pytest.raises(ValidationError, match="loop"):
        a.full_clean()
