from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry_import", "0002_row_changed_columns"),
    ]

    operations = [
        migrations.AddField(
            model_name="importrow",
            name="previous",
            field=models.JSONField(blank=True, default=dict, verbose_name="values on record"),
        ),
    ]
