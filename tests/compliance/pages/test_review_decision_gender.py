"""A review's decision is named in Portuguese as the submission's, feminine as the rest of the
queue says it: the queue's State column read "aprovado" beside "devolvida" (its filter offers
"Aprovadas" and "Devolvidas", approving answers "Aprovada."), and a submission's history
"DSAL: aprovado" and "PSP: devolvido para correcção" (found on a newcomer's walk in Portuguese)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client

from backend.compliance import services
from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", unescape(html)))


def test_a_decision_is_the_submissions_in_portuguese(visit, carol, percy, client):
    services.submission_approve(user=carol.user, submission=visit.submission)
    services.submission_return(user=percy.user, submission=visit.submission, comment="Falta a fotografia.")
    signed_in(client, carol)
    client.post("/i18n/setlang/", {"language": "pt", "next": "/"})

    queue = unescape(client.get("/review/?state=all").content.decode())
    badges = re.findall(r'<span class="badge ok">([^<]+)</span>', queue)
    assert badges == ["aprovada"], badges

    page = client.get(f"/review/{visit.submission.uuid}/").content.decode()
    assert "DSAL: aprovada —" in _text(page)
    assert re.search(r'<span class="badge ok">aprovada</span>', page)

    # Each agency's history shows its own decision: the police's return, to its reviewer.
    police = signed_in(Client(), percy)
    police.post("/i18n/setlang/", {"language": "pt", "next": "/"})
    page = police.get(f"/review/{visit.submission.uuid}/").content.decode()
    assert "PSP: devolvida para correcção —" in _text(page)
