"""A reviewer's and a team leader's home page say how many submissions wait for their review, a
link to the queue, as victim protection's says how many referrals wait. The team leader's home
page showed the Review queue's entry and nothing of what waited behind it (found on a newcomer's
walk). The count is the queue's own (the same selector), so nobody is told of submissions they
may not review: a team leader counts only what their own teams did."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from django.utils.translation import ngettext

from backend.compliance import selectors
from backend.inspections.models import Team
from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db
QUEUE = "/review/"


def section(page: str, role: str) -> str:
    return page.split(f'class="card role-{role}"')[1].split("</section>")[0]


def notes(section: str) -> str:
    found = re.search(r'<ul class="entry-notes">(.*?)</ul>', section, re.S)
    return found.group(1) if found else ""


def waiting(n: int, language: str) -> str:
    with translation.override(language):
        return ngettext(
            "%(n)s submission waiting for your review", "%(n)s submissions waiting for your review", n
        ) % {"n": n}


@pytest.mark.parametrize("language", ["en", "pt", "zh-hant"])
def test_the_reviewers_home_page_says_what_waits_in_the_queue(visit, carol, client, language):
    signed_in(client, carol)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    n = selectors.review_board(user=carol.user).count()
    assert n >= 1
    text = waiting(n, language)
    if language != "en":  # told in the reader's language
        assert not text.startswith(f"{n} submission")
    shown = notes(section(client.get("/").content.decode(), "reviewer"))
    assert f'<a href="{QUEUE}">{text}</a>' in shown, shown
    # The queue the link opens holds as many.
    caption = re.search(r"<caption[^>]*>(.*?)</caption>", client.get(QUEUE).content.decode(), re.S).group(1)
    assert re.match(rf"{n}\b", caption), caption


@pytest.mark.parametrize("language", ["en", "pt", "zh-hant"])
def test_a_team_leader_counts_only_what_their_teams_did(visit, joint, tina, client, language):
    signed_in(client, tina)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    with translation.override(language):
        none = translation.gettext("No submission waiting for your review.")
    # Tina leads no team yet: the labour bureau's submissions are not hers to review.
    assert none in notes(section(client.get("/").content.decode(), "team_leader"))
    Team.objects.filter(pk=joint.inspection.team_id).update(leader=tina)
    n = selectors.review_board(user=tina.user).count()
    assert n >= 1
    shown = notes(section(client.get("/").content.decode(), "team_leader"))
    assert f'<a href="{QUEUE}">{waiting(n, language)}</a>' in shown, shown


def test_nobody_else_is_told(visit, vera, client):
    signed_in(client, vera)
    home = client.get("/").content.decode()
    assert "waiting for your review" not in home and 'href="/review/"' not in home
