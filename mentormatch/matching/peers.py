"""Peer pairs: a maximum-weight matching on the general graph of candidate pairs.

Each person keeps their best `rules.candidates` peers (fit >= min_score, enough common working
time, a shared language, not ruled out); a pair is a candidate when either side kept the other.
At most one pair per person, the most total fit.  The LP relaxation (GLOP) with blossom cuts
x(E(S)) <= (|S| - 1) / 2 on odd sets S usually comes out integral: then its duals certify the
pairing optimal and no search runs.  Otherwise CP-SAT, given the small binding cuts and the
rounded LP as a hint, searches with one worker and a deterministic time limit (`rules.effort`).  GLOP has no time
limit either, so the same input gives the same pairs on any load.  Status "optimal" is proven
over the candidate pairs; otherwise the bound is the best certified one and the gap is printed.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import max_flow
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from .crowd import (
    LeftOut,
    PeerInstance,
    PeerPair,
    PeerResult,
    Person,
    Table,
    fit_block,
    helps_with,
    shared_context,
    speaks_with,
    table,
)
from .explain import ENGLISH, N_, NP_, PAIR_TEXT, Words, join

BLOCK = 512  # rows of the fit matrix computed at once
CUT_ROUNDS = 50  # LP re-solves with new blossom cuts before handing over to CP-SAT
STALL_ROUNDS = 8  # ... or once this many rounds have not lowered the LP value
CPSAT_CUT_MAX = 7  # CP-SAT gets the binding cuts over at most 2 * 7 + 1 people (long rows slowed it)
EPS = 1e-6  # an LP value this close to 0 or 1 counts as integral
FLOW_SCALE = 2 ** 20  # max flow capacities are integers: x scaled (the cuts found are rechecked)
DUAL_SCALE = 2 ** 24  # duals rounded to multiples of 1/2^24, so the bound is summed exactly


def candidate_pairs(inst: PeerInstance, T: Table | None = None):
    """(a, b, score) arrays of candidate pairs, a < b, and per person the counts of why
    others are not candidates (for the reasons of people left out)."""
    T = T or table(inst)
    n, r = len(T.people), inst.rules
    keep = min(r.candidates, max(n - 1, 0))
    edges: dict[tuple[int, int], int] = {}
    why = np.zeros((n, 4), dtype=np.int64)  # no overlap, no language, forbidden, below min
    fb = np.array(sorted(T.forbidden), dtype=np.int64).reshape(-1, 2)
    for lo in range(0, n, BLOCK):
        rows = np.arange(lo, min(n, lo + BLOCK))
        fit, hours = fit_block(T, inst.weights, rows)
        score = np.rint(fit).astype(np.int64)
        ok = np.ones_like(score, dtype=bool)
        ok[np.arange(len(rows)), rows] = False
        no_overlap = (hours < r.min_overlap) & ok
        no_lang = ~speaks_with(T, rows) & ok & ~no_overlap
        ok &= ~no_overlap & ~no_lang
        forb = np.zeros_like(ok)
        for a, b in fb:
            for x, y in ((a, b), (b, a)):
                if lo <= x < lo + len(rows):
                    forb[x - lo, y] = ok[x - lo, y]
        ok &= ~forb
        low = ok & (score < r.min_score) if r.min_score is not None else np.zeros_like(ok)
        ok &= ~low
        why[rows] = np.stack([no_overlap.sum(1), no_lang.sum(1), forb.sum(1), low.sum(1)], 1)
        masked = np.where(ok, score, -1)
        # Best `keep` per row; ties broken by index so the candidate set is deterministic.
        order = np.lexsort((np.broadcast_to(np.arange(n), masked.shape), -masked), axis=1)
        for k, i in enumerate(rows):
            for j in order[k, :keep]:
                if masked[k, j] < 0:
                    break
                edges[(min(i, j), max(i, j))] = int(masked[k, j])
    keys = sorted(edges)
    a = np.array([k[0] for k in keys], dtype=np.int64)
    b = np.array([k[1] for k in keys], dtype=np.int64)
    s = np.array([edges[k] for k in keys], dtype=np.int64)
    return a, b, s, why


def greedy_pairs(a: np.ndarray, b: np.ndarray, s: np.ndarray, n: int,
                 first: np.ndarray | None = None) -> np.ndarray:
    """The baseline: best pair first, skipping anyone already taken (a 1/2-approximation).
    With `first` (an LP solution), pairs with a higher LP value go first: the LP rounded."""
    keys = (b, a, -s) if first is None else (b, a, -s, -first)
    taken = np.zeros(n, dtype=bool)
    chosen = np.zeros(len(s), dtype=bool)
    for e in np.lexsort(keys):
        if not taken[a[e]] and not taken[b[e]]:
            taken[a[e]] = taken[b[e]] = True
            chosen[e] = True
    return chosen


@dataclass
class Relaxation:
    """The last LP solution, the blossom cuts binding on it (edge indices of E(S), right-hand
    side) and the best certified bound: no pairing over the candidates is worth more."""
    x: np.ndarray
    bound: int
    cuts: list[tuple[np.ndarray, int]] = field(default_factory=list)
    rounds: int = 0
    iterations: int = 0
    added: int = 0  # cuts added in all, binding or not

    @property
    def integral(self) -> bool:
        return bool(np.all((self.x < EPS) | (self.x > 1 - EPS)))


def components(a: np.ndarray, b: np.ndarray, es: np.ndarray, n: int) -> list[list[int]]:
    """The people of each connected component of the pairs `es`, sorted (deterministic)."""
    parent = list(range(n))

    def root(v: int) -> int:
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    for e in es:
        parent[root(int(a[e]))] = root(int(b[e]))
    groups: dict[int, list[int]] = {}
    for v in np.unique(np.concatenate([a[es], b[es]])):
        groups.setdefault(root(int(v)), []).append(int(v))
    return sorted(groups.values())


def blossom(a: np.ndarray, b: np.ndarray, x: np.ndarray, n: int, S) -> tuple[np.ndarray, int] | None:
    """The cut x(E(S)) <= (|S| - 1) / 2 when S is odd and x violates it."""
    inside = np.zeros(n, dtype=bool)
    inside[list(S)] = True
    es = np.flatnonzero(inside[a] & inside[b])
    if len(S) % 2 == 1 and len(S) >= 3 and x[es].sum() > (len(S) - 1) / 2 + EPS:
        return es, (len(S) - 1) // 2
    return None


def odd_sets(a: np.ndarray, b: np.ndarray, x: np.ndarray, n: int) -> list[tuple[np.ndarray, int]]:
    """Blossom cuts x violates.  First the odd components of its fractional support (the degree
    LP's fractional vertices are odd cycles of halves, so this finds one for each); when those
    hold none, the exact separation."""
    frac = np.flatnonzero((x > EPS) & (x < 1 - EPS))
    cuts = [c for S in components(a, b, frac, n) if (c := blossom(a, b, x, n, S))]
    return cuts or odd_sets_exact(a, b, x, n)


def odd_sets_exact(a: np.ndarray, b: np.ndarray, x: np.ndarray, n: int) -> list[tuple[np.ndarray, int]]:
    """Padberg and Rao: x(E(S)) > (|S| - 1) / 2 is x(delta(S)) + slack(S) < 1, with slack(v) =
    1 - x(delta(v)), a cut of the graph of the pairs (capacity x) plus a root joined to each
    person (capacity their slack); the smallest cut with an odd side is one of a Gomory-Hu
    tree's.  Per component of the support that holds a fractional pair (a violated S can be
    taken inside one), Gusfield's algorithm builds the tree from len(C) max flows."""
    sup = np.flatnonzero(x > EPS)
    load = np.bincount(np.concatenate([a[sup], b[sup]]), np.concatenate([x[sup], x[sup]]), n)
    frac = np.flatnonzero((x > EPS) & (x < 1 - EPS))
    fractional = np.zeros(n, dtype=bool)
    fractional[a[frac]] = fractional[b[frac]] = True
    found: dict[tuple[int, ...], None] = {}
    for C in components(a, b, sup, n):
        if not fractional[C].any():
            continue
        k = len(C) + 1  # node 0 is the root
        local = np.zeros(n, dtype=np.int32)
        local[C] = np.arange(1, k)
        es = sup[(local[a[sup]] > 0) & (local[b[sup]] > 0)]
        ta, tb, people = local[a[es]], local[b[es]], np.arange(1, k, dtype=np.int32)
        cap = np.rint(x[es] * FLOW_SCALE).astype(np.int64)
        slack = np.rint(np.maximum(1 - load[C], 0) * FLOW_SCALE).astype(np.int64)
        flow = max_flow.SimpleMaxFlow()
        flow.add_arcs_with_capacity(np.concatenate([ta, tb, people, 0 * people]),
                                    np.concatenate([tb, ta, 0 * people, people]),
                                    np.concatenate([cap, cap, slack, slack]))
        parent = [0] * k
        for u in range(1, k):
            t = parent[u]
            flow.solve(u, t)
            side = set(flow.get_source_side_min_cut())
            for v in range(1, k):
                if v != u and v in side and parent[v] == t:
                    parent[v] = u
            if parent[t] in side:
                parent[u], parent[t] = parent[t], u
        # The root stays the tree's root; each tree edge (v, parent[v]) cuts off v's subtree.
        children: dict[int, list[int]] = {}
        for v in range(1, k):
            children.setdefault(parent[v], []).append(v)
        order, stack = [], [0]
        while stack:
            order.append(stack.pop())
            stack += children.get(order[-1], [])
        below = {v: [v] for v in range(k)}
        for v in reversed(order[1:]):
            below[parent[v]] += below[v]
        for v in range(1, k):
            found[tuple(sorted(C[i - 1] for i in below[v]))] = None
    return [c for S in found if (c := blossom(a, b, x, n, S))]


