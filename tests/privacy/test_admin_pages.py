"""What the Django admin shows of a referred person: coded fields only. The shelter that holds
them (a protection service's provider) and its note are personal data, read only by victim
protection with a reason, never on an administrator's referral page. Signed in through the page."""

from __future__ import annotations

import pytest
from django.test import Client

from tests import factories
from tests.browser_support import sign_in_client
from tests.privacy.conftest import KNOWN_STRINGS, SHELTER

pytestmark = pytest.mark.django_db


def test_the_referral_admin_shows_no_shelter_nor_any_detail(referred):
    factories.officer("PSP", username="adele", roles=("administrator",), full_name="Adele Admin")
    admin = Client()
    sign_in_client(admin, "adele", "correct-horse-battery")
    for url in ("/admin/compliance/referral/", f"/admin/compliance/referral/{referred.pk}/change/"):
        page = admin.get(url)
        assert page.status_code == 200
        text = page.content.decode()
        for secret in KNOWN_STRINGS:
            assert secret not in text, (url, secret)
    # What is shown: that a service exists, and its kind.
    page = admin.get(f"/admin/compliance/referral/{referred.pk}/change/").content.decode()
    assert "shelter" in page.lower()
    assert SHELTER not in admin.get("/admin/compliance/protectionservice/").content.decode()
