"""A case's timeline stores what happened, not a sentence: each event gets a code, and the values
its sentence names stay in ``data``; the sentence is told when read, in the reader's language
(``backend.compliance.timeline``).

Events already recorded get their code where the code paths that wrote them can be read back
for certain. Opening, notice, comment and outcome kept their values in ``data`` and their
``reason`` is a person's own words, which stay. A follow-up's ``reason`` is the sentence
``case_follow_up_request`` composed, in the language active then (English for the nightly run,
the reviewer's for a reviewer's request): it is matched whole against that sentence in each of
the three languages; the name and the deadline are read from it (the deadline that passed is the
case's own, which nothing changes after the notice), and it is cleared, since the page now tells
it. A follow-up recorded before requests could be early said "The corrective deadline passed."
even when days remained: it is converted only when its date shows the deadline had indeed passed.
Any other sentence is left as stored, without a code, and shown as stored."""

import datetime as dt
import re

from django.db import migrations, models
from django.utils import timezone

# The codes of backend.compliance.timeline at this point.
OPENED = "opened"
NOTICE_ISSUED = "notice_issued"
COMMENT = "comment"
FOLLOW_UP_EARLY = "follow_up_requested.early"
FOLLOW_UP_DEADLINE_PASSED = "follow_up_requested.deadline_passed"
OUTCOME = "outcome"
OUTCOMES = {"rectified", "penalty", "licence_suspension", "licence_cancellation", "closed"}

# What case_follow_up_request wrote, in English and as backend/locale translated it.
DEADLINE_PASSED = {"The corrective deadline passed.", "O prazo de correcção terminou.", "糾正期限已屆滿。"}
EARLY_ENGLISH = "Requested early by %(name)s, before the corrective deadline of %(deadline)s."
EARLY = [
    EARLY_ENGLISH,
    "Pedida antecipadamente por %(name)s, antes do fim do prazo de correcção (%(deadline)s).",
    "由%(name)s在糾正期限（%(deadline)s）屆滿前提早要求。",
]


def _pattern(sentence):
    body = re.escape(sentence)
    body = body.replace(re.escape("%(name)s"), r"(?P<name>.+?)")
    body = body.replace(re.escape("%(deadline)s"), r"(?P<deadline>\d{4}-\d{2}-\d{2})")
    return re.compile(body)


EARLY_PATTERNS = [_pattern(s) for s in EARLY]


def _is_date(value):
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def _follow_up(event, data):
    """(code, data, reason) for a follow-up whose sentence reads back for certain, else None."""
    if not isinstance(data.get("carry_items"), int):
        return None
    text = event.reason.strip()
    deadline = event.case.deadline
    if text in DEADLINE_PASSED and deadline is not None:
        early = data.get("early")
        passed = early is False or (early is None and timezone.localtime(event.at).date() > deadline)
        if passed:
            return FOLLOW_UP_DEADLINE_PASSED, {**data, "early": False, "deadline": deadline.isoformat()}, ""
        return None
    if data.get("early") is True:
        for pattern in EARLY_PATTERNS:
            found = pattern.fullmatch(text)
            if found and _is_date(found["deadline"]):
                return FOLLOW_UP_EARLY, {**data, "by": found["name"], "deadline": found["deadline"]}, ""
    return None


def _converted(event):
    data = event.data if isinstance(event.data, dict) else {}
    if event.kind == "opened" and isinstance(data.get("findings"), list):
        return OPENED, data, event.reason
    if event.kind == "notice_issued" and _is_date(data.get("deadline")):
        return NOTICE_ISSUED, data, event.reason
    if event.kind == "comment":
        return COMMENT, data, event.reason
    if event.kind == "outcome" and data.get("outcome") in OUTCOMES:
        if data["outcome"] == "rectified" and not _is_date(data.get("rectified_on")):
            return None
        if data["outcome"] == "penalty" and not data.get("penalty_amount"):
            return None
        return OUTCOME, data, event.reason
    if event.kind == "follow_up_requested":
        return _follow_up(event, data)
    return None


def forwards(apps, schema_editor):
    CaseEvent = apps.get_model("compliance", "CaseEvent")
    for event in CaseEvent.objects.filter(code="").select_related("case").iterator():
        converted = _converted(event)
        if converted is not None:
            event.code, event.data, event.reason = converted
            event.save(update_fields=["code", "data", "reason"])


def backwards(apps, schema_editor):
    """Before codes a follow-up carried its sentence: put the English one back."""
    CaseEvent = apps.get_model("compliance", "CaseEvent")
    for event in CaseEvent.objects.filter(code__startswith="follow_up_requested.", reason=""):
        if event.code == FOLLOW_UP_EARLY:
            name = event.data.get("by", "system")
            event.reason = EARLY_ENGLISH % {"name": name, "deadline": event.data.get("deadline", "")}
        else:
            event.reason = "The corrective deadline passed."
        event.save(update_fields=["reason"])


class Migration(migrations.Migration):
    dependencies = [("compliance", "0005_personal_data_encrypted")]

    operations = [
        migrations.AddField(
            model_name="caseevent",
            name="code",
            field=models.CharField(
                blank=True,
                help_text="What happened; blank for an event recorded before codes.",
                max_length=50,
                verbose_name="event code",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
