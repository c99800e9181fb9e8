"""The planner's operation pages over HTTP: the list, creating and editing an operation, and
choosing targets from the list (the map's keyboard alternative) and by a selection."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from backend.inspections.models import Operation
from scheduler.models import PlanningJob, Target
from tests import factories
from tests.scheduler.conftest import EVENING

pytestmark = pytest.mark.django_db

LOCAL = "%Y-%m-%dT%H:%M"


def test_the_list_shows_the_planners_operations_with_status_and_filters(planner_client, operation):
    page = planner_client.get("/planning/")
    assert page.status_code == 200
    assert b"Thunderbolt" in page.content
    assert planner_client.get("/planning/?status=published").content.count(b"Thunderbolt") == 0
    later = (EVENING + dt.timedelta(days=2)).date().isoformat()
    assert b"Thunderbolt" not in planner_client.get(f"/planning/?starts_from={later}").content


def test_the_home_page_links_the_planners_pages(planner_client):
    home = planner_client.get("/").content.decode()
    assert 'href="/planning/"' in home and 'href="/planning/programmes/"' in home


def _form(city, **changes):
    data = {
        "name": "Night Owl",
        "lead_agency": city["psp"][0].agency_id,
        "agencies": [city["dsal"][0].agency_id],
        "starts_at": EVENING.strftime(LOCAL),
        "ends_at": (EVENING + dt.timedelta(hours=6)).strftime(LOCAL),
        "reveal_at": (EVENING - dt.timedelta(hours=1)).strftime(LOCAL),
        "muster_unit": city["muster"].pk,
        "team_min_size": 2,
        "team_max_size": 3,
        "required_agencies": ["PSP", "DSAL"],
        "female_officer": "on",
        "visit_minutes": 45,
        "sync_tolerance_minutes": 10,
        "wave_code_1": "W1",
        "wave_start_1": (EVENING + dt.timedelta(hours=1)).strftime(LOCAL),
        "wave_code_2": "W2",
        "wave_start_2": (EVENING + dt.timedelta(hours=3)).strftime(LOCAL),
    }
    data.update(changes)
    return data


def test_creating_an_operation_with_two_waves(planner_client, city, paula):
    response = planner_client.post("/planning/operations/new/", _form(city))
    operation = Operation.objects.get(name="Night Owl")
    assert response.status_code == 302 and response["Location"] == f"/planning/operations/{operation.uuid}/"
    assert list(operation.planners.all()) == [paula]
    assert [w.code for w in operation.waves.all()] == ["W1", "W2"]
    assert operation.waves.first().starts_at == EVENING + dt.timedelta(hours=1)  # local time typed
    assert operation.setup.required_agencies == ["DSAL", "PSP"]


def test_a_wave_outside_the_operation_is_refused_on_the_form(planner_client, city):
    late = (EVENING + dt.timedelta(hours=9)).strftime(LOCAL)
    response = planner_client.post("/planning/operations/new/", _form(city, wave_start_2=late))
    assert response.status_code == 200
    assert b"must start within the operation" in response.content
    assert not Operation.objects.filter(name="Night Owl").exists()


WAVE_CODE_WORDS = {
    "zh-hant": (
        "梯次代號須簡短，只可使用拉丁字母、數字、連字號或底線，例如 W1。",
        "請為梯次同時填寫代號及開始時間。",
    ),
    "pt": (
        "O código de uma vaga é curto, em letras latinas, algarismos, hífenes ou sublinhados, como W1.",
        "Indique para a vaga um código e um início.",
    ),
}


@pytest.mark.parametrize("language", sorted(WAVE_CODE_WORDS))
def test_a_wave_named_in_chinese_is_refused_in_words_a_planner_knows(planner_client, city, language):
    # A planner who named the waves 甲 and 乙 read Django's message about a "slug", and under it
    # that each wave needed both a code and a start, which it had.
    says, missing = WAVE_CODE_WORDS[language]
    response = planner_client.post(
        "/planning/operations/new/",
        _form(city, wave_code_1="甲", wave_code_2="乙"),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert page.count(says) == 5  # the fieldset's help, and each wave refused in the summary and under it
    assert "slug" not in page and missing not in page
    assert not Operation.objects.filter(name="Night Owl").exists()


def test_reveal_after_start_is_refused_on_the_form(planner_client, city):
    response = planner_client.post(
        "/planning/operations/new/", _form(city, reveal_at=(EVENING + dt.timedelta(hours=1)).strftime(LOCAL))
    )
    assert response.status_code == 200 and b"reveal time must come before the start" in response.content


def test_editing_a_draft_changes_its_times_waves_and_rule(planner_client, operation, city):
    url = f"/planning/operations/{operation.uuid}/edit/"
    assert planner_client.get(url).status_code == 200
    response = planner_client.post(
        url, _form(city, name="Thunderbolt II", team_max_size=4, wave_code_2="", wave_start_2="")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    operation.refresh_from_db()
    assert operation.name == "Thunderbolt II"
    assert operation.setup.team_max_size == 4
    assert [w.code for w in operation.waves.all()] == ["W1"]


def test_a_published_operation_is_not_edited_and_says_how_to_change_it(planner_client, operation, city):
    # Published from a plan of these pages (one issued directly has no plan to re-plan: its page
    # sends the planner to its teams, see test_published_operation_page.py).
    Operation.objects.filter(pk=operation.pk).update(status=Operation.Status.PUBLISHED)
    PlanningJob.objects.create(operation=operation, status=PlanningJob.Status.PUBLISHED, plan={"routes": []})
    url = f"/planning/operations/{operation.uuid}/edit/"
    page = planner_client.get(url)
    assert b"re-planning" in page.content and b'<form method="post" class="stack' not in page.content
    response = planner_client.post(url, _form(city, name="Changed"))
    assert response.status_code == 409
    operation.refresh_from_db()
    assert operation.name == "Thunderbolt"


def test_the_detail_page_lists_every_site_with_its_opening_hours(planner_client, operation, city):
    page = planner_client.get(f"/planning/operations/{operation.uuid}/").content.decode()
    for venue in city["venues"]:
        assert venue.name_en in page
        assert f'id="site-{venue.uuid}"' in page
    assert "daily 18:00–04:00" in page
    assert 'id="targets-map"' in page and 'id="targets-data"' in page


def test_ticking_sites_sets_the_targets_and_their_waves(planner_client, operation, city):
    a, b, c = city["venues"][1:4]
    response = planner_client.post(
        f"/planning/operations/{operation.uuid}/targets/",
        {"site": [str(a.uuid), str(b.uuid), str(c.uuid)], f"wave-{a.uuid}": "W1", f"wave-{b.uuid}": "W2"},
    )
    assert response.status_code == 302
    targets = {
        t.site_id: (t.wave.code if t.wave_id else None) for t in Target.objects.filter(operation=operation)
    }
    assert targets == {a.pk: "W1", b.pk: "W2", c.pk: None}  # venue 0 was unticked: removed


def test_an_unknown_site_is_a_404_and_changes_nothing(planner_client, operation):
    response = planner_client.post(
        f"/planning/operations/{operation.uuid}/targets/", {"site": ["00000000-0000-0000-0000-000000000000"]}
    )
    assert response.status_code == 404
    assert Target.objects.filter(operation=operation).count() == 2


def test_a_selection_adds_the_riskiest_sites_into_a_wave(planner_client, operation, city):
    response = planner_client.post(
        f"/planning/operations/{operation.uuid}/select/",
        {"kinds": ["venue"], "limit": 3, "wave": "W2", "random_share": 0},
    )
    assert response.status_code == 302
    # Equal risks: the first three by name; a site already targeted stays in its own wave.
    extra = factories.site(
        name_en="Amber Lounge", opening_hours=[(d, dt.time(18), dt.time(4)) for d in range(7)]
    )
    response = planner_client.post(
        f"/planning/operations/{operation.uuid}/select/",
        {"kinds": ["venue"], "limit": 3, "wave": "W2", "random_share": 0},
        follow=True,
    )
    assert b"1 sites added by risk and 0 drawn at random" in response.content
    assert b"2 sites were already targets" in response.content
    waves = dict(Target.objects.filter(operation=operation).values_list("site__name_en", "wave__code"))
    assert waves == {
        "Lotus Karaoke": "W1",
        "Jade Sauna": "W1",
        "Pearl Club": "W2",
        extra.name_en: "W2",
    }
    assert Target.objects.get(operation=operation, site=extra).chosen_by == "risk"


def test_an_empty_selection_is_explained(planner_client, operation):
    response = planner_client.post(
        f"/planning/operations/{operation.uuid}/select/", {"limit": 3}, follow=True
    )
    assert b"Choose at least one kind, venue type or parish." in response.content
    assert Target.objects.filter(operation=operation).count() == 2


def test_a_selection_draws_a_random_share_with_a_recorded_seed(planner_client, operation, city):
    Target.objects.filter(operation=operation).delete()  # a selection adds no site already targeted
    response = planner_client.post(
        f"/planning/operations/{operation.uuid}/select/",
        {"kinds": ["venue"], "limit": 4, "random_share": 50, "seed": 7},
        follow=True,
    )
    assert b"2 sites added by risk and 2 drawn at random (seed 7)" in response.content
    drawn = Target.objects.filter(operation=operation, chosen_by="draw")
    assert drawn.count() == 2 and {t.draw_seed for t in drawn} == {7}
    page = planner_client.get(f"/planning/operations/{operation.uuid}/").content.decode()
    assert "by random draw" in page and "by risk" in page


def test_the_list_says_reveal_at_for_a_time_to_come_and_revealed_at_for_one_past(planner_client, operation):
    """The reveal column said "Revealed at" of every operation, tomorrow's included."""
    future = planner_client.get("/planning/").content.decode()
    assert "Reveal at " in future and "Revealed at " not in future
    Operation.objects.filter(pk=operation.pk).update(
        reveal_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        starts_at=dt.datetime(2020, 1, 2, tzinfo=dt.UTC),
        ends_at=dt.datetime(2020, 1, 3, tzinfo=dt.UTC),
    )
    past = planner_client.get("/planning/").content.decode()
    assert "Revealed at " in past and "Reveal at " not in past
    detail = planner_client.get(f"/planning/operations/{operation.uuid}/").content.decode()
    assert "<dt>Revealed to the teams at</dt>" in detail


def test_the_operation_says_when_it_will_be_revealed(planner_client, operation):
    detail = planner_client.get(f"/planning/operations/{operation.uuid}/").content.decode()
    assert "<dt>To be revealed to the teams at</dt>" in detail
