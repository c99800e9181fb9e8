"""Personal data over its life: who may read it (with a reason), how long it is kept, how a
person's request is answered, and re-encryption under a new key.

- ``apply_retention``: the daily task's work. Erases what is past the policy (settings
  ``PRIVACY_*``) and records counts, never data, in the audit log. Coded fields stay, so no
  statistic moves.
- ``person_request``: a lawful request of one referred person (access: everything held on them,
  as one document; erasure: their personal fields erased now), by victim protection, audited.
- ``rotate_keys``: every encrypted value re-encrypted under the first key, in batches, resumable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from backend.audit.models import AuditEntry
from backend.audit.services import audit_record
from backend.core.errors import InvalidInput, NotFound
from backend.privacy import crypto
from backend.privacy.models import ScreenedPerson

# --- Reads -------------------------------------------------------------------------------------


def screened_person_for(referral: Any) -> ScreenedPerson | None:
    """The protected screening answers of a referred person (the referral's current finding)."""
    finding = referral.finding
    return (
        ScreenedPerson.objects.filter(submission_id=finding.submission_id, entry_path=finding.entry_path)
        .order_by("-pk")
        .first()
    )


# --- Erasure -----------------------------------------------------------------------------------

DETAIL_FIELDS = ("field_reference", "full_name", "nationality", "travel_document", "contact", "notes")


def _erase_referrals(referral_ids: list[int], now: dt.datetime) -> tuple[int, int, int]:
    """Erase the personal fields of these referrals' persons: details, services' provider and
    note, the protected screening answers of every revision. Returns the three counts."""
    from backend.compliance.models import ProtectionService, Referral, VictimPersonalDetails
    from backend.inspections.models import Finding

    details = VictimPersonalDetails.objects.filter(referral_id__in=referral_ids, erased_at__isnull=True)
    n_details = details.update(
        **dict.fromkeys(DETAIL_FIELDS, ""), date_of_birth=None, travel_document_index="", erased_at=now
    )
    n_services = (
        ProtectionService.objects.filter(referral_id__in=referral_ids)
        .exclude(provider_name="", note="")
        .update(provider_name="", note="")
    )
    # Every revision of the screening that named the person: same inspection, checklist, entry.
    findings = Finding.objects.filter(
        pk__in=Referral.objects.filter(pk__in=referral_ids).values("finding_id")
    ).values_list("inspection_id", "submission__template_version__template_id", "entry_path")
    query = Q(pk__in=[])
    for inspection_id, template_id, entry_path in findings:
        query |= Q(
            submission__inspection_id=inspection_id,
            submission__template_version__template_id=template_id,
            entry_path=entry_path,
        )
    n_screened = (
        _erase_screened(ScreenedPerson.objects.filter(query, erased_at__isnull=True), now) if findings else 0
    )
    return n_details, n_services, n_screened


def _erase_screened(persons: Any, now: dt.datetime) -> int:
    """Erase these screened persons' identifying answers and the files inside their entries
    (a photo of their document, their signature)."""
    from backend.inspections.personal_files import erase_person_files

    entries = list(persons.values_list("submission_id", "entry_path"))
    erase_person_files(entries, now=now)
    return persons.update(answers={}, reference_index="", erased_at=now)


@dataclass(frozen=True)
class RetentionResult:
    screenings_erased: int
    referrals_erased: int
    services_erased: int
    screenings_of_referrals_erased: int

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def retention_policy() -> dict[str, int]:
    """The administrator's policy (admin, ``RetentionPolicy``), else the settings' defaults."""
    from backend.privacy.models import RetentionPolicy

    row = RetentionPolicy.objects.order_by("pk").first()
    if row is not None:
        return {
            "screening_unflagged_days": row.screening_unflagged_days,
            "closed_referral_days": row.closed_referral_days,
        }
    return {
        "screening_unflagged_days": settings.PRIVACY_SCREENING_UNFLAGGED_DAYS,
        "closed_referral_days": settings.PRIVACY_CLOSED_REFERRAL_DAYS,
    }


def _retention_due(now: dt.datetime, policy: dict[str, int]) -> tuple[Any, Any]:
    """What the policy no longer allows to keep at ``now``: the unflagged screened persons whose
    answers are held, and the closed referrals whose person's details are."""
    from backend.compliance.models import Referral

    unflagged = ScreenedPerson.objects.filter(
        flagged=False,
        erased_at__isnull=True,
        created_at__lt=now - dt.timedelta(days=policy["screening_unflagged_days"]),
    )
    referrals = (
        Referral.objects.filter(status=Referral.Status.CLOSED)
        .annotate(closed=Coalesce("closed_at", "created_at"))
        .filter(closed__lt=now - dt.timedelta(days=policy["closed_referral_days"]))
        .filter(Q(personal_details__erased_at__isnull=True) | Q(personal_details__isnull=True))
    )
    return unflagged, referrals


def retention_due(*, at: dt.datetime) -> dict[str, int]:
    """How many screened persons' answers and closed referrals' details the run at ``at`` would
    erase under today's policy (counts only; nothing is read of the persons)."""
    unflagged, referrals = _retention_due(at, retention_policy())
    return {"screenings": unflagged.count(), "referrals": referrals.count()}


def apply_retention(*, now: dt.datetime | None = None) -> RetentionResult:
    """Erase what the retention policy no longer allows to keep; audit the counts. Safe to repeat
    (erased rows are not counted again)."""
    now = now or timezone.now()
    policy = retention_policy()
    with transaction.atomic():
        unflagged, referrals = _retention_due(now, policy)
        n_screenings = _erase_screened(unflagged, now)
        due = list(referrals.values_list("pk", flat=True))
        n_details, n_services, n_screened = _erase_referrals(due, now) if due else (0, 0, 0)
        result = RetentionResult(n_screenings, n_details, n_services, n_screened)
        audit_record(
            actor=None,
            action=AuditEntry.Action.DELETE,
            verb="retention_apply",
            object_type="privacy.retention",
            changes={**result.as_dict(), "policy": policy},
        )
    return result


# --- A person's request ------------------------------------------------------------------------


def _require_protection(user: Any) -> None:
    from backend.core.access import principal_for

    if "victim_protection" not in principal_for(user).roles:
        raise NotFound()


def person_export(referral: Any) -> dict[str, Any]:
    """Everything held on one referred person, as one document (the answer to an access request)."""
    details = getattr(referral, "personal_details", None)
    screened = screened_person_for(referral)
    return {
        "referral": {
            "id": str(referral.uuid),
            "reference": referral.short_ref,
            "observed_at": referral.observed_at.isoformat(),
            "screened_at": referral.screened_at.isoformat(),
            "site": referral.site.name_en,
            "language": referral.language,
            "urgency": referral.urgency,
            "indicators": referral.indicators,
            "sex": referral.sex,
            "age_band": referral.age_band,
            "nationality_band": referral.nationality_band,
            "status": referral.status,
            "assessment": referral.assessment,
        },
        "personal_details": {
            **{name: str(getattr(details, name) or "") for name in DETAIL_FIELDS},
            "date_of_birth": details.date_of_birth.isoformat() if details and details.date_of_birth else None,
            "erased_at": details.erased_at.isoformat() if details and details.erased_at else None,
        }
        if details
        else None,
        "screening": {"coded_reference": screened.coded_reference, "answers": screened.answers}
        if screened
        else None,
        "protection_services": [
            {
                "kind": s.kind,
                "provider_kind": s.provider_kind,
                "provider": str(s.provider_name),
                "from": s.started_on.isoformat(),
                "until": s.ended_on.isoformat() if s.ended_on else None,
                "note": str(s.note),
            }
            for s in referral.services.all()
        ],
    }


def person_request(
    *, user: Any, referral_uuid: Any, kind: str, note: str = "", request: Any = None, via: str = ""
) -> dict:
    """Serve a lawful request of the person of ``referral_uuid``: ``access`` returns everything
    held on them; ``erasure`` erases their personal fields now (coded fields stay: statistics do
    not move) and returns what remains. Victim protection alone; audited with the request's note
    and ``via`` (``command_line``: served on the server, so no address is recorded)."""
    from backend.compliance.models import Referral

    served: dict[str, Any] = {"reason": "lawful_request"}
    served.update({"reason_text": note} if note else {})
    served.update({"via": via} if via else {})

    if kind not in ("access", "erasure"):
        raise InvalidInput(errors={"kind": ["access or erasure"]})
    try:
        _require_protection(user)
        referral = _referral_named(referral_uuid)
    except NotFound:
        # Recorded as a refused read of the details is, so the access report shows it.
        audit_record(
            actor=user if getattr(user, "is_authenticated", False) else None,
            action=AuditEntry.Action.OTHER,
            verb="victim_details_refused",
            object_type="compliance.victimpersonaldetails",
            object_id=str(referral_uuid)[:64],
            changes={**served, "request": kind},
            request=request,
        )
        raise
    with transaction.atomic():
        counts: dict[str, int] = {}
        if kind == "erasure":
            n_details, n_services, n_screened = _erase_referrals([referral.pk], timezone.now())
            counts = {"details": n_details, "services": n_services, "screenings": n_screened}
            referral = Referral.objects.select_related("site", "finding").get(pk=referral.pk)
        audit_record(
            actor=user,
            action=AuditEntry.Action.READ if kind == "access" else AuditEntry.Action.DELETE,
            verb=f"person_request_{kind}",
            obj=referral,
            object_type="compliance.victimpersonaldetails",
            changes={**served, **counts},
            request=request,
        )
        return person_export(referral)


def _referral_named(value: Any) -> Any:
    """The referral ``value`` names: its UUID, or the reference every page shows for it
    ("3D45D005", either case), which is what the person or the officer serving them has in hand."""
    from backend.compliance.models import Referral, reference_prefix

    referrals = Referral.objects.select_related("site", "finding")
    if _is_uuid(value):
        referral = referrals.filter(uuid=value).first()
    elif prefix := reference_prefix(str(value)):
        named = list(referrals.filter(uuid__istartswith=prefix)[:2])
        if len(named) > 1:
            raise InvalidInput("Two referrals share this reference: give the referral's whole id.")
        referral = named[0] if named else None
    else:
        referral = None
    if referral is None:
        raise NotFound()
    return referral


def _is_uuid(value: Any) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# --- Key rotation ------------------------------------------------------------------------------

# (table, encrypted columns): every column the application encrypts.
ENCRYPTED_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "compliance_victimpersonaldetails",
        (
            "field_reference",
            "full_name",
            "date_of_birth",
            "nationality",
            "travel_document",
            "contact",
            "notes",
        ),
    ),
    ("compliance_protectionservice", ("provider_name", "note")),
    ("privacy_screenedperson", ("answers",)),
)


