"""Officers who work in pairs: who goes out with whom.

Nobody is sent out alone. Officers pair within their agency only (a routine programme is one
agency's work, and a pair answers to one chain of command), preferably with someone of their
own unit (they set off from it together), else with an officer of another unit of the agency,
always with someone whose shifts overlap theirs most (a pair works only the hours both are on
duty). An odd officer joins the pair they share most hours with, as a team of three, rather
than staying behind. Whoever shares no hour on duty with anyone of their agency is in no crew:
the routine solver does not send them, and the checker names them.

The pairs are formed once for the programme (``pair_officers``). On a shift when an officer's
crew-mates are all off (sick, or taken out by the planner), the officer is paired again for that
shift with another such officer (``crews_of``), by the same rule; one who finds nobody stays
behind that shift, and the checker names them too.

Greedy, largest overlap first: the same officers always give the same crews, and a few hundred
officers pair in well under a second.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from scheduler.solver.model import Officer, Problem, Window


def shared(a: Sequence[Window], b: Sequence[Window]) -> list[Window]:
    """The windows in both ``a`` and ``b``."""
    return sorted((max(s, u), min(e, v)) for s, e in a for u, v in b if max(s, u) < min(e, v))


def _minutes(windows: Iterable[Window]) -> int:
    return sum(e - s for s, e in windows)


def pair_officers(officers: Sequence[Officer]) -> tuple[tuple[str, ...], ...]:
    """Crews of two (three for an odd officer) for a programme whose officers work in pairs;
    see the module docstring for the rule. Officers with no shift are on no crew: they are not
    on duty at all."""
    on_duty = [o for o in officers if o.shifts]
    order = {o.id: i for i, o in enumerate(on_duty)}
    candidates = []
    for i, a in enumerate(on_duty):
        for b in on_duty[i + 1 :]:
            overlap = _minutes(shared(a.shifts, b.shifts))
            if a.agency == b.agency and overlap > 0:
                candidates.append((a.depot_id != b.depot_id, -overlap, order[a.id], order[b.id], a, b))
    candidates.sort(key=lambda c: c[:4])
    paired: set[str] = set()
    crews: list[list[Officer]] = []
    for *_key, a, b in candidates:
        if a.id not in paired and b.id not in paired:
            paired.update((a.id, b.id))
            crews.append([a, b])
    for o in on_duty:
        if o.id in paired:
            continue
        joinable = [
            (c[0].depot_id != o.depot_id, -_minutes(shared(shared(c[0].shifts, c[1].shifts), o.shifts)), n)
            for n, c in enumerate(crews)
            if len(c) == 2 and c[0].agency == o.agency
        ]
        best = min((j for j in joinable if j[1] < 0), default=None)
        if best is not None:
            crews[best[2]].append(o)
            paired.add(o.id)
    return tuple(tuple(o.id for o in c) for c in crews)


@dataclass(frozen=True)
class Crew:
    """Officers who work together in the routine programme (one officer alone, or a fixed pair)."""

    id: str
    officers: tuple[Officer, ...]
    depot_id: str
    shifts: tuple[Window, ...]


def crews_of(problem: Problem) -> list[Crew]:
    """Fixed crews from ``problem.crews``, then every other officer alone (unless officers work in
    pairs: then nobody goes out alone); shifts intersected.

    A crew works the hours all its officers are on duty. A crew's officer on a shift that none of
    their crew-mates shares (the partner is off that day, sick or taken out by the planner) would
    otherwise stay at the station: such shifts are pooled across crews and paired again by
    ``pair_officers``'s rule (same agency, overlapping hours, same unit first), so the partner
    goes out that day with another officer whose partner is off; one left over joins such a
    stand-in pair. Without pairs, they go alone."""
    crews: list[Crew] = []
    in_crew: set[str] = set()
    uncovered: dict[str, list[Window]] = {}
    for ids in problem.crews:
        officers = tuple(problem.officer_by_id[i] for i in ids if i in problem.officer_by_id)
        if not officers:
            continue
        in_crew.update(o.id for o in officers)
        shifts = list(officers[0].shifts)
        for o in officers[1:]:
            shifts = shared(shifts, o.shifts)
        crews.append(
            Crew("+".join(o.id for o in officers), officers, officers[0].depot_id, tuple(sorted(shifts)))
        )
        if len(officers) > 1:
            for o in officers:
                for shift in o.shifts:
                    if not shared([shift], shifts):
                        uncovered.setdefault(o.id, []).append(shift)
    stand_ins = [
        replace(problem.officer_by_id[oid], shifts=tuple(sorted(windows)))
        for oid, windows in uncovered.items()
    ]
    if problem.work_in_pairs:
        by_id = {o.id: o for o in stand_ins}
        for ids in pair_officers(stand_ins):
            officers = tuple(by_id[i] for i in ids)
            shifts = list(officers[0].shifts)
            for o in officers[1:]:
                shifts = shared(shifts, o.shifts)
            crews.append(
                Crew(
                    "+".join(o.id for o in officers) + "~",
                    officers,
                    officers[0].depot_id,
                    tuple(sorted(shifts)),
                )
            )
    else:
        crews += [Crew(o.id, (o,), o.depot_id, o.shifts) for o in stand_ins]
    for o in problem.officers:
        if o.id not in in_crew and not problem.work_in_pairs:
            crews.append(Crew(o.id, (o,), o.depot_id, tuple(sorted(o.shifts))))
    return [c for c in crews if c.depot_id in problem.depot_by_id]