def certified_bound(a: np.ndarray, b: np.ndarray, s: np.ndarray, y: np.ndarray,
                    cuts: list[tuple[np.ndarray, int]], z: np.ndarray) -> int:
    """sum y + sum z_S rhs_S + sum_e max(0, s_e - y_a - y_b - z(e)) bounds every pairing for
    any y, z >= 0 (Lagrangian duality; the last sum pays for x_e <= 1).  GLOP's float duals are
    clipped and rounded to a grid and the sum is taken in integers, so a float error can make
    the bound looser but never wrong."""
    y = np.maximum(np.rint(y * DUAL_SCALE), 0).astype(np.int64)
    z = np.maximum(np.rint(z * DUAL_SCALE), 0).astype(np.int64)
    reduced = s.astype(np.int64) * DUAL_SCALE - y[a] - y[b]
    total = int(y.sum())
    for (es, rhs), zs in zip(cuts, z):
        reduced[es] -= zs
        total += int(zs) * rhs
    total += int(np.maximum(reduced, 0).sum())
    return total // DUAL_SCALE  # the weights are integers, so the floor is a bound too


def relax(a: np.ndarray, b: np.ndarray, s: np.ndarray, n: int, rounds: int = CUT_ROUNDS) -> Relaxation:
    """The LP relaxation, then up to `rounds` re-solves with the violated blossom cuts added
    (GLOP starts each from the last basis).  Stops when the LP is integral, no cut is found or
    the LP value stalls."""
    lp = pywraplp.Solver.CreateSolver("GLOP")
    x = [lp.NumVar(0.0, 1.0, "") for _ in range(len(s))]
    # Ties make the optimal face large and the cuts tail off on it; a distinct nudge per pair
    # (under 1/4 over any pairing, so the nudged optimum is an optimum of the integer weights)
    # breaks them.  The bound is certified with the integer weights.
    nudge = (np.arange(len(s)) * 0.6180339887498949) % 1.0 / (2 * n + 2)
    objective = lp.Objective()
    for e, v in enumerate(x):
        objective.SetCoefficient(v, float(s[e] + nudge[e]))
    objective.SetMaximization()
    degree = [lp.Constraint(-lp.infinity(), 1.0) for _ in range(n)]
    for e, v in enumerate(x):
        degree[a[e]].SetCoefficient(v, 1.0)
        degree[b[e]].SetCoefficient(v, 1.0)
    cuts: list[tuple[np.ndarray, int]] = []
    rows: list[pywraplp.Constraint] = []
    best, last, done, since, iterations = None, None, 0, 0, 0
    while True:
        if lp.Solve() != pywraplp.Solver.OPTIMAL:  # cannot happen for a bounded, feasible LP
            return Relaxation(np.zeros(len(s)), int(s.sum()), cuts, done, iterations)
        iterations += lp.iterations()
        xv = np.array([v.solution_value() for v in x])
        z = np.array([r.dual_value() for r in rows])
        bound = certified_bound(a, b, s, np.array([r.dual_value() for r in degree]), cuts, z)
        best = bound if best is None else min(best, bound)
        # Cuts can still tail off: stop when the LP value stalls.
        since = 0 if last is None or objective.Value() < last - EPS else since + 1
        last = objective.Value()
        new = odd_sets(a, b, xv, n) if done < rounds and since < STALL_ROUNDS else []
        if not new:
            break
        # A cut leaves the last basis dual feasible: the dual simplex re-solves in a few pivots.
        lp.SetSolverSpecificParametersAsString("use_dual_simplex: true")
        for es, rhs in new:
            row = lp.Constraint(-lp.infinity(), float(rhs))
            for e in es:
                row.SetCoefficient(x[e], 1.0)
            rows.append(row)
        cuts += new
        done += 1
    binding = [c for c, zs in zip(cuts, z) if zs > EPS]
    return Relaxation(xv, best, binding, done, iterations, len(cuts))


