"""Why someone shows a person's details: asked each time, recorded with the read in the audit log
(``changes.reason`` and, for "other", ``changes.reason_text``) and shown in the access report."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from backend.core.errors import InvalidInput


class ReadReason:
    PROTECTION = "protection"
    ASSESSMENT = "assessment"
    CONTACT = "contact"
    PROSECUTION = "prosecution"
    LAWFUL_REQUEST = "lawful_request"
    RECORD = "record"
    OTHER = "other"

    choices = [
        (PROTECTION, _("Arrange or give protection")),
        (ASSESSMENT, _("Assess whether the person is a victim")),
        (CONTACT, _("Contact the person")),
        (PROSECUTION, _("Support a criminal case")),
        (LAWFUL_REQUEST, _("Answer the person's request for their data")),
        (RECORD, _("Record what the person tells me")),
        (OTHER, _("Other (say why)")),
    ]
    values = [code for code, _label in choices]


REASON_TEXT_MAX = 300


def reason_clean(reason: str | None, text: str | None = "") -> tuple[str, str]:
    """The reason's code and free text, or ``InvalidInput`` (400) naming what is missing."""
    code = (reason or "").strip()
    text = (text or "").strip()
    if code not in ReadReason.values:
        raise InvalidInput(
            str(_("Say why you show this person's details.")),
            errors={"reason": [str(_("Choose a reason from the list."))]},
        )
    if code == ReadReason.OTHER and len(text) < 5:
        raise InvalidInput(
            str(_("Say why you show this person's details.")),
            errors={"reason_text": [str(_("Say why, in a few words."))]},
        )
    if len(text) > REASON_TEXT_MAX:
        raise InvalidInput(errors={"reason_text": [str(_("At most 300 characters."))]})
    return code, text


class ReasonForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why do you show them?"), choices=[("", "—"), *ReadReason.choices])
    reason_text = forms.CharField(
        label=_("In a few words (required for “Other”; no personal data)"),
        required=False,
        max_length=REASON_TEXT_MAX,
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("reason") == ReadReason.OTHER and len((data.get("reason_text") or "").strip()) < 5:
            self.add_error("reason_text", _("Say why, in a few words."))
        return data
