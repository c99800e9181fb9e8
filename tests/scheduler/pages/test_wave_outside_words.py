"""A wave set to start outside its operation is refused in the reader's language: the Chinese
edit page said "Wave w1 must start within the operation." (a helper's walk at 390 px)."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from tests.scheduler.conftest import EVENING
from tests.scheduler.pages.test_operation_pages import LOCAL, _form

pytestmark = pytest.mark.django_db

SAID = {
    "en": "Wave W1 must start within the operation.",
    "pt": "A vaga W1 tem de começar dentro da operação.",
    "zh-hant": "梯次 W1 須在行動時段內開始。",
}
LATE = (EVENING + dt.timedelta(days=2)).strftime(LOCAL)


@pytest.mark.parametrize("language", ["en", "pt", "zh-hant"])
def test_a_new_operation_with_a_wave_outside_it_is_refused_in_the_readers_words(
    planner_client, city, language
):
    planner_client.post("/i18n/setlang/", {"language": language, "next": "/"})
    response = planner_client.post("/planning/operations/new/", _form(city, wave_start_1=LATE))
    assert SAID[language] in html.unescape(response.content.decode())


@pytest.mark.parametrize("language", ["pt", "zh-hant"])
def test_an_operation_edited_with_a_wave_outside_it_is_refused_in_the_readers_words(
    planner_client, operation, city, language
):
    planner_client.post("/i18n/setlang/", {"language": language, "next": "/"})
    data = _form(city, name="Thunderbolt", wave_was_1="W1", wave_was_2="W2", wave_start_1=LATE)
    response = planner_client.post(f"/planning/operations/{operation.uuid}/edit/", data)
    page = html.unescape(response.content.decode())
    assert SAID[language] in page
    assert "must start within" not in page


def test_a_wave_the_operation_has_not_is_refused_in_the_readers_words(operation, city, paula):
    from django.utils import translation

    from backend.core.errors import InvalidInput
    from scheduler import services

    with translation.override("zh-hant"), pytest.raises(InvalidInput) as refused:
        services.operation_targets_set(
            actor=paula.user, operation=operation, sites=city["venues"][2:], wave="W9"
        )
    assert refused.value.errors == {"wave": ["此行動沒有梯次 W9。"]}
