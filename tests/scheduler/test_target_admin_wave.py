"""A target's wave in the admin is one of the target's own operation.

The admin's target form took any wave its administrator may pick: the police's administrator
could put a target of a joint operation (which the labour bureau, taking part, reads) in a wave of
the police's sealed raid, and the joint target then named the raid and its wave ("Harbour raid
W1") to the bureau's administrator before the raid's reveal. Another operation's wave is refused on
the wave's field, in the reader's language; the target is unchanged. Adele administers the police
(PSP) and signs in through the console's sign-in page.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from scheduler import services
from scheduler.models import Target
from tests import factories
from tests.browser_support import sign_in_client
from tests.scheduler.conftest import EVENING

pytestmark = pytest.mark.django_db


@pytest.fixture
def adele(db) -> Client:
    factories.officer("PSP", username="adele", roles=("administrator",), full_name="Adele Admin")
    client = Client()
    sign_in_client(client, "adele", "correct-horse-battery")
    return client


@pytest.fixture
def raid(city, paula):
    """The police's sealed raid a week after the joint operation, with its wave W1."""
    later = EVENING + dt.timedelta(days=7)
    return services.operation_plan_create(
        actor=None,
        planner=paula,
        name="Harbour raid",
        lead_agency=city["psp"][0].agency,
        agencies=[],
        starts_at=later,
        ends_at=later + dt.timedelta(hours=6),
        reveal_at=later - dt.timedelta(hours=1),
        muster_unit=city["muster"],
        waves=[("W1", later + dt.timedelta(hours=1))],
    )


def _change(adele: Client, target: Target, wave, **headers):
    return adele.post(
        f"/admin/scheduler/target/{target.pk}/change/",
        {
            "operation": target.operation_id,
            "site": target.site_id,
            "wave": wave.pk,
            "priority": target.priority,
            "languages": "[]",
            "category": target.category,
            "chosen_by": target.chosen_by,
            "draw_seed": "",
        },
        **headers,
    )


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "This wave is another operation's: choose one of the target's operation."),
        ("pt", "Esta vaga é de outra operação: escolha uma da operação do alvo."),
        ("zh-hant", "此梯次屬於另一行動：請選擇此目標所屬行動的梯次。"),
    ],
)
def test_another_operations_wave_is_refused(adele, operation, raid, language, said):
    target = operation.targets.order_by("pk").first()
    before = target.wave_id
    response = _change(adele, target, raid.waves.get(), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["wave"] == [said]
    target.refresh_from_db()
    assert target.wave_id == before


def test_a_wave_of_the_targets_operation_is_taken(adele, operation):
    target = operation.targets.order_by("pk").first()
    other = operation.waves.exclude(pk=target.wave_id).get()
    response = _change(adele, target, other)
    assert response.status_code == 302, response.context["adminform"].form.errors
    target.refresh_from_db()
    assert target.wave == other
