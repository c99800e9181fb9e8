"""The review queue's Operation filter tells apart operations of the same name: a recurring
operation ("Thunderbolt" every December, five times in the demo's history) was listed five times
under one name, and a reviewer could not tell which one they chose. Each is named with its date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import formats, timezone

from backend.inspections import services as inspections
from backend.inspections.models import Operation
from tests.browser_support import sign_in
from tests.compliance.conftest import construction_answers, ingest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def test_operations_of_one_name_are_told_apart_by_their_date(pages, visit, carol, alice, bob, paula):
    joint = visit.joint
    last_week = timezone.now() - dt.timedelta(days=7)
    earlier = inspections.operation_create(
        actor=None,
        name=joint.operation.name,
        lead_agency=alice.agency,
        agencies=[bob.agency],
        planners=[paula],
        reveal_at=last_week - dt.timedelta(hours=2),
        starts_at=last_week - dt.timedelta(hours=1),
        ends_at=last_week + dt.timedelta(hours=6),
        status=Operation.Status.PUBLISHED,
    )
    team = inspections.team_create(
        actor=None, name="Joint 2", members=[alice, bob], leader=alice, operation=earlier
    )
    inspection = inspections.inspection_issue(
        actor=None,
        site=joint.site,
        category="illegal_employment",
        template_version=joint.construction_version,
        planned_start=last_week,
        planned_end=last_week + dt.timedelta(hours=2),
        team=team,
        operation=earlier,
    )
    ingest(bob, inspection, joint.construction_version, construction_answers(joint.construction_version))

    page = pages.new_page()
    sign_in(page, pages.base_url, "carol", PASSWORD)
    page.goto(f"{pages.base_url}/review/")
    options = [o.strip() for o in page.locator("#id_operation option").all_inner_texts()][1:]
    assert len(options) == 2 and len(set(options)) == 2, options

    def named(operation):
        day = formats.date_format(timezone.localtime(operation.starts_at), "DATE_FORMAT")
        return f"{operation.name} · {day}"

    assert options == [named(joint.operation), named(earlier)], options
    pages.shot(page, "queue-operations")
