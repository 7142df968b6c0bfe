"""Group balance through the Lagrangian over the min-cost flow: the bounds are certificates
(never below the brute-force optimum), the answer equals the brute-force optimum, and a
1,000-mentee round is proven optimal without CP-SAT, on a deterministic budget."""
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from mm_reference import brute_force, check_feasible, instances, result_key

from mentormatch.matching import read_instance, solve

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from generate import generate  # noqa: E402


@st.composite
def balanced_instances(draw):
    doc = draw(instances(max_mentees=6, max_mentors=3, extras=False, balance=False))
    doc["rules"]["mentors_per_mentee"] = 1
    doc["locked"] = [x for i, x in enumerate(doc["locked"])
                     if all(y["mentee"] != x["mentee"] for y in doc["locked"][:i])]
    doc["rules"]["group_balance"] = {"by": draw(st.sampled_from(["tags", "team"])),
                                     "slack": draw(st.sampled_from([0.0, 0.1, 0.3, 0.5]))}
    return doc


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=balanced_instances())
def test_balanced_result_equals_the_brute_force_optimum_and_bounds_are_valid(doc):
    best = brute_force(doc)
    res = solve(read_instance(doc), time_limit=20)
    if best is None:
        assert res.status == "infeasible"
        return
    assert res.status == "optimal" and res.gap == 0.0, res.message
    assert check_feasible(doc, res) == []
    assert result_key(doc, res) == best
    # Every certificate the Lagrangian printed is an upper bound on the true optimum.
    _, pairs, score = best
    if "balance_pairs_bound" in res.stats:
        assert res.stats["balance_pairs_bound"] >= pairs
    if res.stats.get("balance_pairs_bound") == pairs and "balance_score_bound" in res.stats:
        assert res.stats["balance_score_bound"] >= score


@pytest.fixture(scope="module")
def m_round():
    return generate("M", seed=1, balance=True)


def test_a_1000_mentee_round_is_proven_by_the_lagrangian_alone(m_round):
    # A deterministic budget far too small for CP-SAT (0.4 units) still proves the optimum:
    # the Lagrangian's bound and its balanced primal meet.  (Before, CP-SAT ran into its limit
    # and returned "feasible" with a gap.)
    assert m_round["rules"]["group_balance"] == {"by": "tags", "slack": 0.05}
    res = solve(read_instance(m_round), time_limit=1)
    assert res.status == "optimal" and res.gap == 0.0
    assert res.solver == "min-cost-flow+lagrangian"
    assert res.objective == {"pairs": 633, "score": 52132} == res.bound
    assert res.stats["balance_pairs_bound"] == 633
    assert res.stats["balance_score_bound"] == 52132
    assert check_feasible(m_round, res) == []
    again = solve(read_instance(m_round), time_limit=1)
    assert [(p.mentee, p.mentor) for p in again.assignment] == \
        [(p.mentee, p.mentor) for p in res.assignment]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=balanced_instances())
