"""The admin in Chinese and Portuguese: every label and help text of the models it shows that is
marked for translation has a translation (the registry's "external id" had none), and django-otp's
authenticator, whose own names are English strings no catalogue can reach, reads in the
administrator's language on its pages."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.test import Client
from django.utils.functional import Promise
from django.utils.translation import trans_real
from django_otp.plugins.otp_totp.models import TOTPDevice

from backend.registry.models import Officer
from tests import factories
from tests.browser_support import sign_in_client

LANGUAGES = ("zh-hant", "pt")


def _msgid(text: Promise) -> str:
    # gettext_lazy(message) or pgettext_lazy(context, message), as the catalogue keys them.
    args = text._args  # type: ignore[attr-defined]
    return args[0] if len(args) == 1 else f"{args[0]}\x04{args[1]}"


def _labels() -> list[tuple[str, str, Promise]]:
    found = []
    for model in admin.site._registry:
        meta = model._meta
        found += [(meta.label, "verbose_name", meta.verbose_name)]
        found += [(meta.label, "verbose_name_plural", meta.verbose_name_plural)]
        for field in meta.get_fields():
            for attr in ("verbose_name", "help_text"):
                found.append((f"{meta.label}.{field.name}", attr, getattr(field, attr, None)))
    return [(where, attr, text) for where, attr, text in found if isinstance(text, Promise)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_label_the_admin_shows_that_is_marked_for_translation_is_translated(language):
    catalogue = trans_real.translation(language)._catalog
    labels = _labels()
    assert len(labels) > 300  # sanity: the walk found the admin's models
    missing = sorted(
        {f"{where} {attr}: {_msgid(text)!r}" for where, attr, text in labels if _msgid(text) not in catalogue}
    )
    assert not missing, "\n".join(missing)


@pytest.fixture
def admin_in(db):
    """adele, the administrator, signed in with her console in ``language``."""

    def signed_in(language: str) -> Client:
        if not Officer.objects.filter(user__username="adele").exists():
            factories.officer("PSP", username="adele", roles=("administrator",), full_name="Adele Admin")
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        sign_in_client(client, "adele", "correct-horse-battery")
        return client

    return signed_in


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "label", "help_text"),
    [
        ("zh-hant", "外部編號", "該部門本身登記冊中的編號；匯入時以此配對。"),
        ("pt", "Identificador externo", "O identificador no registo do próprio serviço"),
    ],
)
def test_the_officers_external_id_in_the_administrators_language(admin_in, language, label, help_text):
    client = admin_in(language)
    officer = factories.officer("PSP", username="olga", full_name="Olga Officer")
    text = client.get(f"/admin/registry/officer/{officer.pk}/change/").content.decode()
    assert label in text and help_text in text
    assert "External id" not in text and "imports match on it" not in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("zh-hant", ["驗證器", "登入帳戶", "已確認", "建立時間", "最後使用時間", "此驗證器用於登入的帳戶。"]),
        ("pt", ["Autenticadores", "Conta de utilizador", "Confirmado", "Criado em", "Última utilização em"]),
    ],
)
def test_the_second_factor_pages_in_the_administrators_language(admin_in, language, words):
    client = admin_in(language)
    factories.officer("PSP", username="carol", roles=("reviewer",), full_name="Carol Reviewer")
    sign_in_client(Client(), "carol", "correct-horse-battery")  # she enrols her authenticator
    device = TOTPDevice.objects.get(user__username="carol")
    listing = client.get("/admin/otp_totp/totpdevice/").content.decode()
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    shown = listing + page
    for word in words:
        assert word in shown, word
    for english in (
        "TOTP device",
        "Created at",
        "Last used at",
        "Is this device ready for use?",
        "The user that this device belongs to.",
        "The human-readable name of this device.",
        "initially created in the system",
    ):
        assert english not in shown, english


# Post-1990 spellings Django's own Portuguese uses, which the project writes as before the 1990
# agreement ("acção", "seleccionar", "objecto", "actualmente", "activar").
AFTER_1990 = re.compile(
    r"\b(?:[aA]ção|[aA]ções|[sS]elecion\w*|[sS]elecione|[oO]bjetos?|[aA]tualmente|[aA]tiv\w+|[dD]esativ\w+)\b"
)


def test_the_admin_in_portuguese_spells_as_the_project_does(admin_console):
    """Found on an administrator's walk in Portuguese: Django's admin said "Ação:",
    "Selecione agente para modificar", "0 de 3 selecionados" beside the project's "acção"."""
    factories.officer("PSP", username="tom", full_name="Tom Inspector")
    admin_console.post("/i18n/setlang/", {"language": "pt", "next": "/"})
    for url in ("/admin/registry/officer/", "/admin/registry/site/", "/admin/auth/user/"):
        page = admin_console.get(url).content.decode()
        text = re.sub(r"<script.*?</script>|<[^>]+>", " ", page, flags=re.S)
        assert not AFTER_1990.findall(text), (url, AFTER_1990.findall(text))
    changelist = admin_console.get("/admin/registry/officer/").content.decode()
    assert "Acção:" in changelist and "Seleccione" in changelist
    script = admin_console.get("/admin/jsi18n/").content.decode()
    assert "seleccionado" in script and "selecionado" not in script
