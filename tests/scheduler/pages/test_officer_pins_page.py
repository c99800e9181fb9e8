"""The plan page says which officers the planner placed by hand, which planning again keeps so:
a card lists each (its team, or in no team) with a Release button, the team make-up marks them,
and after "Plan again" the card says which placings could not be kept and why. Signed in
through the sign-in page, in English and Chinese; the API releases a placing too, and no one
but the operation's planners can."""

from __future__ import annotations

import re
from html import unescape

import pytest
from rest_framework.test import APIClient

from backend.audit.models import AuditEntry
from backend.registry.models import Officer
from scheduler import services
from tests import factories
from tests.scheduler.conftest import on_shift
from tests.scheduler.test_pins_carry_over import _run

pytestmark = pytest.mark.django_db


def _section(html, heading_id):
    start = html.index(f'id="{heading_id}"')
    return re.sub(r"\s+", " ", html[start : html.index("</section>", start)])


def _lou(city):
    return str(city["dsal"][0].uuid)


def _take_lou_out(operation, city, paula):
    first = _run(operation)
    team = next(i for i, r in enumerate(first.plan["routes"]) if _lou(city) in r["officer_ids"])
    services.plan_officer_move(
        actor=paula.user, job=first, officer_id=_lou(city), from_route=team, to_route=None
    )
    return first, team


def test_the_page_lists_the_officers_placed_by_hand_and_releases_one(planner_client, operation, city, paula):
    first, team = _take_lou_out(operation, city, paula)
    lin = on_shift(factories.officer("DSAL", username="lin", full_name="Lin Labour", sex="F", rank=1))
    services.plan_officer_move(
        actor=paula.user, job=first, officer_id=str(lin.uuid), from_route=None, to_route=team
    )
    url = f"/planning/operations/{operation.uuid}/plan/"
    html = unescape(planner_client.get(url).content.decode())
    card = _section(html, "officer-pins-h")
    assert "Lou Labour — in no team" in card
    assert f"Lin Labour — Team {team + 1}" in card
    assert "Planning again keeps them so" in card
    make_up = _section(html, "teams-h")
    assert re.search(r"Lin Labour\s*<span class=\"badge muted\">placed by hand</span>", make_up), make_up
    assert make_up.count("placed by hand") == 1
    assert "Planning again keeps each officer where you placed them." in make_up

    released = planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/officer/release/",
        {"officer": _lou(city)},
        HTTP_HX_REQUEST="true",
    )
    body = unescape(released.content.decode())
    assert "Released: the plan stays as it is, and planning again forms this officer's teams afresh." in body
    assert "Lou Labour — in no team" not in body
    first.refresh_from_db()
    assert _lou(city) not in {p["officer"] for p in first.officer_pins}
    # Releasing one not placed by hand says so and changes nothing.
    again = planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/officer/release/",
        {"officer": _lou(city)},
        HTTP_HX_REQUEST="true",
    )
    assert "This officer was not placed by hand." in unescape(again.content.decode())
    assert AuditEntry.objects.filter(verb="plan_officer_unpin").count() == 1


def test_after_plan_again_the_page_says_why_a_placing_was_dropped_in_chinese(
    planner_client, operation, city, paula
):
    _take_lou_out(operation, city, paula)
    Officer.objects.filter(uuid=_lou(city)).update(is_active=False)  # she has left since
    _run(operation)
    planner_client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    html = unescape(planner_client.get(f"/planning/operations/{operation.uuid}/plan/").content.decode())
    card = _section(html, "officer-pins-h")
    assert "人手安排的人員" in card
    assert "Lou Labour 在上一個計劃中由人手安排，但現已無法編排" in card


def test_the_api_lists_and_releases_placings_and_no_one_else_can(api, operation, city, paula, alice, carol):
    first, _team = _take_lou_out(operation, city, paula)
    base = f"/api/v1/planning/operations/{operation.uuid}/plan/"
    view = api.as_(paula).get(base).json()
    assert view["officer_pins"] == [
        {"officer": _lou(city), "name": "Lou Labour", "route": None, "team": None}
    ]
    release = base + "officer/release/"
    other_planner = factories.officer("PSP", username="otto", roles=("planner",))
    other_agency = factories.officer("DSAL", username="dina", roles=("planner",))
    # The operation is sealed (revealed the evening it runs, years from now): its planners alone
    # (Alice, an inspector, holds only her phone's token, which is not let in: 401).
    for who in (other_planner, other_agency, alice, carol):
        response = api.as_(who).post(release, {"officer": _lou(city)}, format="json")
        assert response.status_code in (401, 403, 404), (who, response.status_code)
    assert APIClient().post(release, {"officer": _lou(city)}, format="json").status_code == 401
    refused = api.as_(paula).post(release, {"officer": "nobody"}, format="json")
    assert refused.status_code == 400 and refused["Content-Type"].startswith("application/problem+json")
    first.refresh_from_db()
    assert len(first.officer_pins) == 1
    done = api.as_(paula).post(release, {"officer": _lou(city)}, format="json")
    assert done.status_code == 200 and done.json()["officer_pins"] == []
    unknown = api.as_(paula).post(release, {"officer": _lou(city)}, format="json")
    assert unknown.status_code == 404 and unknown["Content-Type"].startswith("application/problem+json")


