"""The review queue refuses a "received until" before "received from", saying so at the field: the
inverted range matched nothing and the queue answered only "Nothing here: no submission matches",
as if the queue were empty (found on a newcomer's walk in Portuguese). The other filters still
apply; a range in order is taken as before."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.utils.timezone import localtime

from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", unescape(html)))


def test_until_before_from_is_refused_at_its_field(visit, carol, client):
    signed_in(client, carol)
    client.post("/i18n/setlang/", {"language": "pt", "next": "/"})
    response = client.get("/review/?received_from=2026-12-05&received_to=2026-12-01")
    assert response.status_code == 400
    page = response.content.decode()
    error = re.search(r'id="id_received_to_error">([^<]+)<', page)
    assert error and error.group(1) == "O fim é anterior ao início.", page
    # Said again in the results, which are all an htmx filter swaps in.
    partial = client.get(
        "/review/?received_from=2026-12-05&received_to=2026-12-01", headers={"HX-Request": "true"}
    )
    assert partial.status_code == 400
    assert "Recebidas até: O fim é anterior ao início." in _text(partial.content.decode())


def test_a_range_in_order_is_taken(visit, carol, client):
    signed_in(client, carol)
    today = localtime(visit.submission.received_at).date().isoformat()
    response = client.get(f"/review/?received_from={today}&received_to={today}")
    assert response.status_code == 200
    assert str(visit.submission.uuid) in response.content.decode()
