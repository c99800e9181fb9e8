"""A team's briefing: the date, the muster point by name and address, each site's address,
opening hours, on-site contact person (or that none is on record) and operator, the officers
with agency, rank and languages, the interpreter and search needs; the CSV with the same
columns; teams numbered alike in URL and file name, with readable names."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from html import unescape

import pytest

from backend.registry.models import Skill, Unit
from scheduler import selectors, services
from scheduler.models import PlanningJob
from tests import factories


@pytest.fixture
def planned(operation, city):
    Unit.objects.filter(pk=city["muster"].pk).update(name_en="PSP North Station", address="Rua Norte 12")
    tagalog = Skill.objects.get_or_create(code="lang-tl", defaults={"name_en": "Tagalog"})[0]
    city["dsal"][0].skills.add(tagalog)
    target = operation.targets.get(site=city["venues"][0])
    target.languages = ["tl"]
    target.save()
    job = PlanningJob.objects.create(operation=operation, time_limit_seconds=3)
    job = services.planning_run(job_id=job.uuid)
    assert job.status == "succeeded" and not job.plan["unplanned"], job.plan["unplanned"]
    return job


def test_the_briefing_holds_what_a_team_needs_on_the_night(planned):
    number = next(
        i for i, r in enumerate(planned.plan["routes"], start=1) if any(s["visit_id"] for s in r["stops"])
    )
    data = selectors.briefing(planned, number)
    assert data["date"] == dt.date(2030, 3, 1) and data["subject"] == "Winter Precaution"
    assert data["team"] == f"Team {number} (DSAL·PSP)"
    assert (data["muster"]["name"], data["muster"]["address"]) == ("PSP North Station", "Rua Norte 12")
    for stop in data["stops"]:
        assert stop["address"] == "Rua de Teste 1" and stop["opening_hours"] == "18:00–04:00"
        assert stop["start"].strftime("%H:%M") in ("19:00", "21:00")
        assert stop["latitude"] and stop["longitude"]
        assert stop["search"] is True  # the operation asks for a female officer in every team
    agencies = {o["agency"] for o in data["officers"]}
    assert agencies == {"PSP", "DSAL"} and all(o["rank"] for o in data["officers"])
    assert sum(o["leader"] for o in data["officers"]) == 1


def test_the_interpreter_need_and_the_officer_who_meets_it_are_shown(planned):
    for number in range(1, len(planned.plan["routes"]) + 1):
        data = selectors.briefing(planned, number)
        if data["needs"]["interpreter"] == ["tl"]:
            assert any("tl" in o["languages"] for o in data["officers"])
            break
    else:
        pytest.fail("no team carries the Tagalog target")


def test_the_csv_has_the_same_columns_and_the_same_number(api, paula, planned):
    op = planned.operation
    client = api.as_(paula)
    response = client.get(f"/api/v1/planning/operations/{op.uuid}/plan/briefings/2/csv/")
    assert response.status_code == 200
    assert 'filename="briefing-team-2.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    data = selectors.briefing(planned, 2)
    assert len(rows) == len(data["stops"])
    row = rows[0]
    assert row["team"] == data["team"] and row["date"] == "2030-03-01"
    assert row["muster_point"] == "PSP North Station" and row["muster_address"] == "Rua Norte 12"
    assert row["address"] and row["opening_hours"] and row["start"] in ("19:00", "21:00")
    assert "+" not in row["team"] and "PSP" in row["officers"] and "DSAL" in row["officers"]
    assert all(o["badge"] in row["officers"] for o in data["officers"])
    assert client.get(f"/api/v1/planning/operations/{op.uuid}/plan/briefings/9/csv/").status_code == 404


def test_the_printable_briefing_of_the_api_shows_what_the_data_holds(api, paula, planned, city):
    """The API's printable page (it showed the muster point's code and the bare route)."""
    op = planned.operation
    page = api.as_(paula).get(f"/api/v1/planning/operations/{op.uuid}/plan/briefings/1/")
    assert page.status_code == 200
    html = unescape(page.content.decode())
    data = selectors.briefing(planned, 1)
    assert "PSP North Station, Rua Norte 12" in html and city["muster"].code not in html
    assert data["date"].strftime("%Y") in html and data["subject"] in html
    for stop in data["stops"]:
        assert stop["address"] in html and stop["opening_hours"] in html
    # No contact person on record for these venues: said, not filled with a company.
    assert html.count("no contact person on record") == len(data["stops"])
    for officer in data["officers"]:
        assert officer["name"] in html and officer["rank"] in html and officer["badge"] in html
    assert "a female officer for searches" in html
    # Who searches is named, with the badge: names are not unique across agencies.
    assert data["needs"]["searchers"] and all(who in html for who in data["needs"]["searchers"])
    # The route map: a polyline from the muster point through each stop and back.
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.count("<circle") == len(data["stops"]) and "<polyline" in svg
    points = re.search(r'points="([^"]+)"', svg).group(1).split()
    assert len(points) == len(data["stops"]) + 2 and points[0] == points[-1]


def test_the_consoles_csv_is_the_apis(api, paula, planned, client):
    from tests.conftest import signed_in

    op = planned.operation
    signed_in(client, paula.user)
    console = client.get(f"/planning/operations/{op.uuid}/plan/briefings/1/csv/")
    from_api = api.as_(paula).get(f"/api/v1/planning/operations/{op.uuid}/plan/briefings/1/csv/")
    assert console.status_code == from_api.status_code == 200
    assert console.content == from_api.content


def test_plan_and_published_teams_have_readable_names(api, paula, planned):
    view = selectors.plan_view(planned)
    assert [r["team"] for r in view["routes"]] == ["Team 1 (DSAL·PSP)", "Team 2 (DSAL·PSP)"]
    services.plan_publish(actor=paula.user, job=planned)
    from backend.inspections.models import Team

    names = sorted(Team.objects.values_list("name", flat=True))
    assert names == ["Winter Precaution – Team 1 (DSAL·PSP)", "Winter Precaution – Team 2 (DSAL·PSP)"]


def test_briefings_are_for_the_operations_planners_only(api, planned, alice):
    from tests import factories

    op = planned.operation
    other = factories.officer("PSP", username="otto", roles=("planner",))
    url = f"/api/v1/planning/operations/{op.uuid}/plan/briefings/1/csv/"
    assert api.as_(other).get(url).status_code == 404
    reviewer = factories.officer("PSP", username="rita", roles=("reviewer",))
    assert api.as_(reviewer).get(url).status_code == 403
    assert api.as_(alice).get(url).status_code == 401  # an inspector's phone token is not let in


# --- Who to ask for on site -----------------------------------------------------------------------


@pytest.fixture
def contacts(city):
    """Lotus Karaoke has a manager on record; Jade Sauna only its operating company."""
    from backend.registry import services as registry

    lotus, jade = city["venues"][:2]
    owner = factories.company(name_en="Lotus Entertainment Ltd")
    registry.site_update(
        actor=None,
        site=lotus,
        operator=owner,
        licence_number="IAM/KAR/0042",
        contact_name="Chan Tai Man",
        contact_phone="+853 6612 3456",
    )
    registry.site_update(actor=None, site=jade, operator=factories.company(name_en="Jade Leisure Co"))
    return {"lotus": lotus, "jade": jade}


def _stop(job, site):
    for number in range(1, len(job.plan["routes"]) + 1):
        data = selectors.briefing(job, number)
        for stop in data["stops"]:
            if stop["site_id"] == str(site.uuid):
                return number, stop
    pytest.fail(f"{site.name} is in no team's route")


def test_the_contact_is_the_person_on_site_and_the_company_is_the_operator(contacts, planned):
    """The briefing gave the operating company (and licence) as the 'contact': no one a team can
    ask for at the door."""
    _number, lotus = _stop(planned, contacts["lotus"])
    assert (lotus["contact_person"], lotus["contact_phone"]) == ("Chan Tai Man", "+853 6612 3456")
    assert (lotus["operator"], lotus["licence_number"]) == ("Lotus Entertainment Ltd", "IAM/KAR/0042")
    assert "contact" not in lotus  # the old key held the company
    _number, jade = _stop(planned, contacts["jade"])
    assert (jade["contact_person"], jade["contact_phone"]) == ("", "")  # never the company instead
    assert jade["operator"] == "Jade Leisure Co"


def test_the_printed_briefing_says_when_no_contact_person_is_on_record(api, paula, contacts, planned):
    op = planned.operation
    pages = {}
    for site in ("lotus", "jade"):
        number, _stop_data = _stop(planned, contacts[site])
        url = f"/api/v1/planning/operations/{op.uuid}/plan/briefings/{number}/"
        pages[site] = unescape(api.as_(paula).get(url).content.decode())
    lotus = _row(pages["lotus"], "Lotus Karaoke")
    assert "Chan Tai Man" in lotus and "+853 6612 3456" in lotus and "Lotus Entertainment Ltd" in lotus
    assert "IAM/KAR/0042" in lotus and "no contact person on record" not in lotus
    jade = _row(pages["jade"], "Jade Sauna")
    assert "no contact person on record" in jade and "Jade Leisure Co" in jade
    for html in pages.values():
        assert "On-site contact" in html and '<th scope="col">Operator</th>' in html


def test_the_consoles_briefing_shows_the_contact_person_in_every_language(paula, contacts, planned, client):
    from django.utils import translation

    from tests.conftest import signed_in

    signed_in(client, paula.user)
    number, _lotus = _stop(planned, contacts["jade"])
    url = f"/planning/operations/{planned.operation.uuid}/plan/briefings/{number}/"
    for language in ("en", "zh-hant", "pt"):
        html = unescape(client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode())
        with translation.override(language):
            none = translation.gettext("no contact person on record")
            heading = translation.gettext("On-site contact")
        assert none in _row(html, "Jade Sauna") and heading in html
        if language != "en":
            assert none != "no contact person on record" and heading != "On-site contact"


def test_the_csv_carries_contact_person_phone_and_operator_apart(api, paula, contacts, planned):
    op = planned.operation
    rows = {}
    for number in range(1, len(planned.plan["routes"]) + 1):
        url = f"/api/v1/planning/operations/{op.uuid}/plan/briefings/{number}/csv/"
        for row in csv.DictReader(io.StringIO(api.as_(paula).get(url).content.decode())):
            rows[row["site"]] = row
    assert "contact" not in rows["Lotus Karaoke"]
    lotus, jade = rows["Lotus Karaoke"], rows["Jade Sauna"]
    assert (lotus["contact_person"], lotus["contact_phone"]) == ("Chan Tai Man", "+853 6612 3456")
    assert (lotus["operator"], lotus["licence_number"]) == ("Lotus Entertainment Ltd", "IAM/KAR/0042")
    assert (jade["contact_person"], jade["contact_phone"], jade["operator"]) == ("", "", "Jade Leisure Co")


def _row(html: str, site: str) -> str:
    """The route table's row of ``site`` (the console's cells carry a role and a class too)."""
    start = html.index(f">{site}</td>")
    return html[html.rindex("<tr", 0, start) : html.index("</tr>", start)]


def test_the_printable_briefing_is_styled_and_its_map_drawn_in_every_language(api, paula, planned):
    """The page's styles are a file (the Content-Security-Policy refuses inline styles), and the
    map's coordinates are plain numbers: in Portuguese they read "30,0", which no browser draws."""
    op = planned.operation
    for language in ("en", "pt", "zh-hant"):
        page = api.as_(paula).get(
            f"/api/v1/planning/operations/{op.uuid}/plan/briefings/1/", HTTP_ACCEPT_LANGUAGE=language
        )
        html = page.content.decode()
        assert "<style" not in html and "scheduler/briefing_print.css" in html
        svg = html[html.index("<svg") : html.index("</svg>")]
        numbers = re.findall(r' (?:cx|cy|x|y|width|height)="([^"]*)"', svg)
        numbers += re.search(r'points="([^"]+)"', svg).group(1).replace(",", " ").split()
        assert numbers and all(re.fullmatch(r"-?\d+(\.\d+)?", n) for n in numbers), (language, numbers)
