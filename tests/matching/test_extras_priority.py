"""Lower priority: the site passes a negative `priority` (a mentee who let requests expire or
missed meetings) straight to the core; it loses a contested seat but is still matched when a
seat is free, and the coverage objective never drops them for it."""
from mentormatch.matching import Instance, Rules, solve
from tests.matching.people import E, M, pairs


def test_negative_priority_loses_the_contested_seat():
    # e0 is the slightly better fit (shares industry) but has lower priority.
    es = [E(0, industry="bank", context_matters=["industry"], priority=-30), E(1)]
    res = solve(Instance(es, [M(0, industry="bank")]))
    assert pairs(res) == {("e1", "m0")}


def test_negative_priority_still_matched_when_a_seat_is_free_under_coverage():
    res = solve(Instance([E(0, priority=-30), E(1)], [M(0), M(1)]))
    assert {e for e, _ in pairs(res)} == {"e0", "e1"}


def test_carry_over_priority_plus_must_match_beats_a_better_fit():
    es = [E(0, industry="bank", context_matters=["industry"]), E(1, priority=10, must_match=True)]
    res = solve(Instance(es, [M(0, industry="bank")], rules=Rules(objective="quality")))
    assert pairs(res) == {("e1", "m0")}


def test_negative_priority_round_trips_through_the_format():
    from mentormatch.matching import instance_to_dict, read_instance

    d = instance_to_dict(Instance([E(0, priority=-20)], [M(0)]))
    assert d["mentees"][0]["priority"] == -20
    assert read_instance(d).mentees[0].priority == -20
