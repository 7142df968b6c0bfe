"""Large rounds without every candidate pair in memory: each mentee's best few, then a proof.

At 50,000 x 12,000 the default cut-off leaves about 35 million candidate pairs; holding them
all (and a flow arc for each) costs gigabytes.  Instead:

1. One scoring pass over every cell in blocks keeps per mentee only its `keep` best candidates
   (`scoring.score_top`), and remembers the best score among those left out (t_i) and how many
   there were.  The reason counts are computed over every mentor exactly as in the full pass.
2. The min-cost flow is solved on the kept pairs, with BIG valid for the full set (so its cost
   function is the full problem's, restricted).
3. Certificate.  Node potentials d of the optimal residual network (Bellman-Ford,
   `lagrange.potentials`) give every residual arc a reduced cost c + d(tail) - d(head) >= 0.
   A left-out pair (i, j) could improve the optimum only if its arc had a negative reduced
   cost: -(BIG + s_ij) + d(mentee i) - d(mentor j) < 0.  Per mentee this is bounded with t_i
   and the largest d(mentor) without scoring anything; only the rows of mentees that fail the
   bound are rescored (in blocks, only the cells that could still fail), the pairs with a
   negative reduced cost are added and the flow is solved again, until none is left.  Then
   the potentials prove the flow optimal over every candidate pair (complementary slackness;
   the b-matching LP is integral), so the result is the full problem's optimum.

Used only where that is exact: scored from people (no `edges`), the default coverage
objective, no group balance, no must-match mentees, no continuing pairs, no team cap that
could bind; locked and forbidden pairs, priorities, capacity 0 mentors and several mentors per
mentee are handled.  And only from MIN_CELLS mentee x mentor cells up (below that the full set
is cheap), unless `solve(keep=...)` forces it.
"""
from __future__ import annotations

import math

import numpy as np

from .flow import FlowProblem
from .lagrange import potentials
from .model import Instance
from .scoring import NO_SCORE, TopCandidates, score_cells

KEEP_PER_SEAT = 4  # kept candidates per mentee: this many per mentor the mentee may get ...
KEEP_MARGIN = 20  # ... plus this margin (24 with one mentor per mentee)
MIN_CELLS = 100_000_000  # mentee x mentor cells from which the pruned path is used
NEG = np.iinfo(np.int64).min // 4


def supported(inst: Instance) -> bool:
    """True when the pruned path gives exactly the full path's optimum."""
    r = inst.rules
    return (inst.edges is None and r.group_balance is None and r.objective == "coverage"
            and not inst.continuing and not any(e.must_match for e in inst.mentees)
            # A program's own criteria (format v2) take the full path.
            and not inst.criteria
            # The micro-history bonus raises pairs the pricing pass scores without it.
            and not (inst.history and r.history_bonus)
            and (r.max_same_team is None or all(e.team is None for e in inst.mentees)))


def choose_keep(inst: Instance, keep: int | None) -> int | None:
    """How many candidates to keep per mentee, or None for the full candidate set.

    keep=None decides by size, 0 never prunes, n > 0 prunes to n (if supported)."""
    if keep == 0 or not supported(inst):
        return None
    if keep is None:
        if len(inst.mentees) * len(inst.mentors) < MIN_CELLS:
            return None
        return KEEP_PER_SEAT * inst.rules.mentors_per_mentee + KEEP_MARGIN
    return max(int(keep), 1)


def full_big(inst: Instance, top: TopCandidates, m_cap: np.ndarray) -> int:
    """A BIG (see flow.scales) valid for every candidate pair, kept or not."""
    w = inst.weights
    hi = math.ceil(w.topics + w.context + w.stage + w.tz + w.mentor_pref) + 1  # base in [0, hi]
    prio = [e.priority for e in inst.mentees] or [0]
    spread = max(hi + max(max(prio), 0), 0) - min(min(prio), 0)
    max_pairs = min(inst.rules.mentors_per_mentee * len(inst.mentees), int(m_cap.sum()),
                    top.total + len(inst.locked))
    return max_pairs * spread + 1


def flow_potentials(fp: FlowProblem, chosen: np.ndarray, big: int) -> np.ndarray | None:
    """Potentials of the residual network of the flow `chosen` (the network of flow.solve_flow
    for a plain coverage flow: source, mentees, mentors, sink, bypass)."""
    n_e, n_m = fp.n_e, fp.n_m
    locked = fp.locked
    k_left = np.maximum(fp.k - np.bincount(fp.ei[locked], minlength=n_e), 0)
    cap_left = np.maximum(fp.cap - np.bincount(fp.mj[locked], minlength=n_m), 0)
    free = np.flatnonzero(~locked)
    ei, mj = fp.ei[free], fp.mj[free]
    x = chosen[free]
    f_e = np.bincount(ei[x], minlength=n_e)
    load = np.bincount(mj[x], minlength=n_m)
    src, sink, e0, m0 = 0, 1, 2, 2 + n_e
    cost = -(big + fp.score[free])
    supply = int(k_left.sum())
    bypass = supply - int(x.sum())
    es, ms = np.arange(n_e), np.arange(n_m)
    fe, be = f_e < k_left, f_e > 0
    fm, bm = load < cap_left, load > 0
    tails = [np.where(x, m0 + mj, e0 + ei), np.full(int(fe.sum()), src), e0 + es[be],
             m0 + ms[fm], np.full(int(bm.sum()), sink)]
    heads = [np.where(x, e0 + ei, m0 + mj), e0 + es[fe], np.full(int(be.sum()), src),
             np.full(int(fm.sum()), sink), m0 + ms[bm]]
    costs = [np.where(x, -cost, cost), np.zeros(int(fe.sum() + be.sum() + fm.sum() + bm.sum()),
                                                 dtype=np.int64)]
    if bypass < supply:
        tails.append(np.array([src]))
        heads.append(np.array([sink]))
    if bypass > 0:
        tails.append(np.array([sink]))
        heads.append(np.array([src]))
    costs.append(np.zeros(int(bypass < supply) + int(bypass > 0), dtype=np.int64))
    T, H, C = (np.concatenate(a).astype(np.int64) for a in (tails, heads, costs))
    return potentials(T, H, C, 2 + n_e + n_m)


