"""A visit's address in the reader's language. The field app showed a site's address as the
registry holds it, in Portuguese, to an officer reading Chinese ("Avenida de Almeida Ribeiro,
n.º 12, Macau" where the street signs say 亞美打利庇盧大馬路); the site's Chinese address is
now in the assignment, and the app shows it in Chinese, the registered one in other languages
and where there is no Chinese form."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.mobile_api.field.phone import open_phone, sign_in_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PORTUGUESE = "Avenida de Almeida Ribeiro, n.º 12, Macau"
CHINESE = "澳門亞美打利庇盧大馬路12號"


@pytest.mark.parametrize(
    ("locale", "chinese", "shown"),
    [("zh-Hant", CHINESE, CHINESE), ("pt-PT", CHINESE, PORTUGUESE), ("zh-Hant", "", PORTUGUESE)],
)
def test_the_visit_shows_the_address_in_the_readers_language(pages, field, locale, chinese, shown):
    site = field.revealed.site
    site.address, site.address_zh_hant = PORTUGUESE, chinese
    site.save(update_fields=["address", "address_zh_hant"])
    page = open_phone(pages, locale=locale)
    sign_in_app(page, pages.base_url, "alice")

    # The route on the home screen: the stop's name, its address under it.
    stop = page.locator(f'li.assignment[data-id="{field.revealed.uuid}"]')
    expect(stop).to_contain_text(shown)

    # The visit's details, beside its label.
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    address = page.locator("main dt", has_text="地址" if locale == "zh-Hant" else "Endereço").locator(
        "xpath=following-sibling::dd[1]"
    )
    expect(address).to_have_text(shown)
    if shown == CHINESE:
        expect(page.locator("main")).not_to_contain_text(PORTUGUESE)