def search_pairs(a: np.ndarray, b: np.ndarray, s: np.ndarray, n: int, hint: np.ndarray,
                 cuts: list[tuple[np.ndarray, int]], effort: float):
    """CP-SAT when the LP leaves a gap: (chosen, bound, status name, deterministic time).  The
    cuts tighten its own LP; one worker, seed 0 and a deterministic limit keep it repeatable."""
    m = cp_model.CpModel()
    x = [m.new_bool_var("") for _ in range(len(s))]
    incident: list[list[int]] = [[] for _ in range(n)]
    for e in range(len(s)):
        incident[a[e]].append(e)
        incident[b[e]].append(e)
    for es in incident:
        if len(es) > 1:
            m.add_at_most_one(x[e] for e in es)
    for es, rhs in cuts:
        m.add(sum(x[e] for e in es) <= rhs)
    m.maximize(sum(int(s[e]) * x[e] for e in range(len(s))))
    for e in range(len(s)):
        m.add_hint(x[e], bool(hint[e]))
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = 1
    p.random_seed = 0
    p.max_deterministic_time = float(effort)
    status = solver.solve(m)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = np.array([solver.boolean_value(v) for v in x], dtype=bool)
        bound = int(np.floor(solver.best_objective_bound + 1e-6))
        if status == cp_model.OPTIMAL:
            bound = int(s[chosen].sum())
    else:  # no solution within the limit: the hint still stands
        chosen, bound = hint, int(s.sum())
    return chosen, bound, solver.status_name(status), round(solver.deterministic_time, 3)


