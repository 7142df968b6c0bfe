"""Peer pairs: a maximum-weight matching on the general graph of candidate pairs, with CP-SAT.

Each person keeps their best `rules.candidates` peers (fit >= min_score, enough common working
time, a shared language, not ruled out); a pair is a candidate when either side kept the other.
CP-SAT then chooses at most one pair per person to maximize the total fit.  One worker and a
deterministic time limit (`rules.effort`): the same input gives the same pairs on any load.
Status "optimal" is proven over the candidate pairs; otherwise the bound is CP-SAT's and the
gap is printed.
"""
from __future__ import annotations

import time

import numpy as np
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


def greedy_pairs(a: np.ndarray, b: np.ndarray, s: np.ndarray, n: int) -> np.ndarray:
    """The baseline: best pair first, skipping anyone already taken (a 1/2-approximation)."""
    taken = np.zeros(n, dtype=bool)
    chosen = np.zeros(len(s), dtype=bool)
    for e in np.lexsort((b, a, -s)):
        if not taken[a[e]] and not taken[b[e]]:
            taken[a[e]] = taken[b[e]] = True
            chosen[e] = True
    return chosen


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

    m = cp_model.CpModel()
    x = [m.new_bool_var("") for _ in range(len(s))]
    incident: list[list[int]] = [[] for _ in range(n)]
    for e in range(len(s)):
        incident[a[e]].append(e)
        incident[b[e]].append(e)
    for es in incident:
        if len(es) > 1:
            m.add_at_most_one(x[e] for e in es)
    m.maximize(sum(int(s[e]) * x[e] for e in range(len(s))))
    for e in range(len(s)):
        m.add_hint(x[e], bool(greedy[e]))
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = 1
    p.random_seed = 0
    p.max_deterministic_time = float(inst.rules.effort)
    t1 = time.perf_counter()
    status = solver.solve(m)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = np.array([solver.boolean_value(v) for v in x], dtype=bool)
        bound = int(np.floor(solver.best_objective_bound + 1e-6)) if len(s) else 0
    else:  # no solution within the limit: the greedy pairing still stands
        chosen, bound = greedy, int(s.sum())
    optimal = status == cp_model.OPTIMAL or len(s) == 0
    objective = int(s[chosen].sum())
    if optimal:
        bound = objective

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
             "greedy_objective": int(s[greedy].sum()),
             "cpsat_status": solver.status_name(status),
             "deterministic_time": round(solver.deterministic_time, 3),
             "candidates_s": round(t_cand, 3), "solve_s": round(time.perf_counter() - t1, 3),
             "wall_s": round(time.perf_counter() - t0, 3)}
    return PeerResult("pairs", "optimal" if optimal else "feasible", objective, bound,
                      gap_between(objective, bound), pairs=pairs, left_out=left, stats=stats)


def gap_between(objective: int, bound: int) -> float:
    return 0.0 if bound <= 0 or objective >= bound else round((bound - objective) / bound, 6)
