"""A declaration of a conflict of interest gets the id the phone makes (so a replay is stored
once) and a time it was withdrawn (a tie that has ended is kept, not deleted). Rows declared
before get an id of their own, one by one, before the id is made unique."""

import uuid

from django.db import migrations, models


def give_each_an_id(apps, schema_editor):
    ConflictOfInterest = apps.get_model("registry", "ConflictOfInterest")
    for row in ConflictOfInterest.objects.filter(uuid__isnull=True).only("pk"):
        ConflictOfInterest.objects.filter(pk=row.pk).update(uuid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0008_site_address_zh_hant"),
    ]

    operations = [
        migrations.AddField(
            model_name="conflictofinterest",
            name="uuid",
            field=models.UUIDField(editable=False, null=True, verbose_name="UUID"),
        ),
        migrations.RunPython(give_each_an_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="conflictofinterest",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="UUID"),
        ),
        migrations.AddField(
            model_name="conflictofinterest",
            name="withdrawn_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When the officer said the tie had ended; the scheduler no longer honours it.",
                null=True,
                verbose_name="withdrawn at",
            ),
        ),
    ]
