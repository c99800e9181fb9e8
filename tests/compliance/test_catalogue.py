"""The violation catalogue: V-01..V-14 in three languages, defaults an administrator can change."""

from __future__ import annotations

import json

from django.core.management import call_command

from backend.audit.models import AuditEntry
from backend.compliance.models import Violation
from backend.compliance.services import CATALOGUE_FILE, violation_catalogue_load


def test_catalogue_file_matches_the_checklist_of_macao_laws():
    data = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))["violations"]
    assert [v["code"] for v in data] == [f"V-{i:02d}" for i in range(1, 15)]
    for v in data:
        assert all(v["title"][lang].strip() for lang in ("en", "zh-hant", "pt")), v["code"]
        assert v["default_severity"] in ("low", "medium", "high", "critical")
        assert v["corrective_days"] > 0 and v["competent_agency"]
        assert v["defaults_verified"] is False  # our assumptions, flagged as such


def test_command_loads_and_keeps_administrators_changes(db, capsys):
    call_command("load_violations")
    assert Violation.objects.count() == 14
    v04 = Violation.objects.get(code="V-04")
    assert v04.legal_basis == "Law No. 21/2009" and v04.title_in("zh-hant").startswith("沒有")
    Violation.objects.filter(code="V-04").update(corrective_days=60, title_en="old title")
    assert violation_catalogue_load() == {"created": 0, "updated": 1}
    v04.refresh_from_db()
    assert (v04.corrective_days, v04.title_en[:2]) == (60, "No")  # texts follow the file, defaults kept
    call_command("load_violations", "--reset")
    v04.refresh_from_db()
    assert v04.corrective_days == 30
    assert AuditEntry.objects.filter(verb="violation_catalogue_load").count() == 3


def test_catalogue_api_lists_titles_in_three_languages(db, carol, oscar, api):
    violation_catalogue_load()
    r = api.as_(carol).get("/api/v1/violations/", HTTP_ACCEPT_LANGUAGE="pt")
    assert r.status_code == 200 and len(r.json()) == 14
    v12 = next(v for v in r.json() if v["code"] == "V-12")
    assert v12["title"] == v12["title_pt"] and v12["title_zh_hant"]
    assert api.as_(oscar).get("/api/v1/violations/").status_code == 401  # no way in
