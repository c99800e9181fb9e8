"""A referral says when the person was screened (the first revision's time on the officer's phone),
beside ``observed_at``, when the server received the screening, which a phone that syncs the next
morning puts hours later. Existing referrals get it from their screening's first revision."""

from django.db import migrations, models


def fill(apps, schema_editor):
    Referral = apps.get_model("compliance", "Referral")
    for referral in Referral.objects.select_related("finding__submission").iterator(chunk_size=500):
        submission = referral.finding.submission
        seen = 0
        while submission.replaces_id is not None and seen < 1000:
            submission = submission.replaces
            seen += 1
        referral.screened_at = submission.device_submitted_at
        referral.save(update_fields=["screened_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0006_caseevent_code"),
        ("inspections", "0006_one_sender_except_several_per_visit"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="screened_at",
            field=models.DateTimeField(null=True, verbose_name="screened"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
