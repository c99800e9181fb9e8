"""Reads of checklist templates. Published and retired versions are reference data every
officer may download; drafts are for administrators."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from backend.checklists.models import ChecklistTemplate, TemplateVersion
from backend.core.access import Principal, get_visible_or_404, scope_rule


@scope_rule(ChecklistTemplate)
def _templates(principal: Principal, qs: QuerySet[ChecklistTemplate]) -> QuerySet[ChecklistTemplate]:
    return qs if (principal.is_officer or principal.is_superuser) else qs.none()


@scope_rule(TemplateVersion)
def _versions(principal: Principal, qs: QuerySet[TemplateVersion]) -> QuerySet[TemplateVersion]:
    if principal.is_superuser or principal.has_role("administrator"):
        return qs
    if principal.is_officer:
        return qs.exclude(status=TemplateVersion.Status.DRAFT)
    return qs.none()


def template_version_get(*, user: Any, uuid: Any) -> TemplateVersion:
    return get_visible_or_404(user, TemplateVersion.objects.select_related("template"), uuid=uuid)


def template_version_latest(*, code: str) -> TemplateVersion | None:
    """The newest published version of a template (for issuing new work)."""
    return (
        TemplateVersion.objects.filter(template__code=code, status=TemplateVersion.Status.PUBLISHED)
        .order_by("-number")
        .first()
    )
