"""A refused selection says why at its form and keeps what the planner chose. "Add the
selection" with no kind, venue type or parish ticked sent the planner back to the form's place
on the page, with the reason in a message atop the page, out of sight, and the form emptied (a
helper's walk in Traditional Chinese). The page now comes back with the reason above the
form, focused, and the figures and wave as the planner gave them."""

from __future__ import annotations

import html

import pytest

from scheduler.models import Target

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_refused_selection_says_why_at_its_form_and_keeps_the_choices(planner_client, operation):
    planner_client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    response = planner_client.post(
        f"/planning/operations/{operation.uuid}/select/", {"limit": 7, "random_share": 0, "wave": "W2"}
    )
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    selection = page[page.index('id="selection"') :]
    assert 'id="form-errors"' in selection and "autofocus" in selection
    assert "請至少選擇一個類別、場所類型或堂區。" in selection
    assert 'name="limit" value="7"' in selection
    assert '<option value="W2" selected>' in selection
    assert Target.objects.filter(operation=operation).count() == 2
