"""The planner's forms in the console. They check the shape of what is typed; every rule of the
domain is the services' (a service's refusal comes back onto the form as an error)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Value
from django.db.models.functions import Coalesce, NullIf
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from backend.core.errors import DomainError
from backend.core.i18n import language_key
from backend.core.strict_input import RowsField, YearBoundDateField, YearBoundDateTimeField
from backend.inspections.models import Category
from backend.planning.models import DueWork
from backend.registry.models import Agency, Officer, Parish, Site, Skill, Unit
from scheduler.models import OperationSetup

WAVE_ROWS = 4  # waves a planner can set on the form at once (the API takes any number)
WAVE_CODE_HELP = _("A wave's code is short, in Latin letters, digits, hyphens or underscores, such as W1.")


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class PlainSelect(forms.Select):
    """A <select> written in one go rather than one template per option: the due work form lists
    every active site (some 840 in the demo), which took ~250 ms through Django's option templates."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> str:
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    "" if o["value"] is None else o["value"],
                    mark_safe(" selected") if o["selected"] else "",
                    o["label"],
                )
                for _group, group_options, _index in widget["optgroups"]
                for o in group_options
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options
        )


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on the form: per field where the service names one we have, in
    the reader's language (a service's plain English message is looked up in the catalogues, as
    the API's error handler does)."""
    placed = False
    for field, messages in (error.errors or {}).items():
        for message in messages if isinstance(messages, list) else [messages]:
            form.add_error(field if field in form.fields else None, gettext(str(message)))
            placed = True
    if not placed:
        form.add_error(None, gettext(str(error.detail)))


