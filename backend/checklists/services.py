"""Writes to checklist templates: new versions, publishing, loading the built-ins."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.audit.services import audit_record
from backend.checklists import engine
from backend.checklists.models import SEVERAL_PER_VISIT, ChecklistTemplate, TemplateVersion
from backend.core.errors import Conflict, InvalidInput


class DefinitionInvalid(InvalidInput):
    """A definition the engine cannot read, or one of another template: never published, so it
    never reaches a phone."""

    code = "definition_invalid"


def definition_digest(definition: dict[str, Any]) -> str:
    canonical = json.dumps(definition, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


_PARSED: dict[str, engine.Definition] = {}
_PARSED_KEPT = 500


def parsed_definition(version: TemplateVersion) -> engine.Definition:
    """The engine's parsed form of a version, parsed once per process. Keyed by the digest,
    which a published version can never change."""
    parsed = _PARSED.get(version.digest)
    if parsed is None:
        parsed = _PARSED[version.digest] = engine.parse_definition(version.definition)
    return parsed


def _parsed_once(definition: Any) -> engine.Definition:
    """``definition`` parsed, once per process for each digest (loading the built-in templates
    parsed each twice, to create and to publish its version: a quarter of the load's time)."""
    if not isinstance(definition, dict):
        return engine.parse_definition(definition)
    digest = definition_digest(definition)
    parsed = _PARSED.get(digest)
    if parsed is None:
        parsed = engine.parse_definition(definition)
        if len(_PARSED) > _PARSED_KEPT:
            _PARSED.clear()
        _PARSED[digest] = parsed
    return parsed


def definition_check(*, definition: Any, template: ChecklistTemplate | None = None) -> engine.Definition:
    """The engine's reading of ``definition``, or ``DefinitionInvalid`` saying what is wrong; with
    ``template``, the definition must also be that template's (its ``code``)."""
    try:
        parsed = _parsed_once(definition)
    except engine.DefinitionError as exc:
        message = _("The checklist engine cannot use this definition: %(error)s") % {"error": exc}
        raise DefinitionInvalid(message, errors={"definition": [message]}) from exc
    if template is not None and parsed.code != template.code:
        message = _(
            "The definition's code is %(code)s but this is a version of %(template)s; a new "
            "template comes from its own definition."
        ) % {"code": repr(parsed.code), "template": repr(template.code)}
        raise DefinitionInvalid(message, errors={"definition": [message]})
    return parsed


def _template_follow(template: ChecklistTemplate, parsed: engine.Definition) -> None:
    """The template's titles, site kinds and categories are its newest definition's."""
    title = parsed.title
    template.title_en, template.title_zh_hant, template.title_pt = title.en, title.zh_hant, title.pt
    template.site_kinds, template.categories = list(parsed.site_kinds), list(parsed.categories)
    template.save()


@transaction.atomic
def template_version_create(*, actor: Any, definition: dict[str, Any]) -> TemplateVersion:
    """A new draft version of the template the definition names (creating the template)."""
    parsed = definition_check(definition=definition)
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
    _template_follow(template, parsed)
    number = (template.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = TemplateVersion.objects.create(
        template=template, number=number, definition=definition, digest=definition_digest(definition)
    )
    audit_record(actor=actor, action="create", verb="template_version_create", obj=version)
    return version


@transaction.atomic
def template_version_publish(*, actor: Any, version: TemplateVersion) -> TemplateVersion:
    """Publish a draft: from now on work is issued on it and its definition never changes. The
    definition is checked first (a draft may have been edited since it was made), so a broken one
    never reaches the phones; the template then takes its titles, site kinds and categories."""
    version = TemplateVersion.objects.select_for_update().select_related("template").get(pk=version.pk)
    if version.status != TemplateVersion.Status.DRAFT:
        raise Conflict(f"{version} is not a draft.")
    parsed = definition_check(definition=version.definition, template=version.template)
    _template_follow(version.template, parsed)
    version.status = TemplateVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.digest = definition_digest(version.definition)
    version.save(update_fields=["status", "published_at", "digest"])
    audit_record(actor=actor, action="update", verb="template_version_publish", obj=version)
    return version


@transaction.atomic
def template_version_draft_from(
    *, actor: Any, version: TemplateVersion, request: Any = None
) -> TemplateVersion:
    """A new draft of ``version``'s template, numbered after its newest version, starting from
    ``version``'s definition: the way to change a published checklist (edit the draft, publish
    it). One draft per template at a time, so two administrators never edit rival drafts."""
    template = ChecklistTemplate.objects.select_for_update().get(pk=version.template_id)
    draft = template.versions.filter(status=TemplateVersion.Status.DRAFT).order_by("number").first()
    if draft is not None:
        raise Conflict(
            _("%(template)s already has a draft, version %(number)s: edit and publish it.")
            % {"template": template.code, "number": draft.number},
        )
    number = (template.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    new = TemplateVersion.objects.create(
        template=template,
        number=number,
        definition=version.definition,
        digest=definition_digest(version.definition),
    )
    audit_record(
        actor=actor,
        action="create",
        verb="template_version_draft_from",
        obj=new,
        changes={"from_version": version.number},
        request=request,
    )
    return new


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
