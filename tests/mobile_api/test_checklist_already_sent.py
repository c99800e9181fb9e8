"""A checklist a teammate already sent is not stored a second time beside theirs: a new
submission (no ``replaces``) of a checklist the visit already holds, current and sent by another
officer, is refused with ``409 checklist_already_sent`` naming the current submission and who
sent it, and nothing is stored; sent as a correction of that one (``replaces``), it is the next
revision. One officer's own new submissions of a checklist are all kept (a phone may send one
ILO screening per person), replays still answer as the first time, and a batch answers the
refused item on its own."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import IntegrityError, connection, transaction

from backend.checklists.models import ChecklistTemplate
from backend.checklists.services import parsed_definition
from backend.inspections import services as inspections
from backend.inspections.models import Finding, Submission
from mobile_api.apis import SubmissionInputSerializer
from tests.checklists.engine.factories import fill
from tests.mobile_api.conftest import API, assert_problem, assert_problem_body, row_counts, submission_payload

SUBMISSIONS = f"{API}/submissions/"
BATCH = f"{API}/submissions/batch/"


def send(client, payload, **headers):
    return client.post(SUBMISSIONS, payload, format="json", **headers)


def sent(client, inspection, version, **overrides) -> str:
    payload = submission_payload(inspection, version, **overrides)
    response = send(client, payload)
    assert response.status_code == 201, response.content
    return payload["id"]


def current(inspection, version) -> list[Submission]:
    return list(
        Submission.objects.filter(
            inspection=inspection,
            template_version__template=version.template,
            status=Submission.Status.ACCEPTED,
        )
    )


def test_a_teammates_second_first_checklist_is_refused_naming_the_current_one_and_its_sender(
    field, alice, dora, phone
):
    alices = sent(phone(alice), field.revealed, field.venue_version)
    doras_phone = phone(dora)
    before = row_counts()

    doras = submission_payload(field.revealed, field.venue_version)
    body = assert_problem(send(doras_phone, doras), 409, "checklist_already_sent")

    assert body["current"] == alices
    assert body["sent_by"] == {
        "id": str(alice.uuid),
        "full_name": "Alice Police",
        "badge_number": alice.badge_number,
        "agency": "PSP",
    }
    stored = Submission.objects.get(uuid=alices)
    assert dt.datetime.fromisoformat(body["sent_at"]) == stored.received_at
    assert body["current_revision"] == 1
    assert "Alice Police" in body["detail"] and "correction" in body["detail"]
    # Nothing of Dora's is stored, and the one current checklist is Alice's.
    assert row_counts() == before
    assert [s.uuid for s in current(field.revealed, field.venue_version)] == [stored.uuid]

    # Sent again unchanged, it is refused again (it was never stored: no replay of it exists).
    assert_problem(send(doras_phone, doras), 409, "checklist_already_sent")
    assert row_counts() == before


def test_the_refused_checklist_sent_as_a_correction_of_the_current_one_is_the_next_revision(
    field, alice, dora, phone
):
    alices = sent(phone(alice), field.revealed, field.venue_version)
    refused = submission_payload(field.revealed, field.venue_version)
    body = assert_problem(send(phone(dora), refused), 409, "checklist_already_sent")

    # The phone keeps Dora's answers and sends them, under a new id, as a correction of Alice's.
    correction = {**refused, "id": submission_payload(field.revealed, field.venue_version)["id"]}
    correction["replaces"] = body["current"]
    response = send(phone(dora), correction)
    assert response.status_code == 201, response.content
    assert (response.json()["revision"], response.json()["replaces"]) == (2, alices)

    [now] = current(field.revealed, field.venue_version)
    assert (str(now.uuid), now.officer, now.revision) == (correction["id"], dora, 2)
    assert Submission.objects.get(uuid=alices).status == Submission.Status.SUPERSEDED
    # Alice's own new one would now be the second: refused, naming Dora's correction.
    alices_second = submission_payload(field.revealed, field.venue_version)
    body = assert_problem(send(phone(alice), alices_second), 409, "checklist_already_sent")
    assert (body["current"], body["sent_by"]["full_name"], body["current_revision"]) == (
        correction["id"],
        "Dora Police",
        2,
    )


def test_one_officers_own_new_checklists_are_all_kept(field, alice, dora, phone):
    """The contract phones rely on (#15): one ILO screening per person, each a new submission of
    the same checklist from the same officer; so too of any checklist. A teammate's is refused,
    naming the latest."""
    client = phone(alice)
    first = sent(client, field.revealed, field.screening_version)
    second = sent(client, field.revealed, field.screening_version)
    assert {str(s.uuid) for s in current(field.revealed, field.screening_version)} == {first, second}
    venue = [sent(client, field.revealed, field.venue_version) for _ in range(2)]
    assert {str(s.uuid) for s in current(field.revealed, field.venue_version)} == set(venue)

    body = assert_problem(
        send(phone(dora), submission_payload(field.revealed, field.venue_version)),
        409,
        "checklist_already_sent",
    )
    assert body["current"] == venue[1]


# --- Templates filled several per visit (the ILO screening: one per person interviewed) ---------


def screening_of(field, person_ref: str) -> dict:
    """A first ILO screening of the revealed visit, of one person, who is flagged."""
    answers = fill(parsed_definition(field.screening_version), yes=True, entries=1)
    answers["persons"][0]["person_ref"] = person_ref
    return submission_payload(field.revealed, field.screening_version, answers=answers)


def stored(client, payload) -> str:
    response = send(client, payload)
    assert response.status_code == 201, response.content
    return payload["id"]


def several_per_visit(version, on: bool) -> None:
    ChecklistTemplate.objects.filter(pk=version.template_id).update(several_per_visit=on)


def test_teammates_screenings_of_other_persons_are_all_kept_with_their_findings(field, alice, dora, phone):
    """Alice and Dora interview different workers at one visit: each screening is stored beside
    the other, both current, and neither withdraws the other's potential-victim flag. The venue
    checklist is still one per visit."""
    assert field.screening_version.template.several_per_visit
    assert not field.venue_version.template.several_per_visit
    alices = stored(phone(alice), screening_of(field, "P-1"))
    doras_phone = phone(dora)
    doras = stored(doras_phone, screening_of(field, "P-2"))
    doras_second = stored(doras_phone, screening_of(field, "P-3"))

    kept = current(field.revealed, field.screening_version)
    assert {str(s.uuid) for s in kept} == {alices, doras, doras_second}
    assert {s.revision for s in kept} == {1}
    flagged = Finding.objects.filter(potential_victim=True).exclude(status=Finding.Status.WITHDRAWN)
    assert sorted(str(f.submission.uuid) for f in flagged) == sorted([alices, doras, doras_second])

    # The visit's venue checklist: still one, whoever sends it.
    sent(phone(alice), field.revealed, field.venue_version)
    assert_problem(
        send(doras_phone, submission_payload(field.revealed, field.venue_version)),
        409,
        "checklist_already_sent",
    )


def test_teammates_screenings_in_a_batch_are_all_kept(field, alice, dora, phone):
    stored(phone(alice), screening_of(field, "P-1"))
    items = [screening_of(field, "P-2"), screening_of(field, "P-3")]
    response = phone(dora).post(BATCH, {"items": items}, format="json")
    assert response.status_code == 200, response.content
    assert [r["status"] for r in response.json()["results"]] == [201, 201]
    assert len(current(field.revealed, field.screening_version)) == 3


def test_turned_off_a_templates_second_sender_is_refused(field, alice, dora, phone):
    """An administrator turns 'several per visit' off for the screening: from the next submission
    it is one per visit like any other, in ingest and in the database."""
    alices = stored(phone(alice), screening_of(field, "P-1"))
    several_per_visit(field.screening_version, False)
    doras_phone = phone(dora)
    before = row_counts()
    body = assert_problem(send(doras_phone, screening_of(field, "P-2")), 409, "checklist_already_sent")
    assert body["current"] == alices
    assert row_counts() == before

    several_per_visit(field.screening_version, True)  # and on again, stored
    stored(doras_phone, screening_of(field, "P-2"))
    assert len(current(field.revealed, field.screening_version)) == 2


def test_replays_answer_as_the_first_time_whoever_sent_since(field, alice, dora, phone):
    alices_phone = phone(alice)
    original = submission_payload(field.revealed, field.venue_version)
    first = send(alices_phone, original)
    assert first.status_code == 201
    fix = sent(phone(dora), field.revealed, field.venue_version, replaces=original["id"])

    # Alice's phone never heard the answer and sends the same again: the stored one, 200.
    again = send(alices_phone, original)
    assert again.status_code == 200, again.content
    assert again.json()["id"] == original["id"] and again.json()["status"] == "superseded"
    # Dora's correction replayed too.
    fix_payload = Submission.objects.get(uuid=fix)
    assert fix_payload.revision == 2
    assert len(current(field.revealed, field.venue_version)) == 1


def test_other_checklists_other_visits_and_deleted_work_are_not_in_the_way(
    field, alice, dora, phone, admin_user
):
    alices = sent(phone(alice), field.revealed, field.venue_version)
    # Another checklist of the same visit.
    sent(phone(dora), field.revealed, field.screening_version)
    # Once an administrator deleted Alice's, nothing is current: Dora's is the visit's checklist.
    inspections.submission_delete(
        actor=admin_user, submission=Submission.objects.get(uuid=alices), reason="Wrong visit."
    )
    doras = sent(phone(dora), field.revealed, field.venue_version)
    assert [str(s.uuid) for s in current(field.revealed, field.venue_version)] == [doras]


def test_an_outsider_learns_nothing_of_who_sent_it(field, alice, bob, phone):
    sent(phone(alice), field.revealed, field.venue_version)
    body = assert_problem(send(phone(bob), submission_payload(field.revealed, field.venue_version)), 404)
    assert "Alice" not in str(body) and "current" not in body


def test_in_a_batch_the_refused_item_alone_is_refused(field, alice, dora, phone):
    alices = sent(phone(alice), field.revealed, field.venue_version)
    first = field.revealed
    second_visit = inspections.inspection_issue(
        actor=None,
        site=first.site,
        category=first.category,
        template_version=field.venue_version,
        planned_start=first.planned_end,
        planned_end=first.planned_end + dt.timedelta(hours=1),
        team=first.team,
        operation=field.operation,
        route_order=2,
    )
    items = [
        submission_payload(field.revealed, field.venue_version),
        submission_payload(field.revealed, field.screening_version),
        submission_payload(second_visit, field.venue_version),
    ]
    response = phone(dora).post(BATCH, {"items": items}, format="json")
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [r["status"] for r in results] == [409, 201, 201]
    assert_problem_body(results[0]["body"], 409, "checklist_already_sent")
    assert results[0]["body"]["current"] == alices
    assert results[0]["body"]["sent_by"]["full_name"] == "Alice Police"
    assert not Submission.objects.filter(uuid=items[0]["id"]).exists()
    assert Submission.objects.filter(uuid__in=[i["id"] for i in items[1:]]).count() == 2


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("pt", "Alice Police (PSP, n.º"),
        ("zh-Hant", "Alice Police（PSP，職員編號"),
    ],
)
def test_the_refusal_reads_in_the_officers_language(field, alice, dora, phone, language, expected):
    sent(phone(alice), field.revealed, field.venue_version)
    response = send(
        phone(dora), submission_payload(field.revealed, field.venue_version), HTTP_ACCEPT_LANGUAGE=language
    )
    body = assert_problem(response, 409, "checklist_already_sent")
    assert expected in body["detail"], body["detail"]


def test_the_database_holds_one_sender_per_checklist_of_a_visit(field, alice, dora, phone):
    """Whatever path a row takes in, a second officer's first checklist beside a current one is
    refused by the database itself (what makes two teammates sending at once safe)."""
    alices = Submission.objects.get(uuid=sent(phone(alice), field.revealed, field.venue_version))

    def insert(officer, **fields):
        Submission.objects.create(
            inspection=alices.inspection,
            officer=officer,
            template_version=alices.template_version,
            answers={},
            device_submitted_at=alices.device_submitted_at,
            **fields,
        )

    with pytest.raises(IntegrityError), transaction.atomic():
        insert(dora, uuid=submission_payload(field.revealed, field.venue_version)["id"])
    # Her own, a correction, or one not current are not the database's to refuse.
    insert(alice, uuid=submission_payload(field.revealed, field.venue_version)["id"])
    insert(
        dora, uuid=submission_payload(field.revealed, field.venue_version)["id"], replaces=alices, revision=2
    )
    insert(
        dora,
        uuid=submission_payload(field.revealed, field.venue_version)["id"],
        status=Submission.Status.DELETED,
    )


def test_the_database_lets_teammates_each_send_a_checklist_filled_several_per_visit(
    field, alice, dora, phone
):
    alices = Submission.objects.get(uuid=stored(phone(alice), screening_of(field, "P-1")))

    def insert(officer):
        Submission.objects.create(
            inspection=alices.inspection,
            officer=officer,
            template_version=alices.template_version,
            answers={},
            device_submitted_at=alices.device_submitted_at,
            uuid=screening_of(field, "P-2")["id"],
        )

    insert(dora)
    several_per_visit(field.screening_version, False)
    with pytest.raises(IntegrityError), transaction.atomic():
        insert(dora)
    assert len(current(field.revealed, field.screening_version)) == 2


# --- Two teammates at once (PostgreSQL: SQLite serialises every writer, so nothing would race) ---


class _Answer:
    """What the ingest service answered, shaped as a response for the assertions."""

    def __init__(self, status_code: int, body: dict) -> None:
        self.status_code, self.body = status_code, body

    def json(self) -> dict:
        return self.body


def _ingested(officer, payload) -> _Answer:
    serializer = SubmissionInputSerializer(data=payload)
    serializer.is_valid(raise_exception=True)
    try:
        result = inspections.submission_ingest(officer=officer, data=serializer.to_input())
    except inspections.DomainError as exc:
        return _Answer(exc.status, {"code": exc.code, **exc.extra})
    return _Answer(201, {"id": str(result.submission.uuid)})


def _together(sends) -> list[tuple[int, dict]]:
    """Each of ``sends`` (a function of no argument) from a thread of its own, released at once,
    each with its own database connection."""
    barrier = threading.Barrier(len(sends))

    def one(send) -> tuple[int, dict]:
        try:
            barrier.wait(timeout=30)
            response = send()
            return response.status_code, response.json()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(sends)) as pool:
        return list(pool.map(one, sends))


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrency needs PostgreSQL's row locks and parallel writers; set DATABASE_URL to run it",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("endpoint", ["single", "batch", "service"])
def test_two_teammates_sending_their_first_checklist_at_once_store_one(field, alice, dora, phone, endpoint):
    """Alice and Dora come back into coverage together: each phone sends its own first venue
    checklist of the same visits at the same moment. Whatever the timing, each visit keeps one
    current checklist, and the other phone is told whose it is. ``service``: the ingest service
    called on its own (its insert in a savepoint, not the request run again whole)."""
    first = field.revealed
    visits = [first] + [
        inspections.inspection_issue(
            actor=None,
            site=first.site,
            category=first.category,
            template_version=field.venue_version,
            planned_start=first.planned_start,
            planned_end=first.planned_end,
            team=first.team,
            operation=field.operation,
            route_order=2 + i,
        )
        for i in range(4)
    ]
    clients = {alice: phone(alice), dora: phone(dora)}
    for visit in visits:
        payloads = {who: submission_payload(visit, field.venue_version) for who in clients}

        def sender(who, payloads=payloads):
            if endpoint == "single":
                return lambda: send(clients[who], payloads[who])
            if endpoint == "service":
                return lambda: _ingested(who, payloads[who])
            return lambda: clients[who].post(BATCH, {"items": [payloads[who]]}, format="json")

        results = _together([sender(alice), sender(dora)])
        if endpoint == "batch":
            assert [status for status, _ in results] == [200, 200], results
            results = [(r["status"], r["body"]) for _, body in results for r in body["results"]]
        assert sorted(status for status, _ in results) == [201, 409], results
        [(_, stored)] = [(s, b) for s, b in results if s == 201]
        [(_, refused)] = [(s, b) for s, b in results if s == 409]
        assert refused["code"] == "checklist_already_sent"
        assert refused["current"] == stored["id"]
        [kept] = current(visit, field.venue_version)
        assert str(kept.uuid) == stored["id"]
    assert Submission.objects.count() == len(visits)


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrency needs PostgreSQL's row locks and parallel writers; set DATABASE_URL to run it",
)
@pytest.mark.django_db(transaction=True)
def test_two_teammates_sending_screenings_at_once_store_both(field, alice, dora, phone):
    clients = {alice: phone(alice), dora: phone(dora)}
    payloads = {alice: screening_of(field, "P-1"), dora: screening_of(field, "P-2")}
    results = _together([lambda who=who: send(clients[who], payloads[who]) for who in clients])
    assert [status for status, _ in results] == [201, 201], results
    assert {str(s.uuid) for s in current(field.revealed, field.screening_version)} == {
        p["id"] for p in payloads.values()
    }
    assert Finding.objects.filter(potential_victim=True).count() == 2