@dataclass
class RotationProgress:
    table: str
    last_id: int
    rows_seen: int
    values_rotated: int
    total: int


def rotate_keys(
    *,
    batch_size: int = 500,
    start: dict[str, int] | None = None,
    progress: Callable[[RotationProgress], Any] | None = None,
) -> dict[str, int]:
    """Re-encrypt every value not made with the first key, table by table in id order, one
    transaction per batch. Resumable: ``start`` maps a table to the last id done (the progress
    callback receives it after each batch), and values already under the first key are skipped,
    so a rerun from the beginning redoes nothing. A value written meanwhile is left as written:
    each update compares the old token (compare-and-set)."""
    qn = connection.ops.quote_name
    rotated: dict[str, int] = {}
    for table, columns in ENCRYPTED_COLUMNS:
        last_id = (start or {}).get(table, 0)
        with connection.cursor() as cursor:
            # Rows written after the start are under the first key already (every process runs
            # with it first): the run ends at the highest id it saw, however fast rows arrive.
            cursor.execute(f"SELECT COUNT(*), MAX(id) FROM {qn(table)} WHERE id > %s", [last_id])  # noqa: S608
            total, highest = cursor.fetchone()
        seen = done = unreadable = 0
        for batch in _batches(table, columns, last_id, highest or 0, batch_size):
            with transaction.atomic(), connection.cursor() as cursor:
                for row in batch:
                    pk, values = row[0], row[1:]
                    for column, token in zip(columns, values, strict=True):
                        if not token or not crypto.is_token(token) or crypto.is_current(token):
                            continue
                        try:
                            fresh = crypto.rotate(token)
                        except InvalidToken:
                            unreadable += 1  # no configured key opens it: left as it is, counted
                            continue
                        cursor.execute(
                            f"UPDATE {qn(table)} SET {qn(column)} = %s WHERE id = %s AND {qn(column)} = %s",  # noqa: S608
                            [fresh, pk, token],
                        )
                        done += cursor.rowcount
            seen += len(batch)
            last_id = batch[-1][0]
            if progress is not None:
                progress(RotationProgress(table, last_id, seen, done, total))
        rotated[table] = done
        if unreadable:
            rotated[f"{table}:unreadable"] = unreadable
    rotated["inspections_attachment"] = _rotate_files(batch_size, start, progress)
    return rotated


