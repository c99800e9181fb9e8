"""Checklist versions in the admin: an administrator makes a new draft from a version, edits its
definition and publishes it; a definition the engine cannot read (or another template's) is
refused on the field as it is saved, and never published, whether from the admin or the service.
A published version stays read-only. Signed in through the sign-in page."""

from __future__ import annotations

import copy
import json

import pytest
from django.test import Client

from backend.audit.models import AuditEntry
from backend.checklists import engine, services
from backend.checklists.models import ChecklistTemplate, TemplateVersion
from tests import factories
from tests.browser_support import sign_in_client

pytestmark = pytest.mark.django_db

LIST = "/admin/checklists/templateversion/"


def _change(version: TemplateVersion) -> str:
    return f"{LIST}{version.pk}/change/"


@pytest.fixture
def admin(db):
    factories.officer("PSP", username="adele", roles=("administrator",), full_name="Adele Admin")
    client = Client()
    sign_in_client(client, "adele", "correct-horse-battery")
    return client


@pytest.fixture
def published(db):
    definition = engine.load_builtin()["construction_preventive"]
    version = services.template_version_create(actor=None, definition=definition)
    return services.template_version_publish(actor=None, version=version)


def _draft_from(admin: Client, version: TemplateVersion):
    return admin.post(LIST, {"action": "draft_from", "_selected_action": [version.pk]})


def test_a_new_draft_is_made_edited_and_published_in_the_admin(admin, published):
    response = _draft_from(admin, published)
    draft = TemplateVersion.objects.get(template=published.template, number=2)
    assert response.status_code == 302 and response["Location"] == _change(draft)
    assert draft.status == "draft" and draft.definition == published.definition
    assert AuditEntry.objects.get(verb="template_version_draft_from").changes == {"from_version": 1}

    edited = copy.deepcopy(draft.definition)
    edited["title"]["en"] = "Preventive visit, revised"
    saved = admin.post(_change(draft), {"definition": json.dumps(edited)})
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    draft.refresh_from_db()
    assert draft.definition["title"]["en"] == "Preventive visit, revised"

    admin.post(LIST, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == "published"
    assert ChecklistTemplate.objects.get(pk=draft.template_id).title_en == "Preventive visit, revised"


@pytest.mark.parametrize(
    ("breakage", "said"),
    [
        (lambda d: d.update(sections=[]), "The checklist engine cannot use this definition"),
        (lambda d: d["sections"][0]["questions"][0].update(type="slider"), "The checklist engine cannot use"),
        (lambda d: d.update(code="venue_prostitution_trafficking"), "this is a version of"),
    ],
    ids=["no sections", "unknown question type", "another template's code"],
)
def test_a_broken_definition_is_refused_on_the_field(admin, published, breakage, said):
    _draft_from(admin, published)
    draft = TemplateVersion.objects.get(template=published.template, number=2)
    broken = copy.deepcopy(draft.definition)
    breakage(broken)
    response = admin.post(_change(draft), {"definition": json.dumps(broken)})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["definition"] and said in errors["definition"][0]
    draft.refresh_from_db()
    assert draft.definition == published.definition


def test_a_broken_draft_is_never_published(admin, published):
    _draft_from(admin, published)
    draft = TemplateVersion.objects.get(template=published.template, number=2)
    # Broken past the form (a shell, an older release): the publication checks it again.
    TemplateVersion.objects.filter(pk=draft.pk).update(
        definition={"code": draft.template.code, "sections": []}
    )

    page = admin.post(LIST, {"action": "publish", "_selected_action": [draft.pk]}, follow=True)
    assert "The checklist engine cannot use this definition" in page.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"

    with pytest.raises(services.DefinitionInvalid) as refused:
        services.template_version_publish(actor=None, version=draft)
    assert refused.value.status == 400 and refused.value.code == "definition_invalid"
    assert refused.value.errors["definition"]


def test_one_draft_at_a_time_and_a_published_version_stays_read_only(admin, published):
    _draft_from(admin, published)
    again = _draft_from(admin, published)
    assert again.status_code == 302
    assert TemplateVersion.objects.filter(template=published.template).count() == 2
    page = admin.get(LIST).content.decode()
    assert "already has a draft, version 2" in page

    altered = copy.deepcopy(published.definition)
    altered["title"]["en"] = "Changed after publication"
    admin.post(_change(published), {"definition": json.dumps(altered)})
    published.refresh_from_db()
    assert published.definition["title"]["en"] != "Changed after publication"


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("pt", "O motor das listas de verificação não pode usar esta definição"),
        ("zh-hant", "檢查表引擎無法使用此定義"),
    ],
)
def test_the_refusal_in_the_administrators_language(admin, published, language, said):
    _draft_from(admin, published)
    draft = TemplateVersion.objects.get(template=published.template, number=2)
    response = admin.post(
        _change(draft),
        {"definition": json.dumps({"code": draft.template.code})},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert said in response.context["adminform"].form.errors["definition"][0]
