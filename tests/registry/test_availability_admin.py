"""A night shift typed with its start's date in the admin: the end is refused on its field with
what to do, in the administrator's language, never with the database constraint's name."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from backend.registry.models import Availability
from tests import factories
from tests.browser_support import sign_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    factories.officer("PSP", username="adele", roles=("administrator",), full_name="Adele Admin")
    client = Client()
    sign_in_client(client, "adele", "correct-horse-battery")
    return client


def _night_shift(officer, end_date: str) -> dict[str, str]:
    return {
        "officer": str(officer.pk),
        "kind": "shift",
        "start_0": "2026-12-04",
        "start_1": "22:00",
        "end_0": end_date,
        "end_1": "06:00",
        "note": "",
        "external_id": "",
    }


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "A night shift ends the next day"),
        ("pt", "Um turno nocturno termina no dia seguinte"),
        ("zh-hant", "夜間當值在翌日結束"),
    ],
)
def test_a_night_shift_ending_on_its_start_date_is_explained(admin, language, said):
    officer = factories.officer("PSP", full_name="Night Owl")
    response = admin.post(
        "/admin/registry/availability/add/",
        _night_shift(officer, "2026-12-04"),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "availability_start_before_end" not in page
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["end"] and said in errors["end"][0]
    assert not Availability.objects.exists()


def test_the_same_night_shift_ending_the_next_day_is_saved(admin):
    officer = factories.officer("PSP", full_name="Night Owl")
    response = admin.post("/admin/registry/availability/add/", _night_shift(officer, "2026-12-05"))
    assert response.status_code == 302
    saved = Availability.objects.get(officer=officer)
    assert f"{timezone.localtime(saved.end):%Y-%m-%d %H:%M}" == "2026-12-05 06:00"
