"""The optimizer: always feasible, equal to the brute-force optimum on small instances,
deterministic, and each rule does what it says."""
import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from mm_reference import brute_force, check_feasible, instances, result_key

from mentormatch.matching import Instance, Rules, read_instance, result_to_dict, solve
from tests.matching.people import E, M, pairs


def stable(res):
    d = result_to_dict(res)
    d["stats"] = {k: v for k, v in d["stats"].items() if not k.endswith("_s")
                  and k != "cpsat_deterministic_time"}
    return d


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=instances())
def test_result_is_feasible_and_equals_the_brute_force_optimum(doc):
    res = solve(read_instance(doc), time_limit=20)
    best = brute_force(doc)
    if best is None:
        assert res.status == "infeasible"
        return
    assert res.status == "optimal", res.message
    assert check_feasible(doc, res) == []
    assert result_key(doc, res) == best
    assert res.gap == 0.0 and res.bound == res.objective
    assert res.objective["pairs"] == len(res.assignment)
    assert res.objective["score"] == sum(p.score for p in res.assignment)
    matched = {p.mentee for p in res.assignment}
    assert {u.mentee for u in res.unmatched} == {e["id"] for e in doc["mentees"]} - matched


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=instances())
def test_same_instance_same_result_whatever_the_order_or_threads(doc):
    a = solve(read_instance(doc), threads=1)
    b = solve(read_instance(json.loads(json.dumps(doc))), threads=2)
    shuffled = json.loads(json.dumps(doc))
    if "edges" not in shuffled:
        random.Random(0).shuffle(shuffled["mentees"])
        random.Random(1).shuffle(shuffled["mentors"])
    c = solve(read_instance(shuffled))
    assert stable(a) == stable(b)
    assert stable(a)["assignment"] == stable(c)["assignment"]
    assert stable(a)["unmatched"] == stable(c)["unmatched"]


def test_more_pairs_beat_a_higher_score():
    # e0 fits m0 best, but giving m0 to e0 leaves e1 alone: two decent pairs win.
    es = [E(0, topics=["python", "go"]), E(1, topics=["go"])]
    ms = [M(0, topics=["python", "go"]), M(1, topics=["python"])]
    res = solve(Instance(es, ms))
    assert pairs(res) == {("e0", "m1"), ("e1", "m0")}
    assert res.status == "optimal" and res.solver == "min-cost-flow"


def test_capacity_is_respected_and_used():
    es = [E(i) for i in range(5)]
    res = solve(Instance(es, [M(0, capacity=3), M(1, capacity=0)]))
    assert len(res.assignment) == 3 and {p.mentor for p in res.assignment} == {"m0"}


def test_locked_pair_is_kept_even_if_ineligible_and_forbidden_never_used():
    es = [E(0, languages=["es"]), E(1)]
    ms = [M(0), M(1)]
    res = solve(Instance(es, ms, locked=[("e0", "m0")], forbidden=[("e1", "m0")]))
    assert pairs(res) == {("e0", "m0"), ("e1", "m1")}
    assert [p.locked for p in sorted(res.assignment, key=lambda p: p.mentee)] == [True, False]
    # The sentence is shown to the mentor and mentee too: it never tells them the coordinator steered it.
    assert "locked" not in res.assignment[0].sentence and "coordinator" not in res.assignment[0].sentence


def test_locked_pair_takes_the_seat_even_when_a_better_pair_exists():
    es = [E(0, topics=["art"]), E(1)]
    res = solve(Instance(es, [M(0)], locked=[("e0", "m0")]))
    assert pairs(res) == {("e0", "m0")}
    assert res.unmatched[0].mentee == "e1"
    assert ("capacity_full", 1) in res.unmatched[0].reasons


def test_several_mentors_per_mentee():
    es = [E(0), E(1)]
    ms = [M(j, capacity=2) for j in range(3)]
    res = solve(Instance(es, ms, rules=Rules(mentors_per_mentee=2)))
    assert len(res.assignment) == 4
    per = {}
    for p in res.assignment:
        per[p.mentee] = per.get(p.mentee, 0) + 1
    assert per == {"e0": 2, "e1": 2}


def test_team_cap_spreads_a_team_over_mentors():
    es = [E(i, team="platform") for i in range(3)] + [E(3, team="data")]
    ms = [M(0, capacity=3, topics=["python"]), M(1, capacity=3, topics=[])]
    res = solve(Instance(es, ms, rules=Rules(max_same_team=1)))
    per_mentor_team = {}
    for p in res.assignment:
        team = next(e.team for e in es if e.id == p.mentee)
        per_mentor_team[(p.mentor, team)] = per_mentor_team.get((p.mentor, team), 0) + 1
    assert max(per_mentor_team.values()) == 1
    assert len(res.assignment) == 3  # two platform mentees (one per mentor) + data
    lonely = res.unmatched[0]
    assert dict(lonely.reasons).get("team_cap") == 2


def test_min_score_removes_weak_pairs():
    es = [E(0, topics=["art"], tz=9)]
    res = solve(Instance(es, [M(0)], rules=Rules(min_score=60)))
    assert res.assignment == [] and res.unmatched[0].reasons == [("below_min_score", 1)]


def test_edges_are_the_candidate_set_with_their_scores():
    doc = {"format": "mentormatch-instance", "version": 1,
           "mentees": [{"id": "a", "languages": ["en"], "tz": 0, "years": 1,
                        "preference": "peer"},
                       {"id": "b", "languages": ["fr"], "tz": 0, "years": 1,
                        "preference": "peer"}],
           "mentors": [{"id": "x", "languages": ["en"], "tz": 0, "years": 1, "capacity": 1},
                       {"id": "y", "languages": ["en"], "tz": 0, "years": 1, "capacity": 1}],
           "edges": {"mentee": [0, 1, 1], "mentor": [1, 0, 1], "score": [5, 7, 90]}}
    res = solve(read_instance(doc))
    # b has no shared language, but edges are taken as given; a only has y.
    assert pairs(res) == {("a", "y"), ("b", "x")}
    assert res.objective == {"pairs": 2, "score": 12}
    assert all(p.why == {} for p in res.assignment)
    assert "picked from the program's own candidate list" in res.assignment[0].sentence


def test_result_reports_status_objective_bound_and_gap():
    res = solve(Instance([E(0), E(1)], [M(0)]))
    d = result_to_dict(res)
    assert d["status"] == "optimal" and d["gap"] == 0.0
    assert d["objective"] == d["bound"] == {"pairs": 1, "score": res.assignment[0].score}
    assert d["stats"]["candidates"] == 2 and d["stats"]["wall_s"] >= 0


def test_empty_round():
    res = solve(Instance([], []))
    assert res.status == "optimal" and res.assignment == [] and res.unmatched == []


def test_a_python_instance_is_validated_like_a_file():
    bad = Instance([E(0, tz=30)], [M(0)])
    with pytest.raises(ValueError) as info:
        solve(bad)
    assert "mentees[0].tz: must be a number in [-12, 14]" in info.value.errors
