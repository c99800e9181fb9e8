"""The planner's pages say what the scheduler's catalogue says. An operation's page headed its
facts "總結" (a conclusion), Django admin's word for "Summary", which is looked up before the
scheduler's "摘要" (a helper's walk in Traditional Chinese); the heading now has a context of
its own, and no other catalogue may stand in for one of the scheduler's words."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(("language", "folder"), [("zh-hant", "zh_Hant"), ("pt", "pt")])
def test_no_other_catalogue_overrides_a_planner_word(language, folder):
    mo = ROOT / "scheduler" / "locale" / folder / "LC_MESSAGES" / "django.mo"
    with mo.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog
    overridden = []
    with translation.override(language):
        for key, ours in catalogue.items():
            if not isinstance(key, str) or not key:
                continue  # the header, and plural forms (checked by their singular)
            if "\x04" in key:
                context, message = key.split("\x04", 1)
                shown = translation.pgettext(context, message)
            else:
                shown = translation.gettext(key)
            if shown != ours:
                overridden.append((key, shown, ours))
    assert not overridden, overridden


@pytest.mark.django_db(transaction=True)
def test_an_operations_facts_are_headed_summary_in_chinese(planner_client, operation):
    planner_client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    page = planner_client.get(f"/planning/operations/{operation.uuid}/").content.decode()
    assert '<h2 id="summary-h">摘要</h2>' in page
