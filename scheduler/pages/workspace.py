"""The plan workspace's data: the plan as ``selectors.plan_view`` reads it, with what the map,
the timeline and the tables need beside it (positions, colours, travel and waiting blocks,
team make-up, KPIs). Shaping only: the job comes from a selector that applied the rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.formats import time_format

from backend.planning.models import DueWork
from backend.registry.models import Officer, Unit
from scheduler import selectors
from scheduler.models import PlanningJob
from scheduler.problem import clock_of
from scheduler.selectors import plan_date, plan_own_day, plan_when
from scheduler.solver.travel import GeodesicTravel

__all__ = ["plan_days", "plan_when", "plan_workspace", "script_data"]

# One colour per team (team numbers go with them: colour is never the only cue). Dark enough
# for white numbers on them (contrast ≥ 4.5:1).
TEAM_COLOURS = (
    "#0b5cad",
    "#a4161a",
    "#1d6b2f",
    "#6a3d9a",
    "#8a5300",
    "#006d77",
    "#b3245f",
    "#4d5a1e",
    "#3d4a8f",
    "#7a3b12",
)


def colour(index: int) -> str:
    return TEAM_COLOURS[index % len(TEAM_COLOURS)]


def _minutes(delta: Any) -> int:
    return max(0, int(delta.total_seconds() // 60))


def _sites(job: PlanningJob, visit_ids: list[str]) -> dict[str, Any]:
    if job.operation_id:
        targets = job.operation.targets.select_related("site").filter(
            pk__in=[v for v in visit_ids if v.isdigit()]
        )
        return {str(t.pk): t.site for t in targets}
    return {str(d.uuid): d.site for d in DueWork.objects.filter(uuid__in=visit_ids).select_related("site")}


def plan_days(subject: Any, kind: str) -> dict[str, Any]:
    """The plan's own day (``first_day``: its times on it need no date, see
    ``selectors.plan_own_day``) and its periods, one per night (an operation: its waves grouped
    into nights as the solver plans them) or per day (a programme: its calendar days), each with
    the label the timeline's pager shows. The timeline opens on one period at a time, so hours
    stay readable."""
    first_day = plan_own_day(subject)
    if kind == "operations":
        # The nights the teams' names carry and the solver plans (selectors.operation_nights).
        nights = selectors.operation_nights(subject)
        periods = [{"start": n.start, "end": n.end, "label": plan_date(n.date)} for n in nights]
    else:
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(subject.start_date, dt.time(0), tzinfo=tz)
        end = dt.datetime.combine(subject.end_date + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
        starts: list[dt.datetime] = []
        while start + dt.timedelta(days=len(starts)) < end and len(starts) < 62:
            starts.append(start + dt.timedelta(days=len(starts)))
        periods = [{"start": m, "end": m + dt.timedelta(days=1), "label": plan_date(m)} for m in starts]
    return {"first_day": first_day, "periods": periods}


_TRAVEL = GeodesicTravel()  # the solver's travel times (Problem's default provider)


def _drive(a: tuple[float, float] | None, b: tuple[float, float] | None, arrival: int) -> int:
    """Minutes of driving from ``a`` to reach ``b`` at minute ``arrival``, as the solver counts
    them (at the speed of the hour the team leaves); unbounded when a place is unknown."""
    if a is None or b is None:
        return 10**6
    return _TRAVEL.minutes(a, b, arrival - _TRAVEL.minutes(a, b, arrival))


def plan_workspace(job: PlanningJob) -> dict[str, Any]:
    """Everything the workspace shows of one plan."""
    view = selectors.plan_view(job)
    visit_ids = [s["visit"] for r in view["routes"] for s in r["stops"]] + [
        u["visit_id"] for u in view["unplanned"]
    ]
    sites = _sites(job, visit_ids)
    officer_ids = {m["id"] for r in view["routes"] for m in r["members"]}
    officers = {
        str(o.uuid): o
        for o in Officer.objects.filter(uuid__in=officer_ids)
        .select_related("agency")
        .prefetch_related("skills")
    }
    depots = {u.code: u for u in Unit.objects.filter(code__in={r["depot"] for r in view["routes"]})}
    clock = clock_of(job)
    routes = []
    for r in view["routes"]:
        previous = r["departure"]
        depot = depots.get(r["depot"])
        where = (float(depot.latitude), float(depot.longitude)) if depot else None
        travel = waiting = on_site = 0
        stops = []
        for order, s in enumerate(r["stops"], start=1):
            site = sites.get(s["visit"])
            here = (float(site.latitude), float(site.longitude)) if site else None
            # A plan is right-justified: between two waves the team stays where it was and drives
            # at the last moment. The drive is the leg's own time, the rest of the gap is free.
            gap = _minutes(s["arrival"] - previous)
            leg = min(gap, _drive(where, here, clock.minute(s["arrival"])))
            leaves = s["arrival"] - dt.timedelta(minutes=leg)
            wait = _minutes(s["start"] - s["arrival"])
            work = _minutes(s["end"] - s["start"])
            travel, waiting, on_site = travel + leg, waiting + wait, on_site + work
            stops.append(
                {
                    **s,
                    "order": order,
                    "travel_from": leaves,
                    "travel_minutes": leg,
                    "free_minutes": gap - leg,
                    "waiting_minutes": wait,
                    "address": site.address_shown if site else "",
                    "lat": float(site.latitude) if site else None,
                    "lon": float(site.longitude) if site else None,
                    "pinned": s["visit"] in job.pins,
                }
            )
            previous, where = s["end"], here
        if r["stops"]:
            travel += _minutes(r["back"] - previous)
        members = []
        placed = {(p["officer"], p["route"]) for p in job.officer_pins or []}
        for m in r["members"]:
            officer = officers.get(m["id"])
            skills = list(officer.skills.all()) if officer else []
            members.append(
                {
                    **m,
                    "rank": (officer.rank_title_shown or str(officer.rank)) if officer else "",
                    "languages": sorted(s.name for s in skills if s.kind == "language"),
                    "skills": sorted(s.name for s in skills if s.kind != "language"),
                    "leader": m["id"] == r["leader"],
                    "placed": (m["id"], r["index"]) in placed,
                }
            )
        routes.append(
            {
                **r,
                "colour": colour(r["index"]),
                "stops": stops,
                "members": members,
                "travel_minutes": travel,
                "waiting_minutes": waiting,
                "on_site_minutes": on_site,
                "workload_minutes": _minutes(r["back"] - r["departure"]) if r["stops"] else 0,
                "depot_name": depot.name if depot else r["depot"],
                "depot_lat": float(depot.latitude) if depot else None,
                "depot_lon": float(depot.longitude) if depot else None,
            }
        )
    unplanned = []
    for u in view["unplanned"]:
        site = sites.get(u["visit_id"])
        unplanned.append(
            {
                **u,
                "lat": float(site.latitude) if site else None,
                "lon": float(site.longitude) if site else None,
                "pinned": u["visit_id"] in job.pins,
            }
        )
    objective = (job.evaluation or {}).get("objective", {})
    # Per deployed team, from its departure to its return, as the page's label says (the
    # objective's workload is per rostered officer, those left at the station included).
    loads = [r["workload_minutes"] for r in routes if r["stops"]]
    return {
        "view": view,
        "routes": routes,
        "unplanned": unplanned,
        "objective": objective,
        # A broken rule on a visit pinned by hand says so: planning again keeps the pin, so the
        # rule stayed broken after "Plan again" and nothing named the pin as the cause.
        "violations": [
            {**v, "pinned": bool(v.get("visit_id")) and v["visit_id"] in (job.pins or {})}
            for v in view["evaluation"].get("violations", [])
        ],
        "bound": view["bound"],
        "feasible": (job.evaluation or {}).get("feasible", False),
        "kpis": {
            "planned": sum(len(r["stops"]) for r in routes),
            "unplanned": len(unplanned),
            "teams": sum(1 for r in routes if r["stops"]),
            "travel": objective.get("travel_minutes", sum(r["travel_minutes"] for r in routes)),
            "waiting": objective.get("waiting_minutes", sum(r["waiting_minutes"] for r in routes)),
            "overtime": objective.get("overtime_minutes", 0),
            "workload_min": min(loads, default=0),
            "workload_max": max(loads, default=0),
        },
    }


def script_data(workspace: dict[str, Any], waves: list[Any], texts: dict[str, str]) -> dict[str, Any]:
    """What the page's script draws: teams with coloured numbered stops and route lines, the
    timeline's rows and blocks, and a line at each wave's start (times as ISO strings)."""

    def iso(moment: Any) -> str:
        return timezone.localtime(moment).isoformat()

    def clock(moment: Any) -> str:
        # The page's own time format, not the script's: "9:30 p.m." beside the tables' "9:30 p.m."
        return time_format(timezone.localtime(moment), "TIME_FORMAT")

    teams = []
    for r in workspace["routes"]:
        teams.append(
            {
                "index": r["index"],
                "number": r["number"],
                "label": r["team"],
                "row_label": r.get("team_short", r["team"]),  # the timeline pages by night
                "colour": r["colour"],
                # A team whose visits all moved away keeps a row on its night (a place to drop
                # a visit): when it leaves says which night that is.
                "departure": iso(r["departure"]),
                "members": len(r["members"]),
                "depot": {"name": r["depot_name"], "lat": r["depot_lat"], "lon": r["depot_lon"]},
                "stops": [
                    {
                        "visit": s["visit"],
                        "order": s["order"],
                        "site": s["site"],
                        "lat": s["lat"],
                        "lon": s["lon"],
                        "wave": s["wave"] or "",
                        "travel_from": iso(s["travel_from"]),
                        "arrival": iso(s["arrival"]),
                        "start": iso(s["start"]),
                        "end": iso(s["end"]),
                        "times": {k: clock(s[k]) for k in ("travel_from", "arrival", "start", "end")},
                    }
                    for s in r["stops"]
                ],
            }
        )
    return {
        "teams": teams,
        "unplanned": [
            {"visit": u["visit_id"], "site": u["site"], "lat": u["lat"], "lon": u["lon"]}
            for u in workspace["unplanned"]
        ],
        "waves": [{"code": w.code, "start": iso(w.starts_at), "time": clock(w.starts_at)} for w in waves],
        # The timeline's hour marks, by the hour of the day (0 to 23), in the page's time format.
        "hours": [time_format(dt.time(hour), "TIME_FORMAT") for hour in range(24)],
        "periods": [
            {"start": iso(p["start"]), "end": iso(p["end"]), "label": p["label"]}
            for p in workspace.get("periods", [])
        ],
        "texts": texts,
    }
