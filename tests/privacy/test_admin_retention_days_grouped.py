"""The admin's retention policy writes its days as the console's retention page does, grouped in
the reader's language: its list said "1825" where the console said "1,825" (pt "1.825"). The
change page's inputs stay plain numbers, as typed; a login that may only view the policy reads
them grouped. Signed in through the console's sign-in page."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import translation
from django.utils.text import capfirst

from backend.privacy.models import RetentionPolicy
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

GROUPED = {"en": ("1,825", "1,200"), "pt": ("1.825", "1.200"), "zh-hant": ("1,825", "1,200")}


def _in(client, path: str, language: str) -> str:
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    response = client.get(path)
    assert response.status_code == 200, path
    return unescape(response.content.decode())


@pytest.fixture
def policy(admin_client):
    # Added as an administrator adds it: through the admin's form.
    added = admin_client.post(
        "/admin/privacy/retentionpolicy/add/",
        {"screening_unflagged_days": "1200", "closed_referral_days": "1825"},
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    return RetentionPolicy.objects.get()


@pytest.mark.parametrize("language", list(GROUPED))
def test_the_admin_lists_the_days_grouped(admin_client, policy, language):
    closed, screening = GROUPED[language]
    page = _in(admin_client, "/admin/privacy/retentionpolicy/", language)
    cells = re.findall(r'<td class="field-(screening_unflagged|closed_referral)">(.*?)</td>', page)
    assert dict(cells) == {"screening_unflagged": screening, "closed_referral": closed}
    assert "1825" not in page and "1200" not in page
    # The columns keep the fields' names, and sort by them.
    assert "o=2" in page and "o=3" in page

    # Changing: plain number inputs, the value as typed.
    page = _in(admin_client, f"/admin/privacy/retentionpolicy/{policy.pk}/change/", language)
    for name, value in (("screening_unflagged_days", "1200"), ("closed_referral_days", "1825")):
        field = re.search(rf'<input [^>]*name="{name}"[^>]*>', page).group(0)
        assert 'type="number"' in field and f'value="{value}"' in field


@pytest.mark.parametrize("language", list(GROUPED))
def test_a_login_that_only_views_the_policy_reads_the_days_grouped(django_user_model, policy, language):
    viewer = django_user_model.objects.create_user("vic", password="correct-horse-battery", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_retentionpolicy"))
    client = signed_in(Client(), viewer, password="correct-horse-battery")
    closed, screening = GROUPED[language]
    page = _in(client, f"/admin/privacy/retentionpolicy/{policy.pk}/change/", language)
    assert 'name="closed_referral_days"' not in page  # read only
    readonly = re.findall(r'<div class="readonly">(.*?)</div>', page)
    assert closed in readonly and screening in readonly, readonly
    assert "1825" not in page and "1200" not in page
    # Named as the fields are.
    labels = re.findall(r"<label>(.*?)[:：]</label>", page)
    with translation.override(language):
        names = [
            str(capfirst(RetentionPolicy._meta.get_field(name).verbose_name))
            for name in ("screening_unflagged_days", "closed_referral_days")
        ]
    assert labels[:2] == names, labels
