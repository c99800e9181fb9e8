"""Checklist templates in the admin: made from definitions (load_checklists, a version's
definition), never added by hand. A template added here had no code, no site kinds and no
version, and the second one was a server error (the code is unique). Signed in through the page."""

from __future__ import annotations

import pytest
from django.test import Client

from backend.checklists.models import ChecklistTemplate
from tests import factories
from tests.browser_support import sign_in_client

pytestmark = pytest.mark.django_db


def test_an_administrator_cannot_add_a_template_without_a_definition():
    factories.officer("PSP", username="adele", roles=("administrator",), full_name="Adele Admin")
    admin = Client()
    sign_in_client(admin, "adele", "correct-horse-battery")
    assert admin.get("/admin/checklists/checklisttemplate/").status_code == 200
    for title in ("Test template", "Second test template"):
        response = admin.post("/admin/checklists/checklisttemplate/add/", {"title_en": title})
        assert response.status_code == 403
    assert not ChecklistTemplate.objects.filter(code="").exists()
