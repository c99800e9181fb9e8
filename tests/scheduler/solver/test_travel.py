"""Travel times: geodesic distance × detour at the speed of the time-of-day band."""

from __future__ import annotations

import random

import numpy as np
from geopy.distance import geodesic

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


def test_distances_match_geopy_geodesic_within_a_millionth_at_city_scale():
    rng = random.Random(3)
    t = GeodesicTravel()
    for _ in range(300):
        a = (rng.uniform(22.10, 22.23), rng.uniform(113.52, 113.60))
        b = (rng.uniform(22.10, 22.23), rng.uniform(113.52, 113.60))
        assert abs(t.km(a, b) - geodesic(a, b).km) <= 1e-6 * geodesic(a, b).km
    # Hong Kong and Guangzhou: still far inside the 0.5 % the minutes could notice.
    for far in ((22.30, 114.17), (23.13, 113.26)):
        assert abs(t.km(A, far) - geodesic(A, far).km) <= 1e-5 * geodesic(A, far).km


def test_matrix_equals_the_one_leg_answers_bit_for_bit():
    # The evaluator asks one leg at a time; the solvers plan on matrices. They must agree.
    rng = random.Random(4)
    pts = [(round(rng.uniform(22.10, 22.23), 5), round(rng.uniform(113.52, 113.60), 5)) for _ in range(400)]
    pts += pts[:3]  # repeated points are zero apart
    t, fresh = GeodesicTravel(), GeodesicTravel()
    km = t.km_matrix(pts)
    for depart in (8 * 60, 14 * 60, 23 * 60):
        m = t.matrix(pts, depart)
        for _ in range(2000):
            i, j = rng.randrange(len(pts)), rng.randrange(len(pts))
            assert km[i, j] == fresh.km(pts[i], pts[j])
            assert m[i, j] == fresh.minutes(pts[i], pts[j], depart)
    assert km[0, 400] == 0.0 and (km == km.T).all()
