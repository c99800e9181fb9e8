"""Tonight's demo operation, whatever the hour ``load_demo`` runs: its visits fall inside the
venues' opening hours, it is revealed, and tomorrow night's stays sealed until two hours before."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from backend.demo.city import load_demo
from backend.demo.field import LOCAL, OPERATION_NAME, load_field_demo, night_of
from backend.inspections.models import Operation

START = dt.date(2026, 1, 5)  # a Monday: the shifts run four weeks from here
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _small_city_loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """A tenth of the demo city, loaded once for the module and rolled back after it; each test
    runs in a savepoint inside, so the field demo one test loads is gone before the next."""
    folder = tmp_path_factory.mktemp("small-city")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER, MEDIA_ROOT=str(folder / "media")),
        transaction.atomic(),
    ):
        load_demo(seed=2, start=START, scale=0.1, logins_file=folder / "logins.json")
        yield
        transaction.set_rollback(True)


@pytest.fixture
def small_city(_small_city_loaded, db):
    return None


def local_date(moment):
    return timezone.localtime(moment, LOCAL).date()


@pytest.mark.parametrize(
    "local_now",
    [
        dt.datetime(2026, 1, 5, 2, 30),  # Monday, small hours: tonight is Sunday's night, still running
        dt.datetime(2026, 1, 5, 14, 0),  # Monday afternoon: nightclubs are closed on Mondays
        dt.datetime(2026, 1, 9, 19, 0),  # Friday evening, before the venues fill
        dt.datetime(2026, 1, 10, 23, 40),  # Saturday, late: the night has begun
    ],
)
def test_tonights_visits_are_inside_opening_hours_at_any_hour(small_city, local_now):
    now = timezone.make_aware(local_now, LOCAL)
    assert load_field_demo(now=now) == {"operations": 2, "inspections": 5}
    tonight = Operation.objects.get(name=f"{OPERATION_NAME} – night 1")
    sealed = Operation.objects.get(name=f"{OPERATION_NAME} – night 2")
    night = night_of(now)
    assert tonight.reveal_at <= now < sealed.reveal_at
    assert sealed.reveal_at == sealed.starts_at - dt.timedelta(hours=2)
    # Named by which night it is of the two, not "(sealed)" or "tomorrow" (false a day later), nor
    # by ISO digits, read in no language: its dates are shown beside it in the reader's.
    assert local_date(tonight.starts_at) == night
    assert local_date(sealed.starts_at) == night + dt.timedelta(days=1)
    for operation, day in ((tonight, night), (sealed, night + dt.timedelta(days=1))):
        for visit in operation.inspections.select_related("site"):
            start = timezone.localtime(visit.planned_start, LOCAL)
            assert start.date() == day and start.hour >= 20
            assert visit.site.is_open_at(visit.planned_start)
            assert visit.site.is_open_at(visit.planned_end - dt.timedelta(minutes=1))


def test_the_field_demo_is_loaded_once(small_city):
    now = timezone.make_aware(dt.datetime(2026, 1, 6, 12, 0), LOCAL)
    assert load_field_demo(now=now)
    assert load_field_demo(now=now) == {}
    assert Operation.objects.filter(name__startswith=OPERATION_NAME).count() == 2


@pytest.mark.parametrize(
    "local_now",
    [dt.datetime(2026, 1, 5, 14, 0), dt.datetime(2026, 1, 14, 22, 0), dt.datetime(2026, 1, 22, 21, 0)],
)
def test_the_demo_labour_inspector_is_on_tonights_team_whatever_the_week(small_city, local_now):
    """The README names demo-dsal-inspector among tonight's team; on the night roster one week in
    three only, the login had no visit on the other weeks' nights."""
    from backend.inspections.models import Team
    from backend.registry.models import Availability

    now = timezone.make_aware(local_now, LOCAL)
    load_field_demo(now=now)
    tonight = Operation.objects.get(name=f"{OPERATION_NAME} – night 1")
    [team] = Team.objects.filter(operation=tonight)
    members = set(team.members.values_list("user__username", flat=True))
    assert {"demo-inspector", "demo-team-leader", "demo-dsal-inspector"} <= members
    # On a shift covering the night, and on no two shifts at once.
    shifts = Availability.objects.filter(
        officer__user__username="demo-dsal-inspector",
        kind=Availability.Kind.SHIFT,
        start__lte=tonight.starts_at,
        end__gte=tonight.ends_at,
    )
    assert shifts.count() == 1


def test_the_field_demos_operations_say_where_the_team_musters(small_city):
    """The phone's visit says the muster point; the demo's operations named none, so the field
    officer walking the demo never saw one. Each names its team leader's station, which has its
    address in Chinese too."""
    load_field_demo(now=timezone.make_aware(dt.datetime(2026, 1, 6, 12, 0), LOCAL))
    for operation in Operation.objects.filter(name__startswith=OPERATION_NAME):
        leader = operation.teams.get().leader
        assert operation.setup.muster_unit == leader.unit
        assert operation.setup.muster_unit.address_zh_hant
