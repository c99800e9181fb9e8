"""The planner's console pages: operations, targets, planning runs, the plan workspace,
briefings, routine programmes and due work. Every read goes through the scheduler's (or
planning's) selectors and every write through the same services as the API; a service's
refusal is shown on the page, and anything outside the planner's scope is a 404 page."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from backend.console.access import console_page
from backend.core.errors import DomainError, InvalidInput, NotFound
from backend.core.i18n import label_separator, sentence_separator
from backend.core.strict_input import ascii_digits
from backend.inspections.models import Category, Operation
from backend.planning import selectors as planning_selectors
from backend.planning import services as planning_services
from backend.planning.models import DueWork
from backend.registry.models import Officer, Site, Skill
from scheduler import selectors, services
from scheduler.forms import (
    DueWorkForm,
    MoveForm,
    OfficerMoveForm,
    OperationFilterForm,
    OperationForm,
    PlanStartForm,
    ProgrammeForm,
    ReplanForm,
    SelectionForm,
    TargetFilterForm,
    add_domain_error,
)
from scheduler.models import PlanningJob, Programme, Target
from scheduler.pages import targets as site_lists
from scheduler.pages.workspace import plan_days, plan_when, plan_workspace, script_data

KINDS = ("operations", "programmes")


def planner_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A planner's page: the console gate for the planner role, and an object the selectors do
    not show this planner (another agency's, sealed, unknown) is the 404 page."""

    @console_page("planner")
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404 from exc

    return wrapped


def _planner(request: HttpRequest) -> Officer:
    officer = getattr(request.user, "officer", None)
    if officer is None:
        raise Http404
    return officer


def _operation(request: HttpRequest, operation_id: Any) -> Operation:
    return selectors.planned_operation_get(user=request.user, uuid=operation_id, request=request)


def _subject(request: HttpRequest, kind: str, subject_id: Any) -> dict[str, Any]:
    if kind == "operations":
        return {"operation": _operation(request, subject_id)}
    if kind == "programmes":
        return {"programme": selectors.programme_get(user=request.user, uuid=subject_id)}
    raise Http404


def _subject_url(kind: str, subject: Any) -> str:
    name = "scheduler:operation" if kind == "operations" else "scheduler:programme"
    return reverse(name, args=[subject.uuid])


def _last_job(subject: Any) -> PlanningJob | None:
    """The subject's most recent run, whatever its state (the subject is already in scope)."""
    job = subject.jobs.order_by("-created_at").first()
    return services.planning_expire_stale(job=job) if job is not None and not job.is_finished else job


# --- Operations -----------------------------------------------------------------------------------


@planner_page
def operation_list(request: HttpRequest) -> HttpResponse:
    form = OperationFilterForm(request.GET or None)
    operations = selectors.planned_operation_list(user=request.user).prefetch_related("agencies")
    if form.is_valid():
        d = form.cleaned_data
        if d["status"]:
            operations = operations.filter(status=d["status"])
        if d["starts_from"]:
            operations = operations.filter(starts_at__date__gte=d["starts_from"])
        if d["starts_until"]:
            operations = operations.filter(starts_at__date__lte=d["starts_until"])
    return render(
        request,
        "scheduler/operation_list.html",
        {
            "form": form,
            # Listing a sealed operation is a read of it: audited as the API's list is (#15).
            "operations": selectors.operations_listed(
                user=request.user, operations=operations[:200], request=request
            ),
            "now": timezone.now(),
        },
    )


@planner_page
@require_http_methods(["GET", "POST"])
def operation_create(request: HttpRequest) -> HttpResponse:
    planner = _planner(request)
    form = OperationForm(request.POST or None, initial={"lead_agency": planner.agency_id})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            operation = services.operation_plan_create(
                actor=request.user,
                planner=planner,
                lead_agency=d["lead_agency"],
                agencies=list(d["agencies"]),
                **form.service_arguments(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Operation created. Now choose its targets."))
            return redirect("scheduler:operation", operation.uuid)
    return render(request, "scheduler/operation_form.html", {"form": form, "operation": None})


@planner_page
@require_http_methods(["GET", "POST"])
def operation_edit(request: HttpRequest, operation_id: str) -> HttpResponse:
    operation = _operation(request, operation_id)
    editable = operation.status == Operation.Status.DRAFT
    form = OperationForm(request.POST or None, initial=OperationForm.initial_for(operation))
    # Who takes part is fixed at creation (the inspections service owns it).
    for name in ("lead_agency", "agencies"):
        form.fields[name].disabled = True
    if request.method == "POST" and editable and form.is_valid():
        arguments = form.service_arguments()
        in_waves = Target.objects.filter(operation=operation, wave__isnull=False).count()
        try:
            services.operation_plan_update(
                actor=request.user,
                operation=operation,
                wave_renames=form.cleaned_data["wave_renames"],
                **arguments,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Operation saved. Plan it again to see the change in the plan."))
            # A wave removed takes its targets out of any wave: said, so they are put back in one.
            lost = in_waves - Target.objects.filter(operation=operation, wave__isnull=False).count()
            if lost > 0:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)s target was in a wave you removed and is now in no wave: "
                        "choose its wave again.",
                        "%(count)s targets were in a wave you removed and are now in no wave: "
                        "choose their waves again.",
                        lost,
                    )
                    % {"count": lost},
                )
            return redirect("scheduler:operation", operation.uuid)
    status = 200 if editable or request.method == "GET" else 409
    return render(
        request,
        "scheduler/operation_form.html",
        {
            "form": form,
            "operation": operation,
            "editable": editable,
            "has_plan": not editable and selectors.latest_job(operation=operation) is not None,
        },
        status=status,
    )


