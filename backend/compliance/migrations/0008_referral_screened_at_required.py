# Apart from 0007: PostgreSQL refuses to alter a table whose rows the same transaction updated.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("compliance", "0007_referral_screened_at")]

    operations = [
        migrations.AlterField(
            model_name="referral",
            name="screened_at",
            field=models.DateTimeField(verbose_name="screened"),
        ),
    ]
