"""The review queue and a submission name the checklist by its title in the reader's language,
not by its internal code (a Chinese or Portuguese reviewer saw "employment_agency")."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "zh-hant", "pt"])
def test_queue_and_submission_show_the_checklist_title(language, visit, carol, client):
    template = visit.submission.template_version.template
    with translation.override(language):
        title = template.title
    assert title and title != template.code
    signed_in(client, carol)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    queue = client.get("/review/").content.decode()
    page = client.get(f"/review/{visit.submission.uuid}/").content.decode()
    assert title in queue
    assert title in page
