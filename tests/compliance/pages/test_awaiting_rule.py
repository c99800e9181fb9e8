"""What awaits a reviewer (their home's count, the review queue and its API) is read as the union
of two index-driven sets (``selectors.awaiting_submissions``), not as the access rule's OR of two
EXISTS, which PostgreSQL could not make a join: at a year of a city (40,000 submissions, 100,000
findings) it read every finding into a hash and tested every submission ever received, twice per
page (the count and the rows), and compiled the plan: the home took 0.5-0.9 s, the queue 0.8 s.

The union must hold exactly what the rule holds: the same submissions in the same order, at two
sizes, for a reviewer of each agency and a team leader, with submissions whose findings are
another agency's only and one without findings (its officer's agency's)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test import override_settings

from backend.compliance import selectors
from backend.compliance.models import Review
from backend.core.access import principal_for
from backend.inspections.models import Finding, Submission, Team
from backend.registry.models import Agency
from tests import factories
from tests.compliance.pages import workload
from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def by_the_rule(user) -> list[int]:  # type: ignore[no-untyped-def]
    """What awaits ``user`` as the access rule reads (``reviewable_submissions``, the OR)."""
    principal = principal_for(user)
    decided = Review.objects.filter(submission=OuterRef("pk"), agency_id=principal.agency_id)
    return list(
        selectors.reviewable_submissions(principal)
        .filter(status=Submission.Status.ACCEPTED)
        .exclude(Exists(decided))
        .order_by("received_at", "pk")
        .values_list("pk", flat=True)
    )


def _world(n: int, tmp_path):  # type: ignore[no-untyped-def]
    with override_settings(PASSWORD_HASHERS=FAST_HASHER, MEDIA_ROOT=str(tmp_path), MAP_TILE_URL=""):
        work = workload.build(n, decided=1)
    waiting = work.submissions[1:]
    # One without findings (its officer is the labour bureau's), one with the police's only.
    Finding.objects.filter(submission=waiting[0]).delete()
    Finding.objects.filter(submission=waiting[-1]).update(
        competent_agency=Agency.objects.get(code="PSP"), competent_agency_code="PSP"
    )
    police_reviewer = factories.officer("PSP", username="psp-reviewer", roles=("reviewer",))
    leader = factories.officer("PSP", username="psp-leader", roles=("team_leader",))
    Team.objects.update(leader=leader)
    return work, [work.reviewer, police_reviewer, leader]


@pytest.mark.parametrize("visits", [3, 6])
def test_what_awaits_is_what_the_rule_says(visits, tmp_path, client):
    work, people = _world(visits, tmp_path)
    for person in people:
        expected = by_the_rule(person.user)
        board = selectors.review_board(user=person.user)
        assert list(board.values_list("pk", flat=True)) == expected, person
        assert board.count() == len(expected)
        assert list(selectors.review_queue(user=person.user).values_list("pk", flat=True)) == expected
    # Each kind of submission is somebody's: none of the sets is empty, and what grows with the
    # visits grows in both.
    dsal, psp, leader = (len(by_the_rule(p.user)) for p in people)
    assert dsal == visits - 2  # the undecided labour ones, less the police's only, plus none-found
    assert psp >= visits and leader >= visits
    # The reviewer's home says the count, the queue lists it.
    signed_in(client, work.reviewer)
    assert re.search(rf">{dsal} submissions? waiting for your review<", client.get("/").content.decode())


def test_the_board_is_read_as_a_union_not_an_or(tmp_path):
    work, _people = _world(2, tmp_path)
    sql = str(selectors.review_board(user=work.reviewer.user).query)
    assert "UNION ALL" in sql, sql
    # The rule's OR of EXISTS is what PostgreSQL could not make a join.
    assert " OR NOT EXISTS" not in sql and " OR (NOT EXISTS" not in sql, sql
    if connection.vendor == "postgresql":  # a list computed once, its rows read by key
        assert "= ANY(ARRAY(" in sql, sql


def test_the_reviewers_home_and_queue_queries_are_pinned(tmp_path, client, django_assert_num_queries):
    work, _people = _world(2, tmp_path)
    signed_in(client, work.reviewer)
    client.get("/")
    with django_assert_num_queries(HOME_QUERIES):
        assert client.get("/").status_code == 200
    with django_assert_num_queries(QUEUE_QUERIES):
        assert client.get("/review/").status_code == 200


# As the console benchmark counts them (tests/benchmarks/bench_console_scale.py): the home's
# waiting work is one count, the queue's one count and one page.
HOME_QUERIES = 7
QUEUE_QUERIES = 10
