from django.db import migrations, models


class Migration(migrations.Migration):
    """A site's on-site contact person and phone: the briefing named the operating company as
    the 'contact', which is no one a team can ask for at the door."""

    dependencies = [("registry", "0003_data_protection_role")]

    operations = [
        migrations.AddField(
            model_name="site",
            name="contact_name",
            field=models.CharField(
                blank=True,
                help_text="The person a team asks for on site: the manager, foreman or licence holder.",
                max_length=200,
                verbose_name="on-site contact person",
            ),
        ),
        migrations.AddField(
            model_name="site",
            name="contact_phone",
            field=models.CharField(blank=True, max_length=40, verbose_name="on-site contact phone"),
        ),
    ]
