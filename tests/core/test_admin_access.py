"""The admin keeps sealed operations and victims' data to administrators, and audits each read
(#15): a staff login given Django's view permissions read sealed operations, teams and
inspections, past the selectors' scoping."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from backend.audit.models import AuditEntry
from tests.conftest import signed_in
from tests.mobile_api.conftest import dora, field, media  # noqa: F401 (fixtures)

PAGES = [
    "/admin/inspections/operation/",
    "/admin/inspections/team/",
    "/admin/inspections/inspection/",
    "/admin/inspections/submission/",
    "/admin/inspections/finding/",
    "/admin/compliance/referral/",
]


@pytest.fixture
def sam(django_user_model):
    """Staff with Django's view permission on everything listed, but no administrator role."""
    user = django_user_model.objects.create_user(username="sam", password="x-correct-horse", is_staff=True)
    codenames = ["view_operation", "view_team", "view_inspection", "view_submission", "view_finding"]
    user.user_permissions.set(Permission.objects.filter(codename__in=[*codenames, "view_referral"]))
    return user


@pytest.mark.parametrize("page", PAGES)
def test_a_staff_login_with_view_permission_reads_nothing_sealed(client, sam, field, page):  # noqa: F811
    signed_in(client, sam, password="x-correct-horse")
    assert client.get(page).status_code == 403
    sealed = f"/admin/inspections/operation/{field.sealed_operation.pk}/change/"
    assert client.get(sealed).status_code == 403
    index = client.get("/admin/").content.decode()
    assert "Thunderbolt" not in index and "/admin/inspections/" not in index


def test_an_administrators_reads_are_audited(admin_client, admin_user, field):  # noqa: F811
    response = admin_client.get("/admin/inspections/operation/")
    assert response.status_code == 200 and "Thunderbolt night 2" in response.content.decode()
    admin_client.get(f"/admin/inspections/operation/{field.sealed_operation.pk}/change/")
    reads = AuditEntry.objects.filter(actor=admin_user, action=AuditEntry.Action.READ)
    assert set(reads.values_list("verb", "object_type")) == {
        ("admin_list", "inspections.operation"),
        ("admin_view", "inspections.operation"),
    }
    assert reads.get(verb="admin_view").object_id == str(field.sealed_operation.pk)


def test_the_admins_own_sign_in_checks_no_password(client, admin_user):
    """/admin/login/ hands every attempt to the console's sign-in, which counts failures per
    account (CONSOLE_SIGNIN_MAX_FAILURES): no password is tried there, right or wrong (#15)."""
    for password in ["wrong"] * 10 + ["password"]:
        response = client.post("/admin/login/", {"username": admin_user.username, "password": password})
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in")
    assert "_auth_user_id" not in client.session
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED).exists()


def test_a_signed_in_officer_who_is_not_an_administrator_is_told_not_found(client, db):
    """/admin/ sent a signed-in analyst to the sign-in page, which signed them in again and sent
    them back to /admin/, round and round. They get the console's "not found" with the way back
    to their start; an administrator who owes the code is sent to the code, not the password."""
    from tests import factories
    from tests.browser_support import sign_in_client
    from tests.conftest import PASSWORD

    factories.officer("DSAL", username="andy", full_name="Andy Analyst", roles=("analyst",))
    sign_in_client(client, "andy", PASSWORD)
    first = client.get("/admin/")
    assert first.status_code == 302 and first["Location"].startswith("/admin/login/")
    refused = client.get(first["Location"])
    assert refused.status_code == 404 and "Back to the start" in refused.content.decode()
    client.logout()
    # Not signed in: the sign-in page, as before.
    assert client.get("/admin/login/?next=/admin/")["Location"].startswith("/sign-in/?next=/admin/")
    factories.officer("DSAL", username="adele", full_name="Adele Admin", roles=("administrator",))
    assert client.post("/sign-in/", {"username": "adele", "password": PASSWORD}).status_code == 302
    owed = client.get("/admin/login/?next=/admin/")
    assert owed.status_code == 302 and owed["Location"].startswith("/sign-in/code/?next=/admin/")
