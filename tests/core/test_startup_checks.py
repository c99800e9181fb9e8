"""make run starts without system-check noise: its migrate runs Django's checks on the database,
and on SQLite two warnings (models.W040) said the statistics' covering indexes lose their
INCLUDE columns there, which is expected (they serve PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from backend.inspections.models import Finding, Inspection

ROOT = Path(__file__).resolve().parents[2]


def _manage(tmp_path: Path, database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "DATABASE_URL": database_url}
    environ.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, "manage.py", *args]
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        command, cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120
    )


def test_sqlite_database_checks_are_quiet(tmp_path):
    result = _manage(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}", "check", "--database", "default")
    assert result.returncode == 0, result.stderr
    assert "W040" not in result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_covering_indexes_stay_and_postgresql_keeps_the_check(tmp_path):
    includes = {i.name: i.include for m in (Inspection, Finding) for i in m._meta.indexes if i.include}
    assert set(includes) == {"inspection_stats_idx", "finding_stats_idx"}
    result = _manage(
        tmp_path,
        "postgresql://user:secret@127.0.0.1:1/none",
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SILENCED_SYSTEM_CHECKS)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
