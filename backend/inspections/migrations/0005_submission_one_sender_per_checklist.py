"""A database-level rule: one sender per checklist of a visit (see backend/inspections/db_guard.py).

Ingest refuses a teammate's second first checklist with a 409; the trigger makes the rule hold
when two phones send at the same moment, and for any other client of the same database."""

from django.db import migrations

from backend.inspections import db_guard


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(db_guard.POSTGRES_UP)
    elif vendor == "sqlite":
        for statement in db_guard.SQLITE_UP:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(db_guard.POSTGRES_DOWN)
    elif vendor == "sqlite":
        for statement in db_guard.SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("inspections", "0004_attachment_personal"), ("checklists", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