@planner_page
def operation_detail(request: HttpRequest, operation_id: str) -> HttpResponse:
    return _operation_page(request, _operation(request, operation_id))


def _operation_page(
    request: HttpRequest, operation: Operation, *, selection: SelectionForm | None = None, status: int = 200
) -> HttpResponse:
    """The operation's page; ``selection`` a refused selection, shown with its reasons and the
    planner's choices beside its form (a message atop the page went unseen at the form)."""
    filters = TargetFilterForm(request.GET or None)
    others = site_lists.candidates(operation, **filters.filters())
    if request.htmx and request.htmx.target == "candidates":
        return render(
            request,
            "scheduler/_candidates.html",
            {
                "operation": operation,
                "others": others,
                "waves": list(operation.waves.all()),
                "editable": operation.status == Operation.Status.DRAFT,
                "filters": filters,
            },
        )
    waves = list(operation.waves.all())
    chosen = site_lists.chosen(operation)
    job = _last_job(operation)
    latest = selectors.latest_job(operation=operation)
    editable = operation.status == Operation.Status.DRAFT
    # Once published: who goes where, as issued to the phones (by a plan of these pages, with
    # each team's briefing, or directly by the inspections service, the API or the demo).
    issued = [] if editable else selectors.operation_issued(operation, latest)
    context = {
        "operation": operation,
        # None for an operation made outside these pages (the inspections service, the API).
        "setup": getattr(operation, "setup", None),
        "waves": waves,
        "first_day": timezone.localtime(operation.starts_at).date(),
        "chosen": chosen,
        "others": others,
        "filters": filters,
        "target_count": len(chosen),
        # The sites for the map come from operation_sites (one request the browser may cache);
        # the page carries only the texts the script shows.
        "map_data": {
            "sites_url": reverse("scheduler:operation-sites", args=[operation.uuid]),
            "texts": {
                "chosen": _("target"),
                "not_chosen": _("not a target"),
                "hours": _("Opening hours"),
                "colon": label_separator(),
                "added": _("%(name)s added to the targets: choose its wave, then save."),
                "removed": _("%(name)s taken out of the targets: save to keep the change."),
                "wave_of": _("Wave of %(name)s"),
                # Said beside "Save the targets" while ticks are not saved (the saved count above
                # stays what the planner plans): one form for one site, the other for any other
                # number, as the catalogues' plural rule for English and Portuguese.
                "ticked_one": ngettext(
                    "%(n)s site ticked: save to make the ticked sites the targets.",
                    "%(n)s sites ticked: save to make the ticked sites the targets.",
                    1,
                ),
                "ticked_other": ngettext(
                    "%(n)s site ticked: save to make the ticked sites the targets.",
                    "%(n)s sites ticked: save to make the ticked sites the targets.",
                    2,
                ),
                "unsaved_plan": _(
                    "The targets have changes you have not saved, and the planner plans the targets "
                    "as saved. Plan without your changes?"
                ),
            },
        },
        "selection": selection or SelectionForm(waves=waves),
        "start_form": PlanStartForm(),
        "job": job,
        "hand_edits": selectors.hand_edits_kept(operation=operation) if editable else "",
        "has_plan": latest is not None,
        "editable": editable,
        "issued": issued,
        "now": timezone.now(),
        "issued_teams": sum(1 for team in issued if team["team"] is not None),
        "issued_visits": sum(len(team["visits"]) for team in issued),
        "kind": "operations",
    }
    return render(request, "scheduler/operation_detail.html", context, status=status)


@planner_page
def operation_sites(request: HttpRequest, operation_id: str) -> JsonResponse:
    """Every active site for the targets map (the operation only scopes who may ask)."""
    _operation(request, operation_id)
    return JsonResponse({"sites": site_lists.map_sites()})


