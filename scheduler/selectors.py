"""Reads of planning data. A joint operation's set-up, targets, waves and plans are its
planners' alone (and administrators'); every read of a sealed operation's plan is audited.
Programmes are seen by their planners and by the planners of their agency."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import dateformat, timezone
from django.utils.formats import time_format
from django.utils.translation import get_language_info, gettext_lazy, ngettext, pgettext
from django.utils.translation import gettext as _

from backend.audit.services import audit_record, audit_record_many
from backend.core.access import Principal, get_visible_or_404, principal_for, scope_rule, visible
from backend.core.errors import NotFound
from backend.core.i18n import bracketed, cjk_tight, list_separator
from backend.inspections.models import Operation
from backend.planning.models import DueWork
from backend.registry.models import Availability, Officer, Role, Site
from scheduler.models import OperationSetup, PlanningJob, Programme, Target, Wave
from scheduler.problem import (
    clock_of,
    operation_night_spans,
    operation_officers,
    plan_from_json,
    programme_officers,
)


def _admin(principal: Principal) -> bool:
    return principal.is_superuser or principal.has_role(Role.ADMINISTRATOR)


def _by_operation(prefix: str) -> Any:
    def rule(principal: Principal, qs: QuerySet[Any]) -> QuerySet[Any]:
        if _admin(principal):
            return qs
        if not (principal.is_officer and principal.has_role(Role.PLANNER)):
            return qs.none()
        ops = Operation.objects.filter(planners__id=principal.officer_id).values("pk")
        return qs.filter(**{f"{prefix}__in": ops})

    return rule


for _model in (OperationSetup, Wave, Target):
    scope_rule(_model)(_by_operation("operation"))


@scope_rule(Programme)
def _programmes(principal: Principal, qs: QuerySet[Programme]) -> QuerySet[Programme]:
    if _admin(principal):
        return qs
    if not (principal.is_officer and principal.has_role(Role.PLANNER)):
        return qs.none()
    return qs.filter(Q(planners__id=principal.officer_id) | Q(agency_id=principal.agency_id)).distinct()


@scope_rule(PlanningJob)
def _jobs(principal: Principal, qs: QuerySet[PlanningJob]) -> QuerySet[PlanningJob]:
    if _admin(principal):
        return qs
    if not (principal.is_officer and principal.has_role(Role.PLANNER)):
        return qs.none()
    ops = Operation.objects.filter(planners__id=principal.officer_id).values("pk")
    programmes = _programmes(principal, Programme.objects.all()).values("pk")
    return qs.filter(Q(operation__in=ops) | Q(programme__in=programmes))


def planned_operation_list(*, user: Any) -> QuerySet[Operation]:
    """Operations the user plans (administrators: all)."""
    principal = principal_for(user)
    qs = Operation.objects.select_related("lead_agency").order_by("-starts_at")
    if _admin(principal):
        return qs
    if not (principal.is_officer and principal.has_role(Role.PLANNER)):
        return qs.none()
    return qs.filter(pk__in=Operation.objects.filter(planners__id=principal.officer_id).values("pk"))


def _sealed(operation: Operation) -> bool:
    return operation.reveal_at > timezone.now() or operation.status == Operation.Status.DRAFT


def planned_operation_list_read(*, user: Any, request: Any = None) -> list[Operation]:
    """The operations the user plans, as a list shown to them: each sealed one in it leaves an
    audit entry of the read, as opening it does."""
    return operations_listed(user=user, operations=planned_operation_list(user=user), request=request)


def operations_listed(*, user: Any, operations: Iterable[Operation], request: Any = None) -> list[Operation]:
    """Operations about to be shown to the user in a list (the API's or the planner's page, after
    its filters and limit): each sealed one shown leaves an audit entry of the read."""
    operations = list(operations)
    sealed = [operation for operation in operations if _sealed(operation)]
    if sealed:
        audit_record_many(
            actor=user, action="read", verb="sealed_operation_listed", objs=sealed, request=request
        )
    return operations


def planned_operation_get(*, user: Any, uuid: Any, request: Any = None) -> Operation:
    """One operation the user plans. Reading a sealed operation leaves an audit entry."""
    operation = get_visible_or_404(user, planned_operation_list(user=user), uuid=uuid)
    if _sealed(operation):
        audit_record(actor=user, action="read", verb="sealed_operation_read", obj=operation, request=request)
    return operation


def job_get(*, user: Any, uuid: Any) -> PlanningJob:
    """One job the user may see. A running job whose worker died is failed with the reason on
    the way (through the service), so whoever asks, page or API, sees the truth."""
    job = get_visible_or_404(user, PlanningJob.objects.select_related("operation", "programme"), uuid=uuid)
    if job.status == PlanningJob.Status.RUNNING:
        from scheduler.services import planning_expire_stale  # services import this module

        job = planning_expire_stale(job=job)
    return _verdict_current(job)


def _verdict_current(job: PlanningJob | None) -> PlanningJob | None:
    """``job`` with a verdict of this release's checker: a draft whose stored verdict another
    version of the rules made is checked again on the way (through the service, which stores and
    audits it once), so the page and the API never show a verdict that no longer holds."""
    if job is None:
        return None
    from scheduler.services import plan_recheck  # services import this module

    return plan_recheck(job=job)


def programme_list(*, user: Any) -> QuerySet[Programme]:
    return visible(user, Programme.objects.select_related("agency"))


def programme_get(*, user: Any, uuid: Any) -> Programme:
    return get_visible_or_404(user, programme_list(user=user), uuid=uuid)


def latest_job(
    *, operation: Operation | None = None, programme: Programme | None = None
) -> PlanningJob | None:
    qs = PlanningJob.objects.filter(status__in=[PlanningJob.Status.SUCCEEDED, PlanningJob.Status.PUBLISHED])
    qs = qs.filter(operation=operation) if operation is not None else qs.filter(programme=programme)
    return _verdict_current(qs.order_by("-created_at").first())


def hand_edits_kept(*, operation: Operation | None = None, programme: Programme | None = None) -> str:
    """What planning again keeps of the planner's edits by hand, in the reader's language: the
    pinned visits and the officers placed by hand of the draft plan the next run replaces (the
    latest finished, unpublished one: ``services._previous_plan``); empty when there are none."""
    job = (
        PlanningJob.objects.filter(
            operation=operation, programme=programme, status=PlanningJob.Status.SUCCEEDED
        )
        .order_by("-created_at", "-pk")
        .only("pins", "officer_pins")
        .first()
    )
    if job is None:
        return ""
    kept = []
    if job.pins:
        n = len(job.pins)
        kept.append(ngettext("%(n)s pinned visit", "%(n)s pinned visits", n) % {"n": n})
    if job.officer_pins:
        n = len({p["officer"] for p in job.officer_pins})
        kept.append(ngettext("%(n)s officer placed by hand", "%(n)s officers placed by hand", n) % {"n": n})
    if not kept:
        return ""
    return _("Planning again keeps what you did by hand on the draft plan: %(kept)s.") % {
        "kept": list_text(kept)
    }


def briefing_numbers(job: PlanningJob | None) -> dict[str, int]:
    """The teams a published plan issued (team UUIDs), each with the number of its briefing in
    ``job``'s plan (1, 2, …: the route's place, as the briefing's URL numbers it). Empty without
    a plan, or for teams issued some other way."""
    if job is None or not (job.published_refs or {}).get("teams"):
        return {}
    from scheduler.services import route_ref  # services import this module

    refs = job.published_refs["teams"]
    numbers: dict[str, int] = {}
    for number, route in enumerate(plan_from_json(job.plan).routes, start=1):
        team = refs.get(route_ref(route))
        if team is not None and route.stops:
            numbers.setdefault(team, number)
    return numbers


def operation_issued(operation: Operation, job: PlanningJob | None = None) -> list[dict[str, Any]]:
    """Who goes where on an operation, as issued to the phones: each team of the operation with
    its members (the leader first, then by name; each with the agency) and its inspections in
    route order (site, address, window, status), whether a plan of the planner issued them or
    they were issued directly (the inspections service, the back-office API, the demo). With
    ``job`` (the operation's latest plan), each team a plan issued carries the number of its
    briefing. Inspections of no team come last, under a team of None.
    Read through ``planned_operation_get`` first: this adds no rule."""
    numbers = briefing_numbers(job)
    teams = list(
        operation.teams.select_related("leader").prefetch_related(
            Prefetch("members", queryset=Officer.objects.select_related("agency").order_by("full_name"))
        )
    )
    inspections = list(
        operation.inspections.select_related("site").order_by("planned_start", "route_order", "pk")
    )
    out = []
    for team in [*teams, None]:
        visits = [i for i in inspections if i.team_id == (team.pk if team else None)]
        if team is None and not visits:
            continue
        members = sorted(team.members.all(), key=lambda o: o.pk != team.leader_id) if team else []
        out.append(
            {
                "team": team,
                "name": team.name_in() if team else "",
                "briefing": numbers.get(str(team.uuid)) if team else None,
                "members": [
                    {"name": o.full_name, "agency": o.agency.code, "leader": o.pk == team.leader_id}
                    for o in members
                ],
                "visits": [
                    {
                        "site": i.site.name,
                        "address": i.site.address_shown,
                        "start": i.planned_start,
                        "end": i.planned_end,
                        "status": i.status,
                        "status_label": i.get_status_display(),
                    }
                    for i in visits
                ],
            }
        )
    return out


def plan_view(job: PlanningJob) -> dict[str, Any]:
    """The draft plan for people: teams with members, routes with local arrival times, and what
    could not be planned with the reason."""
    clock = clock_of(job)
    officers = {
        str(o.uuid): o
        for o in Officer.objects.filter(
            uuid__in={i for r in job.plan.get("routes", []) for i in r["officer_ids"]}
            | {(w.get("params") or {}).get("officer") for w in (job.evaluation or {}).get("warnings", [])}
            | {p["officer"] for p in job.officer_pins or []}
            | {d.get("officer") for d in (job.plan.get("officers_carried") or {}).get("dropped", [])} - {None}
        ).select_related("agency")
    }
    names = _visit_names(job)
    times = plan_times(job)
    nights = operation_nights(job.operation if job.operation_id else None)
    routes = []
    for index, r in enumerate(job.plan.get("routes", [])):
        night = route_night(nights, clock.at(r["departure"]))
        routes.append(
            {
                "index": index,
                "number": index + 1,
                # The date of the night the team works, over several nights (else null).
                "night": night.isoformat() if night else None,
                "team": team_label(
                    index + 1,
                    (officers[i].agency.code for i in r["officer_ids"] if i in officers),
                    route_night(nights, clock.at(r["departure"])),
                ),
                # Without its night, where the night is said already (the timeline's page).
                "team_short": team_label(
                    index + 1, (officers[i].agency.code for i in r["officer_ids"] if i in officers)
                ),
                "team_id": r.get("team_id", ""),
                "leader": r.get("leader_id"),
                "members": [
                    {
                        "id": i,
                        "name": officers[i].full_name,
                        "agency": officers[i].agency.code,
                        "sex": officers[i].sex,
                    }
                    for i in r["officer_ids"]
                    if i in officers
                ],
                "depot": r["depot_id"],
                "departure": clock.at(r["departure"]),
                "back": clock.at(r["back"]),
                "stops": [
                    {
                        "visit": s["visit_id"],
                        "site": names.get(s["visit_id"], ""),
                        "arrival": clock.at(s["arrival"]),
                        "start": clock.at(s["start"]),
                        "end": clock.at(s["end"]),
                        "wave": s.get("wave_id"),
                    }
                    for s in r["stops"]
                ],
            }
        )
    # The solver's team ids in a broken rule ("N1-T01") as the page names the team.
    team_names: dict[str, str] = {}
    for r in routes:
        if r["team_id"]:
            team_names.setdefault(r["team_id"], r["team"])
    route_names = {r["index"]: r["team"] for r in routes}
    return {
        "job": str(job.uuid),
        "status": job.status,
        "replan_of": str(job.replan_of.uuid) if job.replan_of_id else None,
        "moves": job.moves,
        "routes": routes,
        "unplanned": [
            {**u, "site": names.get(u["visit_id"], ""), "explanation": unplanned_text(u, times)}
            for u in job.plan.get("unplanned", [])
        ],
        "chosen_by": _chosen_by(job),
        "evaluation": {
            **job.evaluation,
            "violations": [
                {**v, "message": violation_text(v, officers, names, team_names, times, route_names)}
                for v in job.evaluation.get("violations", [])
            ],
        },
        # The visits the planner pinned (carried over from the previous plan, or moved here),
        # and the pins of the previous plan this one could not keep, with the reason.
        "pins": [
            {
                "visit": visit,
                "site": names.get(visit, ""),
                "team": routes[route]["team"] if route is not None and 0 <= route < len(routes) else None,
            }
            for visit, route in (job.pins or {}).items()
        ],
        "pins_dropped": _pins_dropped(job, names),
        # The officers the planner placed by hand (in a team, or taken out of that night's or
        # day's teams), which planning again keeps so; and those the last "Plan again" could not.
        "officer_pins": [
            {
                "officer": p["officer"],
                "name": officers[p["officer"]].full_name if p["officer"] in officers else "",
                "route": p["route"],
                "team": routes[p["route"]]["team"]
                if p["route"] is not None and 0 <= p["route"] < len(routes)
                else None,
            }
            for p in job.officer_pins or []
        ],
        "officer_pins_dropped": [
            {
                **d,
                "message": str(OFFICER_PIN_DROPPED_TEXTS.get(d["reason"], d["reason"]))
                % {
                    "officer": officers[d["officer"]].full_name
                    if d["officer"] in officers
                    else _("An officer"),
                    "team": d.get("team") or "",
                },
            }
            for d in (job.plan.get("officers_carried") or {}).get("dropped", [])
        ],
        # What breaks no rule but the planner must know: officers who could not be paired.
        "warnings": [
            {**w, "message": violation_text(w, officers, names, team_names, times)}
            for w in (job.evaluation or {}).get("warnings", [])
        ],
        "bound": bound_view(job),
    }


PIN_DROPPED_TEXTS = {
    "visit_gone": gettext_lazy(
        "%(site)s was pinned on the previous plan but is no longer to be planned (its target or due "
        "work was removed): its pin was dropped."
    ),
    "team_gone": gettext_lazy(
        "%(site)s was pinned to team %(team)s of the previous plan, whose officers are not one team "
        "that day in this plan: its pin was dropped."
    ),
    # A re-plan after an officer dropped out (``plan_replan``).
    "officer_out": gettext_lazy(
        "%(site)s was pinned to team %(team)s of the published plan, which lost %(officer)s with no "
        "one to stand in: its pin was dropped."
    ),
}


OFFICER_PIN_DROPPED_TEXTS = {
    "officer_gone": gettext_lazy(
        "%(officer)s was placed by hand on the previous plan but can no longer be planned (no shift "
        "that night, or no longer active): the placing was dropped."
    ),
    "team_gone": gettext_lazy(
        "%(officer)s was placed in team %(team)s of the previous plan, whose other officers are not "
        "one team in this plan: the placing was dropped."
    ),
    "last_officer": gettext_lazy(
        "%(officer)s was placed by hand on the previous plan, but is the only officer of a team with "
        "visits in this plan: %(officer)s stays there, and the placing was dropped."
    ),
    # A re-plan after an officer dropped out (``plan_replan``).
    "officer_out": gettext_lazy(
        "%(officer)s, placed by hand on the published plan, dropped out: the placing was dropped."
    ),
}


def _pins_dropped(job: PlanningJob, names: dict[str, str]) -> list[dict[str, Any]]:
    """The pins of the previous plan (or of the published plan a re-plan changes) that
    ``job``'s plan could not keep, each with its reason in the reader's language."""
    dropped = (job.plan.get("pins_carried") or {}).get("dropped", [])
    site_ids = {d["site_id"] for d in dropped if d.get("site_id")}
    sites = {str(s.uuid): s.name for s in Site.objects.filter(uuid__in=site_ids)} if site_ids else {}
    officer_ids = {d["officer"] for d in dropped if d.get("officer")}
    officers = (
        {str(o.uuid): o.full_name for o in Officer.objects.filter(uuid__in=officer_ids)}
        if officer_ids
        else {}
    )
    out = []
    for d in dropped:
        site = names.get(d["visit_id"]) or sites.get(d.get("site_id") or "") or _("A visit")
        template = PIN_DROPPED_TEXTS.get(d["reason"])
        officer = officers.get(d.get("officer") or "") or _("an officer")
        params = {"site": site, "team": d.get("team", ""), "officer": officer}
        message = str(template) % params if template else d["reason"]
        out.append({"visit": d["visit_id"], "reason": d["reason"], "site": site, "message": message})
    return out


def bound_view(job: PlanningJob) -> dict[str, Any] | None:
    """A joint plan's objective, the proven lower bound on it and the gap between them (None for
    a programme, or a plan made before bounds were computed)."""
    stats = job.plan.get("stats") or {}
    if stats.get("lower_bound") is None or stats.get("objective") is None:
        return None
    # A plan that breaks rules is no plan of the operation: the bound says nothing about it.
    gap = stats.get("gap") if (job.evaluation or {}).get("feasible", True) else None
    return {
        "objective": stats["objective"],
        "lower_bound": stats["lower_bound"],
        "gap": gap,
        "gap_percent": round(100 * gap, 1) if gap is not None else None,
        "terms": objective_terms(job),
        # The visits the planner took out, which the bound leaves out as the plan does.
        "left_out": len(stats.get("bound_left_out") or []),
    }


def objective_terms(job: PlanningJob) -> str:
    """What the figure a plan was chosen by (``job.best_objective``, and a joint plan's objective
    beside its bound) adds up, in the reader's language. A joint operation's plan: the objective
    the joint planner minimises and the bound bounds (``scheduler.solver.bound.joint_objective``;
    a target's weight is the solver's priority, 6 − the target's priority). A programme's plan:
    the independent checker's scalar objective (``scheduler.solver.evaluate``'s weights)."""
    if job.operation_id:
        return _(
            "1000 × the weight of each target left out (5 for priority 1, the highest, down to 1 for "
            "priority 5) + minutes of travel + officers sent out"
        )
    return _(
        "1000 × the weight of each visit left out (5 for priority 1, the highest, down to 1 for "
        "priority 5) + minutes of travel + 2 × minutes late or over shift + 0.1 × minutes of waiting "
        "+ 0.5 × the minutes between the longest and the shortest officer's working time "
        "+ 1,000,000 × rules broken"
    )


def _chosen_by(job: PlanningJob) -> dict[str, dict[str, Any]]:
    """For an operation: how each target (visit id) was chosen, by risk or by draw (with the
    draw's seed), or named by the planner."""
    if not job.operation_id:
        return {}
    return {
        str(t.pk): {"chosen_by": t.chosen_by, "draw_seed": t.draw_seed}
        for t in job.operation.targets.only("pk", "chosen_by", "draw_seed")
    }


def _language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


# Why a visit is not in the plan, by the rule the checker found binding (see
# scheduler.solver.evaluate.explain_visit); the parameters are codes and local times.
UNPLANNED_TEXTS = {
    "opening_hours": gettext_lazy(
        "The site is not open for the %(minutes)s minutes a visit takes between %(from)s and %(to)s "
        "(opening hours: %(opening)s)."
    ),
    "wave": gettext_lazy(
        "No wave it may join (%(waves)s) starts while the site is open (%(opening)s) for the "
        "%(minutes)s minutes a visit takes."
    ),
    "shift": gettext_lazy("No officer is on duty for the trip and the visit at %(times)s."),
    "agency": gettext_lazy("No officer of %(agency)s is on duty then (%(on_duty)s officers are)."),
    "language": gettext_lazy(
        "No officer on duty then speaks %(language_name)s: the visit needs an interpreter."
    ),
    "skill": gettext_lazy("No officer on duty then has the skill %(skill)s."),
    "female": gettext_lazy("No female officer is on duty then, and persons may be searched."),
    "leader_rank": gettext_lazy("No officer on duty then has the rank %(rank)s or above to lead."),
    "conflict": gettext_lazy(
        "The only officers who qualify have a conflict of interest with the site or its company."
    ),
    "rotation": gettext_lazy("The only officers who qualify visited the site too recently (rotation)."),
    "capacity": gettext_lazy(
        "A team could still take it at %(times)s: move it there, or plan again with a longer time limit."
    ),
    "travel": gettext_lazy("The %(teams)s teams that qualify are busy or too far away at %(times)s."),
    "planner": gettext_lazy("Taken out of the plan by the planner."),
    "site": gettext_lazy("The site is no longer in the registry."),
}
TEAM_NEEDS = {
    "agency": gettext_lazy("an officer of %(agency)s"),
    "language": gettext_lazy("an interpreter for %(language_name)s"),
    "skill": gettext_lazy("an officer with the skill %(skill)s"),
    "female": gettext_lazy("a female officer for searches"),
    "leader_rank": gettext_lazy("a leader of rank %(rank)s or above"),
}
TEAM_LACKS = gettext_lazy(
    "No team formed has %(need)s, which the visit needs; officers on duty who have it are in no team."
)
NO_CAPACITY = gettext_lazy("No team or officer is free at %(times)s; more officers on duty would be needed.")
# The checker writes "-" for the opening hours of a site closed all the time the visit could be
# made (a construction site on a Sunday night): "while the site is open (-)" said nothing.
SITE_CLOSED_THROUGHOUT = {
    "wave": gettext_lazy("The site is closed throughout the operation: no wave can visit it."),
    "opening_hours": gettext_lazy(
        "The site is closed throughout the time the visit is due, %(from)s–%(to)s."
    ),
}


def one_full_stop(text: str) -> str:
    """``text`` without the second full stop of a message that ends on a time already ending in
    one ("at 9 p.m.." is "at 9 p.m."); an ellipsis ("...", "…") and "。" are left alone."""
    if text.endswith("..") and not text.endswith("..."):
        return text[:-1]
    return text


def unplanned_text(u: dict[str, Any], times: Any = None) -> str:
    """One unplanned visit's reason in the active language (``times``: ``plan_times`` of its
    plan, writing the checker's times as the page does); the checker's English detail when the
    plan predates reasons with a rule."""
    rule, params = u.get("rule", ""), dict(u.get("params") or {})
    closed = rule in SITE_CLOSED_THROUGHOUT and str(params.get("opening", "?")).strip() in ("", "-")
    if times is not None:
        params = times(params)
    if "language" in params:
        params["language_name"] = _language_name(params["language"])
    if u.get("reason") == "no_team_qualifies" and rule in TEAM_NEEDS:
        return str(TEAM_LACKS) % {"need": str(TEAM_NEEDS[rule]) % params}
    if rule == "capacity" and not params.get("teams"):
        return str(NO_CAPACITY) % params
    template = SITE_CLOSED_THROUGHOUT[rule] if closed else UNPLANNED_TEXTS.get(rule)
    if template is None:
        return u.get("detail", "") or u.get("reason", "")
    try:
        # cjk_tight: a wave with its time, "W1（21:30）", ends in a Chinese bracket, where the
        # translation's space beside a Latin code would stand between two Chinese characters.
        return cjk_tight(one_full_stop(str(template) % params))
    except (KeyError, TypeError, ValueError):
        return u.get("detail", "") or u.get("reason", "")


# A rule the plan breaks, by the case the checker reports (scheduler.solver.evaluate: each rule a
# function, its violations carry ``rule``, ``case`` and ``params`` in codes and local times).
VIOLATION_TEXTS = {
    "officer_unknown": gettext_lazy("A team names an officer who is not in the registry."),
    "depot_unknown": gettext_lazy("A team leaves from an unknown unit (%(depot)s)."),
    "not_muster_point": gettext_lazy("A team leaves from %(depot)s, not from the muster point %(muster)s."),
    "not_members_depot": gettext_lazy("A route leaves from %(depot)s, which is no member's unit."),
    "back_before_departure": gettext_lazy("A route comes back (%(back)s) before it leaves (%(departure)s)."),
    "shift_exceeded": gettext_lazy("%(officer)s's shift does not cover the route %(departure)s–%(back)s."),
    "officer_unavailable": gettext_lazy("%(officer)s has no shift at %(departure)s–%(back)s."),
    # A team's own breaches are said of "the team": the page names it before the text.
    "outside_operation": gettext_lazy("The team works outside the operation's hours (%(start)s–%(end)s)."),
    "team_size": gettext_lazy(
        "The team's size is %(size)s; the operation asks for %(min)s to %(max)s officers."
    ),
    "team_agency": gettext_lazy(
        "The team has no officer of %(agency)s, which the operation's team rule asks for."
    ),
    "team_skill": gettext_lazy(
        "The team has no officer with the skill %(skill)s, which the team rule asks for."
    ),
    "team_language": gettext_lazy(
        "The team has no officer who speaks %(language_name)s, which the team rule asks for."
    ),
    "team_female": gettext_lazy("The team has no female officer, which the team rule asks for."),
    "team_leader_rank": gettext_lazy("The team has no officer of rank %(rank)s or above to lead it."),
    "alone": gettext_lazy("%(officer)s works alone, but the programme's officers work in pairs."),
    "unpaired": gettext_lazy(
        "%(officer)s could not be paired: no other officer of the agency is on duty at the same "
        "time. They are not sent out alone and have no visits in this plan."
    ),
    "partner_off": gettext_lazy(
        "%(officer)s's partner is off from %(from)s to %(to)s, and no other officer of the agency "
        "on duty then could be paired with them. They are not sent out alone then."
    ),
    "visit_size": gettext_lazy("The team has %(size)s officers; the visit needs %(min)s to %(max)s."),
    "visit_agency": gettext_lazy("The team has no officer of %(agency)s, which the visit needs."),
    "visit_skill": gettext_lazy("The team has no officer with the skill %(skill)s, which the visit needs."),
    "visit_language": gettext_lazy(
        "The team has no officer who speaks %(language_name)s: the visit needs an interpreter."
    ),
    "visit_female": gettext_lazy("The team has no female officer, and persons may be searched."),
    "visit_leader_rank": gettext_lazy("The team has no officer of rank %(rank)s or above to lead the visit."),
    "arrival": gettext_lazy(
        "The team arrives at %(arrival)s, but leaving at %(left)s it needs %(minutes)s minutes: "
        "not before %(ready)s."
    ),
    "back": gettext_lazy(
        "The team is back at %(back)s, but leaving at %(left)s it needs %(minutes)s minutes: "
        "not before %(ready)s."
    ),
    "stop_times": gettext_lazy(
        "The visit's times do not add up: arrival %(arrival)s, start %(start)s, end %(end)s."
    ),
    "visit_outside_window": gettext_lazy(
        "The visit (%(start)s–%(end)s) is not within its due time, %(from)s–%(to)s."
    ),
    "site_closed": gettext_lazy("The site is closed during the visit (%(start)s–%(end)s)."),
    "conflict_of_interest": gettext_lazy(
        "%(officer)s has a conflict of interest with the site or its company."
    ),
    "rotation_violated": gettext_lazy(
        "%(officer)s was at the site at %(last)s and would be again at %(start)s, too soon (rotation)."
    ),
    "wave_invalid": gettext_lazy("The target is in a wave it may not join (%(wave)s)."),
    "early_arrival": gettext_lazy(
        "The team arrives at %(arrival)s, %(minutes)s minutes before its raid at %(start)s, and would "
        "wait outside the target (teams may arrive at most %(most)s minutes early)."
    ),
    "late_in_wave": gettext_lazy(
        "The target starts at %(start)s, outside its wave %(wave)s at %(wave_start)s."
    ),
    "spread": gettext_lazy("Wave %(wave)s does not start together: from %(first)s to %(last)s."),
    "visit_unknown": gettext_lazy("A stop names a visit that is not in the plan's problem."),
    "planned_twice": gettext_lazy("The visit is planned %(times)s times."),
    "planned_and_unplanned": gettext_lazy("The visit is both planned and listed as not planned."),
    "two_teams": gettext_lazy("%(officer)s is in more than one team on the same night (%(teams)s)."),
    "two_routes": gettext_lazy("%(officer)s is on two routes at once (routes %(first)s and %(second)s)."),
}


def violation_text(
    v: dict[str, Any],
    officers: dict[str, Any],
    sites: dict[str, str],
    teams: dict[str, str] | None = None,
    times: Any = None,
    routes: dict[int, str] | None = None,
) -> str:
    """One broken rule in the active language, naming officers, sites and teams (``teams``: the
    solver's team ids, "N1-T01", to the names the plan page gives them); the checker's English
    detail for an evaluation stored before breaches had a case. ``times``: ``plan_times`` of the
    plan, writing the checker's times ("22:17") as the page writes its own ("10:17 p.m.").
    ``routes``: the routes' places to their teams' names: a breach of one team that names no
    site (its size, the agencies it needs, a shift) says which team, as a visit's says which
    site: among six teams, "the team has no officer of PSP" left the planner to guess."""
    params = dict(v.get("params") or {})
    if times is not None:
        params = times(params)
    if "teams" in params and teams:
        params["teams"] = list_text(teams.get(t, t) for t in str(params["teams"]).split(", "))
    if "officer" in params:
        officer = officers.get(params["officer"])
        params["officer"] = officer.full_name if officer is not None else _("An officer")
    if "language" in params:
        params["language_name"] = _language_name(params["language"])
    if v.get("visit_id") and "site" in params:
        params["site"] = sites.get(v["visit_id"], params["site"])
    template = VIOLATION_TEXTS.get(v.get("case", ""))
    if template is None:
        return v.get("detail", "") or v.get("code", "")
    try:
        text = cjk_tight(one_full_stop(str(template) % params))
    except (KeyError, TypeError, ValueError):
        return v.get("detail", "") or v.get("code", "")
    site = sites.get(v.get("visit_id") or "")
    if not site and routes and "teams" not in params and v.get("case") != "two_routes":
        site = routes.get(v.get("route_index"), "")  # type: ignore[arg-type]
    return _("%(site)s: %(text)s") % {"site": site, "text": text} if site else text


def violation_messages(job: PlanningJob, violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``violations`` of ``job``'s plan, each with its ``message`` in the active language."""
    ids = {str((v.get("params") or {}).get("officer")) for v in violations} - {"None"}
    officers = {str(o.uuid): o for o in Officer.objects.filter(uuid__in=ids)} if ids else {}
    names = _visit_names(job)
    teams = _team_names(job)
    times = plan_times(job)
    routes = {
        index: _("Team %(number)s") % {"number": index + 1}
        for index in range(len(job.plan.get("routes", []) if job.plan else []))
    }
    return [{**v, "message": violation_text(v, officers, names, teams, times, routes)} for v in violations]


def _team_names(job: PlanningJob) -> dict[str, str]:
    """The solver's team ids to "Team 3", numbered as the plan page and the briefings number them
    (a team's first route)."""
    out: dict[str, str] = {}
    for index, route in enumerate(job.plan.get("routes", []) if job.plan else []):
        if route.get("team_id"):
            out.setdefault(route["team_id"], _("Team %(number)s") % {"number": index + 1})
    return out


def _visit_names(job: PlanningJob) -> dict[str, str]:
    if job.operation_id:
        return {str(t.pk): t.site.name for t in job.operation.targets.select_related("site")}
    ids = [s["visit_id"] for r in job.plan.get("routes", []) for s in r["stops"]] + [
        u["visit_id"] for u in job.plan.get("unplanned", [])
    ]
    return {str(d.uuid): d.site.name for d in DueWork.objects.filter(uuid__in=ids).select_related("site")}


# --- Briefings ------------------------------------------------------------------------------------


def team_label(number: int, agencies: Iterable[str], night: dt.date | None = None) -> str:
    """A team's readable name: "Team 3 (PSP·DSAL)", numbered as in its briefing's URL and file;
    in an operation over several nights, with its night: "Team 3 (PSP·DSAL), night of Fri 6 Dec"
    (each night's teams are their own, the same officers may regroup from night to night)."""
    codes = "·".join(dict.fromkeys(sorted(agencies)))
    if not codes:
        label = _("Team %(number)s") % {"number": number}
    else:
        label = _("Team %(number)s (%(agencies)s)") % {"number": number, "agencies": codes}
    if night is None:
        return label
    return _("%(team)s, night of %(date)s") % {"team": label, "date": plan_date(night)}


def list_text(items: Iterable[Any]) -> str:
    """``items`` as one list in the reader's language: "PSP, DSAL", "PSP、DSAL"."""
    return list_separator().join(str(item) for item in items)


def labelled(label: Any, value: Any) -> str:
    """A label and its value: "Licence: 1234", "准照：1234"."""
    return pgettext("a label and its value", "%(label)s: %(value)s") % {"label": label, "value": value}


def plan_officers(job: PlanningJob) -> QuerySet[Officer]:
    """The officers a plan may put in its teams: those its planning run chose from (an operation's
    agencies' active officers; a programme's own, else its agency's inspectors)."""
    if job.operation_id:
        return operation_officers(job.operation)
    return programme_officers(job.programme)


def plan_on_duty(job: PlanningJob, officers: Iterable[Officer]) -> set[str]:
    """Of ``officers``, the ids of those with a shift during the plan's time (an operation's start
    to end; a programme's days): the others could join a team only to be told they have no shift.
    A shift an absence touches does not count, as the planner does not count it
    (``scheduler.problem``)."""
    if job.operation_id:
        start, end = job.operation.starts_at, job.operation.ends_at
    else:
        zone = timezone.get_current_timezone()
        start = dt.datetime.combine(job.programme.start_date, dt.time(), zone)
        end = dt.datetime.combine(job.programme.end_date + dt.timedelta(days=1), dt.time(), zone)
    shifts = list(
        Availability.objects.filter(
            officer__in=list(officers), kind=Availability.Kind.SHIFT, end__gt=start, start__lt=end
        )
        .select_related("officer")
        .only("officer__uuid", "kind", "start", "end")
    )
    if not shifts:
        return set()
    # Absences over the whole of those shifts, not only the plan's time: one before or after the
    # operation, inside the shift, still makes the planner drop the shift.
    absences = list(
        Availability.objects.filter(
            officer_id__in={s.officer_id for s in shifts},
            start__lt=max(s.end for s in shifts),
            end__gt=min(s.start for s in shifts),
        )
        .exclude(kind=Availability.Kind.SHIFT)
        .only("officer_id", "start", "end")
    )
    return {
        str(s.officer.uuid)
        for s in shifts
        if not any(a.officer_id == s.officer_id and a.start < s.end and s.start < a.end for a in absences)
    }


def plan_date(moment: Any) -> str:
    """A plan's day in the reader's language: "Sat 7 Dec", "12月7日 (六)", "sáb, 7 dez"."""
    local = timezone.localtime(moment) if isinstance(moment, dt.datetime) else moment
    day = pgettext("a day of a plan, beside its times (Django date format)", "D j M")
    return dateformat.format(local, day)


def plan_when(moment: Any, own_day: dt.date | None) -> str:
    """A time of a plan in the reader's language (its TIME_FORMAT: "10:17 p.m.", "22:17"); with
    its date when it is not on the plan's own day (``plan_own_day``), so that a plan over several
    nights or days says which one each time is on. ``own_day`` None (a programme over several
    days): every time with its date."""
    day, clock = plan_when_parts(moment, own_day)
    return f"{day} {clock}" if day else clock


def plan_when_parts(moment: Any, own_day: dt.date | None) -> tuple[str, str]:
    """``plan_when``'s date ("" on the plan's own day) and time, apart."""
    if moment is None:
        return "", ""
    local = timezone.localtime(moment)
    clock = time_format(local, "TIME_FORMAT")
    if own_day is not None and local.date() == own_day:
        return "", clock
    return plan_date(local), clock


def plan_own_day(subject: Any) -> dt.date | None:
    """The day a plan's times need no date on: an operation's first day (the evening it starts:
    its times after midnight, and its later nights', are dated); a programme's only day, and
    none for a programme of several days (each of its teams works a day of its own: every time
    is dated, the first day's as much as the others')."""
    if isinstance(subject, Operation):
        return timezone.localtime(subject.starts_at).date()
    return subject.start_date if subject.start_date == subject.end_date else None


# A time as the checker writes it in its parameters (``scheduler.solver.model.hhmm``): a minute of
# the plan's horizon, from local midnight of its first day: "22:17", "01:30 (+1 day)".
_CHECKER_TIME = re.compile(r"\b(\d{2}):(\d{2})(?: \(([+-]\d+) days?\))?")
# The checker's opening hours: "08:00 (+1 day)-18:00 (+1 day)", a span between two such times.
_ONE_TIME = r"(\d{2}):(\d{2})(?: \(([+-]\d+) days?\))?"
_CHECKER_SPAN = re.compile(rf"{_ONE_TIME}-{_ONE_TIME}")
# The checker's list of waves a visit may join: "W1 at 21:30, W2 at 01:30 (+1 day)".
_ONE_WAVE = r"[^,]+? at \d{2}:\d{2}(?: \([+-]\d+ days?\))?"
_CHECKER_WAVES = re.compile(rf"{_ONE_WAVE}(?:, {_ONE_WAVE})*")
_CHECKER_WAVE = re.compile(r"(?P<wave>[^,]+?) at (?P<time>\d{2}:\d{2}(?: \([+-]\d+ days?\))?)")
# The checker's parameters that hold such times (one, a range, or a list of them).
_TIME_PARAMS = frozenset(
    {
        "arrival",
        "back",
        "departure",
        "end",
        "first",
        "from",
        "last",
        "left",
        "opening",
        "ready",
        "start",
        "times",
        "to",
        "wave_start",
        "waves",
    }
)


def plan_times(job: PlanningJob) -> Any:
    """A function writing the checker's times in a text (its broken rules' and unplanned visits'
    parameters, "22:17", "01:30 (+1 day)") as the plan page writes its times: the reader's
    TIME_FORMAT, dated when not on the plan's own day."""
    clock = clock_of(job)
    own_day = plan_own_day(job.operation if job.operation_id else job.programme)

    def moment(hours: str, minutes: str, days: str | None) -> Any:
        return clock.at(int(days or 0) * 24 * 60 + int(hours) * 60 + int(minutes))

    def local(match: re.Match[str]) -> str:
        return plan_when(moment(match[1], match[2], match[3]), own_day)

    def span(item: str) -> str:
        # Opening hours on a day of their own say the date once, and join their ends with the
        # dash of every other span of the pages: "Wed 9 Dec 8 a.m.–6 p.m.". Each end dated, with a
        # hyphen between, read "12月9日（星期三） 08:00-12月9日（星期三） 18:00" in Chinese, where
        # "08:00-12月" looked like a time until twelve.
        found = _CHECKER_SPAN.fullmatch(item)
        if found is None:
            return _CHECKER_TIME.sub(local, item)
        first, last = moment(*found.group(1, 2, 3)), moment(*found.group(4, 5, 6))
        (day, opens), (end_day, closes) = plan_when_parts(first, own_day), plan_when_parts(last, own_day)
        if end_day == day:
            return f"{day} {opens}–{closes}".strip()
        return f"{plan_when(first, own_day)}–{plan_when(last, own_day)}"

    def said(key: str, value: Any) -> Any:
        if key not in _TIME_PARAMS or not isinstance(value, str):
            return value
        if key == "opening":  # a list of spans the checker joins with ", "
            return list_text(span(item) for item in value.split(", "))
        if key == "times":  # a list the checker joins with ", "
            return list_text(_CHECKER_TIME.sub(local, item) for item in value.split(", "))
        return _CHECKER_TIME.sub(local, value)

    def rewrite(params: dict[str, Any]) -> dict[str, Any]:
        out = {k: said(k, v) for k, v in params.items()}
        waves = params.get("waves")
        if isinstance(waves, str) and _CHECKER_WAVES.fullmatch(waves):
            # "W1 at 21:30, W2 at 23:30", the checker's English, in the reader's words and times.
            out["waves"] = list_text(
                pgettext("a wave and the time it starts", "%(wave)s at %(time)s")
                % {"wave": m["wave"].strip(), "time": _CHECKER_TIME.sub(local, m["time"])}
                for m in _CHECKER_WAVE.finditer(waves)
            )
        return out

    return rewrite


@dataclass(frozen=True)
class PlanNight:
    """One night (or day) of an operation as the plan page pages it and the teams' names carry
    it: from ``start`` to ``end`` (local), called by ``date``."""

    start: dt.datetime
    end: dt.datetime
    date: dt.date


# A wave this long after midnight still belongs to the evening before: a 00:30 raid on Saturday
# is on the night of Friday.
_NIGHT_EVENING = dt.timedelta(hours=6)


def operation_nights(operation: Operation | None) -> list[PlanNight]:
    """An operation's nights exactly as the solver and the checker group them (its waves, split
    where they lie more than eight hours apart: ``JointOperation.nights``), each owning the time
    from halfway after the night before to halfway before the next; dated by the evening its
    first wave starts on. Empty for a programme."""
    if operation is None:
        return []
    clock, nights, wave_start = operation_night_spans(operation)
    return [
        PlanNight(
            start=timezone.localtime(clock.at(n.lo)),
            end=timezone.localtime(clock.at(n.hi)),
            date=(
                timezone.localtime(clock.at(min(wave_start[w] for w in n.wave_ids))) - _NIGHT_EVENING
            ).date(),
        )
        for n in nights
    ]


def route_night(nights: list[PlanNight], departure: dt.datetime) -> dt.date | None:
    """The date of the night a team leaves on, when the operation has more than one night
    (None otherwise: a one-night operation's teams need no date). A departure belongs to the
    night whose time holds it (before the first, the first; after the last, the last), as
    ``JointOperation.night_of`` counts it."""
    if len(nights) < 2:
        return None
    return next((n.date for n in nights if departure < n.end), nights[-1].date)


def _opening_text(site: Site, day: dt.date) -> str:
    hours = [h for h in site.opening_hours.all() if h.weekday == day.weekday()]
    if not hours:
        return _("no fixed hours") if not site.opening_hours.all() else _("closed that day")
    return list_text(f"{h.opens:%H:%M}–{h.closes:%H:%M}" for h in sorted(hours, key=lambda h: h.opens))


def _languages(officer: Officer) -> list[str]:
    return sorted(s.code[5:] for s in officer.skills.all() if s.code.startswith("lang-"))


def briefing(job: PlanningJob, number: int) -> dict[str, Any]:
    """Team ``number`` (1, 2, …: the plan's route order) of a plan as data for its printed
    briefing, its CSV and its route map: the date, the operation, the muster point (name,
    address, position), every stop with the site's address, opening hours that day, on-site
    contact (the person and phone the registry holds, empty when it holds none: the company is
    no one to ask for at the door), operator, contractor and licence, wave, times (local) and
    needs (interpreter languages, a female officer for searches), and the officers with agency,
    rank and languages. Raises NotFound for a number not in the plan.
    Read through ``job_get`` (or ``latest_job`` of a visible subject) first: this adds no rule."""
    routes = job.plan.get("routes", [])
    if not 1 <= number <= len(routes):
        raise NotFound(_("The plan has no team %(number)s.") % {"number": number})
    route = routes[number - 1]
    clock = clock_of(job)
    officers = {
        str(o.uuid): o
        for o in Officer.objects.filter(uuid__in=route["officer_ids"])
        .select_related("agency", "unit")
        .prefetch_related("skills")
    }
    members = [officers[i] for i in route["officer_ids"] if i in officers]
    items = _briefing_items(job, [s["visit_id"] for s in route["stops"]])
    setup = getattr(job.operation, "setup", None) if job.operation_id else None
    muster = setup.muster_unit if setup is not None else (members[0].unit if members else None)
    departure = timezone.localtime(clock.at(route["departure"]))
    female_needed = bool(setup and setup.female_officer)
    stops = []
    for order, s in enumerate(route["stops"], start=1):
        item = items.get(s["visit_id"])
        site = item.site if item is not None else None
        start = timezone.localtime(clock.at(s["start"]))
        languages = sorted(getattr(item, "languages", []) or [])
        stops.append(
            {
                "order": order,
                "visit": s["visit_id"],
                "site": site.name if site else "",
                "site_id": str(site.uuid) if site else "",
                "address": site.address_shown if site else "",
                "parish": site.get_parish_display() if site else "",
                "latitude": float(site.latitude) if site else None,
                "longitude": float(site.longitude) if site else None,
                "opening_hours": _opening_text(site, start.date()) if site else "",
                "contact_person": site.contact_name if site else "",
                "contact_phone": site.contact_phone if site else "",
                "operator": site.operator.name if site and site.operator else "",
                "contractor": site.contractor.name if site and site.contractor else "",
                "licence_number": site.licence_number if site else "",
                "category": getattr(item, "category", ""),
                "wave": s.get("wave_id") or "",
                "arrival": timezone.localtime(clock.at(s["arrival"])),
                "start": start,
                "end": timezone.localtime(clock.at(s["end"])),
                "interpreter": languages,
                "search": female_needed,
            }
        )
    return {
        "subject": (job.operation or job.programme).name,
        "number": number,
        "team": team_label(
            number,
            (m.agency.code for m in members),
            route_night(operation_nights(job.operation if job.operation_id else None), departure),
        ),
        "date": departure.date(),
        "departure": departure,
        "back": timezone.localtime(clock.at(route["back"])),
        "muster": {
            "code": muster.code if muster else route["depot_id"],
            "name": muster.name if muster else route["depot_id"],
            "address": muster.address_shown if muster else "",
            "latitude": float(muster.latitude) if muster else None,
            "longitude": float(muster.longitude) if muster else None,
        },
        "officers": [
            {
                "id": str(o.uuid),
                "name": o.full_name,
                "badge": o.badge_number,
                "agency": o.agency.code,
                "rank": o.rank_title_shown or str(o.rank),
                "sex": o.sex,
                "languages": _languages(o),
                "leader": str(o.uuid) == route.get("leader_id"),
            }
            for o in members
        ],
        "needs": {
            "interpreter": sorted({lang for s in stops for lang in s["interpreter"]}),
            "female_officer_for_searches": female_needed,
            # Who does the searches: names are not unique across agencies, so with the badge.
            "searchers": [
                bracketed(o.full_name, o.badge_number) for o in members if female_needed and o.sex == "F"
            ],
        },
        "stops": stops,
    }


def _briefing_items(job: PlanningJob, visit_ids: list[str]) -> dict[str, Any]:
    related = ("site__operator", "site__contractor")
    if job.operation_id:
        qs = job.operation.targets.select_related(*related).prefetch_related("site__opening_hours")
        return {str(t.pk): t for t in qs.filter(pk__in=[v for v in visit_ids if v.isdigit()])}
    qs = (
        DueWork.objects.filter(uuid__in=visit_ids)
        .select_related(*related)
        .prefetch_related("site__opening_hours")
    )
    return {str(d.uuid): d for d in qs}


BRIEFING_COLUMNS = (
    "date",
    "team",
    "order",
    "site",
    "address",
    "parish",
    "opening_hours",
    "contact_person",
    "contact_phone",
    "operator",
    "contractor",
    "licence_number",
    "wave",
    "arrival",
    "start",
    "end",
    "interpreter",
    "female_officer_for_searches",
    "muster_point",
    "muster_address",
    "officers",
)


def briefing_csv(data: dict[str, Any]) -> str:
    """The briefing as CSV: one row per stop, with the team's date, muster point and officers
    (name, agency, rank, languages) repeated on each so every row stands alone. The on-site
    contact is a person and phone or empty (none on record), never the company: that is the
    operator's column."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(BRIEFING_COLUMNS)
    officers = "; ".join(
        f"{o['name']} ({o['badge']}, {o['agency']}, {o['rank']}"
        + (f", {'/'.join(o['languages'])}" if o["languages"] else "")
        + (", leader" if o["leader"] else "")
        + ")"
        for o in data["officers"]
    )
    for s in data["stops"]:
        writer.writerow(
            [
                data["date"].isoformat(),
                data["team"],
                s["order"],
                s["site"],
                s["address"],
                s["parish"],
                s["opening_hours"],
                s["contact_person"],
                s["contact_phone"],
                s["operator"],
                s["contractor"],
                s["licence_number"],
                s["wave"],
                f"{s['arrival']:%H:%M}",
                f"{s['start']:%H:%M}",
                f"{s['end']:%H:%M}",
                "/".join(s["interpreter"]),
                "yes" if s["search"] else "no",
                data["muster"]["name"],
                data["muster"]["address"],
                officers,
            ]
        )
    return out.getvalue()


def briefing_route_sketch(data: dict[str, Any], width: int = 640, height: int = 360) -> dict[str, Any]:
    """The team's route drawn to scale for a printed page (an SVG needs no script, tiles or
    network): the muster point and each stop projected into ``width`` × ``height`` with a margin,
    north up, in visiting order and back."""
    points = [(data["muster"]["latitude"], data["muster"]["longitude"])] + [
        (s["latitude"], s["longitude"]) for s in data["stops"]
    ]
    known = [(lat, lon) for lat, lon in points if lat is not None and lon is not None]
    if not known:
        return {"width": width, "height": height, "muster": None, "stops": [], "path": ""}
    lats, lons = [p[0] for p in known], [p[1] for p in known]
    span = max(max(lats) - min(lats), max(lons) - min(lons), 0.002)
    margin = 30
    scale = min(width - 2 * margin, height - 2 * margin) / span

    def xy(lat: float | None, lon: float | None) -> tuple[float, float] | None:
        if lat is None or lon is None:
            return None
        return (
            round(margin + (lon - min(lons)) * scale, 1),
            round(height - margin - (lat - min(lats)) * scale, 1),
        )

    muster = xy(*points[0])
    stops = [
        {"order": s["order"], "site": s["site"], "xy": xy(s["latitude"], s["longitude"])}
        for s in data["stops"]
    ]
    line = [p for p in [muster, *(s["xy"] for s in stops), muster] if p is not None]
    return {
        "width": width,
        "height": height,
        "muster": muster,
        "stops": [s for s in stops if s["xy"] is not None],
        "path": " ".join(f"{x},{y}" for x, y in line),
    }