def best_pairs(a: np.ndarray, b: np.ndarray, s: np.ndarray, n: int, greedy: np.ndarray,
               effort: float, rounds: int = CUT_ROUNDS) -> tuple[np.ndarray, int, dict]:
    """The pairing (a mask over the candidate pairs), a certified bound on any pairing, and
    how they were found: the LP alone when it comes out integral, else CP-SAT."""
    if not len(s):
        return greedy, 0, {"method": "none", "cuts": 0, "lp_rounds": 0, "lp_iterations": 0,
                           "lp_bound": 0, "cpsat_status": "not run", "deterministic_time": 0.0}
    lp = relax(a, b, s, n, rounds)
    stats = {"cuts": lp.added, "lp_rounds": lp.rounds, "lp_iterations": lp.iterations,
             "lp_bound": lp.bound}
    if lp.integral:
        chosen = lp.x > 0.5  # two such pairs at one person would break a degree row
        if int(s[chosen].sum()) >= lp.bound:
            return chosen, lp.bound, {"method": "lp", **stats, "cpsat_status": "not run",
                                      "deterministic_time": 0.0}
    rounded = greedy_pairs(a, b, s, n, first=lp.x)
    hint = max(rounded, greedy, key=lambda c: int(s[c].sum()))
    if int(s[hint].sum()) >= lp.bound:  # a fractional LP at the optimum's value: rounding found it
        return hint, lp.bound, {"method": "lp-rounded", **stats, "cpsat_status": "not run",
                                "deterministic_time": 0.0}
    small = [(es, rhs) for es, rhs in lp.cuts if rhs <= CPSAT_CUT_MAX]
    chosen, bound, status, det = search_pairs(a, b, s, n, hint, small, effort)
    if int(s[hint].sum()) > int(s[chosen].sum()):
        chosen = hint
    return chosen, min(bound, lp.bound), {"method": "cpsat", **stats, "cpsat_status": status,
                                          "deterministic_time": det}


