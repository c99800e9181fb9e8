"""Who goes out with whom when officers work in pairs (pure: no database)."""

from __future__ import annotations

from scheduler.solver import Officer, pair_officers

DAY = ((540, 1080),)
NIGHT = ((1200, 1680),)


def _o(oid, agency="PSP", depot="A", shifts=DAY):
    return Officer(id=oid, agency=agency, depot_id=depot, shifts=shifts)


def test_pairs_never_cross_agencies():
    assert pair_officers([_o("p1"), _o("d1", agency="DSAL")]) == ()


def test_a_partner_on_the_same_shift_wins_over_one_of_the_same_unit_on_another():
    crews = pair_officers(
        [_o("a1"), _o("a2", shifts=NIGHT), _o("b1", depot="B"), _o("b2", depot="B", shifts=NIGHT)]
    )
    assert sorted(sorted(c) for c in crews) == [["a1", "b1"], ["a2", "b2"]]


def test_an_odd_officer_joins_a_pair_and_one_off_duty_with_everyone_is_left_out():
    crews = pair_officers(
        [_o("a1"), _o("a2"), _o("a3", depot="B"), _o("n", shifts=NIGHT), _o("off", shifts=())]
    )
    assert [sorted(c) for c in crews] == [["a1", "a2", "a3"]]
