"""A database-level guard: the audit table refuses UPDATE and DELETE.

The model already refuses them; the trigger makes the rule hold for raw SQL and any other
client of the same database too. Both PostgreSQL and SQLite support it. TRUNCATE (a table
owner's maintenance statement, which also resets test databases) is left to database
privileges: in production the application's role should not own the table.
"""

from django.db import migrations

from backend.audit import db_guard


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
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
