"""Every field the admin shows has a label of its own, marked for translation. A field declared
without one (``models.ForeignKey(Officer, ...)``, ``created_at = models.DateTimeField(...)``) is
labelled by Django from its name, in English, in every language: an inspection's officer and local
day, several planner fields read so in Chinese and Portuguese. A field added later without a label
fails here."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib import admin
from django.db import models
from django.utils import translation
from django.utils.functional import Promise

# Our own code: every field of every model the admin shows, whether or not a page names it today
# (a read-only page lists them all, and a page changes more often than a model).
OURS = ("backend.", "scheduler.", "mobile_api.")

# Labels that are the same words in Chinese: identifiers written in Latin letters everywhere.
SAME_IN_CHINESE = {"UUID"}


def _admins() -> Iterator[tuple[type[models.Model], object]]:
    """Each model the admin shows, with the model admin or inline that shows it."""
    for model, model_admin in admin.site._registry.items():
        yield model, model_admin
        for inline in model_admin.inlines:
            yield inline.model, inline


def _named(model_admin: object) -> set[str]:
    """The names a model admin from elsewhere (Django's logins, django-otp's authenticators) puts
    on its pages, as far as its declaration says."""
    names: set[str] = set()
    for attr in ("list_display", "list_filter", "readonly_fields", "fields"):
        for item in getattr(model_admin, attr, None) or ():
            names.add(item[0] if isinstance(item, (list, tuple)) else item)
    for _title, options in getattr(model_admin, "fieldsets", None) or ():
        for item in options.get("fields", ()):
            names.update(item if isinstance(item, (list, tuple)) else (item,))
    if getattr(model_admin, "date_hierarchy", None):
        names.add(model_admin.date_hierarchy)
    return {name for name in names if isinstance(name, str)}


def _shown_fields() -> dict[str, models.Field]:
    found: dict[str, models.Field] = {}
    for model, model_admin in _admins():
        meta = model._meta
        fields = [f for f in meta.get_fields() if (f.concrete or f.many_to_many) and not f.auto_created]
        if not model.__module__.startswith(OURS):
            named = _named(model_admin)
            fields = [f for f in fields if f.name in named]
        found.update({f"{meta.label}.{f.name}": f for f in fields})
    return found


def test_every_field_the_admin_shows_has_a_label_marked_for_translation():
    fields = _shown_fields()
    assert len(fields) > 400  # sanity: the walk found the admin's models and their fields
    assert "inspections.Submission.officer" in fields and "otp_totp.TOTPDevice.created_at" in fields
    unlabelled = sorted(
        f"{where}: {field.verbose_name!r}"
        for where, field in fields.items()
        if not isinstance(field.verbose_name, Promise)
    )
    assert not unlabelled, "give each a verbose_name=_(...):\n" + "\n".join(unlabelled)


def test_every_field_the_admin_shows_reads_in_chinese():
    english, chinese = {}, {}
    fields = _shown_fields()
    for language, labels in (("en", english), ("zh-hant", chinese)):
        with translation.override(language):
            labels.update({where: str(field.verbose_name) for where, field in fields.items()})
    untranslated = sorted(
        f"{where}: {english[where]!r}"
        for where in fields
        if chinese[where] == english[where] and english[where] not in SAME_IN_CHINESE
    )
    assert not untranslated, "\n".join(untranslated)
