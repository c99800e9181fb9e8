"""The planning problem and the plan, as plain frozen dataclasses.

Time is an integer number of minutes from the horizon start, which is local midnight
(Asia/Macau) of the first planned day. Minute 1440 is midnight of the second day, and a
window may cross midnight: a venue open 20:00-04:00 on day 0 is the single window
``(1200, 1680)``.

Everything here is data plus one-row rules (``Site.is_open``, ``TeamRequirement.unmet``).
The solvers and the evaluator read these objects and never change them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from scheduler.solver.travel import GeodesicTravel, TravelTimeProvider

Window = tuple[int, int]
MINUTES_PER_DAY = 1440
# Waves of a joint operation more than this many minutes apart belong to different nights (or
# days): an operation's nights are its waves grouped where two consecutive ones are further apart.
NIGHT_GAP = 8 * 60


@dataclass(frozen=True)
class Depot:
    """A unit's base: officers leave from it and come back to it."""

    id: str
    lat: float
    lon: float

    @property
    def point(self) -> tuple[float, float]:
        return (self.lat, self.lon)


@dataclass(frozen=True)
class Site:
    """A place to inspect.

    ``opening`` lists the windows over the horizon when a visit may take place (a visit must
    start and end inside one window). ``None`` means the site can be visited at any time
    (e.g. a construction site inspected by day, where the shift is the only limit).
    """

    id: str
    lat: float
    lon: float
    company_id: str = ""
    opening: tuple[Window, ...] | None = None

    @property
    def point(self) -> tuple[float, float]:
        return (self.lat, self.lon)

    def is_open(self, start: int, end: int) -> bool:
        """True when ``[start, end]`` lies inside one opening window."""
        if self.opening is None:
            return True
        return any(o <= start and end <= c for o, c in self.opening)


@dataclass(frozen=True)
class Officer:
    """An officer who can be planned. ``shifts`` are the (start, end) windows on duty."""

    id: str
    agency: str
    depot_id: str
    skills: frozenset[str] = frozenset()
    sex: str = "M"
    rank: int = 0
    shifts: tuple[Window, ...] = ()

    def shift_covering(self, start: int, end: int) -> Window | None:
        for s, e in self.shifts:
            if s <= start and end <= e:
                return (s, e)
        return None


@dataclass(frozen=True)
class TeamRequirement:
    """What the officers doing a visit (or forming a team) must bring, together.

    ``agencies``, ``skills`` and ``languages`` each need at least one member holding it;
    a language ``xx`` is held by an officer with the skill ``lang:xx``. ``female`` asks for at
    least one female officer (persons may be searched). ``min_leader_rank`` asks for at least
    one member of that rank or higher, who leads the team.
    """

    min_size: int = 1
    max_size: int | None = None
    agencies: frozenset[str] = frozenset()
    skills: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    female: bool = False
    min_leader_rank: int | None = None

    def unmet(self, members: Sequence[Officer]) -> list[str]:
        """Human-readable list of what ``members`` lack; empty when they qualify."""
        missing: list[str] = []
        if len(members) < self.min_size:
            missing.append(f"size<{self.min_size}")
        if self.max_size is not None and len(members) > self.max_size:
            missing.append(f"size>{self.max_size}")
        have_agencies = {m.agency for m in members}
        have_skills = set().union(*(m.skills for m in members)) if members else set()
        missing += [f"agency:{a}" for a in sorted(self.agencies - have_agencies)]
        missing += [f"skill:{s}" for s in sorted(self.skills - have_skills)]
        missing += [f"lang:{x}" for x in sorted(x for x in self.languages if f"lang:{x}" not in have_skills)]
        if self.female and not any(m.sex == "F" for m in members):
            missing.append("female")
        if self.min_leader_rank is not None and not any(m.rank >= self.min_leader_rank for m in members):
            missing.append(f"leader_rank>={self.min_leader_rank}")
        return missing

    def merged(self, other: TeamRequirement) -> TeamRequirement:
        """The requirement met exactly by teams meeting both."""
        max_sizes = [s for s in (self.max_size, other.max_size) if s is not None]
        ranks = [r for r in (self.min_leader_rank, other.min_leader_rank) if r is not None]
        return TeamRequirement(
            min_size=max(self.min_size, other.min_size),
            max_size=min(max_sizes) if max_sizes else None,
            agencies=self.agencies | other.agencies,
            skills=self.skills | other.skills,
            languages=self.languages | other.languages,
            female=self.female or other.female,
            min_leader_rank=max(ranks) if ranks else None,
        )


