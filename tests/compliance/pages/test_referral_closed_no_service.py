"""A closed referral takes no protection service. Its page still showed the form to record one,
and the service recorded it on a file protection had said was done, its person's retention period
running as if nothing had happened. Now the page says the referral is closed and how to reopen it
(its status), and the service, the page's POST and the API refuse the service on a closed
referral; reopened, the form is back."""

from __future__ import annotations

import pytest
from django.utils import timezone

from backend.compliance import services
from backend.compliance.models import ProtectionService, Referral
from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db

SERVICE = {
    "service-kind": "shelter",
    "service-provider_kind": "ngo",
    "service-provider_name": "Good Shepherd",
}


def _close(referral, vera) -> Referral:
    return services.referral_update(
        user=vera.user, referral=referral, status="closed", assessment="identified"
    )


def test_a_closed_referral_shows_no_service_form_but_how_to_reopen_it(referral, vera, client):
    _close(referral, vera)
    signed_in(client, vera)
    page = client.get(f"/protection/{referral.uuid}/").content.decode()
    assert 'id="service-closed"' in page
    assert "This referral is closed: a service is recorded on an open referral." in page
    assert f'action="/protection/{referral.uuid}/services/"' not in page
    assert "Record the service" not in page


def test_a_service_sent_to_a_closed_referral_is_refused_and_nothing_written(referral, vera, client):
    """From a tab opened before the referral was closed."""
    _close(referral, vera)
    signed_in(client, vera)
    body = {**SERVICE, "service-started_on": timezone.localdate().isoformat()}
    response = client.post(f"/protection/{referral.uuid}/services/", body)
    assert response.status_code == 409
    assert "This referral is closed" in response.content.decode()
    assert not ProtectionService.objects.exists()
    assert Referral.objects.get().status == "closed"


def test_the_api_refuses_a_service_on_a_closed_referral(referral, vera, api):
    _close(referral, vera)
    body = {"kind": "shelter", "provider_kind": "ngo", "provider_name": "GS", "started_on": "2026-01-01"}
    r = api.as_(vera).post(f"/api/v1/referrals/{referral.uuid}/services/", body, format="json")
    assert r.status_code == 409 and r["Content-Type"] == "application/problem+json", r.content
    assert r.json()["code"] == "referral_closed"
    assert not ProtectionService.objects.exists()


def test_reopened_the_referral_takes_services_again(referral, vera, client):
    _close(referral, vera)
    signed_in(client, vera)
    body = {**SERVICE, "service-started_on": timezone.localdate().isoformat()}
    assert client.post(f"/protection/{referral.uuid}/services/", body).status_code == 409
    services.referral_update(user=vera.user, referral=Referral.objects.get(), status="acknowledged")
    page = client.get(f"/protection/{referral.uuid}/").content.decode()
    assert 'id="service-closed"' not in page and "Record the service" in page
    body = {**SERVICE, "service-started_on": timezone.localdate().isoformat()}
    assert client.post(f"/protection/{referral.uuid}/services/", body).status_code == 302
    assert ProtectionService.objects.count() == 1
