"""The registry import pages' administrator."""

from __future__ import annotations

import pytest

from tests import factories
from tests.browser_support import sign_in_client


@pytest.fixture
def ada(client, db):
    """PSP's administrator Ada: the test client signed in through the console's sign-in page."""
    factories.officer("PSP", username="ada", roles=("administrator",))
    sign_in_client(client, "ada", "correct-horse-battery")
    return client
