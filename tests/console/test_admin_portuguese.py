"""The admin's pages in European Portuguese hold no English words that Django's own catalogue
left untranslated: an administrator reading Portuguese met "Error: Adicionar unidade" as a refused
form's title, "Choose all competências" and "Remove all" under the officer's skills picker, and
English help and refusals on a new login's page (found walking the administrator's path in pt).
The project's catalogues fill them (backend/locale/pt)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_portuguese(admin_console):
    admin_console.cookies[settings.LANGUAGE_COOKIE_NAME] = "pt"
    return admin_console


def test_a_refused_form_is_titled_in_portuguese(in_portuguese):
    page = in_portuguese.post("/admin/registry/unit/add/", {"name_en": "Taipa station"})
    assert page.status_code == 200
    title = re.search(r"<title>(.*?)</title>", page.content.decode(), re.S).group(1)
    assert title.startswith("Erro: Adicionar unidade"), title


def test_the_pickers_and_the_list_actions_speak_portuguese(in_portuguese):
    script = in_portuguese.get("/admin/jsi18n/").content.decode()
    for english in ("Choose all %s", "Remove all %s", "Choose selected %s", "(click to clear)"):
        assert f'"{english}": "' in script, english  # translated, not left to the English
    assert '"Choose all %s": "Escolher tudo (%s)"' in script


def test_a_new_logins_page_and_its_refusals_are_in_portuguese(in_portuguese):
    text = in_portuguese.get("/admin/auth/user/add/").content.decode()
    assert "Whether the user will be able to authenticate" not in text
    # Django's choice to disable password sign-in is not offered (tests/accounts/test_login_forms.py);
    # the password's help is in Portuguese.
    assert "Se o utilizador se pode autenticar com uma palavra-passe" not in text
    assert "Your password can’t be too similar" not in text

    refused = in_portuguese.post(
        "/admin/auth/user/add/",
        {"username": "jose", "password1": "ab1", "password2": "ab1"},
    ).content.decode()
    errors = " ".join(re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', refused, re.S))
    assert "Esta palavra-passe é demasiado curta. Tem de ter pelo menos 10 caracteres." in errors
    assert "too short" not in errors
