"""Words victim protection's and the reviewers' pages share with Django's admin read as these
pages mean them. Django takes a word from the first app that translates it, and the admin comes
first: the referral's status form was saved with "Gravar" (the admin's word) beside "Guardar os
dados pessoais" on the same page, and the review queue's state "All" read "Todos" where the
queue's states are of submissions, "Todas". Each is now a word of its own context."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db

SAVE = {"en": "Save", "pt": "Guardar", "zh-hant": "儲存"}
ALL = {"en": "All", "pt": "Todas", "zh-hant": "全部"}


def _in(client, language):
    client.post("/i18n/setlang/", {"language": language, "next": "/"})


@pytest.mark.parametrize("language", ["en", "pt", "zh-hant"])
def test_the_referral_status_form_saves_in_the_consoles_word(referral, vera, client, language):
    signed_in(client, vera)
    _in(client, language)
    page = unescape(client.get(f"/protection/{referral.uuid}/").content.decode())
    form = page.split(f'action="/protection/{referral.uuid}/update/"')[1].split("</form>")[0]
    button = re.search(r'<button type="submit"[^>]*>([^<]+)</button>', form).group(1)
    assert button == SAVE[language]


@pytest.mark.parametrize("language", ["en", "pt", "zh-hant"])
def test_the_queues_state_all_agrees_with_the_other_states(visit, carol, client, language):
    signed_in(client, carol)
    _in(client, language)
    page = unescape(client.get("/review/").content.decode())
    option = re.search(r'<option value="all"[^>]*>([^<]+)</option>', page).group(1)
    assert option == ALL[language]
