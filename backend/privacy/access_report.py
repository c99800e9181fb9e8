"""The data-protection officer's access report: every read of a person's details (and every
refused attempt, every lawful request) with who, when and why, and flags:

- ``outside``: another officer had worked on that referral (recorded its details, a service or
  its status) before this read, and the reader had not: someone else's case. A new referral that
  nobody has worked on yet is taken up by whoever reads it first to assess it: not flagged (a
  first read used to be flagged always, so the flag said nothing);
- ``volume``: the reader opened more persons' details that day than PRIVACY_READS_PER_DAY_FLAG;
- ``refused``: an attempt the access rules refused (another role, an unknown referral);
- ``no_reason``: a read without a recorded reason (before reasons were asked)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone

from backend.audit.models import AuditEntry
from backend.registry.models import Officer

READ_VERBS = (
    "victim_details_get",
    "victim_details_refused",
    "person_request_access",
    "person_request_erasure",
)
WORK_VERBS = ("victim_details_record", "protection_service_record", "referral_update")


@dataclass
class AccessRow:
    at: dt.datetime
    reader: str  # the login, as the audit entry named it then
    verb: str
    referral: str
    reason: str
    reason_text: str
    ip_address: str | None
    flags: list[str] = field(default_factory=list)
    # The officer behind the login (none for a login without one, or one since removed).
    reader_name: str = ""
    reader_agency: str = ""
    via: str = ""  # "command_line": a person's request served on the server (no address)


def access_report(*, date_from: dt.date, date_to: dt.date, flagged_only: bool = False) -> list[AccessRow]:
    """The period's rows, newest first (what the officer follows up is the latest); the flags are
    worked out over the period in time order."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    reads = list(
        AuditEntry.objects.filter(verb__in=READ_VERBS, at__gte=start, at__lt=end)
        .order_by("at", "id")
        .values("at", "actor_id", "actor_label", "verb", "object_id", "changes", "ip_address")
    )
    from backend.compliance.models import ProtectionService

    objects = {r["object_id"] for r in reads}
    # Work on a referral: details recorded and status changes are audited on the referral's
    # uuid, a service on its own (mapped back to its referral here).
    referral_of = {str(o): str(o) for o in objects}
    for service, referral in ProtectionService.objects.filter(referral__uuid__in=_uuids(objects)).values_list(
        "uuid", "referral__uuid"
    ):
        referral_of[str(service)] = str(referral)
    first_work: dict[tuple[Any, str], dt.datetime] = {}
    worked_by: dict[str, list[tuple[dt.datetime, Any]]] = defaultdict(list)
    for w in (
        AuditEntry.objects.filter(verb__in=WORK_VERBS, object_id__in=list(referral_of), at__lt=end)
        .order_by("at")
        .values("actor_id", "object_id", "at")
    ):
        referral = referral_of[w["object_id"]]
        first_work.setdefault((w["actor_id"], referral), w["at"])
        worked_by[referral].append((w["at"], w["actor_id"]))
    per_day: dict[tuple[Any, dt.date], set[str]] = defaultdict(set)
    for r in reads:
        if r["verb"] != "victim_details_refused":
            per_day[(r["actor_id"], timezone.localtime(r["at"]).date())].add(r["object_id"])
    limit = settings.PRIVACY_READS_PER_DAY_FLAG
    officers = {
        o.user_id: o
        for o in Officer.objects.filter(user_id__in={r["actor_id"] for r in reads} - {None}).select_related(
            "agency"
        )
    }
    rows = []
    for r in reads:
        changes = r["changes"] or {}
        flags = []
        if r["verb"] == "victim_details_refused":
            flags.append("refused")
        else:
            worked = first_work.get((r["actor_id"], r["object_id"]))
            others = any(at < r["at"] and who != r["actor_id"] for at, who in worked_by[r["object_id"]])
            if changes.get("reason") != "record" and (worked is None or worked > r["at"]) and others:
                flags.append("outside")
            if len(per_day[(r["actor_id"], timezone.localtime(r["at"]).date())]) > limit:
                flags.append("volume")
            if not changes.get("reason"):
                flags.append("no_reason")
        if flagged_only and not flags:
            continue
        officer = officers.get(r["actor_id"])
        rows.append(
            AccessRow(
                at=r["at"],
                reader=r["actor_label"] or "—",
                verb=r["verb"],
                referral=r["object_id"],
                reason=str(changes.get("reason") or ""),
                reason_text=str(changes.get("reason_text") or ""),
                ip_address=r["ip_address"],
                flags=flags,
                reader_name=officer.full_name if officer else "",
                reader_agency=officer.agency.code if officer else "",
                via=str(changes.get("via") or _served_on_the_server(r)),
            )
        )
    rows.reverse()
    return rows


def _served_on_the_server(read: dict[str, Any]) -> str:
    """A person's request recorded before ``via`` was: the command line served them all."""
    request = read["verb"].startswith("person_request_") or "request" in (read["changes"] or {})
    return "command_line" if request and not read["ip_address"] else ""


def _uuids(values: set[str]) -> list[uuid.UUID]:
    out = []
    for value in values:
        try:
            out.append(uuid.UUID(value))
        except ValueError:
            continue
    return out