@planner_page
@require_POST
def operation_targets(request: HttpRequest, operation_id: str) -> HttpResponse:
    """The whole list of targets from the checklist (or the map that ticks it), each in a wave."""
    operation = _operation(request, operation_id)
    # A value that is no site's id is an unknown site (a uuid lookup of "abc" was a server error).
    chosen = request.POST.getlist("site")
    if not all(_is_uuid(value) for value in chosen):
        raise Http404
    sites = {str(s.uuid): s for s in Site.objects.filter(uuid__in=chosen, is_active=True)} if chosen else {}
    existing = {t.site_id: t for t in operation.targets.all()}
    targets = []
    for uuid in chosen:
        site = sites.get(uuid)
        if site is None:
            raise Http404
        wave = request.POST.get(f"wave-{uuid}") or None
        kept = existing.get(site.pk)
        targets.append(
            {
                "site": site,
                "wave": wave,
                "priority": kept.priority if kept else 3,
                "languages": kept.languages if kept else [],
                "category": kept.category if kept else "prostitution_trafficking",
            }
        )
    try:
        services.operation_plan_update(actor=request.user, operation=operation, targets=targets)
    except DomainError as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(request, _("Targets saved: %(count)s.") % {"count": len(targets)})
    return redirect(reverse("scheduler:operation", args=[operation.uuid]) + "#targets")


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True


def _flatten(errors: dict[str, Any]) -> list[str]:
    # A service's plain English message is looked up in the catalogues, as the API's error
    # handler does: the Chinese page said "Choose the operation's targets first." (lazy texts
    # are already in the reader's language, and a translated one looks itself up unchanged).
    return [
        _(str(m))
        for messages_ in errors.values()
        for m in (messages_ if isinstance(messages_, list) else [messages_])
    ]


def _refusal(exc: DomainError) -> str:
    """A service's refusal as one line in the reader's language, for a flash message or the
    planning panel: its reasons if it gave any, else its detail."""
    if exc.errors:
        return pgettext("between the reasons of a refusal", "; ").join(_flatten(exc.errors))
    return _(str(exc.detail)) if exc.detail else ""


@planner_page
@require_POST
def operation_select(request: HttpRequest, operation_id: str) -> HttpResponse:
    """Add the riskiest sites of a selection (kinds, venue types, parishes, minimum risk)."""
    operation = _operation(request, operation_id)
    form = SelectionForm(request.POST, waves=list(operation.waves.all()))
    if not form.is_valid():
        return _operation_page(request, operation, selection=form, status=400)
    d = form.cleaned_data
    try:
        selection = services.site_draw(
            kinds=d["kinds"],
            venue_types=d["venue_types"],
            parishes=d["parishes"],
            min_risk=d["min_risk"],
            limit=d["limit"],
            random_share_percent=d["random_share"],
            seed=d["seed"],
        )
        drawn = services.operation_targets_draw(
            actor=request.user, operation=operation, selection=selection, wave=d["wave"] or None
        )
    except DomainError as exc:
        messages.error(request, _refusal(exc))
    else:
        added = _("%(risk)s sites added by risk and %(draw)s drawn at random (seed %(seed)s).") % {
            "risk": len(drawn.by_risk),
            "draw": len(drawn.by_draw),
            "seed": selection.seed,
        }
        if drawn.already:
            added += sentence_separator() + ngettext(
                "%(n)s site was already a target: it keeps its wave and how it was chosen.",
                "%(n)s sites were already targets: they keep their wave and how they were chosen.",
                len(drawn.already),
            ) % {"n": len(drawn.already)}
        messages.success(request, added)
    return redirect(reverse("scheduler:operation", args=[operation.uuid]) + "#targets")


# --- Planning runs --------------------------------------------------------------------------------


def _job_context(job: PlanningJob, kind: str, subject: Any, *, announce: bool = False) -> dict[str, Any]:
    # The panel makes its own links (the plan's page) from these: the subject's page includes
    # it with no more than these on a full load, the live updates render it alone.
    return {"job": job, "kind": kind, "subject": subject, "announce": announce}


@planner_page
@require_POST
def plan_start(request: HttpRequest, kind: str, subject_id: str) -> HttpResponse:
    subject_kw = _subject(request, kind, subject_id)
    subject = next(iter(subject_kw.values()))
    form = PlanStartForm(request.POST)
    error = ""
    job = None
    if form.is_valid():
        try:
            job = services.planning_start(actor=request.user, **subject_kw, **form.cleaned_data)
        except DomainError as exc:
            error = _refusal(exc)
    else:
        error = "; ".join(str(e) for errors in form.errors.values() for e in errors)
    if job is not None:
        job.refresh_from_db()
    if request.htmx:
        # A run just asked for: its start is announced (the focus stays on "Plan").
        context = {"error": error}
        if job:
            context.update(_job_context(job, kind, subject, announce=True))
        return render(request, "scheduler/_job.html", context)
    if error:
        messages.error(request, error)
    return redirect(_subject_url(kind, subject) + "#planning")


@planner_page
def job_status(request: HttpRequest, job_id: str) -> HttpResponse:
    job = selectors.job_get(user=request.user, uuid=job_id)
    job = services.planning_expire_stale(job=job) or job
    kind = "operations" if job.operation_id else "programmes"
    subject = job.operation or job.programme
    if request.htmx and request.htmx.target == "job-run":
        # The running panel's progress asks: while the run goes on, the progress alone (announced
        # when it has moved on a step from the one drawn); once it ends, the whole panel.
        if not job.is_finished:
            context = _job_context(job, kind, subject, announce=request.GET.get("step") != job.progress_step)
            return render(request, "scheduler/_job_run.html", context)
        panel = render(request, "scheduler/_job.html", _job_context(job, kind, subject))
        return retarget(reswap(panel, "outerHTML"), "#job")
    return render(request, "scheduler/_job.html", _job_context(job, kind, subject))


