"""Progress reports and cancellation, and group balance through CP-SAT."""
import sys
from pathlib import Path

import pytest
from mm_reference import balanced, check_feasible

from mentormatch.matching import GroupBalance, Instance, Rules, read_instance, solve
from tests.matching.people import E, M

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from generate import generate  # noqa: E402


def test_progress_reports_each_phase_in_order():
    seen = []
    solve(Instance([E(0), E(1)], [M(0)]), progress=seen.append)
    phases = [p["phase"] for p in seen]
    assert phases[0] == "scoring" and phases[-1] == "done"
    order = ["scoring", "candidates", "flow", "explaining", "done"]
    assert [p for p in order if p in phases] == order
    assert all(p["elapsed_s"] >= 0 for p in seen)
    done = seen[-1]
    assert done["objective"]["pairs"] == 1 and done["gap"] == 0.0 and done["candidates"] == 2


def test_should_stop_before_the_solve_gives_a_cancelled_result():
    res = solve(Instance([E(0)], [M(0)]), should_stop=lambda: True)
    assert res.status == "cancelled" and res.stats["stopped"] is True
    assert res.assignment == [] and "stopped on request" in res.message


def test_progress_callback_returning_true_stops_the_solve():
    res = solve(Instance([E(0)], [M(0)]), progress=lambda info: info["phase"] == "scoring")
    assert res.status == "cancelled"


@pytest.fixture(scope="module")
def balanced_doc():
    doc = generate("S", seed=3, balance=True)
    doc["rules"]["group_balance"] = {"by": "tags", "slack": 0.05}
    return doc


def test_group_balance_holds_and_costs_at_most_what_the_flow_found(balanced_doc):
    plain = dict(balanced_doc, rules=dict(balanced_doc["rules"], group_balance=None))
    free = solve(read_instance(plain))
    res = solve(read_instance(balanced_doc), time_limit=20)
    assert res.status == "optimal"
    assert check_feasible(balanced_doc, res) == []
    assert (res.objective["pairs"], res.objective["score"]) <= \
        (free.objective["pairs"], free.objective["score"])
    # the instance is built so that balance binds: the free optimum is unbalanced
    assert not balanced(balanced_doc, {p.mentee for p in free.assignment},
                        balanced_doc["rules"]["group_balance"])
    assert res.solver.startswith(("cp-sat", "min-cost-flow+lagrangian"))


def test_cpsat_progress_reports_improving_solutions_and_can_be_cancelled(balanced_doc):
    seen = []
    res = solve(read_instance(balanced_doc), time_limit=20, progress=seen.append)
    cp = [p for p in seen if p["phase"] in ("cpsat", "lagrangian") and "objective" in p]
    assert cp, [p["phase"] for p in seen]
    assert all("bound" in p for p in cp)
    assert res.status == "optimal"

    def stop_at_cpsat(info):
        return info["phase"] in ("lagrangian", "cpsat")

    stopped = solve(read_instance(balanced_doc), time_limit=20, progress=stop_at_cpsat)
    assert stopped.stats.get("stopped") is True
    if stopped.status != "cancelled":
        assert check_feasible(balanced_doc, stopped) == []
        assert stopped.status in ("optimal", "feasible")


def test_balance_is_deterministic(balanced_doc):
    a = solve(read_instance(balanced_doc), time_limit=20)
    b = solve(read_instance(balanced_doc), time_limit=20)
    assert [(p.mentee, p.mentor) for p in a.assignment] == \
        [(p.mentee, p.mentor) for p in b.assignment]
    assert a.objective == b.objective and a.bound == b.bound


def test_balance_by_team_with_two_mentors_per_mentee():
    es = [E(i, team="a" if i < 4 else "b", languages=["en"] if i != 4 else ["xx"])
          for i in range(6)]
    inst = Instance(es, [M(0, capacity=3), M(1, capacity=3)],
                    rules=Rules(mentors_per_mentee=2,
                                group_balance=GroupBalance(by="team", slack=0.2)))
    res = solve(inst, time_limit=10)
    assert res.status == "optimal"
    matched = {p.mentee for p in res.assignment}
    rate_a = len(matched & {"e0", "e1", "e2", "e3"}) / 4
    rate_b = len(matched & {"e4", "e5"}) / 2
    overall = len(matched) / 6
    assert rate_a >= 0.8 * overall - 1e-9 and rate_b >= 0.8 * overall - 1e-9
