"""Rules that do not fit a flow network: group balance (and, rarely, team caps that overlap
with the continuing-pair cap).

Group balance couples everybody: a group's match rate must stay at least (1 - slack) times the
overall rate.  The solve proves its answer level by level instead of handing the whole round
to CP-SAT:

1. The flow without the coupling rule is a relaxation: if its answer is balanced, it is optimal.
2. A Lagrangian relaxation of the dozen balance rows over the min-cost flow (lagrange.py)
   bounds the pairs, then the score at that many pairs, with exact certificates; every priced
   flow that is balanced is a solution.
3. Repair: an integer program (mip.py, HiGHS) over the arcs the priced flows used plus the
   40,000 with the smallest reduced cost, with the pairs fixed and the balance rows as small
   integer rows.  Its LP is nearly integral, so it usually meets the Lagrangian bound at the
   root node: a global proof.
4. Only if a gap remains: reduced-cost fixing against the repaired incumbent (or, for a small
   round, every candidate) gives a model that holds every better assignment; HiGHS over it
   proves globally.  The general cases (several mentors per mentee, quality, must-match) go
   to CP-SAT with the flow's bound, warm-started, with a deterministic limit.

`optimal` is reported only when the solution meets a proven bound; otherwise the gap.  Every
limit is deterministic (flow counts, HiGHS's node count with one thread, CP-SAT's
deterministic time), so a loaded machine gives the same answer, only later.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

import numpy as np

from . import lagrange
from .flow import FlowSolution, solve_flow
from .objective import lex_key, objective_of
from .scoring import norm

# `time_limit` seconds are turned into CP-SAT deterministic time (0.2-0.6 units per wall
# second on this 2-core machine); no wall-clock limit ever decides the answer.
DET_PER_SECOND = 0.4
FULL_MODEL_MAX = 150_000  # candidate pairs up to which the close (HiGHS or CP-SAT) gets them all
FIXED_MODEL_MAX = 150_000  # pairs left after reduced-cost fixing up to which HiGHS gets them
REPAIR_SHARE = 0.1  # of the deterministic budget, kept back from CP-SAT's close
REPAIR_ARCS = 40_000  # pairs in the repair model: the priced flows' plus the nearest to optimal
DEFAULT_TIME_LIMIT = 60.0


@dataclass
class SideOutcome:
    chosen: np.ndarray | None
    status: str
    solver: str
    bound: dict[str, int]
    message: str = ""
    stats: dict[str, Any] = field(default_factory=dict)


@dataclass
class Groups:
    names: list[str]
    mentee: np.ndarray  # membership pairs (mentee index, group index)
    group: np.ndarray
    size: np.ndarray  # mentees per group
    n: int  # all mentees
    a: int  # (1 - slack) = a / b
    b: int


def groups_of(pb, by: str, slack: float) -> Groups:
    values: list[list[str]] = []
    for e in pb.inst.mentees:
        v = getattr(e, by)
        vals = v if isinstance(v, list) else ([] if v is None else [v])
        values.append(sorted({norm(x) for x in vals}))
    names = sorted({x for vals in values for x in vals})
    gid = {x: k for k, x in enumerate(names)}
    pairs = [(i, gid[x]) for i, vals in enumerate(values) for x in vals]
    mi = np.array([p[0] for p in pairs], dtype=np.int64)
    gg = np.array([p[1] for p in pairs], dtype=np.int64)
    r = Fraction(str(1 - slack)).limit_denominator(10**6)
    return Groups(names, mi, gg, np.bincount(gg, minlength=len(names)), len(values),
                  r.numerator, r.denominator)


def slack_of(G: Groups, matched: np.ndarray) -> np.ndarray:
    """Per group: b*n*matched_g - a*n_g*matched (>= 0 when the group is balanced)."""
    mg = np.bincount(G.group, weights=matched[G.mentee].astype(np.int64),
                     minlength=len(G.names)).astype(np.int64)
    return G.b * G.n * mg - G.a * G.size * int(matched.sum())


def _matched(pb, chosen: np.ndarray) -> np.ndarray:
    return np.bincount(pb.cand.ei[chosen], minlength=pb.P.n_e) > 0


def _team_ok(pb, chosen: np.ndarray) -> bool:
    fp = pb.flow
    if fp.max_same_team is not None and (pb.team >= 0).any():
        n_t = int(pb.team.max()) + 1
        ch = chosen & (pb.team[pb.cand.ei] >= 0)
        used = np.bincount(pb.cand.mj[ch] * n_t + pb.team[pb.cand.ei[ch]])
        if (used > fp.max_same_team).any():
            return False
    return True


def feasible(pb, G: Groups | None, chosen: np.ndarray) -> bool:
    if not _team_ok(pb, chosen):
        return False
    return G is None or bool((slack_of(G, _matched(pb, chosen)) >= 0).all())


def solve_side_rules(pb, fs: FlowSolution, *, time_limit: float | None, report) -> SideOutcome:
    t0 = time.perf_counter()
    det_budget = DET_PER_SECOND * (DEFAULT_TIME_LIMIT if time_limit is None else float(time_limit))
    rules = pb.inst.rules
    gb = rules.group_balance
    G = groups_of(pb, gb.by, gb.slack) if gb is not None else None
    objective = rules.objective
    stats: dict[str, Any] = {}

    # 1. The flow (a relaxation of these rules) bounds everything.
    bound = objective_of(pb, fs.chosen)
    if feasible(pb, G, fs.chosen):
        return SideOutcome(fs.chosen, "optimal", "min-cost-flow", bound,
                           stats={"balance_iterations": 0})

    best: list = [None, None]  # chosen mask, objective

    def offer(chosen: np.ndarray) -> None:
        if chosen is not None and feasible(pb, G, chosen):
            obj = objective_of(pb, chosen)
            if best[1] is None or lex_key(obj, objective) > lex_key(best[1], objective):
                best[0], best[1] = chosen.copy(), obj

    offer(pb.locked.copy())  # nobody but the locked pairs: balanced unless they are not

    def proven() -> bool:
        return best[1] is not None and lex_key(best[1], objective) >= lex_key(bound, objective)

    # 2. Lagrangian bounds, level by level (one mentor per mentee, coverage objective).
    union = fs.chosen.copy()
    simple = (G is not None and objective == "coverage" and pb.flow.must_match is None
              and (pb.cand.score >= 0).all() and len(G.names) > 0
              and int(pb.flow.k.max(initial=1)) == 1)
    solver = "cp-sat"
    rc = None
    if simple:
        solver = "min-cost-flow+lagrangian"
        bound, union, lvl = _lagrangian(pb, G, fs, bound, offer, best, union, report, stats)
        stats["lagrange_s"] = round(time.perf_counter() - t0, 3)
        if proven():
            return _finish(best, bound, solver, stats, objective, "")
        # 3. Repair over the arcs the priced flows used plus the pairs whose reduced cost is
        #    smallest (the near-optimal ones at the best multipliers), pairs fixed at the bound:
        #    an integer program (HiGHS, LP-based, one thread, a node limit).
        rc = lagrange.reduced_costs(pb, G, bound["pairs"], lvl) if lvl is not None else None
        from . import mip  # HiGHS's model builder (and pandas) load only when needed
        if not report.stopped() and lvl is not None:
            near = union | pb.locked
            if rc is not None and near.sum() < REPAIR_ARCS:
                loss = rc[0]
                if len(loss) > REPAIR_ARCS:
                    near |= loss < np.partition(loss, REPAIR_ARCS - 1)[REPAIR_ARCS - 1]
                else:
                    near[:] = True
            solver = "min-cost-flow+lagrangian+mip"
            if near.all():  # the repair model is the whole round: its answer is the proof
                return _close_by_mip(pb, G, near, bound, offer, best, solver, stats,
                                     objective, report)
            out = mip.solve_fixed_pairs(pb, G, near, bound["pairs"], stage="repair")
            stats.update(out.stats)
            offer(out.chosen)
            report("repair", objective=best[1], bound=bound)
            if proven():
                return _finish(best, bound, solver, stats, objective, "")
            # 4. Reduced-cost fixing against the repaired incumbent: every pair whose flip
            #    would cost more than the gap keeps its priced-flow value in every better
            #    assignment, so a model over the others holds them all and its proof is global.
            #    A round small enough gets every pair instead.
            keep = None
            if rc is not None and best[1] is not None and best[1]["pairs"] == bound["pairs"]:
                keep = _reduced_cost_keep(pb, bound, rc, lvl, best, stats)
            if keep is None and pb.cand.n <= FULL_MODEL_MAX:
                keep = np.ones(pb.cand.n, dtype=bool)
            if keep is not None and not report.stopped():
                return _close_by_mip(pb, G, keep, bound, offer, best, solver, stats, objective,
                                     report)
    if report.stopped():
        return _finish(best, bound, solver, stats, objective, "stopped on request")

    # 4. CP-SAT over the whole candidate set (or a reduced one), warm-started.  With the
    #    Lagrangian's reduced costs, every pair whose flip would cost more than the gap is fixed
    #    out of the model, which then still holds every better solution: its proof is global.
    hint = best[0] if best[0] is not None else fs.chosen
    fixed = (objective == "coverage" and pb.flow.must_match is None and best[1] is not None
             and best[1]["pairs"] == bound["pairs"])
    keep = None
    if simple and fixed and rc is not None:
        keep = _reduced_cost_keep(pb, bound, rc, lvl, best, stats)
    if simple and keep is None and pb.cand.n > FULL_MODEL_MAX:
        # A reduced model of a big round can neither prove nor, after the repair, usually
        # improve: report the proven bound and the gap now rather than minutes later.
        return _finish(best, bound, solver, stats, objective, "")
    from .cpsat import solve_cpsat
    out = solve_cpsat(pb, G, fs, hint, union, bound, objective, report,
                      det_limit=det_budget * (1 - (REPAIR_SHARE if simple else 0)),
                      fixed_pairs=bound["pairs"] if fixed else None, stage="close", keep=keep,
                      complete=keep is not None)
    stats.update(out.stats)
    offer(out.chosen)
    if out.proven_bound is not None and \
            lex_key(out.proven_bound, objective) < lex_key(bound, objective):
        bound = out.proven_bound
    solver = "cp-sat" if not simple else "min-cost-flow+lagrangian+cp-sat"
    if best[0] is None and out.infeasible:
        return SideOutcome(None, "infeasible", solver, bound,
                           message="no assignment satisfies the rules (group balance with the "
                           "locked pairs)", stats=stats)
    return _finish(best, bound, solver, stats, objective, out.message)


def _close_by_mip(pb, G: Groups, keep, bound, offer, best, solver, stats, objective, report):
    """Close the gap with HiGHS over `keep`, which holds every assignment better than the
    incumbent (reduced-cost fixing, or every candidate): what it proves is global.  While the
    pairs level is open, each count from the bound down is tried with the pairs fixed (the
    tight form of the balance rows): "infeasible" proves that count out."""
    from . import mip
    low = best[1]["pairs"] if best[1] is not None else int(pb.flow.locked.sum())
    for pairs in range(bound["pairs"], low - 1, -1):
        if report.stopped():
            break
        out = mip.solve_fixed_pairs(pb, G, keep, pairs, stage="close")
        stats.update(out.stats)
        offer(out.chosen)
        report("close", pairs=pairs, objective=best[1], bound=bound)
        if out.infeasible:
            if pairs > low:
                bound = {"pairs": pairs - 1, "score": _score_cap(pb, pairs - 1)}
            continue
        if out.upper is not None:
            cap = max(out.upper, best[1]["score"] if best[1] and best[1]["pairs"] == pairs
                      else -1)
            bound = {"pairs": pairs, "score": min(bound["score"], cap)}
        break  # a proof, or the node limit: either way this level is as far as it goes
    return _finish(best, bound, solver, stats, objective, "")


def _lagrangian(pb, G: Groups, fs: FlowSolution, bound, offer, best, union, report, stats):
    """Level 1 then level 2 (lagrange.py); returns the proven bound and the arcs used."""
    pairs_ub, l1 = lagrange.pairs_bound(pb, G, fs.pairs, report.stopped)
    stats["balance_pairs_bound"] = pairs_ub
    stats["balance_iterations"] = l1.iterations
    report("lagrangian", level="pairs", iterations=l1.iterations,
           bound={"pairs": pairs_ub, "score": bound["score"]})
    n_locked = int(pb.flow.locked.sum())
    m = pairs_ub
    lvl = None
    if m < bound["pairs"]:
        bound = {"pairs": m, "score": _score_cap(pb, m)}
    for _ in range(lagrange.MAX_STEP_DOWN + 1):
        if m < n_locked or report.stopped():
            break

        def met(b, m=m) -> bool:
            return best[1] is not None and best[1]["pairs"] == m and \
                int(np.floor(b)) <= best[1]["score"]

        lvl = lagrange.score_level(pb, G, m, offer, met, report.stopped, report)
        stats["balance_iterations"] += lvl.iterations
        for chosen in lvl.solutions:
            union |= chosen
        if lvl.bound is not None and lvl.bound < 0:
            # Scores are >= 0, so a negative dual proves no balanced assignment has m pairs.
            m -= 1
            bound = {"pairs": m, "score": _score_cap(pb, m)}
            continue
        if lvl.bound is not None:
            bound = {"pairs": m, "score": min(int(np.floor(lvl.bound)), bound["score"])}
        stats["balance_score_bound"] = bound["score"]
        break
    return bound, union, (lvl if lvl is not None and lvl.bound is not None and lvl.bound >= 0
                          and m == bound["pairs"] else None)


def _reduced_cost_keep(pb, bound, rc, lvl, best, stats) -> np.ndarray | None:
    """The pairs that could differ from the best priced flow in a solution better than the
    incumbent (the rest are fixed by their reduced cost), or None if too many remain."""
    loss, value = rc
    slack = value - lagrange.SCALE_SCORE * (best[1]["score"] + 1)
    keep = (loss <= slack) | lvl.solutions[lvl.best_iteration] | best[0] | pb.locked
    stats["fixing_kept"] = int(keep.sum())
    # A wide gap fixes little; CP-SAT over most of a big round would not finish anyway.
    return keep if keep.sum() <= FIXED_MODEL_MAX else None


def _score_cap(pb, pairs: int) -> int:
    """The best total score of any `pairs` candidate pairs that respect the capacities."""
    sol = solve_flow(replace(pb.flow, max_total=max(pairs - int(pb.flow.locked.sum()), 0)))
    return int(sol.score)


def _finish(best, bound, solver, stats, objective, msg) -> SideOutcome:
    chosen, obj = best
    if chosen is None:
        return SideOutcome(None, "cancelled" if msg == "stopped on request" else "infeasible",
                           solver, bound,
                           message=msg or "no assignment satisfying the rules was found",
                           stats=stats)
    status = "optimal" if lex_key(obj, objective) >= lex_key(bound, objective) else "feasible"
    if status == "optimal":
        bound = dict(obj)
    return SideOutcome(chosen, status, solver, bound, message=msg, stats=stats)
