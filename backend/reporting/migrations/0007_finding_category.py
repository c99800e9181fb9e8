from django.db import migrations, models
from django.utils import timezone

# The findings rollup's inspection category: findings by category (the dashboard's category
# filter) read the rollup instead of the records joined to their inspections. On a database
# without rollups it is there at once; else from the next full refresh (nightly, or
# `manage.py rollups refresh --full`), until which those figures read the records (RollupClock
# "finding_category" says which).


def mark_built_if_empty(apps, schema_editor):
    if not apps.get_model("reporting", "FindingRollup").objects.exists():
        apps.get_model("reporting", "RollupClock").objects.update_or_create(
            key="finding_category", defaults={"as_of": timezone.now()}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0006_distinct_pairs"),
    ]

    operations = [
        migrations.AddField(
            model_name="findingrollup",
            name="category",
            field=models.CharField(blank=True, default="", max_length=30, verbose_name="inspection category"),
        ),
        migrations.RunPython(mark_built_if_empty, migrations.RunPython.noop),
    ]
