"""The joint visit and its people (see tests/compliance/conftest.py), and a referred person whose
details victim protection has recorded: names, a document, a contact, a shelter."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.compliance import services as compliance
from backend.compliance.models import Referral
from tests.compliance import conftest as compliance_fixtures

# The joint visit's fixtures, shared with the compliance tests.
joint = compliance_fixtures.joint
catalogue = compliance_fixtures.catalogue
percy = compliance_fixtures.percy
vera = compliance_fixtures.vera
andy = compliance_fixtures.andy
tina = compliance_fixtures.tina
ingest = compliance_fixtures.ingest

PERSON = {
    "full_name": "Maria Esperanza Dalisay",
    "nationality": "Filipino",
    "travel_document": "P7731904Q",
    "contact": "+853 6612 3491",
    "notes": "Sleeps in the container behind Block C",
}
SHELTER = "Harbour Light Shelter"
SHELTER_NOTE = "Room 14, east wing"
FIELD_REF = "P-1 red jacket"
SCREENING_NOTE = "Passport kept by foreman Wong"
KNOWN_STRINGS = (*PERSON.values(), SHELTER, SHELTER_NOTE, FIELD_REF, SCREENING_NOTE)


@pytest.fixture
def referred(joint, alice, vera):
    """Alice screens one person (a potential victim, with a note); Vera records who they are and
    a shelter."""
    joint.submit_screening(alice, fl_03_note=SCREENING_NOTE)
    referral = Referral.objects.get()
    compliance.victim_details_record(
        user=vera.user,
        details=referral.personal_details,
        date_of_birth=dt.date(1999, 4, 2),
        **PERSON,
    )
    compliance.protection_service_record(
        user=vera.user,
        referral=referral,
        kind="shelter",
        provider_kind="ngo",
        provider_name=SHELTER,
        started_on=dt.date(2026, 12, 1),
        note=SHELTER_NOTE,
    )
    return Referral.objects.get(pk=referral.pk)
