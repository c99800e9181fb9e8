from django.db import migrations

from backend.privacy.migration_ops import protect_existing_screenings


class Migration(migrations.Migration):
    """Screenings stored before the protected store: their identifying answers move there."""

    dependencies = [("privacy", "0001_initial"), ("inspections", "0002_inspection_planned_start_index")]

    operations = [migrations.RunPython(protect_existing_screenings, migrations.RunPython.noop)]
