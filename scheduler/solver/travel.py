"""Travel times between points, in whole minutes, possibly depending on the departure time.

A provider answers ``minutes(a, b, depart_minute)`` and ``matrix(points, depart_minute)``.
The default, :class:`GeodesicTravel`, multiplies the geodesic distance by a detour factor and
divides by a speed that depends on the time-of-day band (peak, off-peak, night). A road-network
provider (OSRM, a table from the GIS unit) can replace it: it only has to keep the protocol.

The routers need one static matrix per vehicle shift; :func:`max_matrix` gives the slowest
travel time over a time span, so a route planned on it stays feasible whenever it departs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np
from geopy.distance import geodesic

Point = tuple[float, float]  # (lat, lon)

MINUTES_PER_DAY = 1440


@runtime_checkable
class TravelTimeProvider(Protocol):
    def minutes(self, a: Point, b: Point, depart_minute: int) -> int: ...

    def matrix(self, points: Sequence[Point], depart_minute: int) -> np.ndarray: ...


@dataclass(frozen=True)
class SpeedBand:
    """From ``start`` to ``end`` minutes of the day (may cross midnight), at ``kmh``."""

    start: int
    end: int
    kmh: float

    def contains(self, minute_of_day: int) -> bool:
        if self.start <= self.end:
            return self.start <= minute_of_day < self.end
        return minute_of_day >= self.start or minute_of_day < self.end


# Macao: morning and evening peaks are slow, nights fast. First matching band wins.
DEFAULT_BANDS: tuple[SpeedBand, ...] = (
    SpeedBand(7 * 60 + 30, 9 * 60 + 30, 18.0),
    SpeedBand(17 * 60 + 30, 19 * 60 + 30, 18.0),
    SpeedBand(22 * 60, 6 * 60, 35.0),
)


@dataclass
class GeodesicTravel:
    """Geodesic distance × ``detour`` at the speed of the departure's band.

    Distances are cached per pair of points, so repeated matrices over the same sites cost
    only a numpy division. Travel between distinct points takes at least one minute.
    """

    detour: float = 1.35
    bands: tuple[SpeedBand, ...] = DEFAULT_BANDS
    default_kmh: float = 28.0
    _km: dict[tuple[Point, Point], float] = field(default_factory=dict, repr=False)
    _matrices: dict[tuple[tuple[Point, ...], float], np.ndarray] = field(default_factory=dict, repr=False)

    def speed(self, depart_minute: int) -> float:
        minute = depart_minute % MINUTES_PER_DAY
        for band in self.bands:
            if band.contains(minute):
                return band.kmh
        return self.default_kmh

    def km(self, a: Point, b: Point) -> float:
        if a == b:
            return 0.0
        key = (a, b) if a <= b else (b, a)
        km = self._km.get(key)
        if km is None:
            km = geodesic(a, b).km
            self._km[key] = km
        return km

    def _to_minutes(self, km: float | np.ndarray, kmh: float):
        return np.ceil(np.asarray(km) * self.detour / kmh * 60.0 - 1e-9)

    def minutes(self, a: Point, b: Point, depart_minute: int) -> int:
        if a == b:
            return 0
        return max(1, int(self._to_minutes(self.km(a, b), self.speed(depart_minute))))

    def km_matrix(self, points: Sequence[Point]) -> np.ndarray:
        n = len(points)
        out = np.zeros((n, n))
        for i in range(n):
            for j in range(i + 1, n):
                out[i, j] = out[j, i] = self.km(points[i], points[j])
        return out

    def matrix(self, points: Sequence[Point], depart_minute: int) -> np.ndarray:
        kmh = self.speed(depart_minute)
        key = (tuple(points), kmh)
        cached = self._matrices.get(key)
        if cached is None:
            km = self.km_matrix(points)
            cached = self._to_minutes(km, kmh).astype(np.int64)
            cached[(km > 0) & (cached < 1)] = 1
            self._matrices[key] = cached
        return cached


def max_matrix(
    provider: TravelTimeProvider, points: Sequence[Point], start: int, end: int, step: int = 30
) -> np.ndarray:
    """Elementwise slowest travel time for departures in ``[start, end]``, sampled every ``step``.

    For :class:`GeodesicTravel` the band edges are sampled exactly, so the result is exact.
    """
    samples = set(range(start, max(start, end) + 1, step)) | {end}
    if isinstance(provider, GeodesicTravel):
        for band in provider.bands:
            for edge in (band.start, band.end):
                first = start - start % MINUTES_PER_DAY + edge
                samples |= {
                    m for m in range(first - MINUTES_PER_DAY, end + 1, MINUTES_PER_DAY) if start <= m <= end
                }
        # The matrix depends on the speed only, so one departure per distinct speed is enough.
        by_speed = {provider.speed(m): m for m in sorted(samples)}
        samples = set(by_speed.values())
    result: np.ndarray | None = None
    for minute in sorted(samples):
        m = np.asarray(provider.matrix(points, minute), dtype=np.int64)
        result = m if result is None else np.maximum(result, m)
    assert result is not None
    return result


__all__ = ["DEFAULT_BANDS", "GeodesicTravel", "SpeedBand", "TravelTimeProvider", "max_matrix"]
