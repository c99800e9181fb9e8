"""Writing to the audit log. The only place that creates AuditEntry rows."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from backend.audit.models import AuditEntry
from backend.core.inserts import insert_many


def _client_address(request: HttpRequest | None) -> tuple[str | None, str]:
    if request is None:
        return None, ""
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy sets it.
    return request.META.get("REMOTE_ADDR") or None, request.META.get("HTTP_USER_AGENT", "")[:300]


def audit_record(
    *,
    actor: Any | None,
    action: str,
    verb: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    changes: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    object_repr: str = "",
) -> AuditEntry:
    """Append one entry. Call it inside the transaction of the change it records, so that
    the entry and the change commit or roll back together. ``object_repr`` names an object
    that is not a model instance (the login a failed sign-in tried)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(getattr(obj, "uuid", None) or obj.pk)
    ip, agent = _client_address(request)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if is_user else None,
        actor_label=actor.get_username() if is_user else "",
        action=action,
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        object_repr=(str(obj) if obj is not None else object_repr)[:200],
        changes=changes or {},
        ip_address=ip,
        user_agent=agent,
    )


def audit_record_many(
    *,
    actor: Any | None,
    action: str,
    verb: str,
    objs: list[models.Model],
    request: HttpRequest | None = None,
    changes: list[dict[str, Any]] | None = None,
) -> list[AuditEntry]:
    """One entry per object, as ``audit_record`` writes them, in one insert (a list of sealed
    operations shown costs one query, not one per row); ``changes``, if given, one per object."""
    ip, agent = _client_address(request)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return insert_many(
        [
            AuditEntry(
                actor=actor if is_user else None,
                actor_label=actor.get_username() if is_user else "",
                action=action,
                verb=verb,
                object_type=obj._meta.label_lower,
                object_id=str(getattr(obj, "uuid", None) or obj.pk),
                object_repr=str(obj)[:200],
                changes=changes[i] if changes is not None else {},
                ip_address=ip,
                user_agent=agent,
            )
            for i, obj in enumerate(objs)
        ]
    )


def model_changes(instance: models.Model, fields: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields that really change, JSON-friendly."""
    out: dict[str, list[Any]] = {}
    for name, new in fields.items():
        old = getattr(instance, name)
        if old != new:
            out[name] = [_plain(old), _plain(new)]
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)
