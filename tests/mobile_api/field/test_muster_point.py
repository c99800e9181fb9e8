"""A visit of an operation says where the teams muster, in the officer's language. The field app
did not say it at all, and the console's briefing gave the unit's one address (in Portuguese) to a
Chinese team; the unit now carries its Chinese address beside the registered one, the assignment
carries the operation's muster point, and the app shows its name and address in Chinese, the
registered address in other languages and where there is no Chinese form."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from scheduler.models import OperationSetup
from tests.mobile_api.field.phone import open_phone, sign_in_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PORTUGUESE = "Edifício do Comando do CPSP, Avenida do Cais de Pac On, Taipa"
CHINESE = "澳門氹仔北安碼頭馬路治安警察局總部大樓"


@pytest.mark.parametrize(
    ("locale", "chinese", "label", "name", "shown"),
    [
        ("zh-Hant", CHINESE, "集合地點", "治安警察局總部", CHINESE),
        ("pt-PT", CHINESE, "Ponto de concentração", "Comando do CPSP", PORTUGUESE),
        ("zh-Hant", "", "集合地點", "治安警察局總部", PORTUGUESE),
    ],
)
def test_the_visit_says_the_muster_point_in_the_readers_language(
    pages, field, alice, locale, chinese, label, name, shown
):
    unit = alice.unit
    unit.name_en, unit.name_pt, unit.name_zh_hant = "PSP headquarters", "Comando do CPSP", "治安警察局總部"
    unit.address, unit.address_zh_hant = PORTUGUESE, chinese
    unit.save()
    OperationSetup.objects.create(operation=field.operation, muster_unit=unit)
    page = open_phone(pages, locale=locale)
    sign_in_app(page, pages.base_url, "alice")

    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    muster = page.locator("main dt", has_text=label).locator("xpath=following-sibling::dd[1]")
    expect(muster).to_have_text(f"{name}{shown}")  # the name, the address on the line under it
    expect(muster.locator("br")).to_have_count(1)
    if shown == CHINESE:
        expect(page.locator("main")).not_to_contain_text(PORTUGUESE)