def test_reduced_costs_never_fix_a_pair_that_a_better_balanced_assignment_flips(doc):
    """The certificate behind the reduced-cost fixing: every balanced assignment with the
    level's pairs scores at most the dual value minus the loss of any pair it flips."""
    import itertools
    from dataclasses import replace

    import numpy as np

    from mentormatch.matching import lagrange
    from mentormatch.matching.balance import feasible, groups_of
    from mentormatch.matching.flow import solve_flow
    from mentormatch.matching.solver import build

    inst = read_instance(doc)
    pb = build(inst, threads=1)
    gb = inst.rules.group_balance
    G = groups_of(pb, gb.by, gb.slack)
    assume_ok = len(G.names) and (pb.cand.score >= 0).all() and pb.flow.max_same_team is None
    if not assume_ok or pb.cand.n == 0:
        return
    m, _ = lagrange.pairs_bound(pb, G, int(pb.flow.k.sum()), lambda: False)
    m = min(m, int(pb.flow.cap.sum()), pb.P.n_e)
    if m < int(pb.flow.locked.sum()):
        return
    if solve_flow(replace(pb.flow, max_total=m - int(pb.flow.locked.sum()))).pairs < m:
        return
    lvl = lagrange.score_level(pb, G, m, lambda c: None, lambda b: False, lambda: False,
                               lambda *a, **k: None)
    out = lagrange.reduced_costs(pb, G, m, lvl)
    if out is None or lvl.bound is None:
        return
    loss, value = out
    event("certificate checked")
    x_star = lvl.solutions[lvl.best_iteration]
    by_e = [np.flatnonzero(pb.cand.ei == i).tolist() for i in range(pb.P.n_e)]
    for pick in itertools.product(*[[None] + arcs for arcs in by_e]):
        chosen = np.zeros(pb.cand.n, dtype=bool)
        chosen[[a for a in pick if a is not None]] = True
        if chosen.sum() != m or (np.bincount(pb.cand.mj[chosen], minlength=pb.P.n_m)
                                 > pb.flow.cap).any():
            continue
        if not (chosen[pb.locked]).all() or not feasible(pb, G, chosen):
            continue
        flipped = chosen != x_star
        worst = int(loss[flipped].max()) if flipped.any() else 0
        assert lagrange.SCALE_SCORE * int(pb.cand.score[chosen].sum()) <= value - worst


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=balanced_instances())
def test_the_repair_integer_program_over_every_pair_equals_the_brute_force_optimum(doc):
    """The HiGHS model behind the repair and the close (mip.py): over every candidate, with
    the brute-force optimum's pairs fixed, it finds exactly the brute-force best score."""
    from mentormatch.matching import mip
    from mentormatch.matching.balance import feasible, groups_of
    from mentormatch.matching.solver import build

    best = brute_force(doc)
    inst = read_instance(doc)
    pb = build(inst, threads=1)
    gb = inst.rules.group_balance
    G = groups_of(pb, gb.by, gb.slack)
    if best is None or not len(G.names):
        return
    _, pairs, score = best
    out = mip.solve_fixed_pairs(pb, G, np.ones(pb.cand.n, dtype=bool), pairs, stage="test")
    assert out.optimal and out.upper == score
    assert int(pb.cand.score[out.chosen].sum()) == score
    assert int(out.chosen.sum()) == pairs and feasible(pb, G, out.chosen)
    assert out.chosen[pb.locked].all()
    assert (np.bincount(pb.cand.ei[out.chosen], minlength=pb.P.n_e) <= 1).all()
    assert (np.bincount(pb.cand.mj[out.chosen], minlength=pb.P.n_m) <= pb.flow.cap).all()
    if pairs < int(pb.flow.cap.sum()) and pairs < pb.P.n_e:
        # One pair more than the optimum's is impossible, and the model says so.
        more = mip.solve_fixed_pairs(pb, G, np.ones(pb.cand.n, dtype=bool), pairs + 1,
                                     stage="test")
        assert more.chosen is None and more.infeasible


def test_a_round_whose_pairs_bound_cannot_be_reached_is_proven_by_stepping_down():
    # M, seed 3, slack 0.1: the Lagrangian bounds the pairs at 772, but no balanced assignment
    # has 772.  HiGHS over every candidate proves 772 infeasible, then finds the best at 771.
    # (Before, CP-SAT ended at its deterministic limit: "feasible", 60,712 of 60,939.)
    doc = generate("M", seed=3, balance=True)
    doc["rules"]["group_balance"]["slack"] = 0.1
    res = solve(read_instance(doc))
    assert res.stats["balance_pairs_bound"] == 772
    assert res.status == "optimal" and res.gap == 0.0
    assert res.objective == {"pairs": 771, "score": 60939} == res.bound
    assert res.solver == "min-cost-flow+lagrangian+mip"
    assert check_feasible(doc, res) == []