def _rotate_files(
    batch_size: int, start: dict[str, int] | None, progress: Callable[[RotationProgress], Any] | None
) -> int:
    """A person's files (cards, signatures): the same, file by file, in id order."""
    from backend.inspections import personal_files
    from backend.inspections.models import Attachment

    table = "inspections_attachment"
    files = Attachment.objects.filter(personal=True, erased_at__isnull=True).exclude(file="")
    last_id = (start or {}).get(table, 0)
    highest = files.order_by("-pk").values_list("pk", flat=True).first() or 0
    total = files.filter(pk__gt=last_id).count()
    seen = done = 0
    while True:
        batch = list(files.filter(pk__gt=last_id, pk__lte=highest).order_by("pk")[:batch_size])
        if not batch:
            return done
        for attachment in batch:
            done += personal_files.rotate(attachment)
        seen += len(batch)
        last_id = batch[-1].pk
        if progress is not None:
            progress(RotationProgress(table, last_id, seen, done, total))


def _batches(table: str, columns: tuple[str, ...], after: int, upto: int, size: int) -> Iterator[list[tuple]]:
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in columns)
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, {cols} FROM {qn(table)} WHERE id > %s AND id <= %s ORDER BY id LIMIT %s",  # noqa: S608
                [after, upto, size],
            )
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        after = rows[-1][0]
