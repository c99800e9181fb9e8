"""The layers of ../shared/design/ARCHITECTURE.md, read from the source: the demo is the one app
that may import every other and nothing imports it; the registry, which every domain app builds
on, imports none of them; the pure cores import no Django; and every third-party package the
running code imports is declared in pyproject.toml (numpy was imported by the solver, undeclared)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from collections.abc import Iterator
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("backend", "scheduler", "mobile_api")


def _modules() -> Iterator[tuple[Path, str]]:
    """Every import of the running code (migrations left out: generated, frozen in time)."""
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    for alias in node.names:
                        yield path, alias.name
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    yield path, node.module


def _inside(path: Path, folder: str) -> bool:
    return path.is_relative_to(ROOT / folder)


def test_only_the_demo_imports_the_demo():
    wrong = sorted(
        f"{path.relative_to(ROOT)}: {module}"
        for path, module in _modules()
        if (module == "backend.demo" or module.startswith("backend.demo."))
        and not _inside(path, "backend/demo")
    )
    assert not wrong, wrong


def test_the_registry_imports_no_app_that_builds_on_it():
    above = (
        "backend.inspections",
        "backend.planning",
        "backend.compliance",
        "backend.outreach",
        "backend.reporting",
        "backend.demo",
        "scheduler",
        "mobile_api",
    )
    wrong = sorted(
        f"{path.relative_to(ROOT)}: {module}"
        for path, module in _modules()
        if _inside(path, "backend/registry") and module.startswith(above)
    )
    assert not wrong, wrong


def test_the_pure_cores_import_no_django_and_no_app():
    wrong = sorted(
        f"{path.relative_to(ROOT)}: {module}"
        for path, module in _modules()
        if (_inside(path, "backend/checklists/engine") or _inside(path, "scheduler/solver"))
        and module.split(".")[0] in {"django", "rest_framework", "backend", "mobile_api", "celery"}
    )
    assert not wrong, wrong


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = set()
    for requirement in project["dependencies"]:
        names.add(re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower().replace("_", "-"))
    return names


def test_every_third_party_package_the_code_imports_is_declared():
    ours = {*PACKAGES, "tests"}
    distributions = packages_distributions()
    declared = _declared()
    missing = set()
    for path, module in _modules():
        top = module.split(".")[0]
        if top in sys.stdlib_module_names or top in ours or top == "__future__":
            continue
        provided = {d.lower().replace("_", "-") for d in distributions.get(top, [top])}
        if not provided & declared:
            missing.add(f"{top} ({path.relative_to(ROOT)})")
    assert not missing, sorted(missing)
