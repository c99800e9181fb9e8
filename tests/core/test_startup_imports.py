"""Every process that loads the project (each web process, each worker, each management command,
``make code`` included) pays for what Django's start imports. The solver's CP-SAT module loads
pandas, and openpyxl loads its own world: together about 1.5 s of CPU on this machine, a third of
a start. They are imported where a plan is made or a workbook read or written, not at start."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pandas", "ortools.sat.python.cp_model", "openpyxl")
PRINT = (
    "import django, json, sys; django.setup(); "
    "from django.urls import resolve; resolve('/'); "  # every URLconf (the scheduler's views) loaded too
    f"print(json.dumps(sorted(m for m in {list(HEAVY)!r} if m in sys.modules)))"
)


def test_starting_django_imports_neither_the_solver_s_cp_sat_nor_pandas_nor_openpyxl():
    environ = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    environ.update({"SECRET_KEY": "x" * 50, "DJANGO_SETTINGS_MODULE": "backend.settings"})
    result = subprocess.run(  # noqa: S603 (a fixed command: this interpreter and PRINT)
        [sys.executable, "-c", PRINT], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