class OperationForm(forms.Form):
    """A joint operation: who takes part, when, where teams muster, its waves and team rule."""

    name = forms.CharField(label=_("Name"), max_length=200)
    lead_agency = forms.ModelChoiceField(label=_("Lead agency"), queryset=Agency.objects.none())
    agencies = RowsField(
        label=_("Participating agencies"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    starts_at = YearBoundDateTimeField(label=_("Starts"), widget=LocalDateTimeInput())
    ends_at = YearBoundDateTimeField(label=_("Ends"), widget=LocalDateTimeInput())
    reveal_at = YearBoundDateTimeField(
        label=_("Revealed to the teams at"),
        widget=LocalDateTimeInput(),
        help_text=_("Until then only the operation's planners see its targets, teams and times."),
    )
    muster_unit = forms.ModelChoiceField(label=_("Muster point"), queryset=Unit.objects.none())
    team_min_size = forms.IntegerField(label=_("Team size at least"), min_value=1, max_value=20, initial=2)
    team_max_size = forms.IntegerField(label=_("Team size at most"), min_value=1, max_value=20, initial=5)
    required_agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies every team needs"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="code",
    )
    required_skills = forms.ModelMultipleChoiceField(
        label=_("Skills every team needs"),
        queryset=Skill.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="code",
    )
    female_officer = forms.BooleanField(
        label=_("A female officer in every team"), required=False, initial=True
    )
    min_leader_rank = forms.IntegerField(
        label=_("Leader's minimum rank"), min_value=1, max_value=10, required=False
    )
    visit_minutes = forms.IntegerField(label=_("Minutes per target"), min_value=5, max_value=600, initial=45)
    sync_tolerance_minutes = forms.IntegerField(
        label=_("Wave start tolerance (minutes)"), min_value=0, max_value=120, initial=10
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.order_by("code")
        self.fields["lead_agency"].queryset = agencies
        self.fields["agencies"].queryset = agencies
        self.fields["required_agencies"].queryset = agencies
        self.fields["required_skills"].queryset = Skill.objects.order_by("kind", "code")
        self.fields["muster_unit"].queryset = Unit.objects.select_related("agency").order_by(
            "agency__code", "code"
        )
        for n in range(1, WAVE_ROWS + 1):
            # Django's own message speaks of a "slug", a word no planner knows: a planner who
            # named the waves 甲 and 乙 read only that, and that the codes were missing.
            self.fields[f"wave_code_{n}"] = forms.SlugField(
                label=_("Wave %(n)s: code") % {"n": n},
                max_length=20,
                required=False,
                error_messages={"invalid": WAVE_CODE_HELP},
            )
            self.fields[f"wave_start_{n}"] = YearBoundDateTimeField(
                label=_("Wave %(n)s: starts") % {"n": n}, required=False, widget=LocalDateTimeInput()
            )
            # The code the row held when the page was drawn: a row whose code the planner edits is
            # the same wave renamed, and its targets stay in it (see ``wave_renames``).
            self.fields[f"wave_was_{n}"] = forms.CharField(
                max_length=20, required=False, widget=forms.HiddenInput()
            )

    def wave_rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (self[f"wave_code_{n}"], self[f"wave_start_{n}"], self[f"wave_was_{n}"])
            for n in range(1, WAVE_ROWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        reveal, starts, ends = data.get("reveal_at"), data.get("starts_at"), data.get("ends_at")
        if reveal and starts and ends and not reveal <= starts < ends:
            raise forms.ValidationError(
                _("The reveal time must come before the start, and the start before the end.")
            )
        low, high = data.get("team_min_size"), data.get("team_max_size")
        if low and high and high < low:
            self.add_error("team_max_size", _("Must be at least the minimum team size."))
        waves, seen, renames = [], set(), {}
        for n in range(1, WAVE_ROWS + 1):
            code, moment = data.get(f"wave_code_{n}"), data.get(f"wave_start_{n}")
            if f"wave_code_{n}" in self.errors or (not code and not moment):
                continue  # a code refused is said so, not as missing
            if not code or not moment:
                self.add_error(f"wave_code_{n}", _("Give a wave both a code and a start."))
                continue
            if code in seen:
                self.add_error(f"wave_code_{n}", _("Two waves cannot share a code."))
            seen.add(code)
            waves.append((code, moment))
            was = data.get(f"wave_was_{n}")
            if was and was != code:
                renames[was] = code
        data["waves"] = sorted(waves, key=lambda wave: wave[1])
        data["wave_renames"] = renames
        return data

    def service_arguments(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "name": d["name"],
            "starts_at": d["starts_at"],
            "ends_at": d["ends_at"],
            "reveal_at": d["reveal_at"],
            "muster_unit": d["muster_unit"],
            "waves": d["waves"],
            "team_min_size": d["team_min_size"],
            "team_max_size": d["team_max_size"],
            "required_agencies": sorted(a.code for a in d["required_agencies"]),
            "required_skills": sorted(s.code for s in d["required_skills"]),
            "female_officer": d["female_officer"],
            "min_leader_rank": d["min_leader_rank"],
            "visit_minutes": d["visit_minutes"],
            "sync_tolerance_minutes": d["sync_tolerance_minutes"],
        }

    @classmethod
    def initial_for(cls, operation: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "name": operation.name,
            "lead_agency": operation.lead_agency_id,
            "agencies": list(operation.agencies.all()),
            "starts_at": operation.starts_at,
            "ends_at": operation.ends_at,
            "reveal_at": operation.reveal_at,
        }
        # An operation made outside the planner's pages (the inspections service, the API) has
        # no setup: its form starts from the fields' defaults.
        setup: OperationSetup | None = getattr(operation, "setup", None)
        if setup is not None:
            initial |= {
                "muster_unit": setup.muster_unit_id,
                "team_min_size": setup.team_min_size,
                "team_max_size": setup.team_max_size,
                "required_agencies": list(Agency.objects.filter(code__in=setup.required_agencies)),
                "required_skills": list(Skill.objects.filter(code__in=setup.required_skills)),
                "female_officer": setup.female_officer,
                "min_leader_rank": setup.min_leader_rank,
                "visit_minutes": setup.visit_minutes,
                "sync_tolerance_minutes": setup.sync_tolerance_minutes,
            }
        for n, wave in enumerate(operation.waves.all()[:WAVE_ROWS], start=1):
            initial[f"wave_code_{n}"] = wave.code
            initial[f"wave_start_{n}"] = wave.starts_at
            initial[f"wave_was_{n}"] = wave.code
        return initial


class OperationFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    starts_from = forms.DateField(label=_("Starting from"), required=False, widget=DateInput())
    starts_until = forms.DateField(label=_("Starting until"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from backend.inspections.models import Operation

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any status")), *Operation.Status.choices]


class TargetFilterForm(forms.Form):
    """Which of the other sites the targets list shows: by kind, parish, or a name or address."""

    kind = forms.ChoiceField(label=_("Kind"), required=False)
    parish = forms.ChoiceField(label=_("Parish"), required=False)
    q = forms.CharField(label=_("Name or address"), max_length=100, required=False)
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Any kind")), *Site.Kind.choices]
        self.fields["parish"].choices = [("", _("Any parish")), *Parish.choices]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        return {"kind": d["kind"], "parish": d["parish"], "query": d["q"].strip(), "page": d["page"] or 1}


class SelectionForm(forms.Form):
    """Targets by a selection: the riskiest sites matching kinds, venue types, parishes and a
    minimum risk, into one wave."""

    kinds = forms.MultipleChoiceField(
        label=_("Kinds"), choices=Site.Kind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    venue_types = forms.MultipleChoiceField(
        label=_("Venue types"),
        choices=Site.VenueType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    parishes = forms.MultipleChoiceField(
        label=_("Parishes"), choices=Parish.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    min_risk = forms.DecimalField(label=_("Minimum risk"), max_digits=5, decimal_places=2, required=False)
    limit = forms.IntegerField(label=_("The riskiest"), min_value=1, max_value=500, initial=10)
    random_share = forms.IntegerField(
        label=_("Share drawn at random (%)"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_(
            "Part of the selection drawn at random among the other matching sites, "
            "so a site that scores low may still be visited."
        ),
    )
    seed = forms.IntegerField(
        label=_("Seed of the draw"),
        min_value=0,
        max_value=2**31 - 1,
        required=False,
        help_text=_("Leave empty for a new draw; the seed used is recorded with each drawn target."),
    )
    wave = forms.ChoiceField(label=_("Into wave"), required=False)

    def __init__(self, *args: Any, waves: list[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["wave"].choices = [("", _("No wave")), *[(w.code, w.code) for w in waves]]
        self.fields["random_share"].initial = settings.SCHEDULER_RANDOM_SHARE_PERCENT

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("kinds") or data.get("venue_types") or data.get("parishes")):
            raise forms.ValidationError(_("Choose at least one kind, venue type or parish."))
        return data


class PlanStartForm(forms.Form):
    time_limit_seconds = forms.IntegerField()  # made in __init__
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        max_value=2**31 - 1,
        initial=1,
        # A planner met "Seed" (種子) with nothing to say what it does.
        help_text=_("The same seed repeats the same run; another may find another plan."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Made here, with the deployment's longest limit: a max_value set on the field after it was
        # made drew the input's max but checked nothing, and 601 s went on to the service's refusal.
        longest = settings.SCHEDULER_MAX_TIME_LIMIT_SECONDS
        said = gettext("Between 1 and %(limit)s seconds.") % {"limit": longest}
        self.fields["time_limit_seconds"] = forms.IntegerField(
            label=_("Time limit (seconds)"),
            min_value=1,
            max_value=longest,
            initial=10,
            error_messages={"min_value": said, "max_value": said},
        )


class MoveForm(forms.Form):
    """Move a visit to another team, or out of the plan; the non-drag way of the timeline."""

    OUT = "out"

    visit = forms.ChoiceField(label=_("Visit"))
    to_route = forms.ChoiceField(label=_("Move to"))

    def __init__(self, *args: Any, visits: list[tuple[str, str]] = (), teams: list[str] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["visit"].choices = list(visits)
        self.fields["to_route"].choices = [
            *[(str(index), label) for index, label in enumerate(teams)],
            (self.OUT, _("Out of the plan")),
        ]

    def target_route(self) -> int | None:
        value = self.cleaned_data["to_route"]
        return None if value == self.OUT else int(value)


class OfficerMoveForm(forms.Form):
    """Move an officer to another team of a draft plan, into one from the officers the plan leaves
    out, or out of their team. An officer's choice names the team they are in ("route:officer"),
    since over several nights the same officer may be in one team each night."""

    OUT = "out"
    NONE = "none"

    officer = forms.ChoiceField(label=_("Officer"))
    to_route = forms.ChoiceField(label=_("Move to"))

    def __init__(
        self,
        *args: Any,
        officers: list[tuple[str, str]] = (),
        teams: list[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = list(officers)
        # No team chosen until the planner chooses one: the first team would otherwise be sent
        # for an officer already in it.
        self.fields["to_route"].choices = [
            ("", _("Choose a team")),
            *[(str(index), label) for index, label in enumerate(teams)],
            (self.OUT, _("Out of the team")),
        ]

    @staticmethod
    def officer_value(route: int | None, officer_id: str) -> str:
        return f"{OfficerMoveForm.NONE if route is None else route}:{officer_id}"

    def source(self) -> tuple[int | None, str]:
        """The team the officer leaves (None: in no team) and the officer's id."""
        route, _sep, officer_id = self.cleaned_data["officer"].partition(":")
        return (None if route == self.NONE else int(route)), officer_id

    def target_route(self) -> int | None:
        value = self.cleaned_data["to_route"]
        return None if value == self.OUT else int(value)


class ReplanForm(forms.Form):
    # A re-plan runs while the planner waits for the page: a minute at most.
    LONGEST = 60

    officer = forms.ChoiceField(label=_("Officer who drops out"))
    time_limit_seconds = forms.IntegerField()  # made in __init__

    def __init__(self, *args: Any, officers: list[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = list(officers)
        # The Plan form's words, in the reader's language: Django's own ("Ensure this value is
        # less than or equal to 60.") named no unit and read as a programmer's message.
        said = gettext("Between 1 and %(limit)s seconds.") % {"limit": self.LONGEST}
        self.fields["time_limit_seconds"] = forms.IntegerField(
            label=_("Time limit (seconds)"),
            min_value=1,
            max_value=self.LONGEST,
            initial=10,
            error_messages={"min_value": said, "max_value": said},
        )


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    start_date = YearBoundDateField(label=_("First day"), widget=DateInput())
    end_date = YearBoundDateField(label=_("Last day"), widget=DateInput())
    officers = RowsField(
        label=_("Officers"),
        queryset=Officer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave every box empty to plan with all of the agency's inspectors on duty."),
    )
    work_in_pairs = forms.BooleanField(label=_("Officers work in pairs"), required=False, initial=True)

    def __init__(self, *args: Any, agency: Agency | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = Officer.objects.filter(is_active=True).select_related("agency").order_by("full_name")
        self.fields["officers"].queryset = qs.filter(agency=agency) if agency is not None else qs.none()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, last = data.get("start_date"), data.get("end_date")
        if first and last and last < first:
            self.add_error("end_date", _("The last day comes before the first."))
        return data


class DueWorkForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), widget=PlainSelect)
    category = forms.ChoiceField(label=_("Inspection category"), choices=Category.choices)
    reason = forms.ChoiceField(
        label=_("Reason"), choices=DueWork.Reason.choices, initial=DueWork.Reason.MANUAL
    )
    earliest = YearBoundDateField(label=_("Due from"), widget=DateInput())
    latest = YearBoundDateField(label=_("Due by"), widget=DateInput())
    priority = forms.IntegerField(
        label=_("Priority"), min_value=1, max_value=5, initial=3, help_text=_("1 (highest) to 5")
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # In the order of the names the reader sees (a site without a name in their language
        # shows and sorts by its English one): ordered by the English name, read in Portuguese
        # or Chinese, 800 sites seemed in no order at all ("Clube Baía Azul", "Discoteca Baía
        # Azul", "Bar Lounge Dragão Azul"…) and none could be found by its first letters.
        column = {"en": "name_en", "zh-hant": "name_zh_hant", "pt": "name_pt"}[language_key()]
        shown = Coalesce(NullIf(column, Value("")), "name_en")
        self.fields["site"].queryset = (
            Site.objects.filter(is_active=True)
            .only("pk", "name_en", "name_zh_hant", "name_pt")
            .order_by(shown, "pk")
        )
        today = dt.date.today()
        self.fields["earliest"].initial = today
        self.fields["latest"].initial = today + dt.timedelta(days=14)
