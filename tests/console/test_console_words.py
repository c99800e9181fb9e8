"""The console's words read as its own catalogue translates them. Django takes a word from the
first app that translates it, and the admin and auth came before the console: in Chinese the
sign-in page labelled the field "使用者名稱" while its error said "用戶名稱", and the enrolment
page asked for "下面的密鑰" under the label "金鑰"; in Portuguese the password page was headed
"Alterar a palavra-passe" and its button said "Modificar palavra-passe"."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext

CONSOLE_LOCALE = Path(__file__).resolve().parents[2] / "backend" / "console" / "locale"


@pytest.mark.parametrize("language,folder", [("zh-hant", "zh_Hant"), ("pt", "pt")])
def test_every_console_word_reads_as_the_console_translates_it(language, folder):
    catalogue = polib.pofile(str(CONSOLE_LOCALE / folder / "LC_MESSAGES" / "django.po"))
    wrong = []
    with translation.override(language):
        for entry in catalogue.translated_entries():
            if entry.msgid_plural:
                continue
            read = pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else gettext(entry.msgid)
            if read != entry.msgstr:
                wrong.append(f"{entry.msgid!r}: {read!r}, not {entry.msgstr!r}")
    assert not wrong, "\n".join(wrong)


def test_the_sign_in_pages_label_and_error_name_the_username_alike(client, db):
    page = client.post(
        "/sign-in/", {"username": "nobody", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="zh-hant"
    ).content.decode()
    assert '<label for="id_username">用戶名稱</label>' in page
    assert "用戶名稱或密碼不正確" in page
    assert "使用者名稱" not in page


def test_the_password_pages_heading_and_button_say_alike(client, db):
    from tests.browser_support import sign_in_client
    from tests.factories import officer

    officer("DSAL", username="andy", full_name="Andy Analyst", roles=("analyst",))
    sign_in_client(client, "andy", "correct-horse-battery")
    page = client.get("/account/password/", HTTP_ACCEPT_LANGUAGE="pt").content.decode()
    assert "Alterar a palavra-passe" in page and "Alterar palavra-passe</button>" in page
    assert "Modificar" not in page
