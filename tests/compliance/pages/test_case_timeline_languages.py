"""A case's timeline on its page is told in the reader's language: signed in through the sign-in
page, a reviewer reading in Traditional Chinese or Portuguese meets no English of the timeline
(what happened, who did it when no person did, the kind of each step), only people's names and
their own words; an event recorded before codes shows its words as stored."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
import time_machine
from django.utils import timezone, translation

from backend.compliance import services
from backend.compliance.models import CaseEvent
from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db


def _early(case, carol):
    """Notice, comment, a follow-up Carol asks for before the deadline, a penalty before it too."""
    services.case_notice_issue(user=carol.user, case=case)
    services.case_comment(user=carol.user, case=case, text="Called the site manager.")
    services.case_follow_up_order(user=carol.user, case=case)
    services.case_decide(
        user=carol.user,
        case=case,
        outcome="penalty",
        reason="Repeat.",
        penalty_amount="5000",
        before_deadline=True,
    )


def _deadline_passed(case, carol):
    """Notice, the nightly run's follow-up once the deadline passed, rectified."""
    case = services.case_notice_issue(user=carol.user, case=case)
    with time_machine.travel(dt.datetime.combine(case.deadline, dt.time(17), tzinfo=dt.UTC), tick=False):
        services.case_deadlines_process()
        services.case_decide(user=carol.user, case=case, outcome="rectified", reason="Permits shown.")


def _steps(page: str) -> list[dict[str, str]]:
    """Each step of the page's timeline: its kind, who, what happened, as a reader sees them
    (times and people's own words, in <q>, left out)."""
    timeline = re.search(r'<ol class="timeline">(.*?)</ol>', page, re.S).group(1)
    steps = []
    for item in re.findall(r"<li>(.*?)</li>", timeline, re.S):
        item = re.sub(r"<time.*?</time>|<q>.*?</q>", "", item, flags=re.S)
        message = re.search(r'<span class="event-message">(.*?)</span>', item, re.S)
        steps.append(
            {
                "kind": html.unescape(re.search(r"<strong>(.*?)</strong>", item).group(1)),
                "who": html.unescape(re.search(r"— (.*?)(?:<br>|$)", item, re.S).group(1)).strip(),
                "message": html.unescape(message.group(1)) if message else "",
                "text": html.unescape(re.sub(r"<[^>]+>", " ", item)),
            }
        )
    return steps


@pytest.mark.parametrize("history", [_early, _deadline_passed])
@pytest.mark.parametrize("language", ["zh-hant", "pt"])
def test_the_timeline_shows_no_english(language, history, case, carol, client):
    history(case, carol)
    signed_in(client, carol)
    url = f"/compliance/cases/{case.uuid}/"
    english = _steps(client.get(url).content.decode())
    assert len(english) == (5 if history is _early else 4)
    assert all(step["message"] for step in english if step["kind"] != "comment"), english
    assert "system" in {step["who"] for step in english} or history is _early

    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    response = client.get(url)
    assert response.status_code == 200
    translated = _steps(response.content.decode())

    person = f"{carol.full_name} ({carol.badge_number})"
    words = {step["kind"] for step in english} | {step["message"] for step in english if step["message"]}
    words |= {step["who"] for step in english} - {person}
    left = [f"{w!r} in {s['text']!r}" for s in translated for w in words if w in s["text"]]
    assert not left, "English left in the timeline:\n" + "\n".join(left)
    # What happened is told, in the reader's language, not merely left out.
    events = list(CaseEvent.objects.filter(case=case).order_by("at", "pk"))
    with translation.override(language):
        told = [e.message for e in events]
    assert [s["message"] for s in translated] == told
    assert all(told[i] for i, s in enumerate(english) if s["message"])
    if language == "zh-hant":  # nothing in Latin letters but the reviewer's name and badge
        here = f"{carol.full_name}（{carol.badge_number}）"  # in full-width brackets
        assert here in {s["who"] for s in translated}
        assert not any(person in s["text"] for s in translated), translated
        if history is _early:  # the follow-up she asked for early names her so too
            assert any(here in s["message"] for s in translated), translated
        latin = [s["text"] for s in translated if re.search(r"[A-Za-z]{3,}", s["text"].replace(here, ""))]
        assert not latin, latin


def test_an_event_recorded_before_codes_shows_its_words_as_stored(case, carol, client):
    # Made by hand: no service writes an event without a code any more.
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.FOLLOW_UP_REQUESTED,
        at=timezone.now(),
        actor_label="system",
        reason="The corrective deadline passed.",
        data={"carry_items": 2, "early": False},
    )
    signed_in(client, carol)
    client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    steps = _steps(client.get(f"/compliance/cases/{case.uuid}/").content.decode())
    old = steps[-1]
    assert (old["kind"], old["who"], old["message"]) == ("已要求跟進巡查", "系統", "")
    page = client.get(f"/compliance/cases/{case.uuid}/").content.decode()
    assert "<q>The corrective deadline passed.</q>" in page


def test_an_early_follow_up_recorded_before_names_were_stored_apart_reads_as_stored(case, carol):
    """Events stored with the name and badge as one English text keep showing it."""
    event = CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.FOLLOW_UP_REQUESTED,
        code="follow_up_requested.early",
        at=timezone.now(),
        actor=carol.user,
        data={"by": "Carol Reviewer (B00006)", "early": True, "carry_items": 1, "deadline": "2030-01-31"},
    )
    assert event.message.startswith("Requested early by Carol Reviewer (B00006), ")
