"""Outreach records hold no personal data and keep their one-row rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError

from backend.outreach.models import Activity, HotlineCall
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_hotline_call_has_no_field_for_personal_data():
    names = {f.name for f in HotlineCall._meta.get_fields()}
    assert names == {"id", "uuid", "hotline", "kind", "outcome", "received_on", "created_at"}


def test_an_activity_has_an_agency_or_a_named_organiser_never_both(db):
    ias = factories.agency("IAS")
    day = dt.date(2021, 1, 1)
    Activity.objects.create(kind="seminar", organiser=ias, audience="employees", held_on=day, participants=5)
    with pytest.raises(IntegrityError):
        Activity.objects.create(
            kind="seminar",
            organiser=ias,
            organiser_text="x",
            audience="employees",
            held_on=day,
            participants=5,
        )


def test_the_organiser_label(db):
    ias = factories.agency("IAS")
    assert Activity(organiser=ias).organiser_label == "IAS"
    assert Activity(organiser_text="not stated in seed facts").organiser_label == "not stated in seed facts"
