"""A site's opening hours in an unplanned target's reason say a day's span once: "Wed 9 Dec 8 a.m.–
6 p.m.", not "Wed 9 Dec 8 a.m.-Wed 9 Dec 6 p.m.". In Chinese each end dated with a hyphen between
read "12月9日（星期三） 08:00-12月9日（星期三） 18:00", where "08:00-12月" looks like a time until
twelve (a helper's walk of the planner's path: construction sites left out of a night operation).
The span joins its ends with the dash the pages use for every other span."""

from __future__ import annotations

import pytest
from django.utils import translation

from scheduler import selectors
from tests.scheduler.pages.test_plan_time_format import planned  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)

# The operation starts on Friday 1 March 2030: a construction site opens the next morning.
OPENING = {"opening": "08:00 (+1 day)-18:00 (+1 day), 20:00-04:00 (+1 day)"}


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "Sat 2 Mar 8 a.m.–6 p.m., 8 p.m.–Sat 2 Mar 4 a.m."),
        ("zh-hant", "3月2日（星期六） 08:00–18:00、20:00–3月2日（星期六） 04:00"),
        ("pt", "Sáb, 2 Mar 08:00–18:00, 20:00–Sáb, 2 Mar 04:00"),
    ],
)
def test_a_days_opening_hours_say_the_date_once(planned, language, said):  # noqa: F811
    rewrite = selectors.plan_times(planned)
    with translation.override(language):
        assert rewrite(OPENING)["opening"] == said


def test_an_unplanned_targets_reason_says_its_opening_hours_as_a_span(planned):  # noqa: F811
    reason = {"rule": "wave", "params": {"waves": "W1 at 19:00", "minutes": 45, **OPENING}}
    with translation.override("zh-hant"):
        text = selectors.unplanned_text(reason, selectors.plan_times(planned))
    assert "（營業時間：3月2日（星期六） 08:00–18:00、20:00–3月2日（星期六） 04:00）" in text, text
    assert "-" not in text, text
