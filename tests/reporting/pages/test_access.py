"""Who opens the analysts' pages: analysts and administrators; anyone signed out is sent to
sign in; every other role gets 404, as for an object outside their work; and no page shows
anything that identifies a person."""

from __future__ import annotations

import pytest

from tests.browser_support import sign_in_client

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
PAGES = [
    "/statistics/",
    "/statistics/?from=2022&to=2022&category=illegal_employment&parish=se",
    "/statistics/breakdown/",
    "/statistics/breakdown/?measure=referrals&rows=year",
    "/statistics/breakdown.csv?measure=inspections&rows=year",
    "/statistics/breakdown.xlsx?measure=inspections&rows=year",
    "/statistics/breakdown-table.csv?measure=inspections&rows=year&columns=category",
    "/statistics/breakdown-table.xlsx?measure=inspections&rows=year&columns=category",
    "/statistics/report/",
    "/statistics/report/2022-2022/",
    "/statistics/report/2022-2022.pdf?lang=zh-hant",
    "/statistics/report/2022-2022.xlsx?lang=pt",
    "/statistics/report/2022-2022/charts/0.svg",
]


@pytest.mark.parametrize("url", PAGES)
def test_signed_out_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_signed_out_cannot_publish(client):
    response = client.post("/statistics/report/2022-2022/publish/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


@pytest.mark.parametrize("persona", ["paula", "carol", "vera"])
def test_other_roles_get_404_and_no_navigation_entry(client, request, persona):
    who = request.getfixturevalue(persona)
    sign_in_client(client, who.user.username, PASSWORD)
    for url in PAGES:
        assert client.get(url).status_code == 404, url
    assert client.post("/statistics/report/2022-2022/publish/").status_code == 404
    home = client.get("/").content.decode()
    assert "/statistics/" not in home


@pytest.mark.parametrize("persona", ["andy", "adele"])
def test_analysts_and_administrators_open_every_page(client, request, persona):
    who = request.getfixturevalue(persona)
    sign_in_client(client, who.user.username, PASSWORD)
    for url in PAGES:
        assert client.get(url).status_code == 200, url
    home = client.get("/").content.decode()
    for url in ("/statistics/", "/statistics/breakdown/", "/statistics/report/"):
        assert f'href="{url}"' in home


def test_bad_questions_are_answered_on_the_page_not_with_an_error(client, andy):
    sign_in_client(client, "andy", PASSWORD)
    for url in (
        "/statistics/?agency=NOPE",
        "/statistics/?from=20x1",
        "/statistics/breakdown/?measure=nonsense",
        "/statistics/breakdown/?measure=inspections&rows=shoe_size",
        "/statistics/breakdown/?measure=inspections&rows=year&colour=red",
        "/statistics/breakdown.xlsx?measure=inspections&category=nope",
        "/statistics/breakdown-table.csv?measure=inspections&category=nope",
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert 'class="errors"' in response.content.decode(), url
    # Said under the form's own label, not the API's parameter name.
    reversed_period = client.get("/statistics/?from=2023&to=2019").content.decode()
    assert "From year: The period starts after it ends." in reversed_period
    assert "from: " not in reversed_period
    assert client.get("/statistics/report/2023-2019/").status_code == 404
    assert client.get("/statistics/report/2022-2022/?lang=xx").status_code == 404


def test_a_sealed_operation_shows_nowhere_before_its_reveal(client, andy, record):
    """Before its reveal time an operation's targets are secret: its planned visits are counted
    nowhere and its name appears in no breakdown, even to an analyst."""
    import datetime as dt

    from django.utils import timezone

    from backend.inspections.models import Operation
    from backend.inspections.services import operation_create
    from backend.reporting.services import rollup_refresh
    from tests import factories

    soon = timezone.now() + dt.timedelta(days=2)
    sealed = operation_create(
        actor=None,
        name="Operation Nightjar",
        lead_agency=factories.agency("PSP"),
        starts_at=soon + dt.timedelta(hours=2),
        ends_at=soon + dt.timedelta(hours=8),
        reveal_at=soon,
        status=Operation.Status.PUBLISHED,
    )
    venue = factories.site("venue", parish="se")
    record(
        venue,
        "PSP",
        "prostitution_trafficking",
        at=soon + dt.timedelta(hours=3),
        status="planned",
        operation=sealed,
    )
    record(venue, "PSP", "prostitution_trafficking", at=timezone.now() - dt.timedelta(days=3))
    rollup_refresh()
    sign_in_client(client, "andy", PASSWORD)
    dashboard = client.get("/statistics/").content.decode()
    assert 'data-measure="inspections"><span class="value" data-value="1"' in dashboard
    for url in (
        "/statistics/breakdown/?measure=inspections,inspections_no_access&rows=operation,status",
        "/statistics/breakdown/?measure=inspections&rows=day&columns=joint",
    ):
        page = client.get(url).content.decode()
        assert "Nightjar" not in page
        assert soon.date().isoformat() not in page
