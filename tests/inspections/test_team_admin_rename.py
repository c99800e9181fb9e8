"""A team an administrator renames is read by its new name in every language: a published team
keeps its plan's name in each language (``Team.names``), which would otherwise still be read in
place of the name given by hand."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from backend.inspections import services as inspections
from backend.inspections.models import Team
from tests.browser_support import sign_in_client
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_name_given_by_hand_replaces_the_plans_names_in_every_language(alice):
    team = inspections.team_create(
        actor=None,
        name="Night Shield – Team 1 (PSP)",
        names={"en": "Night Shield – Team 1 (PSP)", "pt": "Night Shield – Equipa 1 (PSP)"},
        members=[alice],
    )
    assert team.name_in("pt") == "Night Shield – Equipa 1 (PSP)"
    get_user_model().objects.create_superuser("boot", "boot@example.invalid", PASSWORD)
    client = Client()
    sign_in_client(client, "boot", PASSWORD)
    page = client.get(f"/admin/inspections/team/{team.pk}/change/")
    assert page.status_code == 200
    assert 'name="names"' not in page.content.decode()  # shown, not edited by hand

    saved = client.post(
        f"/admin/inspections/team/{team.pk}/change/", {"name": "Alpha", "members": [alice.pk]}
    )
    assert saved.status_code == 302, saved.context["adminform"].form.errors if saved.context else saved
    team = Team.objects.get(pk=team.pk)
    assert [team.name_in(code) for code in ("en", "pt", "zh-hant")] == ["Alpha"] * 3

    # Changing the members alone keeps the names in each language.
    team.names = {"en": "Alpha", "pt": "Alfa"}
    team.save()
    client.post(f"/admin/inspections/team/{team.pk}/change/", {"name": "Alpha", "members": [alice.pk]})
    assert Team.objects.get(pk=team.pk).name_in("pt") == "Alfa"
