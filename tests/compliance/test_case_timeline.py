"""A case's timeline stores what happened (a code and the values it names), never a sentence, and
is told when read in the reader's language: the API's ``message`` follows Accept-Language. An
event recorded before codes keeps its words and shows them as stored; the migration gives a code
to those whose sentence reads back for certain."""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal

import pytest
import time_machine
from django.apps import apps
from django.utils import formats, timezone, translation

from backend.compliance import services
from backend.compliance.models import CaseEvent, ComplianceCase
from backend.inspections.models import Finding

MIGRATION = importlib.import_module("backend.compliance.migrations.0006_caseevent_code")


@pytest.fixture
def approved(joint, bob, carol):
    construction = joint.submit_construction(bob)
    services.submission_approve(user=carol.user, submission=construction.submission)
    return construction


@pytest.fixture
def case(approved, carol) -> ComplianceCase:
    """Carol's case on the labour bureau's findings whose legal basis is verified (V-02, V-04)."""
    findings = Finding.objects.filter(
        submission=approved.submission, competent_agency__code="DSAL", violation_code__in=["V-02", "V-04"]
    )
    return services.case_open(user=carol.user, findings=list(findings), reason="Outside the job.")


def _date(value: dt.date, language: str) -> str:
    with translation.override(language):
        return formats.date_format(value, "DATE_FORMAT")


def _timeline(api, carol, case, language):
    response = api.as_(carol).get(f"/api/v1/cases/{case.uuid}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200 and response["Content-Language"] == language
    return response.json()["timeline"]


def test_each_event_stores_its_code_and_values_and_only_a_persons_words(case, carol):
    services.case_notice_issue(user=carol.user, case=case, reason="")
    services.case_comment(user=carol.user, case=case, text="Called the site manager.")
    services.case_follow_up_order(user=carol.user, case=case)
    services.case_decide(
        user=carol.user,
        case=case,
        outcome="penalty",
        reason="Repeat.",
        penalty_amount="5000",
        before_deadline=True,
    )
    case.refresh_from_db()
    events = list(case.events.order_by("at", "pk"))
    assert [(e.kind, e.code, e.reason) for e in events] == [
        ("opened", "opened", "Outside the job."),
        ("notice_issued", "notice_issued", ""),
        ("comment", "comment", "Called the site manager."),
        ("follow_up_requested", "follow_up_requested.early", ""),
        ("outcome", "outcome", "Repeat."),
    ]
    assert len(events[0].data["findings"]) == 2
    assert events[1].data == {"deadline": case.deadline.isoformat()}
    assert events[3].data == {
        "by": carol.full_name,
        "by_badge": carol.badge_number,  # bracketed as the reader's language writes it
        "deadline": case.deadline.isoformat(),
        "due_work": str(case.follow_up.uuid),
        "carry_items": 2,
        "early": True,
    }
    # Decided while its follow-up waited unplanned: the request was withdrawn with the case.
    assert events[4].data == {
        "outcome": "penalty",
        "penalty_amount": "5000.00",
        "rectified_on": None,
        "follow_up_withdrawn": True,
        "before_deadline": case.deadline.isoformat(),  # a sanction while the deadline ran: said
    }


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "It covers 2 official findings.",
                "To be rectified by {deadline}.",
                "",
                "Requested early by Carol Reviewer ({badge}), before the corrective deadline of {deadline}; "
                "it will re-check 2 failed items.",
                "Outcome: a penalty of 5,000.00 MOP. Decided before the corrective deadline of {deadline}. "
                "The follow-up request was withdrawn from the planners.",
            ],
        ),
        (
            "zh-hant",
            [
                "涵蓋 2 項正式發現。",
                "須於 {deadline} 前糾正。",
                "",
                # A Latin name spaced among Chinese words (it read "由Carol Reviewer（…）在").
                "由 Carol Reviewer（{badge}）在糾正期限（{deadline}）屆滿前提早要求；將覆查 2 個不合格項目。",
                "結果：罰款 5,000.00 澳門元。於糾正期限（{deadline}）屆滿前決定。"
                "跟進巡查申請已從策劃人員處撤回。",
            ],
        ),
        (
            "pt",
            [
                "Abrange 2 constatações oficiais.",
                "A corrigir até {deadline}.",
                "",
                "Pedida antecipadamente por Carol Reviewer ({badge}), antes do fim do prazo de correcção "
                "({deadline}); voltará a verificar 2 itens não conformes.",
                "Resultado: multa de 5.000,00 MOP. Decidido antes do fim do prazo de correcção ({deadline}). "
                "O pedido de inspecção de acompanhamento foi retirado aos planeadores.",
            ],
        ),
    ],
)
def test_the_api_tells_each_event_in_the_readers_language(language, expected, case, carol, api):
    services.case_notice_issue(user=carol.user, case=case)
    services.case_comment(user=carol.user, case=case, text="Called the site manager.")
    services.case_follow_up_order(user=carol.user, case=case)
    services.case_decide(
        user=carol.user,
        case=case,
        outcome="penalty",
        reason="Repeat.",
        penalty_amount="5000",
        before_deadline=True,
    )
    case.refresh_from_db()
    timeline = _timeline(api, carol, case, language)
    values = {"deadline": _date(case.deadline, language), "badge": carol.badge_number}
    assert [e["message"] for e in timeline] == [m.format(**values) for m in expected]
    assert [e["code"] for e in timeline] == [
        "opened",
        "notice_issued",
        "comment",
        "follow_up_requested.early",
        "outcome",
    ]
    # A person's words stay as they wrote them, in every language.
    assert [e["why"] for e in timeline] == ["Outside the job.", "", "Called the site manager.", "", "Repeat."]


