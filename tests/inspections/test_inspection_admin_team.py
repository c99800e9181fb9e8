"""An inspection's team is of the inspection's own operation (or, routine work, of none).

The admin's inspection form took any team its administrator may pick beside any operation: the
police's administrator could put a joint sweep's visit (which the labour bureau, taking part, reads)
in the hands of the team of the police's sealed raid, and the joint visit then named the raid's
team and its members to the bureau before the raid's reveal time. A team of another operation, or
an operation's team on routine work, is now refused on the team's field; nothing is saved. Adele
administers the police (PSP) and signs in through the console's sign-in page.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from backend.checklists import engine, services
from backend.inspections import services as inspections
from backend.inspections.models import Inspection, Operation
from tests import factories
from tests.browser_support import sign_in_client

pytestmark = pytest.mark.django_db

ADD = "/admin/inspections/inspection/add/"
REFUSED = "This team works in another operation than the inspection's."


@pytest.fixture
def adele(db) -> Client:
    factories.officer("PSP", username="adele", roles=("administrator",), full_name="Adele Admin")
    client = Client()
    sign_in_client(client, "adele", "correct-horse-battery")
    return client


@pytest.fixture
def world(db, alice, bob):
    now = timezone.now()

    def operation(name, reveal_in, agencies=()):
        return inspections.operation_create(
            actor=None,
            name=name,
            lead_agency=alice.agency,
            agencies=list(agencies),
            planners=[],
            reveal_at=now + reveal_in,
            starts_at=now + reveal_in + dt.timedelta(hours=1),
            ends_at=now + reveal_in + dt.timedelta(hours=6),
            status=Operation.Status.PUBLISHED,
        )

    joint = operation("Joint construction sweep", -dt.timedelta(hours=2), agencies=[bob.agency])
    sealed = operation("Harbour raid (sealed)", dt.timedelta(days=1))
    return {
        "joint": joint,
        "joint_team": inspections.team_create(
            actor=None, name="Joint 1", members=[alice, bob], operation=joint
        ),
        "sealed_team": inspections.team_create(actor=None, name="Raid 1", members=[alice], operation=sealed),
        "routine_team": inspections.team_create(actor=None, name="PSP routine", members=[alice]),
        "version": services.template_version_publish(
            actor=None,
            version=services.template_version_create(
                actor=None, definition=engine.load_builtin()["construction_preventive"]
            ),
        ),
    }


def _body(world, *, operation, team) -> dict:
    start = timezone.localtime() + dt.timedelta(hours=1)
    end = start + dt.timedelta(hours=2)
    return {
        "site": factories.site(kind="construction_site", name_en="Cotai Tower B", opening_hours=[]).pk,
        "category": "construction_preventive",
        "agency": factories.agency("PSP").pk,
        "operation": operation.pk if operation else "",
        "team": team.pk if team else "",
        "template_version": world["version"].pk,
        "planned_start_0": start.date().isoformat(),
        "planned_start_1": start.strftime("%H:%M:%S"),
        "planned_end_0": end.date().isoformat(),
        "planned_end_1": end.strftime("%H:%M:%S"),
        "route_order": 0,
        "status": "assigned",
        "priority": 3,
    }


@pytest.mark.parametrize(
    ("operation", "team"),
    [("joint", "sealed_team"), (None, "sealed_team"), ("joint", "routine_team")],
    ids=[
        "the-raids-team-on-the-joint-sweep",
        "the-raids-team-on-routine-work",
        "a-routine-team-on-the-sweep",
    ],
)
def test_a_team_of_another_operation_is_refused(adele, world, operation, team):
    response = adele.post(ADD, _body(world, operation=world.get(operation), team=world[team]))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["team"] == [REFUSED]
    assert not Inspection.objects.exists()


def test_the_operations_own_team_is_taken(adele, world):
    response = adele.post(ADD, _body(world, operation=world["joint"], team=world["joint_team"]))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Inspection.objects.get().team == world["joint_team"]


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("pt", "Esta equipa trabalha noutra operação que não a da inspecção."),
        ("zh-hant", "此小組屬於另一行動，並非此巡查所屬的行動。"),
    ],
)
def test_the_refusal_is_in_the_readers_language(adele, world, language, said):
    body = _body(world, operation=world["joint"], team=world["sealed_team"])
    response = adele.post(ADD, body, HTTP_ACCEPT_LANGUAGE=language)
    assert response.context["adminform"].form.errors["team"] == [said]
