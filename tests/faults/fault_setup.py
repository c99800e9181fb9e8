"""The data the fault tests drive, written into their private database.

Run as ``python -m tests.faults.fault_setup <count>`` with the test's environment (its
DATABASE_URL); prints one JSON line. Built through the services, as the production-stack test's
set-up is: Bob (a DSAL inspector) has ``count`` construction-site inspections today, one per
site, all of one contractor; Carol (a DSAL reviewer) has a confirmed authenticator.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys

import django


def main(count: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    django.setup()

    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from backend.checklists import engine
    from backend.checklists.services import template_version_create, template_version_publish
    from backend.compliance.services import violation_catalogue_load
    from backend.inspections import services as inspections
    from tests import factories
    from tests.compliance.conftest import construction_answers

    definition = engine.load_builtin()["construction_illegal_employment"]
    version = template_version_publish(
        actor=None, version=template_version_create(actor=None, definition=definition)
    )
    violation_catalogue_load()
    bob = factories.officer("DSAL", username="bob", full_name="Bob Labour")
    carol = factories.officer("DSAL", username="carol", full_name="Carol Reviewer", roles=("reviewer",))
    device = TOTPDevice.objects.create(user=carol.user, name="phone", confirmed=True)
    contractor = factories.company(kind="contractor", name_en="Lucky Build Ltd")
    now = timezone.now()
    team = inspections.team_create(actor=None, name="DSAL routine", members=[bob])
    issued = []
    for n in range(count):
        site = factories.site(
            kind="construction_site", name_en=f"Cotai Tower {n}", contractor=contractor, opening_hours=[]
        )
        issued.append(
            inspections.inspection_issue(
                actor=None,
                site=site,
                category="illegal_employment",
                template_version=version,
                planned_start=now - dt.timedelta(minutes=30),
                planned_end=now + dt.timedelta(hours=2),
                team=team,
            )
        )
    print(
        json.dumps(
            {
                "inspections": [str(i.uuid) for i in issued],
                "template_version": str(version.uuid),
                "answers": construction_answers(version),
                "totp_key": device.bin_key.hex(),
                "company": str(contractor.uuid),
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))
