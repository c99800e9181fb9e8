"""The admin's login pages in the project's words: a new login is a name, an e-mail address (where
"Forgot your password?" writes) and a first password, without Django's "Password-based
authentication: Enabled / Disabled … Single Sign-On or LDAP" choice, which left a login that
could neither sign in nor reset its password; an officer's login offers no groups or
permissions, which grant nothing where the officer's roles decide (the administrator's walk)."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate, get_user_model

from tests import factories

pytestmark = pytest.mark.django_db


def test_a_new_login_has_an_email_and_a_password_and_no_sign_on_choice(admin_console):
    page = admin_console.get("/admin/auth/user/add/")
    fields = page.context["adminform"].form.fields
    assert list(fields) == ["username", "email", "password1", "password2"]
    assert "Single Sign-On" not in page.content.decode()
    response = admin_console.post(
        "/admin/auth/user/add/",
        {
            "username": "nina",
            "email": "nina@psp.example",
            "usable_password": "false",  # Django's choice, if posted, changes nothing
            "password1": "quiet-harbour-lantern-7",
            "password2": "quiet-harbour-lantern-7",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    nina = get_user_model().objects.get(username="nina")
    assert nina.email == "nina@psp.example" and nina.has_usable_password()
    assert authenticate(username="nina", password="quiet-harbour-lantern-7") == nina


def test_a_new_password_is_always_a_password(admin_console):
    officer = factories.officer("PSP", username="otto")
    url = f"/admin/auth/user/{officer.user.pk}/password/"
    assert "usable_password" not in admin_console.get(url).context["form"].fields
    refused = admin_console.post(url, {"password1": "", "password2": ""})
    assert refused.status_code == 200 and refused.context["form"].errors
    officer.user.refresh_from_db()
    assert officer.user.has_usable_password()


def test_an_officers_login_offers_no_groups_or_permissions(admin_console, root_console, django_user_model):
    officer = factories.officer("PSP", username="otto")
    fields = admin_console.get(f"/admin/auth/user/{officer.user.pk}/change/").context["adminform"].form.fields
    assert "groups" not in fields and "user_permissions" not in fields
    # A login with no officer (a system's first, from createsuperuser) keeps Django's boxes.
    # Its page is for a login with no officer record too: an agency's administrator never sees it.
    root = django_user_model.objects.create_user(username="root-login", password="x-correct-horse")
    fields = root_console.get(f"/admin/auth/user/{root.pk}/change/").context["adminform"].form.fields
    assert "groups" in fields and "user_permissions" in fields
