"""My assignments: my teams' revealed inspections, incremental by cursor, at a fixed query cost."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from backend.inspections import services as inspections
from backend.inspections.models import Inspection
from tests import factories
from tests.mobile_api.conftest import API, assert_problem, checkin_payload, submission_payload

ASSIGNMENTS = f"{API}/assignments/"


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [a["id"] for a in response.json()["results"]]


def issue_for_team(field, count: int) -> None:
    """``count`` more visits for Alice and Dora's team in the revealed operation."""
    now = timezone.now()
    for n in range(count):
        inspections.inspection_issue(
            actor=None,
            site=factories.site(),
            category="prostitution_trafficking",
            template_version=field.venue_version,
            additional_versions=[field.screening_version],
            planned_start=now + dt.timedelta(hours=1 + n),
            planned_end=now + dt.timedelta(hours=2 + n),
            team=field.revealed.team,
            operation=field.operation,
            route_order=2 + n,
        )


def test_an_officer_sees_only_the_revealed_work_of_their_teams(field, alice, bob, dora, phone):
    assert ids(phone(alice).get(ASSIGNMENTS)) == [str(field.revealed.uuid)]
    assert ids(phone(dora).get(ASSIGNMENTS)) == [str(field.revealed.uuid)]
    assert ids(phone(bob).get(ASSIGNMENTS)) == [str(field.routine.uuid)]


def test_an_assignment_carries_site_window_route_order_and_checklist_versions(field, alice, phone):
    [assignment] = phone(alice).get(ASSIGNMENTS).json()["results"]
    inspection = field.revealed
    assert assignment["site"]["id"] == str(inspection.site.uuid)
    assert assignment["site"]["name_en"] == "Golden Lotus Karaoke"
    assert assignment["site"]["latitude"] == f"{inspection.site.latitude:.6f}"
    assert len(assignment["site"]["opening_hours"]) == 7
    assert dt.datetime.fromisoformat(assignment["window_start"]) == inspection.planned_start
    assert dt.datetime.fromisoformat(assignment["window_end"]) == inspection.planned_end
    assert assignment["route_order"] == 1
    assert assignment["operation"] == {
        "id": str(field.operation.uuid),
        "name": "Thunderbolt night 1",
        "muster": None,  # not planned with the scheduler: no muster point
    }
    assert {m["full_name"] for m in assignment["team"]["members"]} == {"Alice Police", "Dora Police"}
    assert assignment["checklists"] == [
        {
            "id": str(v.uuid),
            "template": v.template.code,
            "number": v.number,
            "digest": v.digest,
            "several_per_visit": v.template.code == "ilo_forced_labour_screening",
        }
        for v in (field.venue_version, field.screening_version)
    ]


def test_the_detail_of_an_assignment_is_the_list_item(field, alice, phone):
    client = phone(alice)
    [listed] = client.get(ASSIGNMENTS).json()["results"]
    detail = client.get(f"{ASSIGNMENTS}{field.revealed.uuid}/")
    assert detail.status_code == 200
    assert detail.json() == listed


def test_since_the_cursor_only_what_changed_is_sent(field, alice, phone):
    client = phone(alice)
    cursor = client.get(ASSIGNMENTS).json()["cursor"]
    assert ids(client.get(ASSIGNMENTS, {"since": cursor})) == []

    # Checking in moves the inspection to in progress: a change the phone must pick up.
    response = client.post(f"{ASSIGNMENTS}{field.revealed.uuid}/check-ins/", checkin_payload(field.revealed))
    assert response.status_code == 201
    changed = client.get(ASSIGNMENTS, {"since": cursor})
    assert ids(changed) == [str(field.revealed.uuid)]
    assert changed.json()["results"][0]["status"] == "in_progress"
    assert ids(client.get(ASSIGNMENTS, {"since": changed.json()["cursor"]})) == []


