"""Reading the planners' list of operations is a read of each sealed operation in it, and is
audited as opening one is (#15)."""

from __future__ import annotations

from backend.audit.models import AuditEntry
from tests.mobile_api.conftest import dora, field, media  # noqa: F401 (fixtures)


def test_the_operations_list_audits_each_sealed_operation_shown(api, paula, field):  # noqa: F811
    response = api.as_(paula).get("/api/v1/planning/operations/")
    assert response.status_code == 200, response.content
    assert {"Thunderbolt night 1", "Thunderbolt night 2"} <= {o["name"] for o in response.json()}
    listed = AuditEntry.objects.filter(actor=paula.user, action="read", verb="sealed_operation_listed")
    assert [e.object_repr for e in listed] == [str(field.sealed_operation)]  # the revealed one is not