def test_the_operation_page_says_what_planning_again_keeps(planner_client, operation, city, paula):
    url = f"/planning/operations/{operation.uuid}/"
    first = _run(operation)
    assert 'id="hand-edits"' not in planner_client.get(url).content.decode()  # nothing by hand yet
    visit = first.plan["routes"][0]["stops"][0]["visit_id"]
    services.plan_move(actor=paula.user, job=first, visit_id=visit, to_route=None)
    team = next(i for i, r in enumerate(first.plan["routes"]) if _lou(city) in r["officer_ids"])
    services.plan_officer_move(
        actor=paula.user, job=first, officer_id=_lou(city), from_route=team, to_route=None
    )
    html = unescape(planner_client.get(url).content.decode())
    note = _section(html, "planning-h")
    assert (
        "Planning again keeps what you did by hand on the draft plan: "
        "1 pinned visit, 1 officer placed by hand." in note
    )
    assert f'href="/planning/operations/{operation.uuid}/plan/"' in note
    planner_client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    zh = _section(unescape(planner_client.get(url).content.decode()), "planning-h")
    assert "重新規劃會保留你在計劃草稿上以人手所作的安排：1 個已固定的巡查、1 名人手安排的人員。" in zh
    # Two sentences in Chinese follow each other with no space between (it read "人員。 在計劃頁面").
    assert re.search(r"人員。<a [^>]*>在計劃頁面", zh), zh


def test_a_published_plan_says_what_a_re_plan_keeps_not_what_planning_again_dropped(
    planner_client, operation, city, paula
):
    """Published, the plan page still said 'Planning again keeps them so' and what the last Plan
    again could not keep, though Plan again is no longer offered there (found on a newcomer's
    walk): what a re-plan after a drop-out keeps is what the planner can still use."""
    on_shift(factories.officer("DSAL", username="lin", full_name="Lin Labour", sex="F", rank=1))
    first, _team = _take_lou_out(operation, city, paula)
    # A visit pinned, then its target removed: Plan again drops that pin and says so.
    visit = next(s["visit_id"] for r in first.plan["routes"] for s in r["stops"])
    services.plan_move(actor=paula.user, job=first, visit_id=visit, to_route=None)
    target = operation.targets.get(pk=int(visit))
    services.operation_target_remove(actor=None, operation=operation, site=target.site)
    again = _run(operation)
    assert again.evaluation["feasible"], again.evaluation["violations"]
    url = f"/planning/operations/{operation.uuid}/plan/"
    draft = unescape(planner_client.get(url).content.decode())
    assert "is no longer to be planned" in draft and "Planning again keeps them so" in draft
    services.plan_publish(actor=paula.user, job=again)
    html = unescape(planner_client.get(url).content.decode())
    assert "Lou Labour — in no team" in _section(html, "officer-pins-h")
    assert "A re-plan after an officer drops out keeps them so" in html
    assert "is no longer to be planned" not in html and "Planning again keeps them so" not in html


@pytest.mark.parametrize(
    ("language", "shown"), [("zh-hant", "取消安排"), ("en", "Release"), ("pt", "Soltar")]
)
def test_the_release_buttons_name_holds_the_word_it_shows(
    planner_client, operation, city, paula, language, shown
):
    """A speech-input user says the button's word ("取消安排") to press it: its accessible name must
    hold that word (WCAG 2.5.3). In Chinese the name was "取消Lou Labour的安排", the word split."""
    _take_lou_out(operation, city, paula)
    planner_client.post("/i18n/setlang/", {"language": language, "next": "/"})
    html = unescape(planner_client.get(f"/planning/operations/{operation.uuid}/plan/").content.decode())
    card = _section(html, "officer-pins-h")
    button = re.search(r'<button type="submit" class="small" aria-label="([^"]*)">([^<]*)</button>', card)
    assert button, card
    label, text = button.groups()
    assert text == shown
    assert label.startswith(shown) and "Lou Labour" in label, label