def test_an_operation_revealed_since_the_cursor_appears_although_its_rows_did_not_change(field, alice, phone):
    client = phone(alice)
    cursor = client.get(ASSIGNMENTS).json()["cursor"]
    sealed_updated_at = field.sealed.updated_at

    with time_machine.travel(field.sealed_operation.reveal_at - dt.timedelta(minutes=1), tick=False):
        assert ids(client.get(ASSIGNMENTS, {"since": cursor})) == []
        assert str(field.sealed.uuid) not in ids(client.get(ASSIGNMENTS))

    with time_machine.travel(field.sealed_operation.reveal_at + dt.timedelta(minutes=1), tick=False):
        after_reveal = client.get(ASSIGNMENTS, {"since": cursor})
        assert ids(after_reveal) == [str(field.sealed.uuid)]
        assert ids(client.get(ASSIGNMENTS)) == [str(field.revealed.uuid), str(field.sealed.uuid)]
        # Once given out, it is not sent again.
        assert ids(client.get(ASSIGNMENTS, {"since": after_reveal.json()["cursor"]})) == []

    field.sealed.refresh_from_db()
    assert field.sealed.updated_at == sealed_updated_at


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor!",
        "%%%",
        base64.urlsafe_b64encode(b"yesterday").decode(),
        base64.urlsafe_b64encode(b"2025-01-01T00:00:00").decode(),  # no zone: not one of ours
        base64.urlsafe_b64encode(b"\xff\xfe\x00").decode(),
    ],
)
def test_a_malformed_cursor_is_a_problem(field, alice, phone, cursor):
    assert_problem(phone(alice).get(ASSIGNMENTS, {"since": cursor}), 400, "invalid", fields=("since",))


# token, inspections, opening hours, team members, additional versions, their templates, the
# checklists sent (with their senders), and the feed's cursor stored (insert) and old ones pruned
# (delete)
LIST_QUERIES = 9


def test_the_list_costs_the_same_queries_for_one_or_ten_assignments(
    field, alice, dora, phone, django_assert_num_queries
):
    client = phone(alice)
    client.get(ASSIGNMENTS)  # the token's last use is written once a minute: not in what follows

    with django_assert_num_queries(LIST_QUERIES):
        assert len(ids(client.get(ASSIGNMENTS))) == 1

    issue_for_team(field, 9)
    with django_assert_num_queries(LIST_QUERIES):
        assert len(ids(client.get(ASSIGNMENTS))) == 10

    # Each visit with its checklists sent, by Alice and by Dora: still the same queries.
    doras = phone(dora)
    for n, inspection in enumerate(Inspection.objects.filter(team=field.revealed.team)):
        sender = client if n % 2 else doras
        for version in (field.venue_version, field.screening_version):
            payload = submission_payload(inspection, version)
            assert sender.post(f"{API}/submissions/", payload, format="json").status_code == 201
    with django_assert_num_queries(LIST_QUERIES):
        listed = client.get(ASSIGNMENTS).json()["results"]
    assert [len(a["sent"]) for a in listed] == [2] * 10

    with django_assert_num_queries(LIST_QUERIES):
        client.get(ASSIGNMENTS, {"since": base64.urlsafe_b64encode(b"2020-01-01T00:00:00+00:00").decode()})


def test_an_operation_published_after_its_reveal_time_reaches_a_phone_that_synced_before(
    field, alice, dora, phone
):
    """A plan published late (its reveal time already past) must still reach phones that sync
    incrementally: the publication is the change."""
    now = timezone.now()
    late = inspections.operation_create(
        actor=None,
        name="Thunderbolt night 1, second wave",
        lead_agency=alice.agency,
        reveal_at=now - dt.timedelta(hours=2),
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=3),
    )
    team = inspections.team_create(actor=None, name="Wave 2", members=[alice, dora], operation=late)
    inspection = inspections.inspection_issue(
        actor=None,
        site=factories.site(),
        category="prostitution_trafficking",
        template_version=field.venue_version,
        planned_start=now,
        planned_end=now + dt.timedelta(hours=1),
        team=team,
        operation=late,
    )
    client = phone(alice)
    cursor = client.get(ASSIGNMENTS).json()["cursor"]
    assert str(inspection.uuid) not in ids(client.get(ASSIGNMENTS))  # a draft: not revealed

    with time_machine.travel(now + dt.timedelta(minutes=5), tick=False):
        inspections.operation_publish(actor=None, operation=late)
        assert ids(client.get(ASSIGNMENTS, {"since": cursor})) == [str(inspection.uuid)]
