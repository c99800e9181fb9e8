"""A phone that only ever syncs incrementally ends with exactly the full feed's content (#15):
plan edits, moves to another team, officers taken off and put back on a team, cancellations and
new work, interleaved with syncs at random; and a row committed after a sync read it is not
skipped by the next."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.inspections import services as inspections
from backend.inspections.models import Inspection
from tests import factories
from tests.mobile_api.conftest import API

ASSIGNMENTS = f"{API}/assignments/"


class Phone:
    """What a phone holds, kept as the contract says: ``full`` replaces, else upsert and drop."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.cursor: str | None = None
        self.held: dict[str, Any] = {}

    def sync(self) -> None:
        params = {"since": self.cursor} if self.cursor else {}
        response = self.client.get(ASSIGNMENTS, params)
        assert response.status_code == 200, response.content
        body = response.json()
        if body["full"]:
            self.held = {}
        self.held.update({item["id"]: item for item in body["results"]})
        for gone in body["removed"]:
            self.held.pop(gone)
        self.cursor = body["cursor"]


def full_feed(client: Any) -> dict[str, Any]:
    body = client.get(ASSIGNMENTS).json()
    assert body["full"] and body["removed"] == []
    return {item["id"]: item for item in body["results"]}


def issue(field, team, n: int) -> Inspection:
    now = timezone.now()
    return inspections.inspection_issue(
        actor=None,
        site=factories.site(),
        category="prostitution_trafficking",
        template_version=field.venue_version,
        planned_start=now + dt.timedelta(hours=1, minutes=n),
        planned_end=now + dt.timedelta(hours=2, minutes=n),
        team=team,
        operation=field.operation,
        route_order=n,
    )


ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["issue", "reschedule", "move", "toggle_member", "cancel", "sync"]),
        st.integers(0, 50),
    ),
    min_size=1,
    max_size=14,
)


@pytest.mark.django_db(transaction=True)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
def test_incremental_syncs_end_with_exactly_the_full_feed(field, alice, dora, phone, actions):
    team_a = field.revealed.team  # Alice and Dora
    team_b = inspections.team_create(actor=None, name="Night 1 B", members=[dora], operation=field.operation)
    client = phone(alice)
    device = Phone(client)
    device.sync()
    for action, n in actions:
        open_work = list(
            Inspection.objects.filter(operation=field.operation, status=Inspection.Status.ASSIGNED).order_by(
                "pk"
            )
        )
        target = open_work[n % len(open_work)] if open_work else None
        if action == "issue":
            issue(field, team_a if n % 2 else team_b, n)
        elif action == "reschedule" and target is not None:
            inspections.inspection_reschedule(
                actor=None,
                inspection=target,
                team=target.team,
                planned_start=target.planned_start + dt.timedelta(minutes=n + 1),
                planned_end=target.planned_end + dt.timedelta(minutes=n + 1),
                route_order=n,
            )
        elif action == "move" and target is not None:
            other = team_b if target.team_id == team_a.pk else team_a
            inspections.inspection_reschedule(
                actor=None,
                inspection=target,
                team=other,
                planned_start=target.planned_start,
                planned_end=target.planned_end,
                route_order=n,
            )
        elif action == "toggle_member":
            team = team_a if n % 2 else team_b
            members = set(team.members.all())
            members ^= {alice}
            inspections.team_set_members(actor=None, team=team, members=members or [dora])
        elif action == "cancel" and target is not None:
            inspections.inspection_cancel(actor=None, inspection=target, reason="not needed")
        elif action == "sync":
            device.sync()
    device.sync()
    assert device.held == full_feed(client)


def test_an_inspection_moved_away_is_removed_from_the_phone(field, alice, dora, phone):
    client = phone(alice)
    device = Phone(client)
    device.sync()
    assert list(device.held) == [str(field.revealed.uuid)]
    elsewhere = inspections.team_create(
        actor=None, name="Night 1 B", members=[dora], operation=field.operation
    )
    inspection = field.revealed
    inspections.inspection_reschedule(
        actor=None,
        inspection=inspection,
        team=elsewhere,
        planned_start=inspection.planned_start,
        planned_end=inspection.planned_end,
        route_order=1,
    )
    body = client.get(ASSIGNMENTS, {"since": device.cursor}).json()
    assert body["removed"] == [str(inspection.uuid)] and body["results"] == [] and not body["full"]


def test_an_officer_taken_off_the_team_drops_its_work(field, alice, dora, phone):
    client = phone(alice)
    device = Phone(client)
    device.sync()
    inspections.team_set_members(actor=None, team=field.revealed.team, members=[dora])
    device.sync()
    assert device.held == {}


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a writer open while the phone reads")
@pytest.mark.django_db(transaction=True)
def test_a_change_committed_after_a_sync_read_reaches_the_next_sync(field, alice, phone):
    """A writer stamps the row, the phone syncs while the writer's transaction is still open (it
    cannot see the change), then the writer commits: the next incremental sync carries it, though
    the row's time is older than that sync."""
    client = phone(alice)
    device = Phone(client)
    device.sync()
    stamped, release = threading.Event(), threading.Event()

    def writer() -> None:
        try:
            with transaction.atomic():
                inspection = Inspection.objects.get(pk=field.revealed.pk)
                inspections.inspection_reschedule(
                    actor=None,
                    inspection=inspection,
                    team=inspection.team,
                    planned_start=inspection.planned_start + dt.timedelta(minutes=30),
                    planned_end=inspection.planned_end + dt.timedelta(minutes=30),
                    route_order=7,
                )
                stamped.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    assert stamped.wait(timeout=30)
    device.sync()  # the change is stamped but not committed: invisible
    assert device.held[str(field.revealed.uuid)]["route_order"] == 1
    release.set()
    thread.join(timeout=30)
    device.sync()
    assert device.held[str(field.revealed.uuid)]["route_order"] == 7
    assert device.held == full_feed(client)


def test_the_cursor_stays_short_and_an_unknown_one_gets_the_full_feed(field, alice, phone):
    for n in range(40):
        issue(field, field.revealed.team, n)
    client = phone(alice)
    body = client.get(ASSIGNMENTS).json()
    assert len(body["results"]) == 41 and len(body["cursor"]) < 80
    again = client.get(ASSIGNMENTS, {"since": body["cursor"]}).json()
    assert (again["results"], again["removed"], again["full"]) == ([], [], False)
    unknown = client.get(ASSIGNMENTS, {"since": "3." + "0" * 64}).json()
    assert unknown["full"] and len(unknown["results"]) == 41
