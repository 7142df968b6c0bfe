"""Group balance by Lagrangian relaxation over the min-cost flow, one level at a time.

With one mentor per mentee, let y_i say whether mentee i is matched, m = sum y_i, m_g the
matched members of group g and r = 1 - slack.  Balance asks m_g >= r n_g m / n for every g.
Only a dozen rows couple the flow, so they are priced, not modelled:

Level 1 (pairs).  Pricing row g with mu_g >= 0 gives mentee i the weight
    w_i = 1 + sum_{g containing i} mu_g - sum_g mu_g r n_g / n,
and the heaviest matching under these weights (a min-cost flow) bounds the pairs of every
balanced assignment (weak duality).  Its floor, minimised over mu, is the pairs bound M.

Level 2 (score at M pairs).  With m = M fixed the rows become m_g >= need_g =
ceil(r n_g M / n) (m_g is an integer, so rounding up loses nothing), and lambda_g becomes a
score bonus for the group's members; the flow with exactly M units bounds the score, and every
priced flow that happens to be balanced is a solution.

Both duals are minimised with Kelley's cutting planes (a GLOP LP over the dozen multipliers,
one cut per flow).  Multipliers live on a grid of 1/SCALE so every flow has integer costs and
every bound is an exact fraction: the floors reported are certificates, not estimates.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from fractions import Fraction

import numpy as np

from .flow import solve_flow

SCALE_PAIRS = 4096  # grid of the level-1 multipliers (in pairs per member)
SCALE_SCORE = 64  # grid of the level-2 multipliers (in score points per member)
MAX_ITERS = 40  # flows per level; the dual of a dozen rows settles in far fewer
MAX_STEP_DOWN = 3  # pairs levels tried below the bound before handing over to CP-SAT


@dataclass
class Level:
    bound: Fraction | None = None  # best (smallest) dual value found
    lower: float = -np.inf  # Kelley's lower estimate of the dual minimum
    lam: np.ndarray | None = None  # multipliers of the best bound
    iterations: int = 0
    best_iteration: int = -1  # the flow (0-based) that gave the best bound
    solutions: list = field(default_factory=list)  # chosen masks of every priced flow


def kelley(oracle: Callable[[np.ndarray], tuple[Fraction, float, np.ndarray]], dims: int,
           lam_max: float, step: float, scale: int, stop: Callable[[Fraction], bool],
           should_stop: Callable[[], bool]) -> Level:
    """Minimise the convex, piecewise-linear dual L over 0 <= lam <= lam_max.

    oracle(lam) returns (L(lam) exactly, c, d) with L(x) >= c + d . x for every x, exact for
    the flow it solved.  Kelley's cutting planes in a trust region around the best point
    (radius `step`, doubled after a good step, halved after a poor one).  Stops when
    stop(best) says the bound is good enough, when the model's minimum shows the integer floor
    cannot drop further, or at MAX_ITERS flows."""
    from ortools.linear_solver import pywraplp  # only balanced rounds need the LP

    out = Level()
    cuts: list[tuple[float, np.ndarray]] = []
    lam = np.zeros(dims)
    seen: set[tuple] = set()
    radius = step
    predicted = None
    while out.iterations < MAX_ITERS and not should_stop():
        key = tuple(np.rint(lam * scale).astype(np.int64).tolist())
        if key in seen:
            if radius * scale <= 1:
                break  # the grid is the limit
            radius /= 2
        else:
            seen.add(key)
            val, c, d = oracle(np.array(key, dtype=np.float64) / scale)
            out.iterations += 1
            cuts.append((c, d))
            if out.bound is None or val < out.bound:
                good = predicted is None or out.bound - val >= 0.5 * (out.bound - predicted)
                out.bound, out.lam = val, np.array(key, dtype=np.float64) / scale
                out.best_iteration = out.iterations - 1
                radius = radius * 2 if good else radius
            else:
                radius /= 2
            if stop(out.bound) or dims == 0:
                break
        s = pywraplp.Solver.CreateSolver("GLOP")
        theta = s.NumVar(-s.infinity(), s.infinity(), "theta")
        centre = out.lam
        lo = np.maximum(centre - radius, 0.0)
        hi = np.minimum(centre + radius, lam_max)
        xs = [s.NumVar(float(lo[g]), float(hi[g]), f"l{g}") for g in range(dims)]
        for c_t, d_t in cuts:
            s.Add(theta >= c_t + sum(float(d_t[g]) * xs[g] for g in range(dims)))
        s.Minimize(theta)
        if s.Solve() != pywraplp.Solver.OPTIMAL:
            break
        predicted = theta.solution_value()
        lam = np.array([x.solution_value() for x in xs])
        inside = bool(((lam > lo + 1e-9) | (lo <= 0)).all() and ((lam < hi - 1e-9)
                                                                  | (hi >= lam_max)).all())
        if inside:
            # The model's minimum inside the region is its global minimum (it is convex), and
            # the model never exceeds L: the floor of the bound cannot drop below it.
            out.lower = predicted
            if np.floor(float(out.bound) + 1e-9) <= np.floor(predicted + 1e-9):
                break
    return out


def members_sum(G, values: np.ndarray, n_e: int) -> np.ndarray:
    """Per mentee: the sum of `values` over the groups the mentee belongs to."""
    out = np.zeros(n_e, dtype=values.dtype)
    np.add.at(out, G.mentee, values[G.group])
    return out


def group_counts(G, matched: np.ndarray) -> np.ndarray:
    return np.bincount(G.group, weights=matched[G.mentee].astype(np.int64),
                       minlength=len(G.names)).astype(np.int64)


def pairs_bound(pb, G, cap: int, should_stop) -> tuple[int, Level]:
    """Level 1: the most pairs any balanced assignment can have (at most `cap`)."""
    fp = pb.flow
    n_e = pb.P.n_e
    dims = len(G.names)
    rate = G.a * G.size.astype(np.float64) / (G.b * G.n)  # r n_g / n

    def oracle(mu: np.ndarray):
        M = np.rint(mu * SCALE_PAIRS).astype(np.int64)
        # ceil(SCALE * w_i): rounding every weight up keeps the bound valid.
        shared = Fraction(int((M * G.a * G.size).sum()), G.b * G.n)
        w = SCALE_PAIRS + members_sum(G, M, n_e) - (shared.numerator // shared.denominator)
        sol = solve_flow(replace(fp, score=w[fp.ei], objective="quality", bonus=None,
                                 must_match=None, max_total=None))
        matched = np.bincount(fp.ei[sol.chosen], minlength=n_e) > 0
        val = Fraction(int(w[matched].sum()), SCALE_PAIRS)
        m = int(matched.sum())
        return val, float(m), group_counts(G, matched) - rate * m

    # A multiplier never needs to exceed 1 / (r n_g / n): that price alone caps the pairs at
    # what group g could carry.
    lam_max = float(1.0 / rate[rate > 0].min()) if (rate > 0).any() else 1.0
    lvl = kelley(oracle, dims, lam_max=lam_max, step=0.25, scale=SCALE_PAIRS,
                 stop=lambda b: False, should_stop=should_stop)
    bound = cap if lvl.bound is None else min(cap, int(np.floor(lvl.bound)))
    return bound, lvl


def needs(G, m: int) -> np.ndarray:
    """matched_g each group needs when m mentees are matched: ceil(r n_g m / n), exactly."""
    return -((-G.a * G.size * m) // (G.b * G.n))


def score_level(pb, G, m: int, offer: Callable[[np.ndarray], None], stop_at: Callable,
                should_stop, report) -> Level:
    """Level 2: the best score of a balanced assignment with exactly m pairs."""
    fp = pb.flow
    n_e = pb.P.n_e
    need = needs(G, m)
    n_locked = int(fp.locked.sum())
    scaled = replace(fp, score=fp.score * SCALE_SCORE, must_match=None,
                     max_total=m - n_locked)
    spread = int(fp.score.max(initial=0)) - min(int(fp.score.min(initial=0)), 0)
    sols: list[np.ndarray] = []

    def oracle(lam: np.ndarray):
        L = np.rint(lam * SCALE_SCORE).astype(np.int64)
        beta = members_sum(G, L, n_e)
        sol = solve_flow(replace(scaled, bonus=beta))
        matched = np.bincount(fp.ei[sol.chosen], minlength=n_e) > 0
        if int(matched.sum()) != m:
            raise RuntimeError(f"priced flow carried {int(matched.sum())} units, not {m}")
        score = int(fp.score[sol.chosen].sum())
        val = Fraction(SCALE_SCORE * score + int(beta[matched].sum()) - int((L * need).sum()),
                       SCALE_SCORE)
        mg = group_counts(G, matched)
        sols.append(sol.chosen)
        offer(sol.chosen)
        report("lagrangian", level="score", iteration=len(sols),
               objective={"pairs": m, "score": score},
               bound={"pairs": m, "score": int(np.floor(float(val)))},
               violated=int((mg < need).sum()))
        return val, float(score), (mg - need).astype(np.float64)

    rate = G.a * G.size.astype(np.float64) / (G.b * G.n)
    lam_max = float(spread + 1) / max(float(rate[rate > 0].min()) if (rate > 0).any() else 1, 1e-6)
    lvl = kelley(oracle, len(G.names), lam_max=lam_max, step=float(spread + 1) / 4,
                 scale=SCALE_SCORE, stop=stop_at, should_stop=should_stop)
    lvl.solutions = sols
    return lvl


MAX_PASSES = 5000  # Bellman-Ford passes for the potentials; a shortest-path tree is far shallower


def potentials(T: np.ndarray, H: np.ndarray, C: np.ndarray, n_nodes: int) -> np.ndarray | None:
    """Node potentials of a residual network given as arcs (tail, head, cost), int64.

    Shortest distances from a virtual root that reaches every node at cost 0 (Bellman-Ford,
    one vectorized pass over all arcs at a time), so c + d(tail) - d(head) >= 0 on every arc.
    The residual network of an optimal flow has no negative cycle, so they exist; None if
    they did not settle within MAX_PASSES passes."""
    order = np.argsort(H, kind="stable")
    T, H, C = T[order], H[order], C[order]
    starts = np.flatnonzero(np.r_[True, H[1:] != H[:-1]]) if len(H) else np.zeros(0, np.int64)
    heads_u = H[starts] if len(H) else H
    d = np.zeros(n_nodes, dtype=np.int64)
    for _ in range(MAX_PASSES):
        best = np.minimum.reduceat(d[T] + C, starts) if len(H) else np.zeros(0, np.int64)
        better = best < d[heads_u]
        if not better.any():
            return d
        d[heads_u[better]] = best[better]
    return None


def reduced_costs(pb, G, m: int, lvl: Level) -> tuple[np.ndarray, int] | None:
    """Per candidate pair, what flipping it costs the best priced flow (scaled units), and that
    flow's dual value (scaled).  None when the network has extra nodes (team or continued caps).

    Potentials are shortest distances in the residual network of the priced flow (Bellman-Ford
    from a virtual root, vectorized); reduced costs c + p(tail) - p(head) are then >= 0 on every
    residual arc, and flipping arc a changes any flow's cost by at least |reduced cost of a|
    (the potential terms cancel over a flow with the same supplies)."""
    fp = pb.flow
    if fp.max_same_team is not None or fp.max_continued is not None or lvl.best_iteration < 0:
        return None
    chosen = lvl.solutions[lvl.best_iteration]
    n_e, n_m = pb.P.n_e, pb.P.n_m
    L = np.rint(lvl.lam * SCALE_SCORE).astype(np.int64)
    beta = members_sum(G, L, n_e)
    locked = fp.locked
    locked_e = np.bincount(fp.ei[locked], minlength=n_e) > 0
    cap_left = fp.cap - np.bincount(fp.mj[locked], minlength=n_m)
    free = ~locked & ~locked_e[fp.ei]  # arcs in the network
    ei, mj = fp.ei, fp.mj
    x = chosen & free
    y = np.bincount(ei[x], minlength=n_e) > 0
    load = np.bincount(mj[x], minlength=n_m)
    src, e0, m0 = 0, 1, 1 + n_e
    sink = 1 + n_e + n_m
    c_pair = -SCALE_SCORE * fp.score
    idx = np.flatnonzero(free)
    open_e = np.flatnonzero(~locked_e)
    tails = [np.where(x[idx], m0 + mj[idx], e0 + ei[idx]),
             np.where(y[open_e], e0 + open_e, src),
             np.full(int((load < cap_left).sum()), 0) + m0 + np.flatnonzero(load < cap_left),
             np.full(int((load > 0).sum()), sink)]
    heads = [np.where(x[idx], e0 + ei[idx], m0 + mj[idx]),
             np.where(y[open_e], src, e0 + open_e),
             np.full(int((load < cap_left).sum()), sink),
             m0 + np.flatnonzero(load > 0)]
    costs = [np.where(x[idx], -c_pair[idx], c_pair[idx]),
             np.where(y[open_e], beta[open_e], -beta[open_e]),
             np.zeros(int((load < cap_left).sum()), dtype=np.int64),
             np.zeros(int((load > 0).sum()), dtype=np.int64)]
    T, H, C = (np.concatenate(a).astype(np.int64) for a in (tails, heads, costs))
    d = potentials(T, H, C, sink + 1)
    if d is None:
        return None  # did not settle: no fixing (never a wrong one)
    rc = c_pair + d[e0 + ei] - d[m0 + mj]  # for the arc mentee -> mentor
    # What flipping each network arc costs: taking an unused arc, or dropping a used one.
    loss = np.where(x, -rc, rc)
    loss[~free] = np.iinfo(np.int64).max // 4  # not in the network: never usable
    score = int(fp.score[chosen].sum())
    matched = np.bincount(ei[chosen], minlength=n_e) > 0
    value = SCALE_SCORE * score + int(beta[matched].sum()) - int((L * needs(G, m)).sum())
    return loss, value
