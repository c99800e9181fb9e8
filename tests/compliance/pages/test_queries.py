"""Each page's query count is pinned and does not grow with the rows it lists."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings

from tests.compliance.pages import workload
from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db

# Measured with 3 and with 9 visits: the same counts (session, user, officer, roles, page).
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LIMITS = {"queue": 10, "submission": 14, "register": 8, "company": 11, "cases": 8, "case": 11}


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker, tmp_path_factory):
    """The workload, built once for the module and rolled back after it (each test only reads
    its pages, in a savepoint inside): building it was nearly all of each test's time."""
    media = tmp_path_factory.mktemp("queries-media")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER, MEDIA_ROOT=str(media), MAP_TILE_URL=""),
        transaction.atomic(),
    ):
        yield workload.build(8, decided=3), media
        transaction.set_rollback(True)


@pytest.fixture
def work(_built, db, settings):
    built, media = _built
    settings.MEDIA_ROOT = str(media)  # where the workload's photos were stored
    return built


def pages(work):
    case = work.cases[0]
    return {
        "queue": "/review/",
        "submission": f"/review/{work.submissions[-1].uuid}/",
        "register": "/compliance/",
        "company": f"/compliance/companies/{work.companies[0].uuid}/",
        "cases": "/compliance/cases/",
        "case": f"/compliance/cases/{case.uuid}/",
    }


@pytest.mark.parametrize("name", list(LIMITS))
def test_reviewer_pages_query_count(name, work, client, django_assert_max_num_queries):
    signed_in(client, work.reviewer)
    url = pages(work)[name]
    with django_assert_max_num_queries(LIMITS[name]):
        response = client.get(url)
    assert response.status_code == 200


# The referral: one of them reads the screening's checklist, whose labels name its coded fields,
# one the retention policy (its days are said under the status, as closing starts them).
@pytest.mark.parametrize(("url", "limit"), [("/protection/", 9), ("referral", 10)])
def test_protection_pages_query_count(url, limit, work, client, django_assert_max_num_queries):
    signed_in(client, work.protection)
    if url == "referral":
        url = f"/protection/{work.referrals[0].uuid}/"
    with django_assert_max_num_queries(limit):
        response = client.get(url)
    assert response.status_code == 200


def test_company_page_bounded_as_its_history_grows(work, client, django_assert_max_num_queries):
    """A contractor scored at every decision for a year and with many cases: its page shows the
    latest scores and the first cases, saying how many there are, in the same queries (two
    counts more), where it rendered every score and case (168 KB, 0.6 s for 949 scores)."""
    import datetime as dt

    from backend.compliance.models import ComplianceCase, ComplianceScore
    from backend.compliance.pages.register import CASES_SHOWN, SCORES_SHOWN
    from tests.compliance.pages.scale import _copy

    company = work.companies[0]
    signed_in(client, work.reviewer)
    url = f"/compliance/companies/{company.uuid}/"
    score = ComplianceScore.objects.filter(company=company).first()
    case = ComplianceCase.objects.get(company=company)
    sizes = []
    for scores, cases in ((SCORES_SHOWN + 5, CASES_SHOWN + 3), (3 * SCORES_SHOWN, 3 * CASES_SHOWN)):
        have = ComplianceScore.objects.filter(company=company).count()
        ComplianceScore.objects.bulk_create(
            [_copy(score, computed_at=score.computed_at - dt.timedelta(hours=n)) for n in range(have, scores)]
        )
        have = ComplianceCase.objects.filter(company=company).count()
        ComplianceCase.objects.bulk_create([_copy(case) for _ in range(have, cases)])
        with django_assert_max_num_queries(LIMITS["company"] + 2):
            response = client.get(url)
        page = response.content.decode()
        assert page.count('<td class="num">') // 4 == SCORES_SHOWN  # score, F, R, T a row
        assert page.count("/compliance/cases/") - page.count('href="/compliance/cases/"') == CASES_SHOWN
        assert f"The latest {SCORES_SHOWN} of {scores} scores." in page
        assert f"The first {CASES_SHOWN} of {cases} cases, the open ones first." in page
        sizes.append(len(response.content))
    assert sizes[1] - sizes[0] < 200  # the counts' digits alone


@pytest.mark.parametrize("state", ["awaiting", "approved"])
def test_review_board_joins_the_reviews_once(state, work):
    """The board (the reviewer's home counts it, the queue lists it) filters on its agency's
    review by EXISTS, which PostgreSQL plans as one join of the reviews, and not on the
    annotated decision's value, a subquery it ran for every submission ever received: at a year
    of a city (40,000 submissions) the home took 1.1 s and the queue 2.5 s."""
    from backend.compliance import selectors

    sql = str(selectors.review_board(user=work.reviewer.user, state=state).query)
    where = sql[sql.index(" WHERE ") :]
    assert 'EXISTS(SELECT 1 AS "a" FROM "compliance_review"' in where
    assert '"decided_at" DESC LIMIT 1) IS NULL' not in where
    assert '"decided_at" DESC LIMIT 1) = ' not in where
