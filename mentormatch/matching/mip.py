"""Group balance with the pairs fixed, as a small integer program for HiGHS.

A balanced round with one mentor per mentee is a b-matching plus a dozen rows.  Its LP
relaxation is nearly integral (a basic solution has few fractional pairs), which is what an
LP-based branch and bound is for: on the 10,000 x 2,500 round HiGHS proves the optimum of the
repair model at its root node, where CP-SAT's single deterministic worker found nothing past its
warm start.  HiGHS follows one search path whatever the machine's load (one thread), and the
only limit is a node count, so the answer never depends on the clock.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.linear_solver.python import model_builder as mb

from . import lagrange

MAX_NODES = 2_000  # branch-and-bound nodes; the LP is nearly integral, the root usually proves


@dataclass
class MipOut:
    chosen: np.ndarray | None  # over every candidate
    optimal: bool  # proven optimal over the pairs in `keep`
    upper: int | None  # proven bound on the score over the pairs in `keep`
    infeasible: bool
    stats: dict


def _rows(keys: np.ndarray):
    """(key, positions) for each distinct key, in key order."""
    order = np.argsort(keys, kind="stable")
    ks = keys[order]
    cuts = np.flatnonzero(np.diff(ks)) + 1
    if not len(ks):
        return []
    return list(zip(ks[np.r_[0, cuts]].tolist(), np.split(order, cuts)))


def solve_fixed_pairs(pb, G, keep: np.ndarray, pairs: int | None, stage: str) -> MipOut:
    """The best score of a balanced assignment with exactly `pairs` pairs, using only the
    candidates in `keep` (locked pairs always).  `pairs=None`: the most pairs instead (the
    balance rows in their general form b n m_g >= a n_g m; `upper` is then in pairs)."""
    cand, fp = pb.cand, pb.flow
    idx = np.flatnonzero(keep | pb.locked)
    ei, mj, sc = cand.ei[idx], cand.mj[idx], cand.score[idx]
    need = lagrange.needs(G, pairs if pairs is not None else 0)
    if not len(idx):  # HiGHS says "unknown" to an empty model
        ok = (pairs or 0) == 0 and bool((need <= 0).all())
        return MipOut(np.zeros(cand.n, dtype=bool) if ok else None, ok, 0 if ok else None,
                      not ok, {f"{stage}_mip_vars": 0})
    m = mb.Model()
    x = [m.new_bool_var() for _ in range(len(idx))]
    for c in np.flatnonzero(pb.locked[idx]).tolist():
        m.add(x[c] >= 1)
    for _, rows in _rows(ei):
        if len(rows) > 1:
            m.add(mb.LinearExpr.sum([x[r] for r in rows.tolist()]) <= 1)
    for j, rows in _rows(mj):
        if len(rows) > fp.cap[j]:
            m.add(mb.LinearExpr.sum([x[r] for r in rows.tolist()]) <= int(fp.cap[j]))
    if fp.max_same_team is not None and (pb.team >= 0).any():
        t = pb.team[ei]
        has = np.flatnonzero(t >= 0)
        n_t = int(pb.team.max()) + 1
        for _, rows in _rows(mj[has] * n_t + t[has]):
            if len(rows) > fp.max_same_team:
                m.add(mb.LinearExpr.sum([x[int(has[r])] for r in rows.tolist()])
                      <= fp.max_same_team)
    total = mb.LinearExpr.sum(x)
    if pairs is not None:
        m.add(total == pairs)
    in_group = np.zeros((len(G.names), pb.P.n_e), dtype=bool)
    in_group[G.group, G.mentee] = True
    for g in range(len(G.names)):
        members = np.flatnonzero(in_group[g][ei])
        m_g = mb.LinearExpr.sum([x[r] for r in members.tolist()])
        if pairs is not None:
            m.add(m_g >= int(need[g]))
        else:
            m.add(G.b * G.n * m_g - G.a * int(G.size[g]) * total >= 0)
    m.maximize(mb.LinearExpr.weighted_sum(x, sc.tolist()) if pairs is not None else total)
    s = mb.Solver("highs")
    # The objective is integral: a gap below 1 is a proof.  (HiGHS's default relative gap,
    # 1e-4, would call 63 points "optimal" on a 630,000-point round.)
    s.set_solver_specific_parameters("output_flag=false\nthreads=1\nmip_rel_gap=0\n"
                                     f"mip_abs_gap=0.99\nmip_max_nodes={MAX_NODES}")
    status = s.solve(m)
    stats = {f"{stage}_mip_vars": len(idx), f"{stage}_mip_status": status.name}
    if status not in (mb.SolveStatus.OPTIMAL, mb.SolveStatus.FEASIBLE):
        return MipOut(None, False, None, status == mb.SolveStatus.INFEASIBLE, stats)
    vals = np.array([s.value(v) > 0.5 for v in x], dtype=bool)
    chosen = np.zeros(cand.n, dtype=bool)
    chosen[idx[vals]] = True
    value = int(sc[vals].sum()) if pairs is not None else int(vals.sum())
    upper = max(int(np.floor(s.best_objective_bound + 1e-6)), value)
    optimal = status == mb.SolveStatus.OPTIMAL and upper == value
    stats[f"{stage}_mip_bound"] = upper
    return MipOut(chosen, optimal, upper, False, stats)
