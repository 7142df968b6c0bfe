"""Rules that do not fit a flow network: group balance (and, rarely, team caps that overlap
with the continuing-pair cap).

Group balance couples everybody: a group's match rate must stay at least (1 - slack) times the
overall rate.  A CP-SAT model over every candidate pair of a large round does not finish here
(a minute of presolve and over 5 GiB at 10,000 x 2,500), so the solve works in three steps:

1. The flow without the coupling rule is optimal for a relaxation, so its value is a valid
   bound, and if it happens to be balanced it is optimal.
2. Lagrangian pricing: each group constraint gets a multiplier that becomes a bonus (or a
   penalty) on matching that group's mentees, and the flow is solved again.  Every such flow
   gives a valid bound (weak duality) and often a balanced assignment.
3. CP-SAT over a reduced candidate set (every pair when the round is small, otherwise each
   mentee's best candidates plus every pair the flows used), warm-started from the best
   balanced assignment found, with a fixed seed and a deterministic time limit.

The reported bound is the best of the flow bound, the Lagrangian bounds and (only when the
CP-SAT model held every candidate pair) the CP-SAT bound, so the gap is honest.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from .flow import FlowSolution, solve_flow
from .scoring import norm

FULL_MODEL_MAX = 150_000  # candidate pairs up to which CP-SAT gets the whole set (and a proof)
TOP_K = 12  # per mentee, for the reduced set of a large round
CPSAT_WORKERS = 1  # one worker + a deterministic time limit: the same search on any machine
# CP-SAT's deterministic time runs at 0.2-0.6 units per wall second on this 2-core machine;
# asking for 0.4 per second of the time limit lets the deterministic limit end the search
# first in the usual case, so runs repeat exactly.
DET_PER_SECOND = 0.4
CPSAT_INTERLEAVE = False  # (interleave_search is the multi-worker deterministic mode; slower here)
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


def _lex(obj: dict[str, int], objective: str) -> tuple:
    if objective == "quality":
        return (obj.get("must_match", 0), obj["score"])
    return (obj.get("must_match", 0), obj["pairs"], obj["score"])


def solve_side_rules(pb, fs: FlowSolution, *, time_limit: float | None, report) -> SideOutcome:
    from .solver import objective_of  # local: solver imports this module lazily

    t0 = time.perf_counter()
    limit = DEFAULT_TIME_LIMIT if time_limit is None else float(time_limit)
    rules = pb.inst.rules
    gb = rules.group_balance
    G = groups_of(pb, gb.by, gb.slack) if gb is not None else None
    objective = rules.objective
    stats: dict[str, Any] = {}

    # 1. The flow (a relaxation of these rules) bounds everything.
    flow_obj = objective_of(pb, fs.chosen)
    bound = dict(flow_obj)
    if feasible(pb, G, fs.chosen):
        return SideOutcome(fs.chosen, "optimal", "min-cost-flow", bound,
                           stats={"balance_iterations": 0})

    best: np.ndarray | None = None
    best_obj: dict[str, int] | None = None

    def offer(chosen: np.ndarray) -> None:
        nonlocal best, best_obj
        if feasible(pb, G, chosen):
            obj = objective_of(pb, chosen)
            if best_obj is None or _lex(obj, objective) > _lex(best_obj, objective):
                best, best_obj = chosen.copy(), obj

    # 2. Lagrangian pricing of the group constraints with the number of pairs fixed at its
    #    bound (one mentor per mentee, coverage objective, no must-match level).
    union = fs.chosen.copy()
    iters = 0
    simple = (G is not None and objective == "coverage" and pb.flow.must_match is None
              and (pb.cand.score >= 0).all() and len(G.names) > 0
              and int(pb.flow.k.max(initial=1)) == 1 and fs.exact)
    if simple:
        pairs_ub = _pairs_bound(pb, G, fs)
        stats["balance_pairs_bound"] = pairs_ub
        if pairs_ub < bound["pairs"]:
            # No balanced assignment has more pairs; its score is still at most the flow's.
            bound = {"pairs": pairs_ub, "score": _score_cap(pb, pairs_ub)}
        bound, iters, union = _lagrange(pb, G, fs, bound, offer, union, report,
                                        budget=0.5 * limit, t0=t0)
    stats["balance_iterations"] = iters
    stats["lagrange_s"] = round(time.perf_counter() - t0, 3)
    if best_obj is not None and _lex(best_obj, objective) >= _lex(bound, objective):
        return SideOutcome(best, "optimal", "min-cost-flow+lagrangian", best_obj, stats=stats)
    if report.stopped():
        return _finish(best, best_obj, bound, "min-cost-flow+lagrangian", stats, objective,
                       "stopped on request")

    # 3. CP-SAT over a reduced set, warm-started.
    remaining = max(limit - (time.perf_counter() - t0), 1.0)
    out = _cpsat(pb, G, fs, best if best is not None else fs.chosen, union, bound, objective,
                 remaining, report)
    stats.update(out.stats)
    if out.chosen is not None:
        offer(out.chosen)
    if out.proven_bound is not None and _lex(out.proven_bound, objective) < _lex(bound, objective):
        bound = out.proven_bound
    solver = "cp-sat" if iters == 0 else "cp-sat+lagrangian"
    msg = out.message
    if best is None and out.infeasible:
        return SideOutcome(None, "infeasible", solver, bound,
                           message="no assignment satisfies the rules (group balance with the "
                           "locked pairs)", stats=stats)
    return _finish(best, best_obj, bound, solver, stats, objective, msg)


def _finish(best, best_obj, bound, solver, stats, objective, msg) -> SideOutcome:
    if best is None:
        return SideOutcome(None, "infeasible", solver, bound,
                           message=msg or "no assignment satisfying the rules was found",
                           stats=stats)
    status = "optimal" if _lex(best_obj, objective) >= _lex(bound, objective) else "feasible"
    if status == "optimal":
        bound = dict(best_obj)
    return SideOutcome(best, status, solver, bound, message=msg, stats=stats)


def _with(fp, **changes):
    from dataclasses import replace
    return replace(fp, **changes)


def _pairs_bound(pb, G: Groups, fs: FlowSolution) -> int:
    """Most pairs any balanced assignment can have (one mentor per mentee).

    A group can have at most cap_g of its mentees matched (the flow over that group alone),
    and balance needs matched_g >= r * n_g * m / n, so m <= cap_g * n / (r * n_g)."""
    best = fs.pairs
    fp = pb.flow
    for g in range(len(G.names)):
        members = np.zeros(pb.P.n_e, dtype=bool)
        members[G.mentee[G.group == g]] = True
        n_g = int(G.size[g])
        # Only this group's mentees may take seats (locked pairs elsewhere keep theirs).
        keep = members[fp.ei] | fp.locked
        sub = _with(fp, ei=fp.ei[keep], mj=fp.mj[keep], score=fp.score[keep],
                    locked=fp.locked[keep],
                    continuing=None if fp.continuing is None else fp.continuing[keep])
        sol = solve_flow(sub)
        cap_g = int((np.bincount(sub.ei[sol.chosen], minlength=pb.P.n_e)[members] > 0).sum())
        best = min(best, (G.b * G.n * cap_g) // (G.a * n_g))
    return int(best)


def _score_cap(pb, pairs: int) -> int:
    """The best total score of any `pairs` candidate pairs that respect the capacities."""
    sol = solve_flow(_with(pb.flow, max_total=pairs - int(pb.flow.locked.sum())))
    return int(sol.score)


def _lagrange(pb, G: Groups, fs: FlowSolution, bound, offer, union, report, budget, t0):
    """Subgradient search on group multipliers with the total fixed at bound["pairs"].

    With m pairs fixed, balance reads matched_g >= r * n_g * m / n for every group g: a
    multiplier per group becomes a score bonus for that group's mentees.  Each priced flow is
    an upper bound on the score (weak duality) and, when balanced, a solution."""
    big = fs.big
    m_t = bound["pairs"]
    n_locked = int(pb.flow.locked.sum())
    need = (G.a / G.b) * G.size * m_t / G.n  # matched_g each group needs at m_t pairs
    lam = np.zeros(len(G.names))
    locked_matched = np.bincount(pb.cand.ei[pb.locked], minlength=pb.P.n_e) > 0
    locked_val = int((big + pb.cand.score[pb.locked]).sum())
    best_ub = bound["score"]
    best_lb = None
    step_scale = 0.5
    iters = 0
    fp_total = _with(pb.flow, max_total=m_t - n_locked)
    while time.perf_counter() - t0 < budget and iters < 80:
        if report.stopped():
            break
        iters += 1
        member = np.zeros(pb.P.n_e)
        np.add.at(member, G.mentee, lam[G.group])
        beta = np.rint(member).astype(np.int64)
        eps = beta - member
        sol = solve_flow(_with(fp_total, bonus=beta))
        union |= sol.chosen
        offer(sol.chosen)
        matched = _matched(pb, sol.chosen)
        val = sol.value + locked_val + int(beta[locked_matched].sum())
        if sol.pairs < m_t:
            # Not even the unbalanced flow reaches m_t pairs: m_t is not attainable.
            break
        ub = val - big * m_t - float((lam * need).sum()) - float(np.minimum(eps, 0).sum())
        best_ub = min(best_ub, int(np.floor(ub + 1e-6)))
        mg = np.bincount(G.group, weights=matched[G.mentee], minlength=len(G.names))
        g = mg - need
        if (g >= -1e-9).all() and feasible(pb, G, sol.chosen):
            best_lb = sol.score if best_lb is None else max(best_lb, sol.score)
        report("lagrangian", iteration=iters, objective={"pairs": sol.pairs, "score": sol.score},
               bound={"pairs": m_t, "score": best_ub}, violated=int((g < -1e-9).sum()))
        if best_lb is not None and best_ub - best_lb < 1:
            break
        gap_est = (best_ub - best_lb) if best_lb is not None else max(0.01 * best_ub, 1.0)
        norm2 = float((g * g).sum())
        if norm2 < 1e-12:
            break
        lam = np.maximum(0.0, lam - step_scale * gap_est / norm2 * g)
        if iters % 10 == 0:
            step_scale *= 0.6
    if best_lb is None and not report.stopped() and iters:
        # Repair: from the last multipliers, keep raising the bonus of the groups that are
        # still short until the priced flow is balanced (or give up after a few tries).
        push = lam.copy()
        delta = np.full(len(G.names), max(1.0, float(lam.max(initial=0)) * 0.05))
        for _ in range(25):
            if time.perf_counter() - t0 > budget * 1.4 or report.stopped():
                break
            member = np.zeros(pb.P.n_e)
            np.add.at(member, G.mentee, push[G.group])
            sol = solve_flow(_with(fp_total, bonus=np.rint(member).astype(np.int64)))
            iters += 1
            union |= sol.chosen
            offer(sol.chosen)
            matched = _matched(pb, sol.chosen)
            mg = np.bincount(G.group, weights=matched[G.mentee], minlength=len(G.names))
            short = mg < need - 1e-9
            report("lagrangian", iteration=iters, repair=True, violated=int(short.sum()),
                   objective={"pairs": sol.pairs, "score": sol.score},
                   bound={"pairs": m_t, "score": best_ub})
            if not short.any() and feasible(pb, G, sol.chosen):
                break
            push[short] += delta[short]
            delta[short] *= 2
    return {"pairs": m_t, "score": int(best_ub)}, iters, union


def _split(v_ub: float, big: int, flow_bound: dict[str, int]) -> dict[str, int]:
    """A lexicographic bound (pairs, score) from a bound on BIG * pairs + score."""
    v = int(np.floor(v_ub + 1e-9))
    pairs = v // big
    if pairs >= flow_bound["pairs"]:
        return {"pairs": flow_bound["pairs"],
                "score": int(min(flow_bound["score"], v - big * flow_bound["pairs"]))}
    return {"pairs": int(pairs), "score": int(v - big * pairs)}


@dataclass
class CpOut:
    chosen: np.ndarray | None
    proven_bound: dict[str, int] | None
    infeasible: bool
    message: str
    stats: dict[str, Any]


class _Watcher(cp_model.CpSolverSolutionCallback):
    def __init__(self, report, to_obj, solver_ref):
        super().__init__()
        self.report = report
        self.to_obj = to_obj
        self.solutions = 0

    def on_solution_callback(self) -> None:
        self.solutions += 1
        obj, bnd = self.to_obj(self.ObjectiveValue(), self.BestObjectiveBound())
        self.report("cpsat", solution=self.solutions, objective=obj, bound=bnd,
                    gap=_gap(obj, bnd))
        if self.report.stopped():
            self.StopSearch()


def _gap(obj, bnd) -> float:
    from .solver import gap_of
    return gap_of(obj, bnd)


def _cpsat(pb, G, fs, hint: np.ndarray, union: np.ndarray, bound, objective, limit, report
           ) -> CpOut:
    cand, fp = pb.cand, pb.flow
    n_cand = cand.n
    full = n_cand <= FULL_MODEL_MAX
    if full:
        keep = np.ones(n_cand, dtype=bool)
    else:
        # Each mentee's TOP_K best candidates (candidates are sorted by mentee, then mentor).
        order = np.lexsort((cand.mj, -cand.score, cand.ei))
        first = np.searchsorted(cand.ei[order], cand.ei[order], side="left")
        rank = np.arange(n_cand) - first
        keep = np.zeros(n_cand, dtype=bool)
        keep[order[rank < TOP_K]] = True
        keep |= union | hint | pb.locked
    idx = np.flatnonzero(keep)
    ei, mj, sc = cand.ei[idx], cand.mj[idx], cand.score[idx]
    report("cpsat", candidates=int(len(idx)), reduced=not full)

    m = cp_model.CpModel()
    x = [m.new_bool_var(f"x{c}") for c in range(len(idx))]
    for c in np.flatnonzero(pb.locked[idx]).tolist():
        m.add(x[c] == 1)
    if objective == "quality":
        for c in np.flatnonzero((sc <= 0) & ~pb.locked[idx]).tolist():
            m.add(x[c] == 0)

    def groups_by(keys: np.ndarray):
        order = np.argsort(keys, kind="stable")
        ks = keys[order]
        cuts = np.flatnonzero(np.diff(ks)) + 1
        return ks[np.r_[0, cuts]] if len(ks) else ks, np.split(order, cuts) if len(ks) else []

    k = int(fp.k[0]) if len(fp.k) else 1
    e_keys, e_rows = groups_by(ei)
    y: dict[int, Any] = {}
    for i, rows in zip(e_keys.tolist(), e_rows):
        xs = [x[r] for r in rows.tolist()]
        if len(xs) > k:
            m.add(sum(xs) <= k)
        if k == 1:
            y[i] = sum(xs)
        else:
            yi = m.new_bool_var(f"y{i}")
            m.add(sum(xs) <= k * yi)
            m.add(yi <= sum(xs))
            y[i] = yi
    m_keys, m_rows = groups_by(mj)
    for j, rows in zip(m_keys.tolist(), m_rows):
        if len(rows) > fp.cap[j]:
            m.add(sum(x[r] for r in rows.tolist()) <= int(fp.cap[j]))
    if fp.max_same_team is not None and (pb.team >= 0).any():
        t = pb.team[ei]
        has = np.flatnonzero(t >= 0)
        n_t = int(pb.team.max()) + 1
        tk, tr = groups_by(mj[has] * n_t + t[has])
        for rows in tr:
            if len(rows) > fp.max_same_team:
                m.add(sum(x[int(has[r])] for r in rows.tolist()) <= fp.max_same_team)
    if fp.max_continued is not None:
        cont = np.flatnonzero(pb.continuing[idx])
        ck, cr = groups_by(mj[cont])
        for rows in cr:
            if len(rows) > fp.max_continued:
                m.add(sum(x[int(cont[r])] for r in rows.tolist()) <= fp.max_continued)
    if G is not None:
        total = sum(y.values())
        members: dict[int, list[int]] = {}
        for i, g in zip(G.mentee.tolist(), G.group.tolist()):
            if i in y:
                members.setdefault(g, []).append(i)
        for g in range(len(G.names)):
            mg = sum(y[i] for i in members.get(g, []))
            m.add(G.b * G.n * mg - G.a * int(G.size[g]) * total >= 0)

    big = fs.big
    must_terms = []
    if fp.must_match is not None:
        must_terms = [y[i] for i in np.flatnonzero(fp.must_match).tolist() if i in y]
    pairs_expr = sum(x)
    score_expr = cp_model.LinearExpr.weighted_sum(x, sc.tolist())
    hint_idx = hint[idx]
    hint_pairs = int(hint.sum())
    fixed_pairs = (objective == "coverage" and not must_terms and feasible(pb, G, hint)
                   and hint_pairs == bound["pairs"])
    if fixed_pairs:
        # The hint already has as many pairs as the flow bound allows: only the score is open.
        m.add(pairs_expr == hint_pairs)
        m.maximize(score_expr)
    elif objective == "quality":
        m.maximize(fs.huge * sum(must_terms) + score_expr if must_terms else score_expr)
    else:
        m.maximize(fs.huge * sum(must_terms) + big * pairs_expr + score_expr if must_terms
                   else big * pairs_expr + score_expr)
    for c, v in enumerate(hint_idx.tolist()):
        m.add_hint(x[c], bool(v))

    def to_obj(value: float, bnd: float) -> tuple[dict, dict]:
        value, bnd = int(round(value)), int(np.floor(bnd + 1e-6))
        if fixed_pairs or objective == "quality":
            return ({"pairs": hint_pairs, "score": value} if fixed_pairs else {"score": value},
                    {"pairs": bound["pairs"], "score": min(bnd, bound["score"])})
        return ({"pairs": value // big, "score": value % big},
                _split(bnd, big, bound))

    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = CPSAT_WORKERS
    p.random_seed = 0
    # One worker follows the same search path on every run; the deterministic limit makes it
    # stop at the same point too.  The wall-clock limit keeps the promised time on a loaded
    # machine; when it is the one that ends the search the result can differ between runs
    # (stats["cpsat_ended_by"] says which limit ended it).
    p.max_deterministic_time = DET_PER_SECOND * float(limit)
    p.max_time_in_seconds = float(limit)
    p.interleave_search = CPSAT_INTERLEAVE
    watcher = _Watcher(report, to_obj, solver)
    done = threading.Event()

    def poll() -> None:
        while not done.wait(0.1):
            if report.stopped():
                solver.stop_search()
                return

    th = threading.Thread(target=poll, daemon=True)
    th.start()
    t = time.perf_counter()
    try:
        status = solver.solve(m, watcher)
    finally:
        done.set()
        th.join()
    stats = {"cpsat_s": round(time.perf_counter() - t, 3), "cpsat_vars": len(idx),
             "cpsat_full_model": full, "cpsat_status": solver.status_name(status),
             "cpsat_solutions": watcher.solutions,
             "cpsat_deterministic_time": round(solver.deterministic_time, 3),
             "cpsat_ended_by": ("proof" if status in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
                                else "stop request" if report.stop
                                else "deterministic limit"
                                if solver.deterministic_time >= 0.99 * DET_PER_SECOND * limit
                                else "wall-clock limit")}
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = np.zeros(n_cand, dtype=bool)
        vals = np.array([solver.boolean_value(v) for v in x], dtype=bool) if x else \
            np.zeros(0, dtype=bool)
        chosen[idx[vals]] = True
        proven = None
        if full:
            _, proven = to_obj(solver.objective_value, solver.best_objective_bound)
            if fixed_pairs:
                proven = {"pairs": hint_pairs, "score": min(int(np.floor(
                    solver.best_objective_bound + 1e-6)), bound["score"])}
            if status == cp_model.OPTIMAL:
                from .solver import objective_of
                proven = objective_of(pb, chosen)  # the whole candidate set, proven
            elif must_terms:
                proven = None  # not split by level; keep the flow bound
        msg = "stopped on request" if report.stop else ""
        return CpOut(chosen, proven, False, msg, stats)
    infeasible = status == cp_model.INFEASIBLE and full
    return CpOut(None, None, infeasible, "stopped on request" if report.stop else
                 f"CP-SAT ended with {solver.status_name(status)}", stats)
