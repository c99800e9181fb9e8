"""The plan's warnings (an officer nobody could be paired with) come after its key figures, and
many fold under their count: on a programme of many days they pushed the figures below the fold
(a planner's walk)."""

from __future__ import annotations

import re

from tests import factories
from tests.browser_support import sign_in_client
from tests.conftest import PASSWORD
from tests.scheduler.test_programme_pairs import _alone_at_their_station, _day_shifts, _plan, _programme


def test_the_warnings_follow_the_key_figures_and_many_fold(client, db, django_capture_on_commit_callbacks):
    pair = _alone_at_their_station(2, days=[0])
    loner = _day_shifts(factories.officer("DSAL", username="loner", full_name="Lena Loner"), days=[1])
    programme = _programme([*pair, loner])
    job = _plan(programme, django_capture_on_commit_callbacks)
    sign_in_client(client, "dina", PASSWORD)
    url = f"/planning/programmes/{programme.uuid}/plan/"

    page = client.get(url).content.decode()
    figures, warning = page.index('<ul class="kpis"'), page.index("Lena Loner")
    assert figures < warning
    assert "<details" not in page[figures:]  # one warning is shown as it is

    [one] = job.evaluation["warnings"]
    job.evaluation["warnings"] = [one] * 5
    job.save(update_fields=["evaluation"])
    page = client.get(url).content.decode()
    folded = re.search(r'<details class="plan-warnings"><summary>(.*?)</summary>(.*?)</details>', page, re.S)
    assert folded, page[page.index('<ul class="kpis"') :][:3000]
    assert folded.group(1) == "5 warnings on this plan"
    assert folded.group(2).count("Lena Loner") == 5
    assert page.index('<ul class="kpis"') < folded.start()
