"""The muster point's address in the reader's language: the operation's page and each team's
briefing gave the unit's one address (as registered, in Portuguese) to a Chinese planner and team,
where Macao writes its addresses in Chinese as well. A Chinese reader gets the Chinese form where
the unit has one, the registered address where it has none; Portuguese and English readers the
registered address."""

from __future__ import annotations

import pytest

from scheduler.models import PlanningJob

pytestmark = pytest.mark.django_db(transaction=True)

REGISTERED = "Avenida do Cais de Pac On, Taipa"
CHINESE = "澳門氹仔北安碼頭馬路"


@pytest.fixture
def addressed(city):
    muster = city["muster"]
    muster.address, muster.address_zh_hant = REGISTERED, CHINESE
    muster.save(update_fields=["address", "address_zh_hant"])
    return muster


@pytest.fixture
def planned(planner_client, operation, addressed):
    planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/start/", {"time_limit_seconds": 3, "seed": 1}
    )
    job = PlanningJob.objects.get(operation=operation)
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    return job


@pytest.mark.parametrize(
    ("language", "shown", "not_shown"),
    [
        ("zh-hant", CHINESE, REGISTERED),
        ("pt", REGISTERED, CHINESE),
        ("en", REGISTERED, CHINESE),
    ],
)
def test_the_muster_points_address_is_in_the_readers_language(
    planner_client, operation, planned, language, shown, not_shown
):
    planner_client.post("/i18n/setlang/", {"language": language, "next": "/"})
    for page in (
        f"/planning/operations/{operation.uuid}/",
        f"/planning/operations/{operation.uuid}/plan/briefings/1/",
    ):
        html = planner_client.get(page).content.decode()
        assert shown in html and not_shown not in html, page


def test_a_unit_with_no_chinese_address_shows_the_registered_one_to_a_chinese_reader(
    planner_client, operation, planned, addressed
):
    addressed.address_zh_hant = ""
    addressed.save(update_fields=["address_zh_hant"])
    planner_client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    html = planner_client.get(f"/planning/operations/{operation.uuid}/plan/briefings/1/").content.decode()
    assert REGISTERED in html
