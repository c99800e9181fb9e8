"""An officer's login holds the admin's rights (staff and superuser) exactly while the officer is
active and holds the administrator role: given with the role in the admin, withdrawn when the
role goes or the officer is deactivated, each change audited. Everyone signs in through the
real sign-in page."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from backend.audit.models import AuditEntry
from backend.registry import services
from tests import factories
from tests.browser_support import sign_in_client
from tests.registry.officer_forms import officer_save

PASSWORD = "correct-horse-battery"

pytestmark = pytest.mark.django_db


@pytest.fixture
def bob(db):
    return factories.officer("PSP", username="bob", roles=("inspector",), full_name="Bob Inspector")


def test_the_administrator_role_given_in_the_admin_opens_the_admin(admin_console, bob):
    assert not bob.user.is_staff and not bob.user.is_superuser
    officer_save(admin_console, bob, roles=["inspector", "administrator"])
    assert bob.user.is_staff and bob.user.is_superuser
    entry = AuditEntry.objects.get(verb="admin_rights_grant")
    assert entry.actor.username == "adele" and entry.object_id == str(bob.user_id)
    assert entry.changes["is_superuser"] == [False, True]

    his = Client()
    sign_in_client(his, "bob", PASSWORD)  # an administrator: a second factor, enrolled now
    assert his.get("/admin/").status_code == 200
    assert his.get("/admin/compliance/referral/").status_code == 200


def test_the_role_taken_away_closes_the_admin_at_once(admin_console, bob):
    officer_save(admin_console, bob, roles=["inspector", "administrator"])
    his = Client()
    sign_in_client(his, "bob", PASSWORD)
    assert his.get("/admin/compliance/referral/").status_code == 200

    officer_save(admin_console, bob, roles=["inspector"])
    assert not bob.user.is_staff and not bob.user.is_superuser
    entry = AuditEntry.objects.get(verb="admin_rights_withdraw")
    assert entry.actor.username == "adele" and entry.changes["is_staff"] == [True, False]
    assert his.get("/admin/").status_code == 302
    assert his.get("/admin/compliance/referral/").status_code == 302


def test_deactivating_an_administrator_withdraws_the_rights_and_reactivating_gives_them_back(admin_console):
    carl = factories.officer("PSP", username="carl", roles=("administrator",), full_name="Carl Admin")
    officer_save(admin_console, carl, roles=["administrator"], is_active=False)
    assert not carl.is_active and not carl.user.is_superuser and not carl.user.is_staff
    officer_save(admin_console, carl, roles=["administrator"], is_active=True)
    assert carl.user.is_superuser and carl.user.is_staff
    assert list(
        AuditEntry.objects.filter(object_id=str(carl.user_id)).order_by("at").values_list("verb", flat=True)
    )[-2:] == ["admin_rights_withdraw", "admin_rights_grant"]


def test_a_superuser_flag_left_over_without_the_role_opens_nothing(admin_console, bob):
    # Set by hand (the users' page, or before roles were followed): it counts for nothing.
    get_user_model().objects.filter(pk=bob.user_id).update(is_staff=True, is_superuser=True)
    his = Client()
    sign_in_client(his, "bob", PASSWORD)
    assert his.get("/admin/").status_code == 302
    assert his.get("/admin/compliance/referral/").status_code == 302


def test_roles_set_through_the_service_follow_too(bob):
    services.officer_roles_set(actor=None, officer=bob, roles=["administrator", "planner"])
    bob.user.refresh_from_db()
    assert bob.user.is_superuser and bob.user.is_staff
    assert AuditEntry.objects.filter(verb="officer_roles_set", object_id=str(bob.uuid)).exists()
    services.officer_roles_set(actor=None, officer=bob, roles=["planner"])
    bob.user.refresh_from_db()
    assert not bob.user.is_superuser and not bob.user.is_staff
    assert sorted(bob.roles.values_list("role", flat=True)) == ["planner"]


def test_deleting_an_administrators_officer_record_leaves_the_login_no_rights(admin_console):
    dora = factories.officer("PSP", username="dora", roles=("administrator",), full_name="Dora Admin")
    response = admin_console.post(f"/admin/registry/officer/{dora.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    user = get_user_model().objects.get(username="dora")
    assert not user.is_superuser and not user.is_staff


def test_a_bootstrap_superuser_without_an_officer_record_is_left_alone(client, django_user_model):
    django_user_model.objects.create_superuser("root", "root@example.invalid", PASSWORD)
    sign_in_client(client, "root", PASSWORD)
    assert client.get("/admin/").status_code == 200


# --- The login's page: the role decides, and the page says so ------------------------------------


def _login_form(client: Client, user) -> tuple[str, dict]:
    """The login's change page and what its form posts as it stands."""
    page = client.get(f"/admin/auth/user/{user.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data: dict = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form.initial.get(name)
        if name in ("groups", "user_permissions"):
            data[name] = [getattr(v, "pk", v) for v in (value or [])]
        elif name in ("last_login", "date_joined"):
            if value:  # as the page shows it: in local time, to the second
                value = timezone.localtime(value)
                data[f"{name}_0"], data[f"{name}_1"] = value.strftime("%Y-%m-%d"), value.strftime("%H:%M:%S")
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    return page.content.decode(), data


def test_an_officers_login_offers_no_staff_or_superuser_box(admin_console, bob):
    text, data = _login_form(admin_console, bob.user)
    form_fields = set(
        admin_console.get(f"/admin/auth/user/{bob.user.pk}/change/").context["adminform"].form.fields
    )
    assert not form_fields & {"is_superuser", "is_staff"}
    assert 'name="is_superuser"' not in text and 'name="is_staff"' not in text
    # Instead: what the login holds, why, and where to change it.
    assert "They follow the officer&#x27;s administrator role" in text
    assert f'href="/admin/registry/officer/{bob.pk}/change/"' in text

    # A box posted anyway (an old page, a crafted form) changes nothing.
    data.update(is_superuser="on", is_staff="on", first_name="Bob")
    saved = admin_console.post(f"/admin/auth/user/{bob.user.pk}/change/", data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    bob.user.refresh_from_db()
    assert bob.user.first_name == "Bob"
    assert not bob.user.is_superuser and not bob.user.is_staff


def test_an_administrators_login_says_it_holds_the_rights(admin_console):
    adele = get_user_model().objects.get(username="adele")
    text, _data = _login_form(admin_console, adele)
    assert "Staff and superuser." in text and 'name="is_superuser"' not in text


def test_a_login_without_an_officer_record_keeps_its_boxes(root_console, django_user_model):
    # Edited by a login with no officer record too: an agency's administrator never sees it.
    admin_console = root_console
    root = django_user_model.objects.create_superuser("root", "root@example.invalid", PASSWORD)
    text, data = _login_form(admin_console, root)
    assert 'name="is_superuser"' in text and 'name="is_staff"' in text
    data.pop("is_superuser")
    assert admin_console.post(f"/admin/auth/user/{root.pk}/change/", data).status_code == 302
    root.refresh_from_db()
    assert not root.is_superuser and root.is_staff
