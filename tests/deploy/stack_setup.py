"""The data the production-stack test drives, written into the stack's own database.

Run by the test as ``python -m tests.deploy.stack_setup`` with the stack's environment (its
DATABASE_URL), before the servers start; prints what the test needs as one JSON line. Built
through the services, as the other tests' scenarios are: Bob (a DSAL inspector) has a routine
construction-site inspection today; Carol (a DSAL reviewer) has a confirmed authenticator.
"""

from __future__ import annotations

import datetime as dt
import json
import os

import django


def main() -> None:
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

    # Only the checklist the visit uses: publishing all the built-in ones doubles the set-up.
    definition = engine.load_builtin()["construction_illegal_employment"]
    version = template_version_publish(
        actor=None, version=template_version_create(actor=None, definition=definition)
    )
    violation_catalogue_load()
    bob = factories.officer("DSAL", username="bob", full_name="Bob Labour")
    carol = factories.officer("DSAL", username="carol", full_name="Carol Reviewer", roles=("reviewer",))
    device = TOTPDevice.objects.create(user=carol.user, name="phone", confirmed=True)
    contractor = factories.company(kind="contractor", name_en="Lucky Build Ltd")
    site = factories.site(
        kind="construction_site", name_en="Cotai Tower B", contractor=contractor, opening_hours=[]
    )
    now = timezone.now()
    team = inspections.team_create(actor=None, name="DSAL routine", members=[bob])
    inspection = inspections.inspection_issue(
        actor=None,
        site=site,
        category="illegal_employment",
        template_version=version,
        planned_start=now - dt.timedelta(minutes=30),
        planned_end=now + dt.timedelta(hours=2),
        team=team,
    )
    print(
        json.dumps(
            {
                "inspection": str(inspection.uuid),
                "template_version": str(version.uuid),
                "answers": construction_answers(version),
                "totp_key": device.bin_key.hex(),
                "company": str(contractor.uuid),
            }
        )
    )


if __name__ == "__main__":
    main()
