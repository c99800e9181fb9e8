"""Checklist templates and their immutable published versions."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from backend.core.i18n import pick


class VersionIsImmutable(Exception):
    pass


# Built-in templates filled per person, so several officers of a team each send their own for
# one visit (set when the template is first created; an administrator may change it after).
SEVERAL_PER_VISIT = frozenset({"ilo_forced_labour_screening"})


class ChecklistTemplate(models.Model):
    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), max_length=80, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_zh_hant = models.CharField(_("title (Traditional Chinese)"), max_length=200, blank=True)
    title_pt = models.CharField(_("title (Portuguese)"), max_length=200, blank=True)
    site_kinds = models.JSONField(_("site kinds"), default=list, blank=True)
    categories = models.JSONField(_("inspection categories"), default=list, blank=True)
    several_per_visit = models.BooleanField(
        _("several per visit"),
        default=False,
        help_text=_(
            "On: each officer of the team may send their own of this checklist for one visit (one "
            "per person interviewed, for example), and none replaces a teammate's. Off: a visit keeps "
            "one current checklist of this template, whoever of the team sends it."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"

    @property
    def title(self) -> str:
        return pick(en=self.title_en, zh_hant=self.title_zh_hant, pt=self.title_pt)


class TemplateVersion(models.Model):
    """One version of a template's definition (the engine's JSON format).

    A draft may change; a published version never does, so that work issued on it, and the
    evidence recorded against it, always means what it meant when it was filled in."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        RETIRED = "retired", _("retired (still accepted for work already issued)")

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"))
    digest = models.CharField(_("SHA-256 of the definition"), max_length=64, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["template__code", "-number"]
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="template_version_unique_number"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="template_version_published_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template.code} v{self.number} ({self.status})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            stored = TemplateVersion.objects.filter(pk=self.pk).values("status", "digest").first()
            if stored and stored["status"] != self.Status.DRAFT and stored["digest"] != self.digest:
                raise VersionIsImmutable(f"{self} is published; its definition cannot change.")
        super().save(*args, **kwargs)

    @property
    def is_usable(self) -> bool:
        """Work may be issued on, and submitted against, published and retired versions."""
        return self.status in (self.Status.PUBLISHED, self.Status.RETIRED)
