"""Small hand-made problems around Macao for the solver tests."""

from __future__ import annotations

from dataclasses import replace

from scheduler.solver import (
    Depot,
    JointOperation,
    Officer,
    Problem,
    Site,
    SolveOptions,
    TeamRequirement,
    Visit,
    Wave,
)

DAY = 1440
HQ = Depot("HQ", 22.1967, 113.5439)  # peninsula
TAIPA = Depot("TAIPA", 22.1560, 113.5580)

# A few places on the peninsula, Taipa and Cotai.
PLACES = [
    (22.2006, 113.5448),
    (22.1937, 113.5386),
    (22.2105, 113.5510),
    (22.1880, 113.5360),
    (22.1620, 113.5560),
    (22.1530, 113.5660),
    (22.1450, 113.5640),
    (22.1380, 113.5700),
    (22.2150, 113.5430),
    (22.1990, 113.5520),
    (22.1575, 113.5495),
    (22.1490, 113.5530),
]

FAST = SolveOptions(time_limit=10, max_iterations=400, seed=1)
JOINT_FAST = SolveOptions(time_limit=10, deterministic_time=1.0, seed=1)


def day_shifts(days: int = 1, start: int = 9 * 60, end: int = 17 * 60) -> tuple[tuple[int, int], ...]:
    return tuple((d * DAY + start, d * DAY + end) for d in range(days))


def officer(
    oid: str,
    agency: str = "DSAL",
    *,
    depot: str = "HQ",
    skills=(),
    sex: str = "M",
    rank: int = 1,
    shifts=None,
) -> Officer:
    return Officer(
        oid, agency, depot, frozenset(skills), sex, rank, shifts if shifts is not None else day_shifts()
    )


def site(i: int, opening=None, company: str | None = None) -> Site:
    lat, lon = PLACES[i % len(PLACES)]
    return Site(f"s{i}", lat, lon, company or f"c{i}", opening)


def visit(
    i: int,
    *,
    earliest: int = 0,
    latest: int = DAY,
    duration: int = 45,
    priority: int = 1,
    skills=(),
    team: TeamRequirement | None = None,
    site_id: str | None = None,
    waves=(),
) -> Visit:
    return Visit(
        f"v{i}",
        site_id or f"s{i}",
        earliest,
        latest,
        duration,
        priority,
        frozenset(skills),
        team or TeamRequirement(),
        frozenset(waves),
    )


def routine_problem(n_visits: int = 6, n_officers: int = 2, days: int = 1, **kw) -> Problem:
    sites = tuple(site(i) for i in range(n_visits))
    visits = tuple(visit(i, latest=days * DAY) for i in range(n_visits))
    officers = tuple(officer(f"o{i}", shifts=day_shifts(days)) for i in range(n_officers))
    return Problem((HQ, TAIPA), sites, officers, visits, **kw)


def joint_problem(
    n_targets: int = 4,
    *,
    waves=(("W1", 22 * 60), ("W2", 24 * 60)),
    tolerance: int = 10,
    target_team: TeamRequirement | None = None,
    officers=None,
    **kw,
) -> Problem:
    """Night operation 21:00-03:00 against venues open 20:00-04:00, mustering at HQ."""
    night = ((20 * 60, 28 * 60),)
    sites = tuple(site(i, opening=night) for i in range(n_targets))
    visits = tuple(
        visit(i, earliest=0, latest=2 * DAY, duration=60, priority=1 + i % 3, team=target_team)
        for i in range(n_targets)
    )
    if officers is None:
        shift = ((20 * 60, 28 * 60 + 30),)
        officers = []
        for i in range(12):
            agency = ("PSP", "DSAL", "DSAT")[i % 3]
            skills = {"labour_inspector"} if agency == "DSAL" else set()
            if i % 4 == 0:
                skills.add("lang:tl")
            officers.append(
                officer(
                    f"o{i}",
                    agency,
                    skills=skills,
                    sex="F" if i % 3 == 2 else "M",
                    rank=1 + i % 4,
                    shifts=shift,
                )
            )
        officers = tuple(officers)
    op = JointOperation(
        waves=tuple(Wave(w, s) for w, s in waves),
        depot_id="HQ",
        start=21 * 60,
        end=27 * 60,
        team_min_size=2,
        team_max_size=4,
        team_rule=TeamRequirement(agencies=frozenset({"PSP", "DSAL"})),
        sync_tolerance=tolerance,
    )
    return Problem((HQ,), sites, officers, visits, operation=op, **kw)


