"""The back-office API gives a site's Chinese address beside the address as registered, and its
search finds a site by either. Before, an integrator had the Portuguese address only."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests import factories
from tests.accounts.test_api_tokens import code, enrol
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _signed_in(officer) -> APIClient:
    """A client with a token from the token endpoint, as an integrator has one."""
    client = APIClient()
    device = enrol(officer.user)
    body = {
        "username": officer.user.username,
        "password": PASSWORD,
        "name": "address test",
        "otp_code": code(device, steps_ahead=1),
    }
    response = client.post("/api/v1/auth/tokens/", body, format="json")
    assert response.status_code == 201, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    return client


def test_a_site_carries_its_chinese_address_and_is_found_by_it(paula):
    site = factories.site(
        name_en="Golden Lotus Karaoke",
        address="Avenida de Almeida Ribeiro, n.º 12, Macau",
        address_zh_hant="澳門亞美打利庇盧大馬路12號",
    )
    bare = factories.site(name_en="Jade Sauna", address="Rua de Pequim 126")
    client = _signed_in(paula)

    detail = client.get(f"/api/v1/sites/{site.uuid}/", HTTP_ACCEPT_LANGUAGE="zh-hant").json()
    assert detail["address"] == "Avenida de Almeida Ribeiro, n.º 12, Macau"
    assert detail["address_zh_hant"] == "澳門亞美打利庇盧大馬路12號"
    assert client.get(f"/api/v1/sites/{bare.uuid}/").json()["address_zh_hant"] == ""  # never null

    found = client.get("/api/v1/sites/", {"search": "亞美打利庇盧"}).json()["results"]
    assert [s["id"] for s in found] == [str(site.uuid)]
