"""The one-sender rule of 0005 no longer holds templates filled several per visit
(``ChecklistTemplate.several_per_visit``, see backend/inspections/db_guard.py): officers of one
team each send their own ILO screening (one per person interviewed) for a visit."""

from django.db import migrations

from backend.inspections import db_guard


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(db_guard.POSTGRES_FUNCTION)
    elif vendor == "sqlite":
        for statement in db_guard.SQLITE_TRIGGER:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(db_guard.POSTGRES_FUNCTION_BEFORE)
    elif vendor == "sqlite":
        for statement in db_guard.SQLITE_TRIGGER_BEFORE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0005_submission_one_sender_per_checklist"),
        ("checklists", "0002_several_per_visit"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
