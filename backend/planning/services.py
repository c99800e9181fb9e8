"""Requests for inspections. The one way any part of the system asks for a site to be visited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from backend.audit.services import audit_record
from backend.core.errors import Conflict, InvalidInput
from backend.planning.models import DueWork
from backend.registry.models import Agency, Site


@transaction.atomic
def due_work_request(
    *,
    actor: Any,
    site: Site,
    agency: Agency,
    category: str,
    reason: str,
    earliest: dt.date,
    latest: dt.date,
    priority: int = 3,
    note: str = "",
    source_type: str = "",
    source_id: str = "",
    carry_items: list[Any] | None = None,
) -> DueWork:
    """Ask for ``site`` to be inspected between ``earliest`` and ``latest``. A second open request
    from the same source for the same site is the same request (idempotent), and so is a second
    open request made by hand that says exactly what the first says: a planner's form sent twice
    (a double click, the page sent again from another tab) asked for one visit, not two."""
    if latest < earliest:
        raise InvalidInput(errors={"latest": [_("The window must end on or after its start.")]})
    if not 1 <= priority <= 5:
        raise InvalidInput(errors={"priority": [_("Priority runs from 1 (highest) to 5.")]})
    # One request for a site at a time (PostgreSQL; SQLite writes one at a time anyway), so that
    # two copies sent at once find each other below.
    Site.objects.select_for_update().only("pk").get(pk=site.pk)
    open_requests = DueWork.objects.filter(site=site, status=DueWork.Status.OPEN)
    if source_type and source_id:
        same = open_requests.filter(source_type=source_type, source_id=source_id)
    else:
        same = open_requests.filter(
            source_type="",
            source_id="",
            agency=agency,
            category=category,
            reason=reason,
            earliest=earliest,
            latest=latest,
            priority=priority,
            note=note,
        )
    existing = same.first()
    if existing is not None:
        return existing
    due = DueWork.objects.create(
        site=site,
        agency=agency,
        category=category,
        reason=reason,
        earliest=earliest,
        latest=latest,
        priority=priority,
        note=note,
        source_type=source_type,
        source_id=source_id,
        carry_items=carry_items or [],
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(actor=actor, action="create", verb="due_work_request", obj=due)
    return due


class DueWorkNotOpen(Conflict):
    code = "due_work_not_open"


@transaction.atomic
def due_work_cancel(*, actor: Any, due: DueWork, note: str = "") -> DueWork:
    """Withdraw an open request; one already planned is cancelled with its inspection, by
    re-planning, not here."""
    due = DueWork.objects.select_for_update().get(pk=due.pk)
    if due.status != DueWork.Status.OPEN:
        raise DueWorkNotOpen(
            _("Only open due work can be cancelled; this is %(status)s.") % {"status": due.status}
        )
    due.status = DueWork.Status.CANCELLED
    if note:
        due.note = note[:300]
    due.save(update_fields=["status", "note"])
    audit_record(actor=actor, action="update", verb="due_work_cancel", obj=due, changes={"note": note[:300]})
    return due
