"""A login's dates (joined, last signed in) are what happened to it, shown on its admin page and
never edited there. In the form they had been whole seconds: every save of a login with nothing
changed wrote both back without their microseconds, and a client that did not post the form's
hidden initial values (date_joined has a callable default) had date_joined audited as a change the
administrator never made. Both are checked here."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from backend.audit.models import AuditEntry
from tests import factories
from tests.browser_support import sign_in_client
from tests.registry.test_admin_rights import _login_form

PASSWORD = "correct-horse-battery"

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("officer", [True, False], ids=["officers-login", "login-without-officer"])
def test_saving_a_login_unchanged_records_no_date_as_changed(request, django_user_model, officer):
    # A login with no officer record is edited by another such login: an agency's administrator
    # (adele) never sees it.
    admin_console = request.getfixturevalue("admin_console" if officer else "root_console")
    if officer:
        user = factories.officer("PSP", username="tom", full_name="Tom Lead", roles=("planner",)).user
    else:
        user = django_user_model.objects.create_superuser("root", "root@example.invalid", PASSWORD)
    sign_in_client(Client(), user.username, PASSWORD)  # a last sign-in to show
    # Joined a month ago, to the microsecond, as a login is: what the form's seconds used to drop.
    joined = timezone.now().replace(microsecond=654321) - timedelta(days=30)
    django_user_model.objects.filter(pk=user.pk).update(date_joined=joined)
    user.refresh_from_db()
    last_login = user.last_login
    assert last_login is not None

    text, data = _login_form(admin_console, user)  # the page's form, posted as it stands
    saved = admin_console.post(f"/admin/auth/user/{user.pk}/change/", data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    # Nothing changed, so nothing audited (no entry listing a date, nor an empty one).
    assert not AuditEntry.objects.filter(verb="admin_user_update", object_id=str(user.pk)).exists()
    user.refresh_from_db()
    assert (user.date_joined, user.last_login) == (joined, last_login)

    # Shown on the page, read-only.
    form = admin_console.get(f"/admin/auth/user/{user.pk}/change/").context["adminform"].form
    assert not {"date_joined", "last_login"} & set(form.fields)
    assert "Date joined" in text and "Last login" in text


def test_a_posted_date_is_ignored(admin_console):
    tom = factories.officer("PSP", username="tom", full_name="Tom Lead", roles=("planner",)).user
    _text, data = _login_form(admin_console, tom)
    data.update({"date_joined_0": "2001-01-01", "date_joined_1": "00:00:00"})
    assert admin_console.post(f"/admin/auth/user/{tom.pk}/change/", data).status_code == 302
    joined = tom.date_joined
    tom.refresh_from_db()
    assert tom.date_joined == joined
    assert not AuditEntry.objects.filter(verb="admin_user_update").exists()