@dataclass(frozen=True)
class Visit:
    """Due work: one visit to one site.

    The whole visit, ``[start, start + duration]``, must lie inside the due window
    ``[earliest, latest]`` and inside one opening window of the site. ``required_skills``
    are each needed by at least one officer of the team; ``team`` adds the make-up rules.
    ``waves`` (joint operations only) lists the waves the target may be raided in; empty
    means any wave.
    """

    id: str
    site_id: str
    earliest: int
    latest: int
    duration: int
    priority: int = 1
    required_skills: frozenset[str] = frozenset()
    team: TeamRequirement = TeamRequirement()
    waves: frozenset[str] = frozenset()

    @property
    def requirement(self) -> TeamRequirement:
        return self.team.merged(TeamRequirement(skills=self.required_skills))


@dataclass(frozen=True)
class Wave:
    """Targets of one wave are entered together, at ``start`` (up to the tolerance later)."""

    id: str
    start: int


@dataclass(frozen=True)
class JointOperation:
    """A joint operation: teams formed from several agencies raid targets in waves.

    Teams muster at ``depot_id`` no earlier than ``start`` and are back by ``end``; an officer
    is available when one of their shifts covers ``[start, end]``. ``team_rule`` applies to
    every team (e.g. at least one officer of each agency), on top of each target's own make-up.
    ``arrive_before`` is how many minutes before its raid a team reaches a target (to park and
    take position; a policy, ``SCHEDULER_ARRIVE_BEFORE_MINUTES``): the plan's times are
    right-justified to it (``schedule.justify``), so no team waits outside a target for its wave.
    """

    waves: tuple[Wave, ...]
    depot_id: str
    start: int
    end: int
    team_min_size: int = 2
    team_max_size: int = 6
    team_rule: TeamRequirement = TeamRequirement()
    sync_tolerance: int = 10
    arrive_before: int = 5

    @cached_property
    def nights(self) -> tuple[Night, ...]:
        """The operation's nights (or days), in order: its waves, sorted by start, split wherever
        two consecutive waves are more than ``NIGHT_GAP`` apart. Each night owns the minutes from
        halfway after the previous night's last wave to halfway before the next night's first
        (the operation's start and end at either end), so every minute of the window belongs to
        one night. An officer may join a different team each night, never two in one."""
        waves = sorted(self.waves, key=lambda w: (w.start, w.id))
        groups: list[list[Wave]] = []
        for w in waves:
            if groups and w.start - groups[-1][-1].start <= NIGHT_GAP:
                groups[-1].append(w)
            else:
                groups.append([w])
        out = []
        for n, g in enumerate(groups):
            lo = self.start if n == 0 else max(self.start, (groups[n - 1][-1].start + g[0].start) // 2)
            last = n == len(groups) - 1
            hi = self.end if last else min(self.end, (g[-1].start + groups[n + 1][0].start) // 2)
            out.append(Night(n + 1, tuple(w.id for w in g), lo, hi))
        return tuple(out)

    def night_of(self, minute: int) -> int:
        """The number (1, 2, …) of the night a minute belongs to; before the first night's start
        the first, after the last night's end the last."""
        for night in self.nights:
            if minute < night.hi:
                return night.number
        return self.nights[-1].number if self.nights else 1


@dataclass(frozen=True)
class Night:
    """One night (or day) of a joint operation: its waves and the minutes it owns."""

    number: int
    wave_ids: tuple[str, ...]
    lo: int
    hi: int


def _freeze_conflicts(conflicts: Mapping[str, Iterable[str]]) -> dict[str, frozenset[str]]:
    return {k: frozenset(v) for k, v in conflicts.items()}


@dataclass(frozen=True)
class Problem:
    """One planning problem: a routine programme, or a joint operation when ``operation`` is set.

    ``conflicts`` maps an officer id to the site ids and company ids they must not inspect.
    ``last_visits`` maps an officer id to ``{site id: minute of their last visit}`` (usually
    negative: before the horizon); an officer may not visit a site again within
    ``rotation_gap_days`` days. ``crews`` (routine only) lists fixed pairs or groups of officers
    that work together; officers in no crew work alone, unless ``work_in_pairs`` says nobody
    works alone: then an officer in no crew is not sent out (``pair_officers`` forms the crews,
    the checker names whoever is left). ``max_overtime`` minutes may be worked past a shift's
    end.
    """

    depots: tuple[Depot, ...]
    sites: tuple[Site, ...]
    officers: tuple[Officer, ...]
    visits: tuple[Visit, ...]
    conflicts: Mapping[str, frozenset[str]] = field(default_factory=dict)
    last_visits: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    rotation_gap_days: int = 0
    crews: tuple[tuple[str, ...], ...] = ()
    work_in_pairs: bool = False
    max_overtime: int = 0
    operation: JointOperation | None = None
    travel: TravelTimeProvider = field(default_factory=GeodesicTravel, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "conflicts", _freeze_conflicts(self.conflicts))

    @cached_property
    def depot_by_id(self) -> dict[str, Depot]:
        return {d.id: d for d in self.depots}

    @cached_property
    def site_by_id(self) -> dict[str, Site]:
        return {s.id: s for s in self.sites}

    @cached_property
    def officer_by_id(self) -> dict[str, Officer]:
        return {o.id: o for o in self.officers}

    @cached_property
    def visit_by_id(self) -> dict[str, Visit]:
        return {v.id: v for v in self.visits}

    def conflicted(self, officer_id: str, visit: Visit) -> bool:
        """True when the officer has a conflict of interest with the visit's site or company."""
        banned = self.conflicts.get(officer_id, frozenset())
        site = self.site_by_id[visit.site_id]
        return site.id in banned or (bool(site.company_id) and site.company_id in banned)

    def rotation_blocks(self, officer_id: str, site_id: str, start: int) -> bool:
        """True when starting a visit at ``start`` would come too soon after their last visit."""
        last = self.last_visits.get(officer_id, {}).get(site_id)
        return last is not None and start - last < self.rotation_gap_days * MINUTES_PER_DAY


@dataclass(frozen=True)
class Stop:
    """One visit on a route: arrival at the site, service start and end."""

    visit_id: str
    arrival: int
    start: int
    end: int
    wave_id: str | None = None


@dataclass(frozen=True)
class Route:
    """What one officer (or crew, or joint team) does in one shift: depot, stops, depot.

    ``team_id`` names a joint team (or a routine crew); ``leader_id`` its leader.
    """

    officer_ids: tuple[str, ...]
    depot_id: str
    departure: int
    back: int
    stops: tuple[Stop, ...]
    team_id: str = ""
    leader_id: str | None = None

    @property
    def day(self) -> int:
        return self.departure // MINUTES_PER_DAY

    @property
    def key(self) -> tuple[str, int]:
        """Identity used to count moves: the team (or the officers) and the day."""
        return (self.team_id or "+".join(self.officer_ids), self.day)


@dataclass(frozen=True)
class Unplanned:
    """A visit left out of the plan, with a stable ``reason`` code, the ``rule`` that binds
    (``opening_hours``, ``wave``, ``shift``, ``agency``, ``skill``, ``language``, ``female``,
    ``leader_rank``, ``conflict``, ``rotation``, ``team``, ``capacity``, ``travel``, ``planner``),
    its ``params`` (codes and local times, for a message in any language) and an English
    ``detail``."""

    visit_id: str
    reason: str
    detail: str = ""
    rule: str = ""
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)


def hhmm(minute: int) -> str:
    """A minute of the horizon as local wall-clock time: the horizon starts at local midnight,
    so 1350 is 22:30 and 1530 is 01:30 the next day ("01:30 (+1 day)")."""
    day, rest = divmod(minute, MINUTES_PER_DAY)
    text = f"{rest // 60:02d}:{rest % 60:02d}"
    if day == 0:
        return text
    return f"{text} ({day:+d} day{'s' if abs(day) > 1 else ''})"


# Reasons a visit is left out of a plan.
REASON_NO_QUALIFIED_OFFICER = "no_qualified_officer"
REASON_CONFLICT_OR_ROTATION = "only_conflicted_or_rotated_officers"
REASON_NO_OPENING_IN_DUE_WINDOW = "no_opening_in_due_window"
REASON_NO_SHIFT_FITS = "no_shift_fits"
REASON_NO_CAPACITY = "no_capacity"
REASON_NO_WAVE = "no_wave_fits"
REASON_UNKNOWN_SITE = "unknown_site"
REASON_CANCELLED = "cancelled"
REASON_NO_TEAM_QUALIFIES = "no_team_qualifies"
REASON_REMOVED_BY_PLANNER = "removed_by_planner"


@dataclass(frozen=True)
class Plan:
    """A draft plan: routes, what could not be planned and why, and solver statistics."""

    routes: tuple[Route, ...]
    unplanned: tuple[Unplanned, ...] = ()
    stats: Mapping[str, float] = field(default_factory=dict)

    def assignment(self) -> dict[str, tuple[str, int]]:
        """visit id -> route key (team or officers, day)."""
        return {s.visit_id: r.key for r in self.routes for s in r.stops}

    def planned_visit_ids(self) -> set[str]:
        return {s.visit_id for r in self.routes for s in r.stops}
