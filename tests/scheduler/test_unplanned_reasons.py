"""Every unplanned visit comes with the rule that binds it, found by the checker for that visit,
in plain language in the reader's language; never an empty detail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from scheduler import selectors, services
from scheduler.models import PlanningJob
from tests import factories


def _run(operation):
    job = PlanningJob.objects.create(operation=operation, time_limit_seconds=3)
    job = services.planning_run(job_id=job.uuid)
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    return {u["visit_id"]: u for u in job.plan["unplanned"]}, job


def test_a_target_needing_an_interpreter_nobody_has_says_which_language(operation, city):
    target = operation.targets.get(site=city["venues"][0])
    target.languages = ["vi"]
    target.save()
    unplanned, job = _run(operation)
    why = unplanned[str(target.pk)]
    assert (why["reason"], why["rule"], why["params"]["language"]) == (
        "no_qualified_officer",
        "language",
        "vi",
    )
    assert "vi" in why["detail"]
    texts = {}
    for language in ("en", "zh-hant", "pt"):
        with translation.override(language):
            texts[language] = next(
                u for u in selectors.plan_view(job)["unplanned"] if u["visit_id"] == str(target.pk)
            )
    assert "Vietnamese" in texts["en"]["explanation"] and "interpreter" in texts["en"]["explanation"]
    assert "越南" in texts["zh-hant"]["explanation"]
    assert "vietnamita" in texts["pt"]["explanation"].lower() and "intérprete" in texts["pt"]["explanation"]


def test_a_wave_when_the_site_is_closed_names_the_wave_and_the_opening_hours(operation, city):
    late = factories.site(
        name_en="Late Lounge",
        latitude=22.2000,
        longitude=113.5440,
        opening_hours=[(d, dt.time(23), dt.time(3)) for d in range(7)],
    )
    (target,) = services.operation_targets_set(actor=None, operation=operation, sites=[late], wave="W1")
    unplanned, _job = _run(operation)
    why = unplanned[str(target.pk)]
    assert (why["reason"], why["rule"]) == ("no_wave_fits", "wave")
    assert "W1 at 19:00" in why["detail"] and "23:00" in why["detail"]


def test_an_agency_nobody_on_duty_belongs_to_is_named(operation):
    operation.setup.required_agencies = ["PSP", "DSAL", "IAS"]
    operation.setup.save()
    unplanned, job = _run(operation)
    assert len(unplanned) == 4
    assert {(u["reason"], u["rule"], u["params"].get("agency")) for u in unplanned.values()} == {
        ("no_qualified_officer", "agency", "IAS")
    }
    with translation.override("pt"):
        texts = [u["explanation"] for u in selectors.plan_view(job)["unplanned"]]
    assert all("IAS" in t and "No officer" not in t for t in texts), texts


def test_no_officer_on_duty_says_so_with_the_times(operation, city):
    from backend.registry.models import Availability

    Availability.objects.all().delete()
    unplanned, _job = _run(operation)
    assert {u["rule"] for u in unplanned.values()} == {"shift"}
    assert all("19:00" in u["detail"] or "21:00" in u["detail"] for u in unplanned.values())


@pytest.mark.parametrize("language", ["en", "zh-hant", "pt"])
def test_every_reason_has_a_text_in_every_language(language):
    params = {
        "minutes": 45,
        "from": "18:00",
        "to": "23:00",
        "opening": "20:00-04:00",
        "waves": "W1 at 19:00",
        "times": "19:00",
        "agency": "IAS",
        "on_duty": 3,
        "language": "vi",
        "skill": "first_aid",
        "rank": 5,
        "teams": 2,
    }
    with translation.override(language):
        for rule in selectors.UNPLANNED_TEXTS:
            text = selectors.unplanned_text({"reason": "x", "rule": rule, "params": params, "detail": "d"})
            assert text and "%(" not in text
            english = translation.override("en")
            with english:
                original = selectors.unplanned_text({"reason": "x", "rule": rule, "params": params})
            if language != "en":
                assert text != original, (rule, text)


def test_a_site_closed_throughout_the_operation_says_so_not_open_dash(operation):
    # A construction site on a Sunday night: open only by day, closed the whole operation.
    works = factories.site(
        name_en="Day Works",
        latitude=22.2000,
        longitude=113.5440,
        opening_hours=[(d, dt.time(8), dt.time(17)) for d in range(7)],
    )
    (target,) = services.operation_targets_set(actor=None, operation=operation, sites=[works], wave="W1")
    unplanned, job = _run(operation)
    why = unplanned[str(target.pk)]
    assert (why["rule"], why["params"]["opening"]) == ("wave", "-")
    texts = {}
    for language in ("en", "zh-hant", "pt"):
        with translation.override(language):
            texts[language] = next(
                u["explanation"]
                for u in selectors.plan_view(job)["unplanned"]
                if u["visit_id"] == str(target.pk)
            )
    assert texts["en"] == "The site is closed throughout the operation: no wave can visit it.", texts
    assert texts["zh-hant"] == "場所在整個行動期間均不營業：沒有梯次可前往。", texts
    assert texts["pt"] == "O local está fechado durante toda a operação: nenhuma vaga o pode visitar.", texts
    assert not any("(-)" in t for t in texts.values()), texts


def test_a_routine_visit_due_while_its_site_is_closed_says_so():
    why = {
        "reason": "x",
        "rule": "opening_hours",
        "params": {"minutes": 45, "from": "09:00", "to": "12:00", "opening": "-"},
    }
    with translation.override("en"):
        assert selectors.unplanned_text(why) == (
            "The site is closed throughout the time the visit is due, 09:00–12:00."
        )
    with translation.override("pt"):
        assert "fechado" in selectors.unplanned_text(why)
    with translation.override("zh-hant"):
        assert "不營業" in selectors.unplanned_text(why)
