"""Save on a referral's status says what it did. It answered "Referral updated." whatever was
done: a referral acknowledged, assessed or closed (which starts the erasure of the person's
details) as a Save that changed nothing (found on a newcomer's walk). The answer now names each
field changed with its new value, says when a closed referral's details are erased, and says so
when nothing changed; in the reader's language."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.utils import formats, timezone, translation

from backend.compliance.models import Referral
from backend.privacy.models import RetentionPolicy
from tests.compliance.pages.conftest import signed_in

DAYS = 400


def _said(response) -> str:
    page = unescape(response.content.decode())
    assert response.status_code == 200, re.findall(r"(?:field-error|errors)[^>]*>([^<]+)", page)
    return re.search(r'<p class="message success[^"]*"[^>]*>([^<]+)</p>', page).group(1).strip()


def _post(client, referral, status, assessment="pending", sex="U"):
    return client.post(
        f"/protection/{referral.uuid}/update/",
        {"update-status": status, "update-assessment": assessment, "update-sex": sex},
        HTTP_HX_REQUEST="true",
    )


@pytest.mark.django_db
def test_save_says_what_changed_and_when_a_closed_referrals_details_go(referral, vera, client):
    RetentionPolicy.objects.create(screening_unflagged_days=30, closed_referral_days=DAYS)
    signed_in(client, vera)
    said = _said(_post(client, referral, "new", sex=referral.sex))
    assert said == "Nothing was changed: the referral is as it was.", said
    said = _said(_post(client, referral, "acknowledged", sex=referral.sex))
    assert said == "Referral updated. Status now: acknowledged by protection.", said
    said = _said(_post(client, referral, "closed", "identified", sex=referral.sex))
    referral.refresh_from_db()
    assert referral.status == Referral.Status.CLOSED
    kept_until = timezone.localdate(referral.closed_at) + dt.timedelta(days=DAYS)
    until = formats.date_format(kept_until, "DATE_FORMAT")
    assert said == (
        f"Referral updated. Status now: closed. Assessment now: {referral.get_assessment_display()}."
        f" Its retention period starts today: the person's details are kept until {until}, then erased."
    ), said


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("pt", ["Estado agora: ", "conservados até "]),
        ("zh-hant", ["狀態現為：", "保存至"]),
    ],
)
def test_save_says_it_in_the_readers_language(referral, vera, client, language, expected):
    signed_in(client, vera)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    said = _said(_post(client, referral, "closed", "identified", sex=referral.sex))
    for words in expected:
        assert words in said, said
    with translation.override(language):
        assert str(Referral.Status.CLOSED.label) in said, said
    assert " now" not in said and "retention" not in said, said
    if language == "zh-hant":
        assert "。 " not in said, said
