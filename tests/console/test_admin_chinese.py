"""The admin's titles in Traditional Chinese set a model's name in the sentence, without the spaces
Django's own catalogue puts around it: an administrator reading Chinese saw "選擇 發件匣訊息 來修改"
and "新增 利益衝突" (found walking the administrator's path in Chinese). The project's catalogue
respells them (backend/locale/zh_Hant), as it respells Django's Portuguese."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

CJK = r"[\u3400-\u9fff]"


@pytest.fixture
def in_chinese(admin_console):
    admin_console.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    return admin_console


def _title(page) -> str:
    assert page.status_code == 200
    return re.search(r"<title>(.*?)</title>", page.content.decode(), re.S).group(1).strip()


@pytest.mark.parametrize(
    ("path", "start"),
    [
        ("/admin/outbox/outboxmessage/", "選擇發件匣訊息來修改"),
        ("/admin/registry/conflictofinterest/add/", "新增利益衝突"),
        ("/admin/registry/unit/add/", "新增單位"),
    ],
)
def test_a_model_name_is_set_in_the_sentence_without_spaces(in_chinese, path, start):
    title = _title(in_chinese.get(path))
    assert title.startswith(start), title
    assert not re.search(f"{CJK} {CJK}", title.split("|")[0]), title


def test_the_list_actions_name_the_records_without_spaces(in_chinese):
    text = in_chinese.get("/admin/registry/unit/").content.decode()
    assert "刪除所選的單位" in text
    assert "刪除所選的 " not in text
