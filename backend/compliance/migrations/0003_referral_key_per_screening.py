"""Referral keys name the screening's first revision too (see services.referral_key): existing
referrals are re-keyed from their finding's submission, so a correction of an old screening
still finds its referral instead of referring the person again."""

from django.db import migrations


def rekey(apps, schema_editor):
    Referral = apps.get_model("compliance", "Referral")
    for referral in Referral.objects.select_related(
        "finding__submission__inspection", "finding__submission__template_version__template"
    ).iterator():
        finding = referral.finding
        if finding is None or finding.submission is None:
            continue
        submission = first = finding.submission
        seen = 0
        while first.replaces_id is not None and seen < 1000:
            first = first.replaces
            seen += 1
        template = submission.template_version.template.code
        referral.key = (
            f"{submission.inspection.uuid}:{template}:{first.uuid}:{finding.entry_path or finding.rule_code}"
        )
        referral.save(update_fields=["key"])


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0002_notice_legal_basis"),
        ("inspections", "0002_inspection_planned_start_index"),
    ]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]
