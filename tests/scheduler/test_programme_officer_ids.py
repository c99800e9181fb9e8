"""The officers a routine programme is given through the planning API are each known and active.

An officer id naming no officer was dropped without a word: a planner whose list held only
mistyped ids got 201 and a programme with no officers of its own, which plans with every inspector
of the agency (what an empty list means); a leaver's id left a programme planning with nobody. Such
ids are now refused as unknown sites are (404, each named), and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from backend.accounts.services import officer_deactivate
from scheduler.models import Programme
from tests import factories

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2030, 3, 4)


def _create(api, who, officers):
    return api.as_(who).post(
        "/api/v1/planning/programmes/",
        {
            "name": "DSAL week",
            "agency": "DSAL",
            "start_date": MONDAY.isoformat(),
            "end_date": MONDAY.isoformat(),
            "officers": [str(o) for o in officers],
        },
        format="json",
    )


@pytest.fixture
def dina(db):
    return factories.officer("DSAL", username="dina", roles=("planner",))


def test_an_unknown_officer_id_is_refused_and_nothing_is_written(api, city, dina):
    lou, _lee = city["dsal"]
    typo = uuid.uuid4()
    response = _create(api, dina, [lou.uuid, typo])
    assert response.status_code == 404, response.content
    assert response.json()["errors"]["officers"] == [str(typo)]
    assert not Programme.objects.exists()


def test_a_leavers_id_is_refused(api, city, dina):
    lou, lee = city["dsal"]
    officer_deactivate(actor=None, officer=lee)
    response = _create(api, dina, [lou.uuid, lee.uuid])
    assert response.status_code == 404, response.content
    assert response.json()["errors"]["officers"] == [str(lee.uuid)]
    assert not Programme.objects.exists()


def test_known_active_officers_make_the_programme(api, city, dina):
    lou, lee = city["dsal"]
    response = _create(api, dina, [lou.uuid, lee.uuid])
    assert response.status_code == 201, response.content
    assert set(Programme.objects.get().officers.all()) == {lou, lee}