def _kept_mask(ei: np.ndarray, mj: np.ndarray, rows: np.ndarray, n_m: int) -> np.ndarray:
    """(len(rows), n_m) bool: which cells of these mentee rows are in the sorted pairs."""
    lo = np.searchsorted(ei, rows, side="left")
    hi = np.searchsorted(ei, rows, side="right")
    lens = hi - lo
    out = np.zeros((len(rows), n_m), dtype=bool)
    if lens.sum():
        r = np.repeat(np.arange(len(rows)), lens)
        idx = np.repeat(lo - np.cumsum(np.r_[0, lens[:-1]]), lens) + np.arange(int(lens.sum()))
        out[r, mj[idx]] = True
    return out


def price(pb, chosen: np.ndarray, threads: int | None = None, margin: int = 0):
    """The left-out pairs whose arcs have a negative reduced cost against the optimal flow
    `chosen` over pb's kept pairs (with `margin` > 0: also those whose reduced cost is below
    it, which saves rounds): (mentee, mentor, base score) arrays, sorted, plus the number
    of candidate cells rescored; None if the potentials did not settle."""
    fp, top, c = pb.flow, pb.top, pb.cand
    d = flow_potentials(fp, chosen, fp.big)
    if d is None:
        return None
    n_e, n_m = fp.n_e, fp.n_m
    d_e, d_m = d[2:2 + n_e], d[2 + n_e:2 + n_e + n_m]
    prio = np.array([e.priority for e in pb.inst.mentees], dtype=np.int64)
    # A left-out pair (i, j) with base score b has reduced cost -(big + b + prio_i) + d_e_i
    # - d_m_j: negative iff d_m_j > room_i - b.  b <= best_out_i bounds it without scoring,
    # and only the cells with d_m_j > room_i - best_out_i are scored.
    room = d_e - fp.big - prio - margin
    best = top.best_out
    rows = np.flatnonzero(best != NO_SCORE)
    key_m = np.where(fp.cap > 0, d_m, NEG)
    ei, mj, base = score_cells(pb.P, rows, key_m, room[rows] - best[rows], top.forbid,
                               skip=lambda r, cols: _kept_mask(c.ei, c.mj, r, n_m)[:, cols],
                               threads=threads)
    neg = base > room[ei] - d_m[mj]
    return ei[neg], mj[neg], base[neg], len(ei)


def blocking_cells(pb, chosen: np.ndarray, threads: int | None = None):
    """The left-out candidate pairs that could block the result (see stability.py): (mentee,
    mentor, score) arrays.  Only the cells where the best left-out score of the mentee beats
    both what the mentee has and what the mentor has are scored."""
    fp, top, c = pb.flow, pb.top, pb.cand
    n_e, n_m = fp.n_e, fp.n_m
    ce, cm, cs = c.ei[chosen], c.mj[chosen], c.score[chosen]
    has = np.bincount(ce, minlength=n_e)
    load = np.bincount(cm, minlength=n_m)
    e_thr = np.full(n_e, np.iinfo(np.int64).max // 4, dtype=np.int64)
    np.minimum.at(e_thr, ce, cs)
    e_thr[has < fp.k] = NEG  # a free slot: any candidate will do
    m_thr = np.full(n_m, np.iinfo(np.int64).max // 4, dtype=np.int64)
    np.minimum.at(m_thr, cm, cs)
    m_thr[load < fp.cap] = NEG
    prio = np.array([e.priority for e in pb.inst.mentees], dtype=np.int64)
    best = top.best_out
    ub = np.where(best != NO_SCORE, best + prio, NEG)
    rows = np.flatnonzero((best != NO_SCORE) & (ub > e_thr))
    key_m = np.where(fp.cap > 0, -m_thr, NEG)
    ei, mj, base = score_cells(pb.P, rows, key_m, -ub[rows], top.forbid,
                               skip=lambda r, cols: _kept_mask(c.ei, c.mj, r, n_m)[:, cols],
                               threads=threads)
    s = base + prio[ei]
    hit = (s > e_thr[ei]) & (s > m_thr[mj])
    return ei[hit], mj[hit], s[hit], len(ei)
