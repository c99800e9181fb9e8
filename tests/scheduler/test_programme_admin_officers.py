"""A routine programme's officers in the admin are its agency's: PSP's administrator (Adele,
``admin_console``) building PSP's programme was offered every agency's officers, and a labour
inspector named among them was saved. Everyone signs in through the console's sign-in page."""

from __future__ import annotations

import pytest

from backend.registry.models import Agency
from scheduler.models import Programme
from tests import factories

pytestmark = pytest.mark.django_db

ADD = "/admin/scheduler/programme/add/"


@pytest.fixture
def pat(db):
    return factories.officer("PSP", username="pat", full_name="Pat Police")


@pytest.fixture
def dan(db):
    return factories.officer("DSAL", username="dan", full_name="Dan Labour")


def _form(agency: Agency, officers: list[int]) -> dict[str, object]:
    return {
        "name": "PSP spring round",
        "agency": agency.pk,
        "start_date": "2030-03-04",
        "end_date": "2030-03-08",
        "officers": officers,
        "work_in_pairs": "on",
        "status": "draft",
    }


def test_her_agencys_officers_alone_are_offered(admin_console, pat, dan):
    page = admin_console.get(ADD)
    assert page.status_code == 200
    form = page.context["adminform"].form
    officers = set(form.fields["officers"].queryset)
    assert pat in officers and {o.agency.code for o in officers} == {"PSP"}
    assert "Pat Police" in str(form["officers"]) and "Dan Labour" not in str(form["officers"])
    # A planner of another agency may still be named to plan PSP's programme.
    assert dan in set(page.context["adminform"].form.fields["planners"].queryset)


def test_another_agencys_officer_in_a_forged_post_is_refused_on_the_field(admin_console, pat, dan):
    psp = Agency.objects.get(code="PSP")
    response = admin_console.post(ADD, _form(psp, [pat.pk, dan.pk]))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["officers"]
    assert f"{dan.pk} is not one of them" in errors["officers"][0]
    assert "agency's officers" in errors["officers"][0]
    assert not Programme.objects.exists()

    saved = admin_console.post(ADD, _form(psp, [pat.pk]))
    assert saved.status_code == 302
    assert list(Programme.objects.get().officers.all()) == [pat]


def test_a_superuser_is_offered_everyone_but_not_a_mismatch(root_console, pat, dan):
    page = root_console.get(ADD)
    assert {pat, dan} <= set(page.context["adminform"].form.fields["officers"].queryset)
    psp = Agency.objects.get(code="PSP")
    response = root_console.post(ADD, _form(psp, [pat.pk, dan.pk]))
    assert response.status_code == 200
    message = response.context["adminform"].form.errors["officers"][0]
    assert message.startswith("Only officers of PSP")
    assert message.endswith("can work in its programme, not Dan Labour.")
    assert not Programme.objects.exists()
