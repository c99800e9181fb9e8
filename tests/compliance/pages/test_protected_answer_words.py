"""A screened person's note, read by a reviewer, says in the reader's language that it is kept for
victim protection. The submission's page showed the stored marker itself, "[protected]", in English
on a Portuguese or Chinese page, where a newcomer could take it for a broken answer (found on the
team leader's walk, in Portuguese). The note's words stay out of the page, as before."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db

NOTE = "Says the door is locked at night"
WITHHELD = {
    "en": "withheld: victim protection only",
    "pt": "reservado à protecção de vítimas",
    "zh-hant": "保密：僅供受害人保護人員查閱",
}


@pytest.mark.parametrize("language", ["en", "pt", "zh-hant"])
def test_a_screened_persons_note_says_it_is_kept_for_victim_protection(joint, alice, percy, client, language):
    submission = joint.submit_screening(alice, fl_03=True, fl_03_note=NOTE).submission
    signed_in(client, percy)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    response = client.get(f"/review/{submission.uuid}/")
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert "[protected]" not in page
    assert NOTE not in page
    # Under the note's own question, in the reader's language.
    answers = re.findall(r"<dt>([^<]*FL-03[^<]*)</dt>\s*<dd>([^<]*)</dd>", page)
    notes = [value.strip() for label, value in answers if value.strip() not in ("yes", "no")]
    assert WITHHELD[language] in notes, answers