@pytest.mark.parametrize(
    ("language", "passed", "rectified"),
    [
        (
            "en",
            "The corrective deadline of {deadline} passed; the follow-up will re-check 2 failed items.",
            "Outcome: rectified on {today}. The follow-up request was withdrawn from the planners.",
        ),
        (
            "zh-hant",
            "糾正期限（{deadline}）已屆滿；跟進巡查將覆查 2 個不合格項目。",
            "結果：已於 {today} 糾正。跟進巡查申請已從策劃人員處撤回。",
        ),
        (
            "pt",
            "O prazo de correcção ({deadline}) terminou; "
            "o acompanhamento voltará a verificar 2 itens não conformes.",
            "Resultado: regularizado em {today}. "
            "O pedido de inspecção de acompanhamento foi retirado aos planeadores.",
        ),
    ],
)
def test_the_nightly_deadline_run_is_told_in_the_readers_language(
    language, passed, rectified, case, carol, api
):
    case = services.case_notice_issue(user=carol.user, case=case)
    night = dt.datetime.combine(case.deadline, dt.time(17), tzinfo=dt.UTC)  # 01:00 the next day in Macao
    with time_machine.travel(night, tick=False):
        services.case_deadlines_process()
        services.case_decide(user=carol.user, case=case, outcome="rectified", reason="Permits shown.")
        today = timezone.localdate()
        timeline = _timeline(api, carol, case, language)
    values = {"deadline": _date(case.deadline, language), "today": _date(today, language)}
    follow_up, outcome = timeline[-2:]
    assert (follow_up["code"], follow_up["who"], follow_up["why"]) == (
        "follow_up_requested.deadline_passed",
        "system",
        "",
    )
    assert follow_up["message"] == passed.format(**values)
    assert outcome["message"] == rectified.format(**values)


@pytest.mark.parametrize(
    ("outcome", "english", "chinese", "portuguese"),
    [
        (
            "licence_suspension",
            "Outcome: referred for licence suspension.",
            "結果：已轉介暫停准照。",
            "Resultado: encaminhado para suspensão da licença.",
        ),
        (
            "licence_cancellation",
            "Outcome: referred for licence cancellation.",
            "結果：已轉介取消准照。",
            "Resultado: encaminhado para cancelamento da licença.",
        ),
        (
            "closed",
            "Outcome: closed without action.",
            "結果：結案，不採取措施。",
            "Resultado: encerrado sem medidas.",
        ),
    ],
)
def test_every_outcome_has_its_sentence(outcome, english, chinese, portuguese, case, carol):
    services.case_decide(user=carol.user, case=case, outcome=outcome, reason="Decided.")
    event = case.events.get(code="outcome")
    with translation.override("en"):
        assert event.message == english
    with translation.override("pt"):
        assert event.message == portuguese
    with translation.override("zh-hant"):
        assert event.message == chinese


def test_a_comment_returned_by_the_api_has_its_code(case, carol, api):
    response = api.as_(carol).post(
        f"/api/v1/cases/{case.uuid}/comments/", {"text": "Called."}, format="json", HTTP_ACCEPT_LANGUAGE="pt"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["code"], body["message"], body["why"]) == ("comment", "", "Called.")


def _recorded_before_codes(case, kind, reason, **data):
    """An event as the code before codes wrote it (no code; a follow-up's sentence in ``reason``).
    Made by hand: no service writes such an event any more."""
    return CaseEvent.objects.create(
        case=case, kind=kind, at=timezone.now(), actor_label="system", reason=reason, data=data
    )


