"""The audit log is append-only, in the model and in the database."""

import pytest
from django.db import DatabaseError, connection, transaction

from backend.audit.models import AuditEntry, AuditLogIsAppendOnly
from backend.audit.services import audit_record
from tests import factories


@pytest.fixture
def entry(alice):
    return audit_record(actor=alice.user, action=AuditEntry.Action.CREATE, verb="test", obj=alice)


def test_a_service_write_leaves_an_entry_with_who_and_what(db):
    site = factories.site()
    entry = AuditEntry.objects.get(verb="site_create", object_id=str(site.uuid))
    assert entry.object_type == "registry.site"
    assert entry.action == "create"


def test_entry_records_the_actor_and_address(rf, alice):
    request = rf.get("/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="phone/1.0")
    entry = audit_record(actor=alice.user, action="read", verb="victim_read", obj=alice, request=request)
    assert entry.actor == alice.user and entry.actor_label == "alice"
    assert entry.ip_address == "10.1.2.3" and entry.user_agent == "phone/1.0"


def test_model_refuses_update(entry):
    entry.verb = "rewritten"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()


def test_model_refuses_delete(entry):
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()


def test_queryset_refuses_bulk_update_and_delete(entry):
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(verb="x")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()


def test_database_refuses_raw_update_and_delete(entry):
    table = AuditEntry._meta.db_table
    for sql in (f"UPDATE {table} SET verb = 'rewritten'", f"DELETE FROM {table}"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert AuditEntry.objects.get(pk=entry.pk).verb == "test"


def test_an_entry_is_named_in_local_time_on_its_admin_page(admin_console):
    """Found on an administrator's walk: a failed sign-in at 03:49 in Macao was titled
    '2026-12-05 19:49 …' (UTC, the day before) above its own time, '2026年12月6日 03:49'."""
    import datetime as dt

    import time_machine

    with time_machine.travel(dt.datetime(2026, 12, 5, 19, 49, tzinfo=dt.UTC), tick=False):
        admin_console.post("/sign-in/", {"username": "nobody", "password": "wrong"})
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED)
    assert str(entry).startswith("2026-12-06 03:49 ")
    page = admin_console.get(f"/admin/audit/auditentry/{entry.pk}/change/").content.decode()
    assert "2026-12-06 03:49" in page and "2026-12-05 19:49" not in page


def test_the_log_names_object_types_in_the_readers_language(admin_console):
    """Found on an administrator's walk in Chinese: the log's 'object type' column and filter read
    'auth.user', 'registry.officer', 'compliance.referral' among Chinese words."""
    factories.site()
    admin_console.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    page = admin_console.get("/admin/audit/auditentry/").content.decode()
    assert ">registry.site<" not in page and ">registry.officer<" not in page and ">auth.user<" not in page
    assert ">地點</a>" in page  # the filter, by the model's Chinese name
    filtered = admin_console.get("/admin/audit/auditentry/?object_type__exact=registry.site")
    assert all(e.object_type == "registry.site" for e in filtered.context["cl"].result_list)
    sites = AuditEntry.objects.filter(object_type="registry.site").count()
    assert filtered.context["cl"].result_count == sites > 0


def _verbs_in_the_code() -> set[str]:
    """Every operation code the code writes as a literal (``verb="site_update"``), and the codes
    it builds: ``console_sign_in_<step>``, ``person_request_<kind>``, ``outreach_import_<what>``."""
    import re
    from pathlib import Path

    from backend.outreach.services import IMPORTS

    root = Path(__file__).resolve().parents[2] / "backend"
    found = set()
    for path in root.rglob("*.py"):
        found |= set(re.findall(r'verb="([a-z_]+)"', path.read_text(encoding="utf-8")))
    steps = re.findall(r'step="([a-z_]+)"', (root / "console" / "views.py").read_text(encoding="utf-8"))
    assert steps, "the console's sign-in steps are no longer found where this test looks"
    return (
        found
        | {f"console_sign_in_{step}" for step in steps}
        | {"person_request_access", "person_request_erasure"}
        | {f"outreach_import_{what}" for what in IMPORTS}
    )


@pytest.mark.parametrize("language", ["en", "zh-hant", "pt"])
def test_every_operation_the_code_records_has_a_name_in_each_language(language):
    """Found on an administrator's walk in Chinese: the log's operation column showed the services'
    codes ("console_sign_in") among Chinese words."""
    from django.utils import translation

    from backend.audit.verbs import verb_label

    verbs = _verbs_in_the_code()
    assert len(verbs) > 60
    with translation.override("en"):
        english = {v: verb_label(v) for v in verbs}
    with translation.override(language):
        unnamed = sorted(v for v in verbs if verb_label(v) == v)
        assert not unnamed
        if language != "en":
            untranslated = sorted(v for v in verbs if verb_label(v) == english[v])
            assert not untranslated
        labels = [verb_label(v) for v in verbs]
        assert len(set(labels)) == len(labels)  # no two operations read alike


def test_the_admins_own_changes_are_named_by_model_and_change():
    from django.utils import translation

    from backend.audit.verbs import verb_label

    with translation.override("zh-hant"):
        assert verb_label("admin_site_update") == "地點：於管理介面修改"
        assert verb_label("admin_nosuchmodel_update") == "admin_nosuchmodel_update"
    assert verb_label("admin_officer_delete") == "officer: deleted in the admin"


def test_the_log_names_operations_and_lays_out_details(admin_console):
    site = factories.site()
    from backend.registry.services import site_set_risk

    site_set_risk(actor=None, site=site, score=71, factors={})
    entry = AuditEntry.objects.get(verb="site_set_risk")
    admin_console.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    listing = admin_console.get("/admin/audit/auditentry/").content.decode()
    assert "設定地點風險" in listing
    assert ">site_set_risk<" not in listing
    assert ">行動<" not in listing  # the column is not named after a joint operation
    assert admin_console.get("/admin/audit/auditentry/?q=site_set_risk").context["cl"].result_count == 1
    page = admin_console.get(f"/admin/audit/auditentry/{entry.pk}/change/").content.decode()
    assert "設定地點風險（site_set_risk）" in page
    assert "site_set_risk Shopping" not in page and f"設定地點風險 {site}" in page  # the title too
    assert '<table class="audit-details">' in page
    old, new = entry.changes["risk_score"]
    assert new == "71.00"
    assert f'<th scope="row">風險評分</th><td>{"—" if old is None else old} → 71.00</td>' in page
    assert "{&quot;" not in page and '{"risk_score"' not in page  # no raw JSON
