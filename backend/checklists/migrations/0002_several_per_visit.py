"""Templates filled per person ("several per visit"): each officer of a team sends their own for
one visit, and none is refused or replaced for a teammate's (the ILO forced-labour screening:
officers interview different workers). Set for that template where it already exists."""

from django.db import migrations, models

SEVERAL_PER_VISIT = ["ilo_forced_labour_screening"]  # as backend.checklists.models, at this point


def forwards(apps, schema_editor):
    ChecklistTemplate = apps.get_model("checklists", "ChecklistTemplate")
    ChecklistTemplate.objects.filter(code__in=SEVERAL_PER_VISIT).update(several_per_visit=True)


class Migration(migrations.Migration):
    dependencies = [("checklists", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="checklisttemplate",
            name="several_per_visit",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "On: each officer of the team may send their own of this checklist for one visit "
                    "(one per person interviewed, for example), and none replaces a teammate's. Off: "
                    "a visit keeps one current checklist of this template, whoever of the team sends it."
                ),
                verbose_name="several per visit",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
