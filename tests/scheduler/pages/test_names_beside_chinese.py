"""A translation leaves a space beside a name filled in for a Latin name ("Thunderbolt 的計劃");
a Chinese name keeps no space among Chinese words ("兩晚聯合行動的計劃"), found on a planner's walk
in Chinese."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from backend.core.i18n import cjk_tight


def test_a_space_between_chinese_characters_goes_in_chinese_only():
    with translation.override("zh-hant"):
        assert cjk_tight("兩晚聯合行動 的計劃") == "兩晚聯合行動的計劃"
        assert cjk_tight("Thunderbolt 的計劃") == "Thunderbolt 的計劃"
        assert cjk_tight("第 2 組") == "第 2 組"
        assert cjk_tight("銀月 按摩（W1） 的梯次") == "銀月按摩（W1）的梯次"
    with translation.override("en"):
        assert cjk_tight("兩晚 的") == "兩晚 的"


def test_the_filter_keeps_escaped_text_escaped():
    template = Template("{% load punctuation %}{{ text|tight }}")
    with translation.override("zh-hant"):
        assert template.render(Context({"text": "<b>兩晚 的</b>"})) == "&lt;b&gt;兩晚的&lt;/b&gt;"
        escaped = Template(
            "{% load i18n punctuation %}{% blocktranslate with name=text asvar t %}Plan of {{ name }}"
            "{% endblocktranslate %}{{ t|tight }}"
        ).render(Context({"text": "A&B 行動"}))
        assert escaped == "A&amp;B 行動的計劃"


@pytest.mark.django_db(transaction=True)
def test_the_plan_page_names_a_chinese_operation_without_a_space(planner_client, operation):
    planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/start/", {"time_limit_seconds": 1, "seed": 1}
    )
    operation.name = "兩晚聯合行動測試"
    operation.save(update_fields=["name"])
    planner_client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    page = planner_client.get(f"/planning/operations/{operation.uuid}/plan/").content.decode()
    assert "<h1>兩晚聯合行動測試的計劃</h1>" in page
    assert "<title>兩晚聯合行動測試的計劃" in page
    assert "兩晚聯合行動測試 的" not in page


@pytest.mark.django_db(transaction=True)
def test_a_briefing_and_the_edit_page_name_the_team_and_operation_without_a_space(planner_client, operation):
    """The briefing's heading read "第 1 組（DSAL·PSP） 簡報" and its link back "海港之光聯合行動 的計劃";
    the printable briefing and the edit page kept the same space (a helper's walk in Chinese)."""
    planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/start/", {"time_limit_seconds": 1, "seed": 1}
    )
    operation.name = "海港之光聯合行動"
    operation.save(update_fields=["name"])
    planner_client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    prefix = f"/planning/operations/{operation.uuid}"
    page = planner_client.get(f"{prefix}/plan/briefings/1/").content.decode()
    assert "海港之光聯合行動的計劃</a>" in page
    assert "<h1>第 1 組（DSAL·PSP）簡報</h1>" in page
    assert "<title>第 1 組（DSAL·PSP）簡報" in page
    printable = planner_client.get(f"/api/v1{prefix}/plan/briefings/1/")
    assert printable.status_code == 200
    assert "<h1>第 1 組（DSAL·PSP）簡報</h1>" in printable.content.decode()
    edit = planner_client.get(f"{prefix}/edit/").content.decode()
    assert "<h1>編輯海港之光聯合行動</h1>" in edit
