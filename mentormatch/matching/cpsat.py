"""The CP-SAT stage of group balance: repair over a small arc set, or close a remaining gap.

Loaded only when a balanced round needs it (importing CP-SAT pulls in pandas, about a second).
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from . import lagrange
from .objective import gap_of, objective_of

FULL_MODEL_MAX = 150_000  # candidate pairs up to which CP-SAT gets the whole set (and a proof)
TOP_K = 12  # per mentee, for the reduced set of a large round
CPSAT_WORKERS = 1  # one worker + a deterministic time limit: the same search on any machine
CPSAT_INTERLEAVE = False  # (interleave_search is the multi-worker deterministic mode; slower here)


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


def solve_cpsat(pb, G, fs, hint: np.ndarray, union: np.ndarray, bound, objective, report, *,
           det_limit: float, keep: np.ndarray | None = None, fixed_pairs: int | None = None,
           stage: str = "close", complete: bool = False) -> CpOut:
    """CP-SAT over the candidates in `keep` (default: all of them when the round is small,
    else a reduced set); with `fixed_pairs` (the proven pairs bound) only the score is open.
    `complete`: `keep` holds every solution better than the hint, so a proof is global."""
    cand, fp = pb.cand, pb.flow
    n_cand = cand.n
    if keep is not None:
        full = bool(keep.all()) or complete
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
    if stage == "repair":
        # On a 25k-pair repair model presolve alone spent the whole budget, before the hint
        # was even loaded; without it the hint is the first solution and the LP bound follows.
        p.cp_model_presolve = False
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