@planner_page
@require_POST
def job_cancel(request: HttpRequest, job_id: str) -> HttpResponse:
    job = selectors.job_get(user=request.user, uuid=job_id)
    kind = "operations" if job.operation_id else "programmes"
    subject = job.operation or job.programme
    error = ""
    try:
        job = services.planning_cancel(actor=request.user, job=job)
    except DomainError as exc:
        error = _refusal(exc)
        job.refresh_from_db()
    if request.htmx:
        return render(request, "scheduler/_job.html", {**_job_context(job, kind, subject), "error": error})
    if error:
        messages.error(request, error)
    return redirect(_subject_url(kind, subject) + "#planning")


# --- The plan workspace ---------------------------------------------------------------------------


def _latest(request: HttpRequest, kind: str, subject_id: str) -> tuple[Any, PlanningJob | None]:
    subject_kw = _subject(request, kind, subject_id)
    return next(iter(subject_kw.values())), selectors.latest_job(**subject_kw)


def _move_form(workspace: dict[str, Any], data: Any = None) -> MoveForm:
    # Each visit with its start, dated when not on the plan's first day: which night it is on.
    first_day = workspace.get("first_day")
    visits = [
        (s["visit"], f"{s['site']} — {r['team']} #{s['order']} · {plan_when(s['start'], first_day)}")
        for r in workspace["routes"]
        for s in r["stops"]
    ] + [(u["visit_id"], f"{u['site']} — {_('not planned')}") for u in workspace["unplanned"]]
    teams = [r["team"] for r in workspace["routes"]]
    return MoveForm(data, visits=visits, teams=teams)


def _officer_form(job: PlanningJob, workspace: dict[str, Any], data: Any = None) -> OfficerMoveForm:
    """Each officer of a team, named with the team ("Pat Police (PSP) — Team 1 (PSP·DSAL)"), then
    the officers the plan could use but leaves out of every team."""
    teams = [r["team"] for r in workspace["routes"]]
    in_teams = [
        (
            OfficerMoveForm.officer_value(r["index"], m["id"]),
            f"{selectors.bracketed(m['name'], m['agency'])} — {r['team']}",
        )
        for r in workspace["routes"]
        for m in r["members"]
    ]
    placed = {m["id"] for r in workspace["routes"] for m in r["members"]}
    free = [o for o in selectors.plan_officers(job) if str(o.uuid) not in placed]
    on_duty = selectors.plan_on_duty(job, free)

    # Over several nights (a programme: days), an officer in a team on some of them only may
    # join another one's.
    def period(route: dict[str, Any]) -> Any:
        return route["night"] if job.operation_id else timezone.localtime(route["departure"]).date()

    nights = {period(r) for r in workspace["routes"]} - {None}
    in_some: dict[str, tuple[dict[str, Any], set[Any]]] = {}
    for r in workspace["routes"]:
        for m in r["members"]:
            in_some.setdefault(m["id"], (m, set()))[1].add(period(r))
    elsewhere = sorted(
        (
            OfficerMoveForm.officer_value(None, officer_id),
            selectors.bracketed(m["name"], m["agency"]),
        )
        for officer_id, (m, worked) in in_some.items()
        if len(nights) > 1 and worked < nights
    )
    # Those on duty first: of some 120 officers of the agencies, most have no shift then, and
    # bringing one in only tells the planner so.
    groups: dict[bool, list[tuple[str, str]]] = {True: [], False: []}
    for o in free:
        groups[str(o.uuid) in on_duty].append(
            (
                OfficerMoveForm.officer_value(None, str(o.uuid)),
                selectors.bracketed(o.full_name, o.agency.code),
            )
        )
    officers: list[Any] = list(in_teams)
    if elsewhere:
        group = (
            _("In a team on another night only") if job.operation_id else _("In a team on another day only")
        )
        officers.append((group, sorted(elsewhere, key=lambda pair: pair[1])))
    for duty, label in ((True, _("On duty, in no team")), (False, _("Not on duty"))):
        if groups[duty]:
            officers.append((label, sorted(groups[duty], key=lambda pair: pair[1])))
    # Ids of their own: the visit's move form on the same page has a "to_route" too.
    return OfficerMoveForm(data, officers=officers, teams=teams, auto_id="officer_move_%s")


