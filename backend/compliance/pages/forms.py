"""The pages' forms: they validate input as the API's serializers do; services decide the rest."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from backend.compliance.models import (
    NOT_A_REFERENCE,
    CodedSex,
    ComplianceCase,
    ProtectionService,
    Referral,
    Violation,
    reference_prefix,
)
from backend.compliance.selectors import REVIEW_STATES
from backend.compliance.services import _NEEDS_ASSESSMENT
from backend.core.i18n import list_separator
from backend.inspections.models import Finding
from backend.privacy.services import retention_policy
from backend.registry.models import Site

STATE_LABELS = {
    "awaiting": _("Awaiting your agency"),
    "approved": _("Approved"),
    "returned": _("Returned"),
    # Its own context: Django's admin translates "All" first, as Portuguese "Todos" (masculine), where
    # the queue's states are of submissions ("Todas").
    "all": pgettext_lazy("review state", "All"),
}


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), choices=[(s, STATE_LABELS[s]) for s in REVIEW_STATES], required=False
    )
    agency = forms.ChoiceField(label=_("Officer's agency"), required=False)
    operation = forms.ChoiceField(label=_("Operation"), required=False)
    site_kind = forms.ChoiceField(
        label=_("Site kind"), choices=[("", _("Any")), *list(Site.Kind.choices)], required=False
    )
    severity = forms.ChoiceField(
        label=_("Severity"), choices=[("", _("Any")), *list(Finding.Severity.choices)], required=False
    )
    received_from = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label=_("Received until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, agencies=(), operations=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("Any"))] + [
            (a.code, f"{a.code} · {a.name}") for a in agencies
        ]
        # Named with their date: a recurring operation keeps its name from one year to the next.
        self.fields["operation"].choices = [("", _("Any"))] + [
            (str(o.uuid), f"{o.name} · {date_format(localtime(o.starts_at), 'DATE_FORMAT')}")
            for o in operations
        ]

    def clean(self) -> dict:
        # Until before from matched nothing, and the queue said only "Nothing here" (found on a
        # newcomer's walk): the range is refused at its end, the other filters still apply.
        cleaned = super().clean()
        start, end = cleaned.get("received_from"), cleaned.get("received_to")
        if start and end and end < start:
            self.add_error("received_to", _("The end comes before the start."))
        return cleaned


class ApproveForm(forms.Form):
    prefix = "approve"

    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(forms.Form):
    prefix = "return"

    comment = forms.CharField(
        label=_("What must be corrected"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CaseOpenForm(forms.Form):
    prefix = "case"

    reason = forms.CharField(
        label=_("Why the case is opened"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    corrective_days = forms.IntegerField(
        label=_("Corrective deadline (days)"), required=False, min_value=1, max_value=365
    )

    def explain_default(self, *, findings: Sequence[Finding], ticked: Sequence[Finding]) -> None:
        """Say under the deadline what an empty one gives, in days, as ``case_open`` computes it
        (the shortest default of the violations chosen), with each violation's own default: the
        findings ticked now give the figure, ticking another may shorten it."""
        each = Violation.corrective_days_of(f.violation_code for f in findings)
        days = Violation.strictest_corrective_days(f.violation_code for f in (ticked or findings))
        # On the field and on its bound field, which a form already validated has made with the help
        # text it had then (and names in the input's aria-describedby).
        self.fields["corrective_days"].help_text = self["corrective_days"].help_text = ngettext(
            "Empty: %(days)s day, the shortest deadline of the violations ticked (%(each)s).",
            "Empty: %(days)s days, the shortest deadline of the violations ticked (%(each)s).",
            days,
        ) % {
            "days": days,
            "each": list_separator().join(
                ngettext("%(code)s: %(days)s day", "%(code)s: %(days)s days", n) % {"code": code, "days": n}
                for code, n in each.items()
            ),
        }


class CaseCommentForm(forms.Form):
    prefix = "comment"

    text = forms.CharField(label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class CaseNoticeForm(forms.Form):
    prefix = "notice"

    reason = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000)


class CaseReopenForm(forms.Form):
    """Reopening a closed case: the reason is required (the timeline and the audit keep it)."""

    prefix = "reopen"

    reason = forms.CharField(
        label=_("Why reopen it"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: the outcome was recorded by mistake, the company appealed, new evidence."),
        error_messages={"required": _("Say why the case is reopened.")},
    )


class CaseOutcomeForm(forms.Form):
    prefix = "outcome"

    # An empty first choice: a reviewer could otherwise close a case as "rectified" without
    # ever choosing it, that being the first option.
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("Choose…")), *ComplianceCase.Outcome.choices],
        error_messages={"required": _("Choose the outcome of the case.")},
    )
    reason = forms.CharField(label=_("Why"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    # Each of the two belongs to one outcome only, which the reviewer learnt from a refusal after
    # confirming the closing ("Only a penalty has an amount."); said beside them instead.
    penalty_amount = forms.DecimalField(
        label=_("Penalty (MOP)"),
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=0,
        help_text=_("For a penalty only."),
    )
    rectified_on = forms.DateField(
        label=_("Rectified on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For a rectified case only; left empty, today."),
    )
    # Only on a case whose notice's deadline still runs (``case``): a sanction then is meant.
    before_deadline = forms.BooleanField(label=_("Decided before the notice's deadline"), required=False)

    def __init__(self, *args, case=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        from backend.compliance.services import SANCTIONS, deadline_running, sanction_before_deadline_refusal

        if case is None or not deadline_running(case):
            del self.fields["before_deadline"]
        else:
            deadline = date_format(case.deadline, "DATE_FORMAT")
            field = self.fields["before_deadline"]
            field.help_text = _(
                "The company has until %(deadline)s to put things right. Tick to record a penalty or a"
                " referral for the licence before then."
            ) % {"deadline": deadline}
            # Named by its label, as the reviewer sees it (the API's refusal names its member).
            self.before_deadline_refusal = sanction_before_deadline_refusal(case, box=str(field.label))
            # Shown only for a sanction (forms.js, data-shown-for-choice): beside "rectified" or
            # "closed without action" it asked a question that did not concern them.
            field.widget.attrs.update(
                {
                    "data-for-choice": f"{self.add_prefix('outcome')}={'|'.join(sorted(SANCTIONS))}",
                    "data-shown-for-choice": "",
                    "data-needed": self.before_deadline_refusal,
                }
            )
        # The service's rules on the amount, checked in the page before "Record this outcome and
        # close the case?" is asked (forms.js, data-for-choice): the reviewer confirmed the
        # closing and only then learnt the penalty had no amount. Same words as the service's.
        # Shown only for a penalty (data-shown-for-choice), as the box above for a sanction: beside
        # "rectified" it asked for an amount that outcome cannot have. Without the script it shows,
        # and the service refuses an amount for another outcome ("Only a penalty has an amount.").
        choice = f"{self.add_prefix('outcome')}={ComplianceCase.Outcome.PENALTY}"
        self.fields["penalty_amount"].widget.attrs.update(
            {
                "data-for-choice": choice,
                "data-shown-for-choice": "",
                "data-needed": _("A penalty needs a positive amount (MOP)."),
                "data-not-needed": _("Only a penalty has an amount."),
            }
        )
        # The date the company put things right: shown only for "rectified" (beside a penalty it
        # asked a date no other outcome keeps). Without the script it shows, and the service keeps
        # it for a rectified case only.
        self.fields["rectified_on"].widget.attrs.update(
            {
                "max": timezone.localdate().isoformat(),
                "data-for-choice": f"{self.add_prefix('outcome')}={ComplianceCase.Outcome.RECTIFIED}",
                "data-shown-for-choice": "",
            }
        )


class RegisterFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    q = forms.CharField(label=_("Name or registration number"), required=False, max_length=100)
    open_cases = forms.BooleanField(label=_("With open cases only"), required=False)

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        from backend.registry.models import Company

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Any")), *list(Company.Kind.choices)]


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Not closed")), *list(ComplianceCase.Status.choices)],
    )


class ReferralFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *list(Referral.Status.choices)]
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), required=False, choices=[("", _("Any")), *list(Referral.Urgency.choices)]
    )
    # The reference another agency reads out over the phone, typed in either case.
    reference = forms.CharField(
        label=_("Reference"),
        required=False,
        max_length=36,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_reference(self) -> str:
        text = self.cleaned_data["reference"]
        if not text:
            return ""
        prefix = reference_prefix(text)
        if prefix is None:
            raise forms.ValidationError(NOT_A_REFERENCE)
        return prefix


class ReferralUpdateForm(forms.Form):
    prefix = "update"

    status = forms.ChoiceField(label=_("Status"), choices=Referral.Status.choices)
    # The assessed and closed statuses need an outcome (services.referral_update): an officer who
    # chose "closed" was asked to confirm the closing, said yes, and only then was told the
    # assessment was still pending (found on a newcomer's walk). Said beside the assessment instead.
    assessment = forms.ChoiceField(
        label=_("Assessment"),
        choices=Referral.Assessment.choices,
        help_text=_("Needed before the referral is marked assessed or closed: it cannot stay pending then."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=CodedSex.choices)

    def __init__(self, *args, referral: Referral | None = None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if referral is not None and referral.status != Referral.Status.NEW:
            # Once taken by victim protection a referral is not new again (services.referral_update).
            self.fields["status"].choices = [
                (value, label) for value, label in Referral.Status.choices if value != Referral.Status.NEW
            ]
        # Closing starts the clock of the person's details' erasure (backend.privacy): said under
        # the status, with the days of the policy in force, and asked again before a referral closes.
        self.closing_days = retention_policy()["closed_referral_days"]
        self.fields["status"].help_text = ngettext(
            "Closing starts the retention period: the person's details, their services' provider and "
            "note and their screening answers are erased %(days)s day after the referral is closed "
            "(the retention policy in force).",
            "Closing starts the retention period: the person's details, their services' provider and "
            "note and their screening answers are erased %(days)s days after the referral is closed "
            "(the retention policy in force).",
            self.closing_days,
        ) % {"days": self._closing_days_said()}
        # Said by the browser at the assessment when the status chosen needs one (forms.js), before
        # the closing's confirmation is asked: the server says the same (services.referral_update).
        self.fields["assessment"].widget.attrs.update(
            {
                "data-for-choice": "update-status=" + "|".join(s.value for s in _NEEDS_ASSESSMENT),
                "data-unset": Referral.Assessment.PENDING.value,
            }
            | {f"data-needed-{s.value}": str(message) for s, message in _NEEDS_ASSESSMENT.items()}
        )

    def _closing_days_said(self) -> str:
        # Grouped as the retention page writes them ("1,825", "1.825"): here it said "1825".
        return number_format(self.closing_days, use_l10n=True, force_grouping=True)

    def closing_confirm(self) -> str:
        return ngettext(
            "Close this referral? Its retention period starts today: the person's details are erased "
            "in %(days)s day.",
            "Close this referral? Its retention period starts today: the person's details are erased "
            "in %(days)s days.",
            self.closing_days,
        ) % {"days": self._closing_days_said()}


class ServiceForm(forms.Form):
    prefix = "service"

    kind = forms.ChoiceField(label=_("Service"), choices=ProtectionService.Kind.choices)
    provider_kind = forms.ChoiceField(label=_("Provided by"), choices=ProtectionService.Provider.choices)
    provider_name = forms.CharField(label=_("Provider"), max_length=200)
    started_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ended_on = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class PersonForm(forms.Form):
    prefix = "person"

    full_name = forms.CharField(label=_("Full name"), required=False, max_length=200)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    nationality = forms.CharField(label=_("Nationality"), required=False, max_length=60)
    travel_document = forms.CharField(label=_("Travel document number"), required=False, max_length=60)
    contact = forms.CharField(
        label=pgettext_lazy("personal details", "Contact"), required=False, max_length=200
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )
