"""Audit entries for changes made through the Django admin.

The admin writes models directly rather than through the services, so it must leave the same
trail the services do: who, what, which object, which fields, from where.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.forms import BaseFormSet, ModelForm
from django.http import HttpRequest

from backend.audit.models import AuditEntry
from backend.audit.services import audit_record


class AuditedAdminMixin:
    """Put it before ``admin.ModelAdmin``. Every save through a change or add form (and through
    list_editable) leaves one entry with the fields the form changed, as ``[old, new]``, and what
    its inlines added, changed or deleted (``audit_exclude``: fields never written, such as a
    password); a change form saved with nothing changed leaves none; every delete, single or bulk,
    leaves one entry per object. Entries are written in the admin's transaction, so they commit
    with the change."""

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Iterable[BaseFormSet], change: bool
    ) -> None:
        # Recorded here rather than in save_model: the admin calls this right after save_model,
        # once many-to-many fields and inlines are saved too, so one entry covers the whole form.
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        excluded = getattr(self, "audit_exclude", ())
        changes: dict[str, Any] = {
            name: [_plain(form.initial.get(name)) if change else None, _plain(form.cleaned_data.get(name))]
            for name in form.changed_data
            if name not in excluded
        }
        for formset in formsets:
            inline = _formset_changes(formset)
            if inline:
                changes[formset.prefix] = inline
        if change and not form.changed_data and not changes:
            # Saved as it stood: nothing to record (its times kept whole, see
            # backend.console.admin_site.StoredDateTimeField).
            return
        action = AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE
        audit_record(
            actor=request.user,
            action=action,
            verb=_verb(form.instance, action),
            obj=form.instance,
            changes=changes,
            request=request,
        )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with transaction.atomic():
            _record_delete(request, obj)  # first: afterwards the object has no id
            super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        with transaction.atomic():
            for obj in queryset:
                _record_delete(request, obj)
            super().delete_queryset(request, queryset)  # type: ignore[misc]


def _verb(obj: models.Model, action: str) -> str:
    return f"admin_{obj._meta.model_name}_{action}"


def _record_delete(request: HttpRequest, obj: models.Model) -> None:
    audit_record(
        actor=request.user,
        action=AuditEntry.Action.DELETE,
        verb=_verb(obj, AuditEntry.Action.DELETE),
        obj=obj,
        request=request,
    )


def _formset_changes(formset: BaseFormSet) -> dict[str, Any]:
    # Filled by BaseModelFormSet.save(), which save_related has just called.
    out: dict[str, Any] = {}
    if getattr(formset, "new_objects", None):
        out["added"] = [str(o) for o in formset.new_objects]
    if getattr(formset, "changed_objects", None):
        out["changed"] = {str(o): fields for o, fields in formset.changed_objects}
    if getattr(formset, "deleted_objects", None):
        out["deleted"] = [str(o) for o in formset.deleted_objects]
    return out


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a form value: objects by primary key, collections as lists."""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (models.QuerySet, list, tuple, set)):
        return sorted(str(_plain(v)) for v in value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (dt.date, dt.time, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)
