"""Reading imports: an administrator sees the imports of their own agency (a superuser of no
agency, every import); any other import is as if it did not exist."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

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