def night_shifts(nights: int) -> tuple[tuple[int, int], ...]:
    return tuple((d * DAY + 20 * 60, d * DAY + 28 * 60 + 30) for d in range(nights))


def operation_problem(
    n_targets: int = 8,
    *,
    nights: int = 2,
    waves_per_night: int = 2,
    n_officers: int = 12,
    wave_of=None,
    **kw,
) -> Problem:
    """Multi-night operation: waves at 22:00, 23:30 (, 01:00) each night, venues open
    20:00-04:00 every night; officers on duty every night unless ``officers`` is given."""
    starts = (22 * 60, 23 * 60 + 30, 25 * 60)[:waves_per_night]
    waves = tuple(Wave(f"N{n + 1}W{k + 1}", n * DAY + s) for n in range(nights) for k, s in enumerate(starts))
    night = tuple((d * DAY + 20 * 60, d * DAY + 28 * 60) for d in range(nights))
    sites = tuple(site(i, opening=night) for i in range(n_targets))
    visits = tuple(
        visit(
            i,
            earliest=0,
            latest=(nights + 1) * DAY,
            duration=60,
            priority=1 + i % 3,
            waves=tuple(w for w in [wave_of(i) if wave_of else None] if w),
        )
        for i in range(n_targets)
    )
    officers = kw.pop("officers", None)
    if officers is None:
        officers = tuple(
            officer(
                f"o{i}",
                ("PSP", "DSAL", "DSAT")[i % 3],
                skills={"labour_inspector"} if i % 3 == 1 else (),
                sex="F" if i % 4 == 2 else "M",
                rank=1 + i % 4,
                shifts=night_shifts(nights),
            )
            for i in range(n_officers)
        )
    op = JointOperation(
        waves=waves,
        depot_id="HQ",
        start=21 * 60,
        end=(nights - 1) * DAY + 27 * 60,
        team_min_size=2,
        team_max_size=4,
        team_rule=TeamRequirement(agencies=frozenset({"PSP", "DSAL"})),
        sync_tolerance=10,
    )
    return Problem((HQ,), sites, tuple(officers), visits, operation=op, **kw)


def regrouping_problem(long_shift: bool = False) -> Problem:
    """Two nights of one wave, teams of PSP and DSAL: o0 (PSP, Tagalog), o1 (PSP), o2 (DSAL,
    Vietnamese), o3 (DSAL). The first night's v0 needs both languages (o0 with o2), v1 nothing;
    the second night's v2 needs Tagalog and v3 Vietnamese: o0 and o2 must part. ``long_shift``:
    each officer's duty is one shift over both nights instead of one a night."""
    shifts = ((20 * 60, DAY + 28 * 60 + 30),) if long_shift else night_shifts(2)
    officers = (
        officer("o0", "PSP", skills={"lang:tl"}, rank=3, shifts=shifts),
        officer("o1", "PSP", rank=2, shifts=shifts),
        officer("o2", "DSAL", skills={"lang:vi"}, rank=2, shifts=shifts),
        officer("o3", "DSAL", rank=1, shifts=shifts),
    )
    p = operation_problem(
        4, nights=2, waves_per_night=1, officers=officers, wave_of=lambda i: "N1W1" if i < 2 else "N2W1"
    )
    languages = {"v0": {"tl", "vi"}, "v2": {"tl"}, "v3": {"vi"}}
    visits = tuple(
        replace(v, team=TeamRequirement(languages=frozenset(languages.get(v.id, ())))) for v in p.visits
    )
    return replace(p, visits=visits)
