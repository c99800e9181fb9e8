"""What ``make run`` prints about signing in names every role that gives a six-digit code, and
only those: it named planners, reviewers, victim protection and the administrator, and
demo-data-protection, asked for a code at sign-in, was not among them (a newcomer's first hour).
It also says the code comes after the password: ``make code`` before a first sign-in has no
authenticator to read."""

from __future__ import annotations

import re
from pathlib import Path

from backend.console.nav import BACK_OFFICE_ROLES, SECOND_FACTOR_ROLES

MAKEFILE = Path(__file__).resolve().parents[2] / "Makefile"
ENV_EXAMPLE = MAKEFILE.parent / ".env.example"

# How the message names each back-office role.
NAMES = {
    "planner": "planners",
    "reviewer": "reviewers",
    "victim_protection": "victim protection",
    "data_protection": "data-protection officers",
    "administrator": "administrator",
    "team_leader": "team leaders",
    "analyst": "analysts",
}


def _run_message() -> str:
    recipe = MAKEFILE.read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    echoed = " ".join(re.findall(r'^\t@echo "(.*)"$', recipe, flags=re.M))
    return re.sub(r"\s+", " ", echoed.replace("\\`", "`"))


def _who_gives_a_code(text: str) -> str:
    sentence = re.search(r"([^.]*) also give a six-digit code", text)
    assert sentence, text
    return sentence.group(1).lower()


def test_make_run_names_every_role_asked_for_a_code():
    assert set(NAMES) == set(BACK_OFFICE_ROLES)
    who = _who_gives_a_code(_run_message())
    for role in SECOND_FACTOR_ROLES:
        assert NAMES[role] in who, f"{role} gives a code but make run does not say so: {who!r}"
    for role in BACK_OFFICE_ROLES - SECOND_FACTOR_ROLES:
        assert NAMES[role] not in who, f"{role} signs in with a password alone: {who!r}"


def test_make_run_says_the_code_comes_after_the_password():
    text = _run_message()
    assert re.search(r"password first, then `make code LOGIN=demo-planner`", text), text


def test_env_example_names_every_role_asked_for_a_code():
    lines = ENV_EXAMPLE.read_text().split("CONSOLE_2FA_REQUIRED=", 1)[0].rsplit("# ---", 1)[1]
    who = re.sub(r"\s*#\s*", " ", lines).lower()
    for role in SECOND_FACTOR_ROLES:
        assert NAMES[role] in who, f"{role} missing from .env.example's CONSOLE_2FA_REQUIRED: {who!r}"
