"""Travel times: geodesic distance × detour at the speed of the time-of-day band."""

from __future__ import annotations

import numpy as np

from scheduler.solver import GeodesicTravel, SpeedBand
from scheduler.solver.travel import max_matrix

A = (22.1967, 113.5439)
B = (22.1560, 113.5580)


def test_peak_is_slower_than_off_peak_and_night():
    t = GeodesicTravel()
    peak, off, night = t.minutes(A, B, 8 * 60), t.minutes(A, B, 14 * 60), t.minutes(A, B, 23 * 60)
    assert peak > off > night > 0
    km = t.km(A, B)
    assert 4.5 < km < 5.0
    assert abs(peak - km * 1.35 / 18 * 60) <= 1


def test_same_point_is_zero_and_distinct_points_take_a_minute_at_least():
    t = GeodesicTravel()
    assert t.minutes(A, A, 0) == 0
    assert t.minutes(A, (A[0] + 1e-6, A[1]), 0) == 1


def test_matrix_matches_minutes_and_is_cached():
    t = GeodesicTravel(bands=(SpeedBand(0, 720, 20.0),), default_kmh=40.0)
    pts = [A, B, (22.14, 113.57)]
    m = t.matrix(pts, 60)
    assert m.shape == (3, 3)
    assert m[0, 1] == t.minutes(A, B, 60)
    assert t.matrix(pts, 120) is m  # same speed band: same cached array
    assert (t.matrix(pts, 800) <= m).all()


def test_max_matrix_takes_the_slowest_band_of_the_span():
    t = GeodesicTravel()
    pts = [A, B]
    span = max_matrix(t, pts, 16 * 60, 20 * 60)  # off-peak then the evening peak
    assert np.array_equal(span, t.matrix(pts, 18 * 60))
    assert np.array_equal(max_matrix(t, pts, 23 * 60, 26 * 60), t.matrix(pts, 23 * 60))
