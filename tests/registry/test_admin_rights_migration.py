"""The migration that brings old admin flags in line with the administrator role: logins whose
staff or superuser flags predate the rule are put right at once (each change audited, as the save
path audits it), not when their officer is next saved; a login with no officer record is left
alone; reversed, it changes nothing. Run with Django's migration executor, backwards one step and
forwards again, on rows written as they were before the rule."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from backend.audit.models import AuditEntry
from backend.registry.models import Officer
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)  # the executor's schema editor needs it on SQLite

BEFORE = ("registry", "0004_site_contact_person")
AFTER = ("registry", "0005_admin_rights_follow_role")


def _migrate(target: tuple[str, str]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


@pytest.fixture(autouse=True)
def _every_migration_applied_after():
    """Back to 0004, the executor also unapplies every migration of other apps that depends on a
    later registry migration (scheduler's and inspections' added columns among them), and forward
    to 0005 applies only that one: later tests of the run would meet a schema without those
    columns. Everything is applied again after each test."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def _flags(username: str) -> tuple[bool, bool]:
    user = get_user_model().objects.get(username=username)
    return user.is_staff, user.is_superuser


def _set_flags(officer: Officer, staff: bool, superuser: bool) -> None:
    # Written as before the rule: straight to the row, no sync, no audit.
    get_user_model().objects.filter(pk=officer.user_id).update(is_staff=staff, is_superuser=superuser)


def test_old_flags_are_brought_in_line_with_the_role_and_the_reverse_changes_nothing():
    # The officers are made on today's schema, then the database goes back to 0004: the model
    # writes every column it has now, and 0004's table lacks the later ones (the rank titles in
    # Chinese and Portuguese). Only the logins' flags, and a bare update, are written at 0004.
    # An administrator whose login never got the flags (made before roles decided them).
    ada = factories.officer("PSP", username="ada", roles=("administrator",), full_name="Ada Admin")
    # Half-flagged administrator: staff but not superuser.
    hal = factories.officer("PSP", username="hal", roles=("administrator", "planner"), full_name="Hal Half")
    # An inspector given the flags by hand on the users' page.
    ivan = factories.officer("PSP", username="ivan", roles=("inspector",), full_name="Ivan Inspector")
    # A deactivated administrator whose flags stayed (deactivated by a bare save).
    dora = factories.officer("PSP", username="dora", roles=("administrator",), full_name="Dora Gone")
    # Already in line: an administrator with both flags, a planner with none.
    factories.officer("PSP", username="fine", roles=("administrator",), full_name="Fine Admin")
    factories.officer("PSP", username="plan", roles=("planner",), full_name="Plan Ner")
    hal_repr = str(Officer.objects.select_related("agency").get(pk=hal.pk))
    _migrate(BEFORE)
    _set_flags(ada, False, False)
    _set_flags(hal, True, False)
    _set_flags(ivan, True, True)
    Officer.objects.filter(pk=dora.pk).update(is_active=False)
    _set_flags(dora, True, True)
    assert _flags("fine") == (True, True) and _flags("plan") == (False, False)
    # A bootstrap superuser with no officer record, and a plain staff login with none.
    User = get_user_model()
    User.objects.create_superuser("root", "root@example.invalid", "correct-horse-battery")
    User.objects.create_user("desk", password="correct-horse-battery", is_staff=True)
    before = set(AuditEntry.objects.values_list("id", flat=True))

    _migrate(AFTER)

    assert _flags("ada") == (True, True)
    assert _flags("hal") == (True, True)
    assert _flags("ivan") == (False, False)
    assert _flags("dora") == (False, False)
    assert _flags("fine") == (True, True) and _flags("plan") == (False, False)
    assert _flags("root") == (True, True) and _flags("desk") == (True, False)  # untouched

    new = AuditEntry.objects.exclude(id__in=before)
    by_login = {e.object_repr: e for e in new}
    assert sorted(by_login) == ["ada", "dora", "hal", "ivan"]  # one entry per login changed
    assert {u: e.verb for u, e in by_login.items()} == {
        "ada": "admin_rights_grant",
        "hal": "admin_rights_grant",
        "ivan": "admin_rights_withdraw",
        "dora": "admin_rights_withdraw",
    }
    hal_entry = by_login["hal"]
    assert hal_entry.object_type == "auth.user" and hal_entry.object_id == str(hal.user_id)
    assert hal_entry.actor is None and hal_entry.action == "update"
    assert hal_entry.changes["is_staff"] == [True, True]
    assert hal_entry.changes["is_superuser"] == [False, True]
    assert hal_entry.changes["officer"] == hal_repr

    # Reversed: a no-op, the flags stay as the rule set them.
    _migrate(BEFORE)
    assert _flags("ada") == (True, True) and _flags("ivan") == (False, False)
    assert _flags("root") == (True, True)
    _migrate(AFTER)  # and forwards again finds nothing out of step
    assert AuditEntry.objects.exclude(id__in=before).count() == 4
