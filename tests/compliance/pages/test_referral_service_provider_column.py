"""The services' table on a referral's page: its provider column shows the provider and its kind
("Caritas (NGO)"). In Chinese it was headed with the form's label of the kind alone (提供者類別,
"kind of provider") above "明愛（非政府組織）", on the table and on each phone card (found on a
newcomer's walk). The column has a heading of its own; the form keeps its label."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db

COLUMN = {"en": "Provided by", "pt": "Prestado por", "zh-hant": "提供者"}
KIND_LABEL = {"zh-hant": "提供者類別"}


@pytest.mark.parametrize("language", ["en", "pt", "zh-hant"])
def test_the_provider_column_is_headed_for_the_provider_not_its_kind(referral, vera, client, language):
    signed_in(client, vera)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    url = f"/protection/{referral.uuid}/"
    done = client.post(
        url + "services/",
        {
            "service-kind": "shelter",
            "service-provider_kind": "ngo",
            "service-provider_name": "Good Shepherd Centre",
            "service-started_on": "2026-03-10",
        },
        HTTP_HX_REQUEST="true",
    )
    assert done.status_code == 200
    page = unescape(client.get(url).content.decode())
    headings = re.findall(r'<th scope="col" role="columnheader">([^<]+)</th>', page)
    assert headings[1] == COLUMN[language], headings
    cell = re.search(r'<td role="cell" data-label="([^"]+)">Good Shepherd Centre', page)
    assert cell and cell.group(1) == COLUMN[language], cell
    if language in KIND_LABEL:  # the form's select of the kind keeps its own label
        assert f'<label for="id_service-provider_kind">{KIND_LABEL[language]}</label>' in page
