"""Writes to checklist templates: new versions, publishing, loading the built-ins."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from backend.audit.services import audit_record
from backend.checklists import engine
from backend.checklists.models import SEVERAL_PER_VISIT, ChecklistTemplate, TemplateVersion
from backend.core.errors import Conflict, InvalidInput


def definition_digest(definition: dict[str, Any]) -> str:
    canonical = json.dumps(definition, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


_PARSED: dict[str, engine.Definition] = {}


def parsed_definition(version: TemplateVersion) -> engine.Definition:
    """The engine's parsed form of a version, parsed once per process. Keyed by the digest,
    which a published version can never change."""
    parsed = _PARSED.get(version.digest)
    if parsed is None:
        parsed = _PARSED[version.digest] = engine.parse_definition(version.definition)
    return parsed


@transaction.atomic
def template_version_create(*, actor: Any, definition: dict[str, Any]) -> TemplateVersion:
    """A new draft version of the template the definition names (creating the template)."""
    try:
        parsed = engine.parse_definition(definition)
    except engine.DefinitionError as exc:
        raise InvalidInput(str(exc), errors={"definition": [str(exc)]}) from exc
    title = parsed.title
    template, _created = ChecklistTemplate.objects.select_for_update().get_or_create(
        code=parsed.code,
        defaults={
            "title_en": title.en,
            "title_zh_hant": title.zh_hant,
            "title_pt": title.pt,
            "several_per_visit": parsed.code in SEVERAL_PER_VISIT,
        },
    )
    template.title_en, template.title_zh_hant, template.title_pt = title.en, title.zh_hant, title.pt
    template.site_kinds, template.categories = list(parsed.site_kinds), list(parsed.categories)
    template.save()
    number = (template.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = TemplateVersion.objects.create(
        template=template, number=number, definition=definition, digest=definition_digest(definition)
    )
    audit_record(actor=actor, action="create", verb="template_version_create", obj=version)
    return version


@transaction.atomic
def template_version_publish(*, actor: Any, version: TemplateVersion) -> TemplateVersion:
    version = TemplateVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != TemplateVersion.Status.DRAFT:
        raise Conflict(f"{version} is not a draft.")
    version.status = TemplateVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    audit_record(actor=actor, action="update", verb="template_version_publish", obj=version)
    return version


@transaction.atomic
def template_version_retire(*, actor: Any, version: TemplateVersion) -> TemplateVersion:
    """Stop issuing new work on a version; submissions for work already issued still validate."""
    if version.status != TemplateVersion.Status.PUBLISHED:
        raise Conflict(f"{version} is not published.")
    version.status = TemplateVersion.Status.RETIRED
    version.save(update_fields=["status"])
    audit_record(actor=actor, action="update", verb="template_version_retire", obj=version)
    return version


def checklists_load_builtin(*, actor: Any = None) -> list[TemplateVersion]:
    """Publish every built-in template whose definition is new or changed. Idempotent."""
    out = []
    for _code, definition in sorted(engine.load_builtin().items()):
        out.append(_load_one(actor=actor, definition=definition))
    return out


@transaction.atomic
def _load_one(*, actor: Any, definition: dict[str, Any]) -> TemplateVersion:
    digest = definition_digest(definition)
    existing = TemplateVersion.objects.filter(template__code=definition["code"], digest=digest).first()
    if existing is not None:
        return existing
    version = template_version_create(actor=actor, definition=definition)
    return template_version_publish(actor=actor, version=version)