def _comparison(job: PlanningJob, workspace: dict[str, Any]) -> dict[str, Any] | None:
    """A re-plan beside the plan it changes: KPIs side by side and the visits that changed."""
    if job.replan_of_id is None:
        return None
    before = plan_workspace(job.replan_of)

    # A visit stays put while its team (the solver's team id, else its place: a re-plan keeps
    # both) and start do: a stand-in of another agency changes the team's label, "Team 4
    # (DSAL·PSP)" to "Team 4 (PSP·SSM)", not the team, and every visit of it was listed as moved.
    def where(ws: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
        return {
            s["visit"]: (r.get("team_id") or r["index"], s["start"]) for r in ws["routes"] for s in r["stops"]
        }

    def shown(ws: dict[str, Any]) -> dict[str, tuple[str, Any]]:
        return {s["visit"]: (r["team"], s["start"]) for r in ws["routes"] for s in r["stops"]}

    old, new = where(before), where(workspace)
    names = {s["visit"]: s["site"] for ws in (before, workspace) for r in ws["routes"] for s in r["stops"]}
    names |= {u["visit_id"]: u["site"] for ws in (before, workspace) for u in ws["unplanned"]}
    old_shown, new_shown = shown(before), shown(workspace)
    changed = []
    for visit in sorted(set(old) | set(new), key=lambda v: names.get(v, v)):
        if old.get(visit) != new.get(visit):
            changed.append(
                {
                    "site": names.get(visit, visit),
                    "before": old_shown.get(visit),
                    "after": new_shown.get(visit),
                }
            )

    # Who left a team and who joined it: a re-plan after a drop-out moves no visit when someone
    # stands in, and its "0 visits change" said nothing of the officer the team now has.
    def crews(ws: dict[str, Any]) -> dict[Any, tuple[str, dict[str, str]]]:
        return {
            r.get("team_id") or r["index"]: (r["team"], {m["id"]: m["name"] for m in r.get("members", [])})
            for r in ws["routes"]
        }

    old_crews, new_crews = crews(before), crews(workspace)
    officers = []
    for team in [*new_crews, *(t for t in old_crews if t not in new_crews)]:
        was, now = old_crews.get(team, ("", {})), new_crews.get(team, ("", {}))
        left = sorted(name for officer, name in was[1].items() if officer not in now[1])
        joined = sorted(name for officer, name in now[1].items() if officer not in was[1])
        if left or joined:
            officers.append(
                {
                    "team": now[0] or was[0],
                    "left": selectors.list_text(left),
                    "joined": selectors.list_text(joined),
                }
            )
    return {"before": before["kpis"], "after": workspace["kpis"], "changed": changed, "officers": officers}


def _workspace_context(request: HttpRequest, kind: str, subject: Any, job: PlanningJob) -> dict[str, Any]:
    workspace = {**plan_workspace(job), **plan_days(subject, kind)}
    waves = list(subject.waves.all()) if kind == "operations" else []
    officers = sorted(
        {
            (m["id"], selectors.bracketed(m["name"], m["agency"]))
            for r in workspace["routes"]
            for m in r["members"]
        },
        key=lambda pair: pair[1],
    )
    texts = {
        "travel": _("travel"),
        "waiting": _("waiting"),
        "on_site": _("on site"),
        "wave": _("wave"),
        "muster": _("Muster point"),
        "muster_mark": pgettext("one letter on the map's muster point marker", "M"),
        "unplanned": _("not planned"),
        "team": _("Team"),
        "no_visits": _("No visit on this night or day."),
        "team_no_visits": _("no visits"),
        # Between a label and its value in the map's tooltips: "：" in Chinese.
        "colon": label_separator(),
    }
    return {
        "kind": kind,
        "subject": subject,
        "job": job,
        "ws": workspace,
        "waves": waves,
        "move_form": _move_form(workspace),
        "officer_form": _officer_form(job, workspace) if job.status == PlanningJob.Status.SUCCEEDED else None,
        "replan_form": ReplanForm(officers=officers),
        "comparison": _comparison(job, workspace),
        "editable": job.status == PlanningJob.Status.SUCCEEDED,
        "published": job.status == PlanningJob.Status.PUBLISHED,
        # In an attribute, not a <script>: htmx does not keep script elements it swaps in.
        "script_json": json.dumps(script_data(workspace, waves, texts), cls=DjangoJSONEncoder),
        "subject_url": _subject_url(kind, subject),
    }


@planner_page
def plan(request: HttpRequest, kind: str, subject_id: str) -> HttpResponse:
    subject, job = _latest(request, kind, subject_id)
    if job is None:
        # An operation published without a plan of these pages (its teams and visits issued
        # directly): nothing to plan here, and its page says who goes where.
        issued = kind == "operations" and subject.status != Operation.Status.DRAFT
        return render(
            request,
            "scheduler/plan_none.html",
            {"subject": subject, "subject_url": _subject_url(kind, subject), "issued": issued},
        )
    return render(request, "scheduler/plan.html", _workspace_context(request, kind, subject, job))


def _plan_response(
    request: HttpRequest,
    kind: str,
    subject: Any,
    job: PlanningJob,
    *,
    note: str = "",
    error: Any = None,
    note_broken: bool = False,
    replan_form: ReplanForm | None = None,
) -> HttpResponse:
    """After an edit: the workspace again (htmx swaps its main part), with the outcome said.

    ``note_broken``: the edit is done, but if the plan now breaks rules the note says so as a
    warning, with how many and a link to them, rather than as a success."""
    job.refresh_from_db()
    context = {
        **_workspace_context(request, kind, subject, job),
        "note": note,
        "error": error,
        "note_broken": note_broken,
    }
    if replan_form is not None:
        context["replan_form"] = replan_form  # with what was typed, and each field's error
    if request.htmx:
        return render(request, "scheduler/_workspace.html", context)
    broken = len(context["ws"]["violations"]) if note_broken else 0
    if error:
        messages.error(request, error["detail"])
    elif note and broken:
        messages.warning(
            request,
            ngettext(
                "%(note)s The plan now breaks %(n)d rule: it cannot be published until it holds.",
                "%(note)s The plan now breaks %(n)d rules: it cannot be published until they hold.",
                broken,
            )
            % {"note": note, "n": broken},
        )
    elif note:
        messages.success(request, note)
    return redirect("scheduler:plan", kind, subject.uuid)


def _error(exc: DomainError, refused: str = "") -> dict[str, Any]:
    """A refusal for the page; a plan's broken rules come with their message (see
    ``selectors.violation_messages``), older ones with the checker's English detail. ``refused``
    heads a refused input's reasons with what did not happen ("The officer was not moved:")
    instead of the bare "The input is not valid.", which said neither what nor what to do."""
    if refused and isinstance(exc, InvalidInput) and exc.errors:
        return {"detail": refused, "errors": _flatten(exc.errors), "violations": []}
    return {
        # A service's plain English message is looked up in the catalogues here, as the API's
        # error handler does (lazy texts are already in the reader's language).
        "detail": _(str(exc.detail)) if exc.detail else exc.detail,
        "errors": _flatten(exc.errors),
        "violations": [
            v.get("message") or v.get("detail", v.get("code", "")) for v in exc.extra.get("violations", [])
        ],
    }


@planner_page
@require_POST
def plan_move(request: HttpRequest, kind: str, subject_id: str) -> HttpResponse:
    subject, job = _latest(request, kind, subject_id)
    if job is None:
        raise Http404
    form = _move_form({**plan_workspace(job), **plan_days(subject, kind)}, request.POST)
    if not form.is_valid():
        error = {"detail": _("Choose a visit and where to move it."), "errors": [], "violations": []}
        return _plan_response(request, kind, subject, job, error=error)
    try:
        position = request.POST.get("position")
        given = bool(position) and ascii_digits(position)
        job = services.plan_move(
            actor=request.user,
            job=job,
            visit_id=form.cleaned_data["visit"],
            to_route=form.target_route(),
            position=int(position) if given else None,
        )
    except DomainError as exc:
        return _plan_response(request, kind, subject, job, error=_error(exc, _("The visit was not moved:")))
    return _plan_response(
        request,
        kind,
        subject,
        job,
        note=_("Visit moved and pinned; the plan was checked again."),
        note_broken=True,
    )


@planner_page
@require_POST
def plan_officer_move(request: HttpRequest, kind: str, subject_id: str) -> HttpResponse:
    subject, job = _latest(request, kind, subject_id)
    if job is None:
        raise Http404
    form = _officer_form(job, plan_workspace(job), request.POST)
    if not form.is_valid():
        error = {
            "detail": _("Choose an officer and the team to move them to."),
            "errors": [],
            "violations": [],
        }
        return _plan_response(request, kind, subject, job, error=error)
    from_route, officer_id = form.source()
    full = _full_team(subject, plan_workspace(job), form.target_route(), officer_id)
    if full and not request.POST.get("into_full_team"):
        # Asked, not refused: a planner filling a full team often means to take another officer
        # out next (a swap), which a refusal would turn into two moves in the other order.
        context = {**_workspace_context(request, kind, subject, job), "full_team": full}
        context["officer_form"] = _officer_form(job, context["ws"], request.POST)
        template = "scheduler/_workspace.html" if request.htmx else "scheduler/plan.html"
        return render(request, template, context)
    try:
        job = services.plan_officer_move(
            actor=request.user,
            job=job,
            officer_id=officer_id,
            from_route=from_route,
            to_route=form.target_route(),
        )
    except DomainError as exc:
        return _plan_response(request, kind, subject, job, error=_error(exc, _("The officer was not moved:")))
    return _plan_response(
        request,
        kind,
        subject,
        job,
        note=_("Officer moved; the teams were re-timed and the plan was checked again."),
        note_broken=True,
    )


def _full_team(
    subject: Any, workspace: dict[str, Any], to_route: int | None, officer_id: str
) -> dict[str, Any]:
    """The team an officer is moved into when it already has the most officers an operation's
    team may have (its setup's team size), with what to tell the planner; {} otherwise."""
    setup = getattr(subject, "setup", None) if isinstance(subject, Operation) else None
    route = next((r for r in workspace["routes"] if r["index"] == to_route), None)
    if setup is None or route is None:
        return {}
    members = [m for m in route["members"] if m["id"] != officer_id]
    if len(members) < setup.team_max_size:
        return {}
    officer = Officer.objects.filter(uuid=officer_id).only("full_name").first()
    return {
        "team": route["team"],
        "message": _(
            "%(team)s is full already (team size at most %(n)d): moving %(officer)s there breaks "
            "the team size, and the plan cannot be published until every team keeps it."
        )
        % {"team": route["team"], "n": setup.team_max_size, "officer": officer.full_name if officer else "—"},
    }


@planner_page
@require_POST
def plan_officer_unpin(request: HttpRequest, kind: str, subject_id: str) -> HttpResponse:
    subject, job = _latest(request, kind, subject_id)
    if job is None:
        raise Http404
    try:
        job = services.plan_officer_unpin(
            actor=request.user, job=job, officer_id=request.POST.get("officer", "")
        )
    except DomainError as exc:
        return _plan_response(request, kind, subject, job, error=_error(exc))
    return _plan_response(
        request,
        kind,
        subject,
        job,
        note=_("Released: the plan stays as it is, and planning again forms this officer's teams afresh."),
    )


@planner_page
@require_POST
def plan_unpin(request: HttpRequest, kind: str, subject_id: str) -> HttpResponse:
    subject, job = _latest(request, kind, subject_id)
    if job is None:
        raise Http404
    visit = request.POST.get("visit", "")
    # Pinned out of the plan (the planner took it out), or pinned to a team.
    out = visit in (job.pins or {}) and job.pins[visit] is None
    try:
        job = services.plan_unpin(actor=request.user, job=job, visit_id=visit)
    except DomainError as exc:
        return _plan_response(request, kind, subject, job, error=_error(exc))
    if out:
        note = _("Pin released: the visit stays out of this plan, and planning again may put it back in.")
    else:
        note = _("Pin released; a re-plan may move this visit.")
    return _plan_response(request, kind, subject, job, note=note)


@planner_page
@require_POST
def plan_publish(request: HttpRequest, kind: str, subject_id: str) -> HttpResponse:
    subject, job = _latest(request, kind, subject_id)
    if job is None:
        raise Http404
    try:
        job = services.plan_publish(actor=request.user, job=job)
    except DomainError as exc:
        return _plan_response(request, kind, subject, job, error=_error(exc))
    return _plan_response(
        request, kind, subject, job, note=_("Plan published: the teams and inspections exist.")
    )


@planner_page
@require_POST
def plan_replan(request: HttpRequest, kind: str, subject_id: str) -> HttpResponse:
    subject, job = _latest(request, kind, subject_id)
    if job is None:
        raise Http404
    workspace = plan_workspace(job)
    officers = sorted({(m["id"], m["name"]) for r in workspace["routes"] for m in r["members"]})
    form = ReplanForm(request.POST, officers=officers)
    if not form.is_valid():
        # Said as the form says it: a time limit out of bounds was "Choose the officer who drops
        # out." with the officer chosen, and the limit's own words were never shown.
        if "officer" in form.errors:
            detail = _("Choose the officer who drops out.")
        else:
            detail = " ".join(str(e) for errors in form.errors.values() for e in errors)
        error = {"detail": detail, "errors": [], "violations": []}
        return _plan_response(request, kind, subject, job, error=error, replan_form=form)
    officer = Officer.objects.filter(uuid=form.cleaned_data["officer"]).first()
    try:
        job = services.plan_replan(
            actor=request.user,
            job=job,
            officer_out=officer,
            time_limit_seconds=form.cleaned_data["time_limit_seconds"],
        )
    except DomainError as exc:
        return _plan_response(request, kind, subject, job, error=_error(exc))
    note = _("Re-plan ready: %(moves)s visits change. Compare it below, then publish it.") % {
        "moves": job.moves
    }
    return _plan_response(request, kind, subject, job, note=note)


# --- Briefings ------------------------------------------------------------------------------------


def _briefing(request: HttpRequest, kind: str, subject_id: str, number: int) -> tuple[Any, dict[str, Any]]:
    subject, job = _latest(request, kind, subject_id)
    if job is None:
        raise Http404
    return subject, selectors.briefing(job, number)


def _language_names(data: dict[str, Any]) -> dict[str, Any]:
    """The briefing with languages named in the reader's language ("Portuguese", not "pt"), as
    the workspace names them; a code no skill names stays as it is."""
    codes = {c for o in data["officers"] for c in o["languages"]} | set(data["needs"]["interpreter"])
    skills = Skill.objects.filter(kind=Skill.Kind.LANGUAGE, code__in=[f"lang-{c}" for c in codes])
    names = {s.code.removeprefix("lang-"): s.name for s in skills}

    def named(languages: list[str]) -> list[str]:
        return [names.get(c, c) for c in languages]

    return {
        **data,
        "officers": [{**o, "languages": named(o["languages"])} for o in data["officers"]],
        "needs": {**data["needs"], "interpreter": named(data["needs"]["interpreter"])},
    }


@planner_page
def briefing(request: HttpRequest, kind: str, subject_id: str, number: int) -> HttpResponse:
    subject, data = _briefing(request, kind, subject_id, number)
    data = _language_names(data)
    map_data = {
        "teams": [
            {
                "index": number - 1,
                "number": number,
                "label": data["team"],
                "colour": "#0b5cad",
                "depot": {
                    "name": data["muster"]["name"],
                    "lat": data["muster"]["latitude"],
                    "lon": data["muster"]["longitude"],
                },
                "stops": [
                    {"order": s["order"], "site": s["site"], "lat": s["latitude"], "lon": s["longitude"]}
                    for s in data["stops"]
                ],
            }
        ],
        "unplanned": [],
        "waves": [],
        "texts": {
            "muster": _("Muster point"),
            "muster_mark": pgettext("one letter on the map's muster point marker", "M"),
            "team": _("Team"),
            "colon": label_separator(),
        },
    }
    return render(
        request,
        "scheduler/briefing_page.html",
        {
            "b": data,
            "kind": kind,
            "subject": subject,
            "script_json": json.dumps(map_data, cls=DjangoJSONEncoder),
        },
    )


@planner_page
def briefing_csv(request: HttpRequest, kind: str, subject_id: str, number: int) -> HttpResponse:
    _subject_obj, data = _briefing(request, kind, subject_id, number)
    # The same columns as the API's CSV: one builder for both.
    response = HttpResponse(selectors.briefing_csv(data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="briefing-team-{number}.csv"'
    return response


# --- Routine programmes ---------------------------------------------------------------------------


@planner_page
def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = selectors.programme_list(user=request.user).order_by("-start_date")[:200]
    return render(request, "scheduler/programme_list.html", {"programmes": programmes})


@planner_page
@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest) -> HttpResponse:
    planner = _planner(request)
    form = ProgrammeForm(request.POST or None, agency=planner.agency)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            programme = services.programme_create(
                actor=request.user,
                planner=planner,
                name=d["name"],
                agency=planner.agency,
                start_date=d["start_date"],
                end_date=d["end_date"],
                officers=list(d["officers"]),
                work_in_pairs=d["work_in_pairs"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Programme created. Plan it when the due work is in."))
            return redirect("scheduler:programme", programme.uuid)
    return render(request, "scheduler/programme_form.html", {"form": form, "agency": planner.agency})


@planner_page
def programme_detail(request: HttpRequest, programme_id: str) -> HttpResponse:
    programme: Programme = selectors.programme_get(user=request.user, uuid=programme_id)
    due = (
        planning_selectors.due_work_list(user=request.user, status=DueWork.Status.OPEN)
        .filter(agency=programme.agency, earliest__lte=programme.end_date, latest__gte=programme.start_date)
        .select_related("site")[:200]
    )
    context = {
        "programme": programme,
        "officers": programme.officers.select_related("agency").order_by("full_name"),
        "due": due,
        "start_form": PlanStartForm(),
        "job": _last_job(programme),
        "hand_edits": selectors.hand_edits_kept(programme=programme),
        "has_plan": selectors.latest_job(programme=programme) is not None,
        "kind": "programmes",
    }
    return render(request, "scheduler/programme_detail.html", context)


# --- Due work -------------------------------------------------------------------------------------


@planner_page
@require_http_methods(["GET", "POST"])
def due_work(request: HttpRequest) -> HttpResponse:
    planner = _planner(request)
    form = DueWorkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            planning_services.due_work_request(
                actor=request.user,
                site=d["site"],
                agency=planner.agency,
                category=d["category"],
                reason=d["reason"],
                earliest=d["earliest"],
                latest=d["latest"],
                priority=d["priority"],
                note=d["note"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Due work requested."))
            return redirect("scheduler:due-work")
    status = request.GET.get("status", DueWork.Status.OPEN)
    if status not in DueWork.Status.values and status != "all":
        status = DueWork.Status.OPEN
    rows = list(
        planning_selectors.due_work_list(user=request.user, status=None if status == "all" else status)[:300]
    )
    labels = dict(Category.choices)
    for row in rows:  # the category is a code on the row (no choices there): say it in words
        row.category_label = labels.get(row.category, row.category)
    return render(
        request,
        "scheduler/due_work.html",
        {
            "form": form,
            "rows": rows,
            "status": status,
            "statuses": [("all", pgettext("every status of due work", "All")), *DueWork.Status.choices],
        },
    )


@planner_page
@require_POST
def due_work_cancel(request: HttpRequest, due_id: str) -> HttpResponse:
    due = planning_selectors.due_work_get(user=request.user, uuid=due_id)
    try:
        planning_services.due_work_cancel(actor=request.user, due=due, note=request.POST.get("note", ""))
    except DomainError as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(request, _("Due work cancelled."))
    # Back to the list the planner cancelled from: "All" showed the request cancelled, where the
    # open list it fell back to had it vanish, as if it were lost rather than cancelled.
    shown = request.POST.get("status", "")
    back = reverse("scheduler:due-work")
    if shown in DueWork.Status.values or shown == "all":
        back += "?" + urlencode({"status": shown})
    return redirect(back)
