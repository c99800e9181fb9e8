"""``manage.py demo_code``: a demo login signs in with its second factor without a phone."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests import factories

PASSWORD = "correct-horse-battery"


def _code(username: str) -> str:
    out = StringIO()
    call_command("demo_code", username, stdout=out)
    return out.getvalue().strip()


def test_the_printed_code_enrols_then_signs_in_a_demo_planner(client, db):
    factories.officer("PSP", username="demo-planner", roles=("planner",))
    with pytest.raises(CommandError, match="sign in once"):
        _code("demo-planner")
    client.post("/sign-in/", {"username": "demo-planner", "password": PASSWORD})
    client.get("/sign-in/code/")  # the page sets up an authenticator
    assert client.post("/sign-in/code/", {"token": _code("demo-planner")})["Location"] == "/"
    assert client.get("/planning/").status_code == 200


def test_real_accounts_get_no_code(db):
    factories.officer("PSP", username="paula", roles=("planner",))
    with pytest.raises(CommandError, match="not a demo login"):
        _code("paula")
