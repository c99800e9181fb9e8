from django.db import migrations, models


class Migration(migrations.Migration):
    """The data-protection officer's role (backend.privacy's access report)."""

    dependencies = [("registry", "0002_external_ids")]

    operations = [
        migrations.AlterField(
            model_name="officerrole",
            name="role",
            field=models.CharField(
                choices=[
                    ("inspector", "inspector"),
                    ("team_leader", "team leader"),
                    ("planner", "planner"),
                    ("reviewer", "reviewer"),
                    ("victim_protection", "victim protection"),
                    ("analyst", "analyst"),
                    ("administrator", "administrator"),
                    ("data_protection", "data-protection officer"),
                ],
                max_length=30,
                verbose_name="role",
            ),
        ),
    ]
