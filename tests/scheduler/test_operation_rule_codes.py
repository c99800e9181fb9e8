"""The agencies and skills an operation's team rule names are the registry's.

The console's form offers the registry's agencies and skills alone; the planning API stored any
code it was sent in ``required_agencies`` and ``required_skills``: a typo ("PSPP", "lang-yue ")
made a rule no team can meet, and every plan broke it, with nothing said at the time. Such a code
is now refused as an unknown agency is (404, each named, on its field), creating or editing, and
nothing is written.
"""

from __future__ import annotations

import datetime as dt

import pytest

from backend.inspections.models import Operation
from backend.registry.models import Skill
from scheduler.models import OperationSetup
from tests.scheduler.conftest import EVENING

pytestmark = pytest.mark.django_db

OPERATIONS = "/api/v1/planning/operations/"


@pytest.fixture
def payload(city):
    return {
        "name": "Thunderbolt",
        "lead_agency": "PSP",
        "agencies": ["DSAL"],
        "starts_at": EVENING.isoformat(),
        "ends_at": (EVENING + dt.timedelta(hours=6)).isoformat(),
        "reveal_at": (EVENING - dt.timedelta(hours=1)).isoformat(),
        "muster_unit": city["muster"].code,
        "waves": [{"code": "W1", "starts_at": (EVENING + dt.timedelta(hours=1)).isoformat()}],
        "team_min_size": 2,
        "team_max_size": 2,
        "required_agencies": ["PSP", "DSAL"],
    }


@pytest.mark.parametrize(
    ("field", "codes", "unknown"),
    [
        ("required_agencies", ["PSP", "PSPP"], ["PSPP"]),
        ("required_skills", ["nope", "lang-xx"], ["lang-xx", "nope"]),
    ],
)
def test_an_unknown_code_in_the_rule_is_refused_and_nothing_is_written(
    api, paula, payload, field, codes, unknown
):
    payload[field] = codes
    response = api.as_(paula).post(OPERATIONS, payload, format="json")
    assert response.status_code == 404, response.content
    assert sorted(response.json()["errors"][field]) == unknown
    assert not Operation.objects.exists()


def test_an_unknown_code_in_an_edit_is_refused_and_the_rule_is_unchanged(api, paula, operation):
    response = api.as_(paula).patch(
        f"{OPERATIONS}{operation.uuid}/", {"required_agencies": ["PSP", "DSAL", "XYZ"]}, format="json"
    )
    assert response.status_code == 404, response.content
    assert response.json()["errors"]["required_agencies"] == ["XYZ"]
    assert OperationSetup.objects.get(operation=operation).required_agencies == ["PSP", "DSAL"]


def test_the_registrys_codes_make_the_rule(api, paula, payload):
    Skill.objects.get_or_create(code="lang-yue", defaults={"name_en": "Cantonese", "kind": "language"})
    payload["required_skills"] = ["lang-yue"]
    response = api.as_(paula).post(OPERATIONS, payload, format="json")
    assert response.status_code == 201, response.content
    setup = OperationSetup.objects.get()
    assert (setup.required_agencies, setup.required_skills) == (["PSP", "DSAL"], ["lang-yue"])
