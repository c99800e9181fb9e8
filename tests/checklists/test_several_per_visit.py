"""'Several per visit' on a checklist template: officers of one team each send their own of it for
a visit (the ILO forced-labour screening, one per person interviewed), exempt from the rule that
a visit keeps one current checklist of each template (tests/mobile_api/test_checklist_already_sent.py).
On for the screening when the built-ins are loaded, off for the others; an administrator's choice
holds when they are loaded again."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from backend.checklists.models import ChecklistTemplate
from backend.checklists.services import checklists_load_builtin

pytestmark = pytest.mark.django_db


def flags() -> dict[str, bool]:
    return dict(ChecklistTemplate.objects.values_list("code", "several_per_visit"))


def test_the_builtins_load_with_the_screening_alone_several_per_visit():
    checklists_load_builtin()
    loaded = flags()
    assert loaded.pop("ilo_forced_labour_screening") is True
    assert loaded and not any(loaded.values())


def test_an_administrators_choice_holds_when_the_builtins_load_again():
    checklists_load_builtin()
    ChecklistTemplate.objects.filter(code="ilo_forced_labour_screening").update(several_per_visit=False)
    ChecklistTemplate.objects.filter(code="employment_agency").update(several_per_visit=True)
    checklists_load_builtin()
    assert flags()["ilo_forced_labour_screening"] is False
    assert flags()["employment_agency"] is True


def test_the_admin_shows_and_changes_it(admin_client):
    checklists_load_builtin()
    template = ChecklistTemplate.objects.get(code="venue_prostitution_trafficking")
    page = admin_client.get(reverse("admin:checklists_checklisttemplate_change", args=[template.pk]))
    assert page.status_code == 200
    assert 'name="several_per_visit"' in page.content.decode()
    assert "none replaces a teammate" in page.content.decode()


@pytest.mark.parametrize(
    ("language", "name", "help_text"),
    [
        ("pt", "várias por visita", "uma por pessoa entrevistada"),
        ("zh-hant", "每次巡查可多份", "每名受訪人士一份"),
    ],
)
def test_its_name_and_help_read_in_three_languages(language, name, help_text):
    field = ChecklistTemplate._meta.get_field("several_per_visit")
    with translation.override(language):
        assert str(field.verbose_name) == name
        assert help_text in str(field.help_text)
