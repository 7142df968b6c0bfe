"""Rules that do not fit a flow network: group balance (and, rarely, team caps that overlap
with the continuing-pair cap).

Group balance couples everybody: a group's match rate must stay at least (1 - slack) times the
overall rate.  The solve proves its answer level by level instead of handing the whole round
to CP-SAT:

1. The flow without the coupling rule is a relaxation: if its answer is balanced, it is optimal.
2. A Lagrangian relaxation of the dozen balance rows over the min-cost flow (lagrange.py)
   bounds the pairs, then the score at that many pairs, with exact certificates; every priced
   flow that is balanced is a solution.
3. Repair: CP-SAT over the arcs the priced flows used (a few thousand), with the pairs fixed
   and the balance rows as small integer rows, warm-started from the best solution; the
   Lagrangian bound caps its objective, so it stops as soon as it meets the bound.
4. Only if a gap remains: CP-SAT over every candidate (or, for big rounds, a reduced set),
   warm-started, with a deterministic limit.

`optimal` is reported only when the solution meets a proven bound; otherwise the gap.  Every
limit is deterministic (flow counts, CP-SAT's deterministic time), so a loaded machine gives
the same answer, only later.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from . import lagrange
from .flow import FlowSolution, solve_flow
from .objective import gap_of, lex_key, objective_of
from .scoring import norm

FULL_MODEL_MAX = 150_000  # candidate pairs up to which CP-SAT gets the whole set (and a proof)
TOP_K = 12  # per mentee, for the reduced set of a large round
CPSAT_WORKERS = 1  # one worker + a deterministic time limit: the same search on any machine
# `time_limit` seconds are turned into CP-SAT deterministic time (0.2-0.6 units per wall
# second on this 2-core machine); no wall-clock limit ever decides the answer.
DET_PER_SECOND = 0.4
REPAIR_SHARE = 0.1  # of the deterministic budget, for the repair over the priced flows' arcs
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

    def proven() -> bool:
        return best[1] is not None and lex_key(best[1], objective) >= lex_key(bound, objective)

    # 2. Lagrangian bounds, level by level (one mentor per mentee, coverage objective).
    union = fs.chosen.copy()
    simple = (G is not None and objective == "coverage" and pb.flow.must_match is None
              and (pb.cand.score >= 0).all() and len(G.names) > 0
              and int(pb.flow.k.max(initial=1)) == 1)
    solver = "cp-sat"
    if simple:
        solver = "min-cost-flow+lagrangian"
        bound, union = _lagrangian(pb, G, fs, bound, offer, best, union, report, stats)
        stats["lagrange_s"] = round(time.perf_counter() - t0, 3)
        if proven():
            return _finish(best, bound, solver, stats, objective, "")
        # 3. Repair over the arcs the priced flows used, pairs fixed at the bound.
        if not report.stopped():
            hint = best[0] if best[0] is not None else fs.chosen
            out = _cpsat(pb, G, fs, hint, union, bound, objective, report,
                         det_limit=REPAIR_SHARE * det_budget, keep=union | pb.locked,
                         fixed_pairs=bound["pairs"], stage="repair")
            stats.update(out.stats)
            offer(out.chosen)
            solver = "min-cost-flow+lagrangian+cp-sat"
            if proven():
                return _finish(best, bound, solver, stats, objective, "")
    if report.stopped():
        return _finish(best, bound, solver, stats, objective, "stopped on request")

    # 4. CP-SAT over the whole candidate set (or a reduced one), warm-started.
    hint = best[0] if best[0] is not None else fs.chosen
    fixed = (objective == "coverage" and pb.flow.must_match is None and best[1] is not None
             and best[1]["pairs"] == bound["pairs"])
    out = _cpsat(pb, G, fs, hint, union, bound, objective, report,
                 det_limit=det_budget * (1 - (REPAIR_SHARE if simple else 0)),
                 fixed_pairs=bound["pairs"] if fixed else None, stage="close")
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


def _lagrangian(pb, G: Groups, fs: FlowSolution, bound, offer, best, union, report, stats):
    """Level 1 then level 2 (lagrange.py); returns the proven bound and the arcs used."""
    pairs_ub, l1 = lagrange.pairs_bound(pb, G, fs.pairs, report.stopped)
    stats["balance_pairs_bound"] = pairs_ub
    stats["balance_iterations"] = l1.iterations
    report("lagrangian", level="pairs", iterations=l1.iterations,
           bound={"pairs": pairs_ub, "score": bound["score"]})
    n_locked = int(pb.flow.locked.sum())
    m = pairs_ub
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
    return bound, union


def _score_cap(pb, pairs: int) -> int:
    """The best total score of any `pairs` candidate pairs that respect the capacities."""
    from dataclasses import replace
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


def _gap(obj, bnd, objective: str = "coverage") -> float:
    return gap_of(obj, bnd, objective)


def _cpsat(pb, G, fs, hint: np.ndarray, union: np.ndarray, bound, objective, report, *,
           det_limit: float, keep: np.ndarray | None = None, fixed_pairs: int | None = None,
           stage: str = "close") -> CpOut:
    """CP-SAT over the candidates in `keep` (default: all of them when the round is small,
    else a reduced set); with `fixed_pairs` (the proven pairs bound) only the score is open."""
    cand, fp = pb.cand, pb.flow
    n_cand = cand.n
    if keep is not None:
        full = bool(keep.all())
    elif n_cand <= FULL_MODEL_MAX:
        full = True
        keep = np.ones(n_cand, dtype=bool)
    else:
        full = False
        # Each mentee's TOP_K best candidates (candidates are sorted by mentee, then mentor).
        order = np.lexsort((cand.mj, -cand.score, cand.ei))
        first = np.searchsorted(cand.ei[order], cand.ei[order], side="left")
        rank = np.arange(n_cand) - first
        keep = np.zeros(n_cand, dtype=bool)
        keep[order[rank < TOP_K]] = True
        keep |= union | hint | pb.locked
    idx = np.flatnonzero(keep)
    ei, mj, sc = cand.ei[idx], cand.mj[idx], cand.score[idx]
    report("cpsat", stage=stage, candidates=int(len(idx)), reduced=not full)

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
    if G is not None and fixed_pairs is not None:
        # With the pairs fixed, balance is m_g >= ceil(r n_g m / n): small integer rows.
        need = lagrange.needs(G, fixed_pairs)
        members_of: dict[int, list[int]] = {}
        for i, g in zip(G.mentee.tolist(), G.group.tolist()):
            if i in y:
                members_of.setdefault(g, []).append(i)
        for g in range(len(G.names)):
            m.add(sum(y[i] for i in members_of.get(g, [])) >= int(need[g]))
    elif G is not None:
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
    fixed = fixed_pairs is not None
    if fixed:
        # The pairs level is settled (proven bound, and a solution or a repair aims at it):
        # only the score is open, capped by its proven bound so a match ends the search.
        m.add(pairs_expr == fixed_pairs)
        if bound["pairs"] == fixed_pairs:
            m.add(score_expr <= int(bound["score"]))
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
        if fixed or objective == "quality":
            return ({"pairs": fixed_pairs, "score": value} if fixed else {"score": value},
                    {"pairs": bound["pairs"], "score": min(bnd, bound["score"])})
        return ({"pairs": value // big, "score": value % big},
                _split(bnd, big, bound))

    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = CPSAT_WORKERS
    p.random_seed = 0
    # One worker follows the same search path on every run and the deterministic limit stops
    # it at the same point: no wall-clock limit, so the machine's load changes only the time.
    p.max_deterministic_time = max(float(det_limit), 0.1)
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
                                else "deterministic limit")}
    if stage != "close":
        stats = {f"{stage}_{k}": v for k, v in stats.items()}
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = np.zeros(n_cand, dtype=bool)
        vals = np.array([solver.boolean_value(v) for v in x], dtype=bool) if x else \
            np.zeros(0, dtype=bool)
        chosen[idx[vals]] = True
        proven = None
        if full:
            _, proven = to_obj(solver.objective_value, solver.best_objective_bound)
            if fixed:
                proven = {"pairs": fixed_pairs, "score": min(int(np.floor(
                    solver.best_objective_bound + 1e-6)), bound["score"])}
            if status == cp_model.OPTIMAL:
                proven = objective_of(pb, chosen)  # the whole candidate set, proven
            elif must_terms:
                proven = None  # not split by level; keep the flow bound
        msg = "stopped on request" if report.stop else ""
        return CpOut(chosen, proven, False, msg, stats)
    # With the pairs fixed, "infeasible" only rules out that many pairs.
    infeasible = status == cp_model.INFEASIBLE and full and not fixed
    return CpOut(None, None, infeasible, "stopped on request" if report.stop else
                 f"CP-SAT ended with {solver.status_name(status)}", stats)
