"""Statistics stay true after review: every decision that moves a counted figure (approving,
rejecting, returning, correcting) refreshes the rollups of the days it touched, through the
outbox as in production, so the rollups equal the raw aggregation after any sequence."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django.test import TestCase
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.compliance import services
from backend.core.errors import DomainError
from backend.inspections.models import Finding, Submission
from backend.reporting.services import rollup_check, rollup_refresh
from backend.reporting.statistics import Query, aggregate

pytestmark = pytest.mark.django_db


def _committed(action):
    """Run ``action`` as one request would: its own transaction, then what runs after commit
    (the outbox relays the rollup refresh in-process when there is no broker)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        try:
            with transaction.atomic():
                action()
        except DomainError:
            pass  # refused by a rule (decided twice, nothing to correct): nothing changed


def _current(joint, template_code):
    return (
        Submission.objects.filter(
            inspection=joint.inspection,
            template_version__template__code=template_code,
            status=Submission.Status.ACCEPTED,
        )
        .order_by("-received_at", "-pk")
        .first()
    )


def _official_findings(source):
    return aggregate(Query(measures=["findings"], prefer=source)).totals["findings"]


def test_approving_findings_refreshes_their_rollup(joint, bob, carol):
    rollup_refresh(full=True)
    _committed(lambda: joint.submit_construction(bob))
    before = _official_findings("rollup")

    _committed(
        lambda: services.submission_approve(
            user=carol.user, submission=_current(joint, "construction_illegal_employment")
        )
    )

    assert _official_findings("rollup") == _official_findings("raw") > before
    assert rollup_check(source="findings").ok and rollup_check(source="inspections").ok


def test_a_correction_on_a_later_day_refreshes_the_day_of_the_withdrawn_findings(joint, bob):
    """The first revision is sent the day after the visit, its correction two days later: the
    withdrawn findings were recorded on neither the inspection's day nor the correction's."""
    rollup_refresh(full=True)
    construction = "construction_illegal_employment"
    visit = timezone.now()
    with time_machine.travel(visit + dt.timedelta(days=1)):
        _committed(lambda: joint.submit_construction(bob))
    with time_machine.travel(visit + dt.timedelta(days=3)):
        _committed(lambda: joint.submit_construction(bob, replaces=_current(joint, construction)))
    assert Finding.objects.filter(status=Finding.Status.WITHDRAWN).exists()
    assert rollup_check(source="findings").ok


ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("submit")),
        st.tuples(st.just("correct")),
        st.tuples(st.just("screen")),
        st.tuples(st.just("approve"), st.sampled_from(["carol", "percy"]), st.booleans()),
        st.tuples(st.just("return"), st.sampled_from(["carol", "percy"])),
        st.tuples(st.just("next_day")),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
def test_rollups_equal_the_raw_aggregation_after_any_sequence_of_review_actions(
    joint, alice, bob, carol, percy, actions
):
    reviewers = {"carol": carol, "percy": percy}
    construction = "construction_illegal_employment"
    start = timezone.now()
    with transaction.atomic():
        rollup_refresh(full=True)
        day = 0
        for action in actions:
            kind = action[0]
            with time_machine.travel(start + dt.timedelta(days=day, minutes=len(actions)), tick=True):
                if kind == "next_day":
                    day += 1
                elif kind == "submit":
                    _committed(lambda: joint.submit_construction(bob))
                elif kind == "correct" and _current(joint, construction) is not None:
                    _committed(lambda: joint.submit_construction(bob, replaces=_current(joint, construction)))
                elif kind == "screen":
                    _committed(lambda: joint.submit_screening(alice))
                elif kind == "approve":
                    reviewer = reviewers[action[1]]
                    for submission in Submission.objects.filter(
                        inspection=joint.inspection, status=Submission.Status.ACCEPTED
                    ):
                        mine = Finding.objects.filter(
                            submission=submission,
                            status=Finding.Status.DRAFT,
                            competent_agency=reviewer.agency,
                        ).order_by("pk")
                        reject = [str(mine[0].uuid)] if action[2] and mine.exists() else []
                        _committed(
                            lambda s=submission, r=reject, who=reviewer: services.submission_approve(
                                user=who.user, submission=s, reject=r, comment="unfounded" if r else ""
                            )
                        )
                elif kind == "return":
                    submission = _current(joint, construction)
                    if submission is not None:
                        _committed(
                            lambda s=submission, who=reviewers[action[1]]: services.submission_return(
                                user=who.user, submission=s, comment="Photo of the card missing."
                            )
                        )
        for source in ("inspections", "findings"):
            check = rollup_check(source=source)
            assert check.ok, (actions, source, check.differences)
        transaction.set_rollback(True)
