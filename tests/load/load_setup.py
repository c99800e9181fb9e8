"""The data the load script drives, written into the stack's own database.

Run as ``python -m tests.load.load_setup OFFICERS VISITS`` with the stack's environment; prints
one JSON line: each simulated officer's username and the ids of the day's visits assigned to
them, the checklist version and valid answers. Officers are DSAL labour inspectors, each alone in
a team of their own with VISITS routine construction-site inspections today, spread over a pool
of sites. One password hash is computed and given to every officer (hashing it 200 times would
be most of the set-up and tells nothing about the server).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys

import django


def main(officers: int, visits: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    django.setup()

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from backend.checklists import engine
    from backend.checklists.services import template_version_create, template_version_publish
    from backend.compliance.services import violation_catalogue_load
    from backend.inspections import services as inspections
    from tests import factories
    from tests.compliance.conftest import construction_answers
    from tests.conftest import PASSWORD

    definition = engine.load_builtin()["construction_illegal_employment"]
    version = template_version_publish(
        actor=None, version=template_version_create(actor=None, definition=definition)
    )
    violation_catalogue_load()
    contractor = factories.company(kind="contractor", name_en="Load Build Ltd")
    sites = [
        factories.site(
            kind="construction_site", name_en=f"Load site {n:02d}", contractor=contractor, opening_hours=[]
        )
        for n in range(min(visits, 40))
    ]
    now = timezone.now()
    people = []
    for n in range(officers):
        with transaction.atomic():
            officer = factories.officer(
                "DSAL", username=f"load{n:04d}", full_name=f"Load Officer {n}", password=None
            )
            team = inspections.team_create(actor=None, name=f"Load team {n}", members=[officer])
            ids = [
                str(
                    inspections.inspection_issue(
                        actor=None,
                        site=sites[(n + v) % len(sites)],
                        category="illegal_employment",
                        template_version=version,
                        planned_start=now - dt.timedelta(minutes=30),
                        planned_end=now + dt.timedelta(hours=10),
                        team=team,
                        route_order=v + 1,
                    ).uuid
                )
                for v in range(visits)
            ]
        people.append({"username": officer.user.username, "visits": ids})
    get_user_model().objects.filter(username__startswith="load").update(password=make_password(PASSWORD))
    print(
        json.dumps(
            {
                "officers": people,
                "password": PASSWORD,
                "template_version": str(version.uuid),
                "answers": construction_answers(version),
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