def test_an_event_recorded_before_codes_shows_its_words_as_stored(case, carol, api):
    old = _recorded_before_codes(
        case, "follow_up_requested", "The follow-up was asked by telephone.", carry_items=1, early=False
    )
    assert old.message == ""
    entry = _timeline(api, carol, case, "pt")[-1]
    assert (entry["code"], entry["message"], entry["why"]) == (
        "",
        "",
        "The follow-up was asked by telephone.",
    )


def test_the_migration_gives_a_code_to_sentences_it_reads_back_for_certain(case, carol):
    case = services.case_notice_issue(user=carol.user, case=case)
    deadline = case.deadline.isoformat()
    early = {"due_work": "d", "carry_items": 2, "early": True}
    converted = [
        _recorded_before_codes(
            case,
            "follow_up_requested",
            "The corrective deadline passed.",
            due_work="d",
            carry_items=2,
            early=False,
        ),
        _recorded_before_codes(
            case, "follow_up_requested", "糾正期限已屆滿。", due_work="d", carry_items=2, early=False
        ),
        _recorded_before_codes(
            case,
            "follow_up_requested",
            f"Requested early by Carol Reviewer (D-1), before the corrective deadline of {deadline}.",
            **early,
        ),
        _recorded_before_codes(
            case,
            "follow_up_requested",
            f"Pedida antecipadamente por Carol Reviewer (D-1), antes do fim do prazo de "
            f"correcção ({deadline}).",
            **early,
        ),
        _recorded_before_codes(
            case,
            "follow_up_requested",
            f"由Carol Reviewer (D-1)在糾正期限（{deadline}）屆滿前提早要求。",
            **early,
        ),
        _recorded_before_codes(
            case, "outcome", "Repeat.", outcome="penalty", penalty_amount="20.00", rectified_on=None
        ),
    ]
    kept = [
        # Before requests could be early, a request with days left still said the deadline passed.
        _recorded_before_codes(
            case, "follow_up_requested", "The corrective deadline passed.", due_work="d", carry_items=2
        ),
        _recorded_before_codes(
            case, "follow_up_requested", "Asked by telephone.", due_work="d", carry_items=2, early=False
        ),
    ]
    CaseEvent.objects.filter(case=case, kind="opened").update(code="")

    MIGRATION.forwards(apps, None)

    for event in converted:
        event.refresh_from_db()
    assert [e.code for e in converted] == ["follow_up_requested.deadline_passed"] * 2 + [
        "follow_up_requested.early"
    ] * 3 + ["outcome"]
    assert [e.reason for e in converted] == [""] * 5 + ["Repeat."]
    assert {e.data["deadline"] for e in converted[:5]} == {deadline}
    assert {e.data["by"] for e in converted[2:5]} == {"Carol Reviewer (D-1)"}
    with translation.override("zh-hant"):
        assert converted[0].message.startswith("糾正期限（") and converted[2].message.startswith(
            "由 Carol Reviewer (D-1) 在糾正期限（"
        )
    opened = case.events.get(kind="opened")
    assert (opened.code, opened.reason) == ("opened", "Outside the job.")
    for event in kept:
        event.refresh_from_db()
        assert event.code == "" and event.reason != ""

    MIGRATION.backwards(apps, None)
    converted[2].refresh_from_db()
    converted[0].refresh_from_db()
    assert converted[2].reason == (
        f"Requested early by Carol Reviewer (D-1), before the corrective deadline of {deadline}."
    )
    assert converted[0].reason == "The corrective deadline passed."


def test_an_amount_is_written_as_the_reader_writes_numbers(case, carol):
    services.case_decide(
        user=carol.user, case=case, outcome="penalty", reason="x", penalty_amount=Decimal("1234.5")
    )
    with translation.override("pt"):
        assert case.events.get(code="outcome").message == "Resultado: multa de 1.234,50 MOP."


def test_a_chinese_name_takes_no_space_in_the_chinese_timeline():
    from django.utils import translation

    from backend.compliance.timeline import _follow_up_early

    told = {"by": "周傑玲", "by_badge": "D-7", "deadline": "2026-12-20", "carry_items": 1}
    with translation.override("zh-hant"):
        assert _follow_up_early(told).startswith("由周傑玲（D-7）在糾正期限（2026年12月20日）")
    with translation.override("en"):
        assert _follow_up_early(told).startswith("Requested early by 周傑玲 (D-7), before")