def pair_sentence(p: Person, q: Person, hours: float, w: Words = ENGLISH) -> str:
    """Why these two, in words both of them can read (English unless `w` says otherwise)."""
    parts = []
    shared = shared_context(p, q)
    if shared:
        parts.append(w.gettext(N_("you both share %(items)s")) % {"items": join(shared, w)})
    gives = [(p, q, helps_with(p, q)), (q, p, helps_with(q, p))]
    helps = [w.gettext(N_("%(giver)s can help %(taker)s with %(topics)s")) % {
        "giver": x.id, "taker": y.id, "topics": join(t, w)} for x, y, t in gives if t]
    parts.append(", ".join(helps) if helps else w.gettext(N_("neither offers what the other wants yet")))
    gap = abs(p.years - q.years)
    gap = int(gap) if gap == int(gap) else round(gap, 1)
    parts.append(w.gettext(N_("the same experience")) if gap == 0 else
                 w.ngettext(*NP_("%(num)s year apart in experience", "%(num)s years apart in experience"),
                            int(gap) if gap == int(gap) else 2) % {"num": w.number(gap)})
    h = int(hours) if hours == int(hours) else hours
    parts.append(w.gettext(PAIR_TEXT["overlap"]) % {"hours": w.number(h)})
    return "; ".join(parts)


LEFT_OUT_WHY = (N_("%(num)d have too little working time in common"), N_("%(num)d share no language"),
                N_("%(num)d were ruled out"), N_("%(num)d fit below the round's minimum"))


def left_out_reason(n_cand: int, why: np.ndarray, optimal: bool, w: Words = ENGLISH) -> str:
    if n_cand:
        tail = w.gettext(N_("a higher total fit") if optimal else N_("the solve stopped before a better pairing"))
        return w.ngettext(*NP_("Not paired: the %(num)d candidate peer went to others (%(why)s).",
                               "Not paired: all %(num)d candidate peers went to others (%(why)s)."),
                          n_cand) % {"num": n_cand, "why": tail}
    texts = [w.gettext(t) % {"num": int(k)} for t, k in zip(LEFT_OUT_WHY, why) if k]
    if not texts:
        return w.gettext(N_("Not paired: no one else is in this round."))
    return w.gettext(N_("Not paired: no candidate peer; of the others, %(reasons)s.")) % {"reasons": "; ".join(texts)}


def solve_pairs(inst: PeerInstance, w: Words = ENGLISH) -> PeerResult:
    """The pairs, with their sentences and the reasons of people left out in `w`'s words."""
    t0 = time.perf_counter()
    T = table(inst)
    n = len(T.people)
    a, b, s, why = candidate_pairs(inst, T)
    t_cand = time.perf_counter() - t0
    greedy = greedy_pairs(a, b, s, n)
    t1 = time.perf_counter()
    chosen, bound, how = best_pairs(a, b, s, n, greedy, inst.rules.effort)
    objective = int(s[chosen].sum())
    optimal = objective >= bound

    pairs, paired = [], set()
    for e in np.flatnonzero(chosen):
        i, j = int(a[e]), int(b[e])
        paired |= {i, j}
        hours = (T.masks[i] & T.masks[j]).bit_count() / 4
        pairs.append(PeerPair(T.people[i].id, T.people[j].id, int(s[e]),
                              pair_sentence(T.people[i], T.people[j], hours, w)))
    degree = np.bincount(np.concatenate([a, b]), minlength=n) if len(s) else np.zeros(n, int)
    left = [LeftOut(T.people[i].id, left_out_reason(int(degree[i]), why[i], optimal, w))
            for i in range(n) if i not in paired]
    stats = {"people": n, "candidate_pairs": int(len(s)),
             "greedy_objective": int(s[greedy].sum()), **how,
             "candidates_s": round(t_cand, 3), "solve_s": round(time.perf_counter() - t1, 3),
             "wall_s": round(time.perf_counter() - t0, 3)}
    return PeerResult("pairs", "optimal" if optimal else "feasible", objective, bound,
                      gap_between(objective, bound), pairs=pairs, left_out=left, stats=stats)


def gap_between(objective: int, bound: int) -> float:
    return 0.0 if bound <= 0 or objective >= bound else round((bound - objective) / bound, 6)
