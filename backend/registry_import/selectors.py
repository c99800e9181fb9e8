"""Reading imports: an administrator sees the imports of their own agency (a superuser of no
agency, every import); any other import is as if it did not exist."""

from __future__ import annotations

import contextlib
import uuid as uuid_module
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from backend.core.access import ANONYMOUS, principal_for
from backend.core.errors import NotFound
from backend.registry_import.models import RegistryImport


def imports_visible(user: Any) -> QuerySet[RegistryImport]:
    principal = principal_for(user)
    qs = RegistryImport.objects.select_related("created_by", "applied_by", "agency")
    if principal is ANONYMOUS or not principal.has_role("administrator"):
        return qs.none()
    if principal.agency_id is not None:
        return qs.filter(agency_id=principal.agency_id)
    return qs if principal.is_superuser else qs.none()


def import_get(*, user: Any, uuid: Any) -> RegistryImport:
    try:
        return imports_visible(user).get(uuid=uuid)
    except (RegistryImport.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None


def officer_names(item: RegistryImport, keys: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(agency code, officer's external id or UUID) → full name, for a shifts file's rows: the
    officers of the import's agency only (every agency's for an import of no agency), as its
    check matched them."""
    from backend.registry.models import Officer

    if not keys:
        return {}
    ids = {k for _agency, k in keys}
    uuids = set()
    for k in ids:
        with contextlib.suppress(ValueError):
            uuids.add(uuid_module.UUID(k))
    qs = Officer.objects.filter(Q(external_id__in=ids) | Q(uuid__in=uuids))
    if item.agency_id is not None:
        qs = qs.filter(agency_id=item.agency_id)
    out = {}
    for agency, external_id, uuid, name in qs.values_list("agency__code", "external_id", "uuid", "full_name"):
        out[(agency, external_id or str(uuid))] = name
    return out


def import_superseded(item: RegistryImport) -> bool:
    """Whether another import of the same kind was applied after this one was uploaded: its dry
    run then no longer says what applying would do (applying an older list would quietly undo
    the newer one: a promotion, a roster moved), and it must be checked again. Officers and
    shifts are an agency's own; sites and companies everyone's."""
    later = RegistryImport.objects.filter(
        kind=item.kind, status=RegistryImport.Status.APPLIED, applied_at__gt=item.created_at
    ).exclude(pk=item.pk)
    if item.kind in ("officers", "shifts") and item.agency_id is not None:
        later = later.filter(Q(agency_id=item.agency_id) | Q(agency__isnull=True))
    return later.exists()


def import_waiting_for_worker(item: RegistryImport) -> bool:
    """Whether the import's check or apply has waited for a worker longer than a free one takes to
    start it (every worker busy, or none running): its page says so rather than "received" or
    "applying" for ever. The import is kept and goes on when a worker takes it."""
    from backend.outbox.selectors import task_waiting_for_worker
    from backend.registry_import.services import TASK_APPLY, TASK_CHECK

    tasks = (TASK_CHECK, TASK_APPLY)
    return item.in_progress and task_waiting_for_worker(task_names=tasks, import_id=item.pk)
