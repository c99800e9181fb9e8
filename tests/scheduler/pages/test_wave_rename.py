"""Editing a draft operation's waves keeps its targets in them. A planner who corrected a wave's
code on the edit form ("w2" to "W2") saw "Operation saved", and every target of that wave was in
no wave: the form sent the new list of codes, and the old wave was removed with its targets' places
in it (a helper's walk of the planner's path, in Chinese). A row's code edited is now the same wave
renamed; a wave removed says how many targets it leaves in no wave."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from scheduler import services
from scheduler.models import Target
from tests.scheduler.conftest import EVENING
from tests.scheduler.pages.test_operation_pages import _form

pytestmark = pytest.mark.django_db


def _waves_of_targets(operation):
    targets = Target.objects.filter(operation=operation).select_related("site", "wave")
    return sorted((t.site.name_en, t.wave.code if t.wave else None) for t in targets)


def _edit(planner_client, operation, city, **rows):
    url = f"/planning/operations/{operation.uuid}/edit/"
    page = planner_client.get(url).content.decode()
    # The form carries each row's code as it was drawn, as the browser sends it back.
    assert 'name="wave_was_1" value="W1"' in page and 'name="wave_was_2" value="W2"' in page
    data = _form(city, **{"name": "Thunderbolt", "wave_was_1": "W1", "wave_was_2": "W2", **rows})
    return planner_client.post(url, data, follow=True, HTTP_ACCEPT_LANGUAGE="zh-hant")


def test_a_wave_whose_code_is_corrected_keeps_its_targets(planner_client, operation, city, paula):
    services.operation_targets_set(actor=paula.user, operation=operation, sites=city["venues"][2:], wave="W2")
    before = _waves_of_targets(operation)
    response = _edit(planner_client, operation, city, wave_code_2="W2b")
    assert response.status_code == 200
    assert [w.code for w in operation.waves.all()] == ["W1", "W2b"]
    assert _waves_of_targets(operation) == [(name, "W2b" if wave == "W2" else wave) for name, wave in before]
    assert "未有梯次" not in html.unescape(response.content.decode())


def test_two_waves_whose_codes_are_swapped_keep_their_targets(planner_client, operation, city, paula):
    services.operation_targets_set(actor=paula.user, operation=operation, sites=city["venues"][2:], wave="W2")
    before = _waves_of_targets(operation)
    _edit(planner_client, operation, city, wave_code_1="W2", wave_code_2="W1")
    swapped = {"W1": "W2", "W2": "W1"}
    assert _waves_of_targets(operation) == [(name, swapped[wave]) for name, wave in before]
    first = operation.waves.get(code="W2")
    assert first.starts_at == EVENING + dt.timedelta(hours=1)  # the row's time stays with the row


def test_a_wave_removed_says_how_many_targets_lost_their_wave(planner_client, operation, city):
    # The fixture's two targets are in W1, whose row the planner empties.
    response = _edit(planner_client, operation, city, wave_code_1="", wave_start_1="")
    assert [w.code for w in operation.waves.all()] == ["W2"]
    assert all(wave is None for _name, wave in _waves_of_targets(operation))
    page = html.unescape(response.content.decode())
    assert "2 個目標原屬你刪除的梯次，現已未有梯次：請重新為它們選擇梯次。" in page
