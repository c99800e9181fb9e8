"""Who may see what: access scoping in one place.

Every selector passes its queryset through ``visible(user, queryset)``. Each domain app
registers, for each of its models, a rule that narrows a queryset to what a principal may see
(by role and agency: an officer sees their own work, an agency its own, a joint operation is
shared by its participating agencies). A model without a rule shows nothing: scoping fails
closed. An object outside a user's scope answers 404, never 403, so an outsider cannot even
learn that it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models

from backend.core.errors import NotFound

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Principal:
    """The acting user, as access rules need them."""

    user_id: int | None
    officer_id: int | None
    agency_id: int | None
    roles: frozenset[str]
    is_superuser: bool

    @property
    def is_officer(self) -> bool:
        return self.officer_id is not None

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or bool(self.roles & set(roles))


ADMINISTRATOR = "administrator"

ANONYMOUS = Principal(user_id=None, officer_id=None, agency_id=None, roles=frozenset(), is_superuser=False)


def principal_for(user: Any) -> Principal:
    """The principal of a user, computed once per request object and cached on it."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_principal", None)
    if cached is not None:
        return cached
    officer = getattr(user, "officer", None) if hasattr(user, "officer") else None
    deactivated = officer is not None and not officer.is_active
    if deactivated:
        officer = None
    roles = frozenset(officer.roles.values_list("role", flat=True)) if officer else frozenset()
    principal = Principal(
        user_id=user.pk,
        officer_id=officer.pk if officer else None,
        agency_id=officer.agency_id if officer else None,
        roles=roles,
        # A leaver's officer record is deactivated: an administrator's login (a superuser) keeps
        # no rights through it, or the admin, victims' referrals and all would stay open to them.
        # An officer's superuser flag follows the administrator role (registry.services.
        # officer_admin_rights_sync); a flag left over without the role counts for nothing.
        is_superuser=bool(user.is_superuser)
        and not deactivated
        and (officer is None or ADMINISTRATOR in roles),
    )
    user._principal = principal
    return principal


def login_admin_refused(user: Any) -> bool:
    """Whether the admin refuses ``user`` whatever its flags: the login of an officer who is
    deactivated or no longer holds the administrator role (a staff flag left over from it). A
    login with no officer record (``createsuperuser``'s) is judged by its flags alone."""
    officer = getattr(user, "officer", None) if hasattr(user, "officer") else None
    if officer is None:
        return False
    return not officer.is_active or ADMINISTRATOR not in principal_for(user).roles


def login_deactivated(user: Any) -> bool:
    """Whether ``user`` is the login of an officer whose record is deactivated (a leaver): such a
    login opens nothing, the admin included, whatever its staff or superuser flags say."""
    officer = getattr(user, "officer", None) if hasattr(user, "officer") else None
    return officer is not None and not officer.is_active


Rule = Callable[[Principal, "models.QuerySet[Any]"], "models.QuerySet[Any]"]
_RULES: dict[type[models.Model], Rule] = {}


def scope_rule(model: type[models.Model]) -> Callable[[Rule], Rule]:
    """Register the visibility rule of ``model``."""

    def register(rule: Rule) -> Rule:
        _RULES[model] = rule
        return rule

    return register


def visible(user: Any, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
    """``queryset`` narrowed to what ``user`` may see."""
    principal = principal_for(user)
    if principal is ANONYMOUS:
        return queryset.none()
    rule = _RULES.get(queryset.model)
    if rule is None:
        return queryset.none()
    return rule(principal, queryset)


def get_visible_or_404(user: Any, queryset: models.QuerySet[M], **lookup: Any) -> M:
    return get_or_404(visible(user, queryset), **lookup)


def get_or_404(queryset: models.QuerySet[M], **lookup: Any) -> M:
    """One object of an already scoped queryset, or NotFound."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError):
        # A malformed id (not a UUID) is as unknown as a missing one.
        raise NotFound() from None
