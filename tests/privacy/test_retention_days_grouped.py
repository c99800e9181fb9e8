"""A number of days of the retention policy is written as the console writes numbers, grouped in
the reader's language, wherever it is shown: the retention page said "1,825 days" and the
referral's page, under its status and in the question asked before it closes, "1825 days"."""

from __future__ import annotations

from html import unescape

import pytest

from tests import factories
from tests.browser_support import sign_in_client
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

# The settings' default policy: 1825 days for a closed referral's details.
GROUPED = {
    "en": ("erased 1,825 days after the referral", "in 1,825 days", "erased 1,825 days after the referral"),
    "pt": ("1.825 dias após", "dentro de 1.825 dias", "1.825 dias após"),
    "zh-hant": ("轉介結束後 1,825 日", "1,825 日後刪除", "1,825 日"),
}


def _in(client, path: str, language: str) -> str:
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    response = client.get(path)
    assert response.status_code == 200
    return unescape(response.content.decode())


@pytest.mark.parametrize("language", list(GROUPED))
def test_days_are_grouped_on_the_referral_and_the_retention_pages(client, referred, vera, language, settings):
    assert settings.PRIVACY_CLOSED_REFERRAL_DAYS == 1825
    help_text, confirm, policy = GROUPED[language]
    sign_in_client(client, "vera", PASSWORD)
    referral_page = _in(client, f"/protection/{referred.uuid}/", language)
    assert help_text in referral_page and confirm in referral_page, language
    assert "1825" not in referral_page

    factories.officer("IAS", username="dora", full_name="Dora Privacy", roles=("data_protection",))
    client.logout()
    sign_in_client(client, "dora", PASSWORD)
    retention_page = _in(client, "/privacy/retention/", language)
    assert policy in retention_page and "1825" not in retention_page
