"""An inspection issued in the admin carries checklist versions its officers can open.

A draft checklist version is the administrators' alone (``checklists.selectors``): an officer's
phone answers 404 for it, and no submission is taken on it. The admin's inspection form offered
every version, drafts among them, as its checklist and its additional checklists, and saved an
inspection on a draft that its team could neither download nor send (the service that issues work,
``inspection_issue``, refuses one). The form now offers published and retired versions alone, and
a draft sent anyway is refused on its field; nothing is saved. Adele administers the police (PSP)
and signs in through the console's sign-in page.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone, translation

from backend.checklists import engine, services
from backend.checklists.models import TemplateVersion
from backend.inspections.models import Inspection
from tests import factories
from tests.browser_support import sign_in_client

pytestmark = pytest.mark.django_db

ADD = "/admin/inspections/inspection/add/"
REFUSED = {
    "en": "Only published checklist versions can be issued: a draft is not yet seen by the officers.",
    "pt": "Só se emitem versões publicadas das listas de verificação: "
    "um rascunho ainda não é visto pelos agentes.",
    "zh-hant": "只可發出已發佈的檢查表版本：草稿仍未為人員所見。",
}


@pytest.fixture
def adele(db) -> Client:
    factories.officer("PSP", username="adele", roles=("administrator",), full_name="Adele Admin")
    client = Client()
    sign_in_client(client, "adele", "correct-horse-battery")
    return client


@pytest.fixture
def versions(db) -> tuple[TemplateVersion, TemplateVersion]:
    """A published checklist and a draft made from it."""
    definition = engine.load_builtin()["construction_preventive"]
    published = services.template_version_publish(
        actor=None, version=services.template_version_create(actor=None, definition=definition)
    )
    return published, services.template_version_draft_from(actor=None, version=published)


def _body(version: TemplateVersion, *, additional: list[TemplateVersion] = ()) -> dict:
    start = timezone.localtime() + dt.timedelta(days=1)
    end = start + dt.timedelta(hours=2)
    return {
        "site": factories.site(kind="construction_site", name_en="Cotai Tower B", opening_hours=[]).pk,
        "category": "construction_preventive",
        "agency": factories.agency("PSP").pk,
        "template_version": version.pk,
        "additional_versions": [v.pk for v in additional],
        "planned_start_0": start.date().isoformat(),
        "planned_start_1": start.strftime("%H:%M:%S"),
        "planned_end_0": end.date().isoformat(),
        "planned_end_1": end.strftime("%H:%M:%S"),
        "route_order": 0,
        "status": "planned",
        "priority": 3,
    }


def test_the_form_offers_no_draft_version(adele, versions):
    published, draft = versions
    form = adele.get(ADD).context["adminform"].form
    for name in ("template_version", "additional_versions"):
        offered = set(form.fields[name].queryset)
        assert published in offered and draft not in offered, name


@pytest.mark.parametrize("language", ["en", "pt", "zh-hant"])
def test_a_draft_sent_as_the_checklist_is_refused_on_its_field(adele, versions, language):
    _published, draft = versions
    response = adele.post(ADD, _body(draft), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["template_version"] == [REFUSED[language]]
    assert not Inspection.objects.exists()


def test_a_draft_sent_as_an_additional_checklist_is_refused_on_its_field(adele, versions):
    published, draft = versions
    response = adele.post(ADD, _body(published, additional=[draft]))
    assert response.status_code == 200
    with translation.override("en"):
        assert response.context["adminform"].form.errors["additional_versions"] == [REFUSED["en"]]
    assert not Inspection.objects.exists()


def test_a_published_version_is_issued(adele, versions):
    published, _draft = versions
    response = adele.post(ADD, _body(published))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Inspection.objects.get().template_version == published
