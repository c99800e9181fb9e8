"""Every write to the registry. Each validates fully, writes in one transaction and leaves an
audit entry, so a bad value leaves nothing half written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.audit.models import AuditEntry
from backend.audit.services import audit_record, model_changes
from backend.core.errors import Conflict, InvalidInput, NotFound
from backend.registry.models import (
    NIGHT_SHIFT_HINT,
    Agency,
    Availability,
    Company,
    ConflictOfInterest,
    Officer,
    OfficerRole,
    OpeningHours,
    Role,
    Site,
    Skill,
    Unit,
)


def _full_clean(instance: Any, exclude: Sequence[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude) or None)
    except ValidationError as exc:
        raise InvalidInput(
            errors={
                ("non_field_errors" if k == "__all__" else k): [str(m) for m in v]
                for k, v in exc.message_dict.items()
            }
        ) from exc


OpeningPeriod = tuple[int, dt.time, dt.time]


def _set_opening_hours(site: Site, periods: Iterable[OpeningPeriod]) -> None:
    rows = []
    starts: set[tuple[int, dt.time]] = set()
    for index, (weekday, opens, closes) in enumerate(periods):
        row = OpeningHours(site=site, weekday=weekday, opens=opens, closes=closes)
        where = f"opening_hours[{index}]"
        try:
            # The table's constraints are checked here in Python (a database round trip per row
            # would dominate bulk loads); the database still enforces them on insert.
            row.full_clean(exclude=["site"], validate_constraints=False)
        except ValidationError as exc:
            raise InvalidInput(
                errors={f"{where}.{k}": [str(m) for m in v] for k, v in exc.message_dict.items()}
            ) from exc
        if opens == closes:
            raise InvalidInput(errors={where: [_("Opening and closing times are the same.")]})
        if (weekday, opens) in starts:
            raise InvalidInput(errors={where: [_("Two periods start at the same time on that day.")]})
        starts.add((weekday, opens))
        rows.append(row)
    site.opening_hours.all().delete()
    OpeningHours.objects.bulk_create(rows)


@transaction.atomic
def site_create(
    *,
    actor: Any,
    kind: str,
    name_en: str,
    address: str,
    parish: str,
    latitude: Decimal | float | str,
    longitude: Decimal | float | str,
    opening_hours: Iterable[OpeningPeriod] = (),
    audit: bool = True,
    **fields: Any,
) -> Site:
    """Register a site. Coordinates must lie inside settings.SERVICE_AREA."""
    site = Site(
        kind=kind,
        name_en=name_en,
        address=address,
        parish=parish,
        latitude=Decimal(str(latitude)).quantize(Decimal("0.000001")),
        longitude=Decimal(str(longitude)).quantize(Decimal("0.000001")),
        **fields,
    )
    _full_clean(site, exclude=["uuid"])
    site.save()
    _set_opening_hours(site, opening_hours)
    if audit:
        audit_record(actor=actor, action=AuditEntry.Action.CREATE, verb="site_create", obj=site)
    return site


@transaction.atomic
def site_update(
    *, actor: Any, site: Site, opening_hours: Iterable[OpeningPeriod] | None = None, **fields: Any
) -> Site:
    changes = model_changes(site, fields)
    for name, value in fields.items():
        setattr(site, name, value)
    _full_clean(site)
    site.save()
    if opening_hours is not None:
        _set_opening_hours(site, opening_hours)
        changes["opening_hours"] = ["…", [f"{d} {o:%H:%M}-{c:%H:%M}" for d, o, c in opening_hours]]
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, verb="site_update", obj=site, changes=changes)
    return site


@transaction.atomic
def company_create(*, actor: Any, kind: str, name_en: str, audit: bool = True, **fields: Any) -> Company:
    company = Company(kind=kind, name_en=name_en, **fields)
    _full_clean(company, exclude=["uuid"])
    company.save()
    if audit:
        audit_record(actor=actor, action=AuditEntry.Action.CREATE, verb="company_create", obj=company)
    return company


@transaction.atomic
def officer_create(
    *,
    actor: Any,
    username: str,
    password: str | None,
    agency: Agency,
    unit: Unit,
    badge_number: str,
    full_name: str,
    sex: str,
    rank: int = 1,
    rank_title: str = "",
    rank_title_zh_hant: str = "",
    rank_title_pt: str = "",
    roles: Iterable[str] = ("inspector",),
    skills: Iterable[Skill] = (),
    email: str = "",
    audit: bool = True,
) -> Officer:
    """Create a login and its officer record together."""
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise Conflict(
            _("The username %(username)s is taken.") % {"username": repr(username)},
            errors={"username": [_("Already taken.")]},
        )
    # The login's admin rights follow the administrator role (officer_admin_rights_sync).
    user = User(username=username, email=email, is_staff=Role.ADMINISTRATOR in set(roles))
    user.is_superuser = user.is_staff
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    officer = Officer(
        user=user,
        agency=agency,
        unit=unit,
        badge_number=badge_number,
        full_name=full_name,
        sex=sex,
        rank=rank,
        rank_title=rank_title,
        rank_title_zh_hant=rank_title_zh_hant,
        rank_title_pt=rank_title_pt,
    )
    _full_clean(officer, exclude=["uuid", "user"])
    officer.save()
    role_rows = [OfficerRole(officer=officer, role=r) for r in sorted(set(roles))]
    for row in role_rows:
        _full_clean(row, exclude=["officer"])
    OfficerRole.objects.bulk_create(role_rows)
    officer.skills.set(list(skills))
    if audit:
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            verb="officer_create",
            obj=officer,
            changes={"roles": sorted(set(roles))},
        )
    return officer


def officer_admin_rights_due(officer: Officer) -> bool:
    """Whether an officer's login should hold the admin's rights (staff and superuser): while the
    officer is active and holds the administrator role, and not otherwise."""
    return officer.is_active and OfficerRole.objects.filter(officer=officer, role=Role.ADMINISTRATOR).exists()


@transaction.atomic
def officer_admin_rights_sync(
    *, actor: Any, officer: Officer, request: Any = None, leaving: bool = False
) -> bool:
    """Make the officer's login staff and superuser exactly while the officer is active and holds
    the administrator role; returns whether anything changed (each change audited on the login).

    Called wherever roles or activity change (the officer's admin page, ``officer_roles_set``,
    deactivation), so giving the role opens the admin and taking it away (or deactivating the
    officer) closes it, victims' referrals and all. A login with no officer record (one made by
    ``createsuperuser`` to bootstrap a system) is never touched here. ``leaving``: the officer
    record is about to be deleted, so its login keeps no rights through it.
    """
    User = get_user_model()
    user = User.objects.select_for_update().get(pk=officer.user_id)
    due = not leaving and officer_admin_rights_due(officer)
    if user.is_staff == due and user.is_superuser == due:
        return False
    changes = {
        "officer": str(officer),
        "is_staff": [user.is_staff, due],
        "is_superuser": [user.is_superuser, due],
    }
    user.is_staff = user.is_superuser = due
    user.save(update_fields=["is_staff", "is_superuser"])
    officer.user = user
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        verb="admin_rights_grant" if due else "admin_rights_withdraw",
        obj=user,
        changes=changes,
        request=request,
    )
    return True


@transaction.atomic
def officer_roles_set(*, actor: Any, officer: Officer, roles: Iterable[str], request: Any = None) -> Officer:
    """Give an officer exactly ``roles`` (at least one), audited; the login's admin rights follow
    the administrator role."""
    wanted = sorted(set(roles))
    if not wanted:
        raise InvalidInput(errors={"roles": [_("An officer holds at least one role.")]})
    rows = [OfficerRole(officer=officer, role=r) for r in wanted]
    for row in rows:
        _full_clean(row, exclude=["officer"])
    before = sorted(OfficerRole.objects.filter(officer=officer).values_list("role", flat=True))
    OfficerRole.objects.filter(officer=officer).exclude(role__in=wanted).delete()
    OfficerRole.objects.bulk_create([r for r in rows if r.role not in before])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        verb="officer_roles_set",
        obj=officer,
        changes={"roles": [before, wanted]},
        request=request,
    )
    officer_admin_rights_sync(actor=actor, officer=officer, request=request)
    return officer


@transaction.atomic
def availability_add(
    *,
    actor: Any,
    officer: Officer,
    kind: str,
    start: dt.datetime,
    end: dt.datetime,
    note: str = "",
    audit: bool = True,
) -> Availability:
    """Record a shift or an absence. Two periods of the same kind may not overlap."""
    row = Availability(officer=officer, kind=kind, start=start, end=end, note=note)
    if start >= end:
        raise InvalidInput(errors={"end": [str(NIGHT_SHIFT_HINT)]})
    _full_clean(row, exclude=["officer"])
    overlapping = Availability.objects.filter(officer=officer, kind=kind, start__lt=end, end__gt=start)
    if overlapping.exists():
        raise Conflict(
            _("This period overlaps another of the same kind."), errors={"start": [_("Overlaps.")]}
        )
    row.save()
    if audit:
        audit_record(actor=actor, action=AuditEntry.Action.CREATE, verb="availability_add", obj=row)
    return row


@transaction.atomic
def conflict_declare(
    *,
    actor: Any,
    officer: Officer,
    reason: str,
    site: Site | None = None,
    company: Company | None = None,
    uuid: UUID | None = None,
    request: Any = None,
) -> ConflictOfInterest:
    """An officer declares a tie to a site or a company; the scheduler must honour it.

    ``uuid``, made by the phone when the officer declared (offline, maybe), makes a replay
    harmless: the declaration it names is answered as stored, whatever the replay says. Declaring
    a tie that stands already records nothing new either; one withdrawn is declared afresh."""
    if (site is None) == (company is None):
        raise InvalidInput(errors={"non_field_errors": [_("Name either a site or a company.")]})
    if not reason.strip():
        raise InvalidInput(errors={"reason": [_("Say what the tie is.")]})
    # One declaration of this officer's at a time: two replays of one queued declaration (two
    # tabs, a retry racing a slow answer) would both find nothing and both insert.
    Officer.objects.select_for_update().filter(pk=officer.pk).first()
    if uuid is not None:
        replayed = ConflictOfInterest.objects.filter(uuid=uuid).first()
        if replayed is not None:
            if replayed.officer_id != officer.pk:
                # Another officer's id: nothing to learn here, as for a submission or a check-in.
                # A 409 "names another declaration" told whoever held an id that a colleague had
                # declared a tie under it.
                raise NotFound()
            return replayed
    standing = ConflictOfInterest.objects.filter(
        officer=officer, site=site, company=company, withdrawn_at__isnull=True
    ).first()
    if standing is not None:
        return standing  # declaring the same tie twice records it once
    row = ConflictOfInterest(officer=officer, site=site, company=company, reason=reason.strip())
    if uuid is not None:
        row.uuid = uuid
    _full_clean(row, exclude=["officer"])
    row.save()
    audit_record(
        actor=actor, action=AuditEntry.Action.CREATE, verb="conflict_declare", obj=row, request=request
    )
    return row


@transaction.atomic
def conflict_withdraw(*, actor: Any, conflict: ConflictOfInterest, request: Any = None) -> ConflictOfInterest:
    """The officer says a declared tie has ended: the declaration is kept, marked withdrawn, and
    the scheduler stops honouring it. Withdrawing one already withdrawn changes nothing."""
    row = ConflictOfInterest.objects.select_for_update().get(pk=conflict.pk)
    if row.withdrawn_at is not None:
        return row
    now = timezone.now()
    changes = model_changes(row, {"withdrawn_at": now})
    row.withdrawn_at = now
    row.save(update_fields=["withdrawn_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        verb="conflict_withdraw",
        obj=row,
        changes=changes,
        request=request,
    )
    return row


@transaction.atomic
def site_set_risk(*, actor: Any, site: Site, score: Decimal, factors: dict[str, Any]) -> Site:
    """Set a site's risk score (0-100, higher means inspect sooner) and the factors behind it,
    so targeting can be audited. Compliance calls it when a company's score changes."""
    score = Decimal(str(score)).quantize(Decimal("0.01"))
    if not Decimal(0) <= score <= Decimal(100):
        raise InvalidInput(errors={"risk_score": [_("The risk score runs from 0 to 100.")]})
    changes = model_changes(site, {"risk_score": score})
    Site.objects.filter(pk=site.pk).update(risk_score=score, risk_factors=factors)
    site.risk_score, site.risk_factors = score, factors
    audit_record(
        actor=actor, action=AuditEntry.Action.UPDATE, verb="site_set_risk", obj=site, changes=changes
    )
    return site
