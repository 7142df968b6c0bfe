"""The b-matching as a min-cost flow (OR-Tools SimpleMinCostFlow).

    source -> mentee i          capacity: mentors the mentee may still get
    mentee i -> mentor j        one arc per candidate pair, capacity 1
        (or mentee i -> [mentor j, team t] -> mentor j when a team cap binds,
         or mentee i -> [mentor j, continued] -> mentor j for continuing pairs)
    mentor j -> sink            capacity: seats left
    source -> sink              a bypass that carries whatever is not matched, at cost 0

The lexicographic objective (most pairs, then most score) becomes one cost per pair arc:
-(BIG + score), with BIG larger than any possible difference in total score, so one more pair
always beats any amount of score.  Must-match mentees get an even larger reward on their first
unit of flow.  Locked pairs are taken out before the solve and their seats subtracted: a lower
bound of 1 on an arc is the same as that.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow


@dataclass
class FlowProblem:
    n_e: int
    n_m: int
    ei: np.ndarray  # candidate pairs, int64
    mj: np.ndarray
    score: np.ndarray  # int64
    k: np.ndarray  # per mentee: most mentors (int64)
    cap: np.ndarray  # per mentor: seats (int64)
    locked: np.ndarray  # bool per candidate
    objective: str = "coverage"
    team: np.ndarray | None = None  # per mentee team code, -1 none
    max_same_team: int | None = None
    continuing: np.ndarray | None = None  # bool per candidate
    max_continued: int | None = None
    must_match: np.ndarray | None = None  # bool per mentee
    bonus: np.ndarray | None = None  # int64 per mentee, on the mentee's first unit (Lagrangian)
    max_total: int | None = None  # at most this many units from mentees not locked (a hub arc)
    big: int | None = None  # BIG valid for a larger candidate set these pairs were taken from


@dataclass
class FlowSolution:
    chosen: np.ndarray  # bool per candidate
    pairs: int
    score: int
    must: int
    exact: bool  # False if some side rule could not be put into the network
    value: int  # the optimal flow value (maximized), in the flow's own units
    big: int
    huge: int
    stats: dict = field(default_factory=dict)


def scales(p: FlowProblem) -> tuple[int, int]:
    """BIG exceeds any difference in total score; HUGE any difference in BIG*pairs + score."""
    max_pairs = int(min(p.k.sum(), p.cap.sum(), len(p.ei))) if len(p.ei) else 0
    spread = int(max(p.score.max(), 0) - min(p.score.min(), 0)) if len(p.score) else 0
    bonus_spread = 0 if p.bonus is None or not len(p.bonus) else int(np.abs(p.bonus).sum())
    big = max_pairs * spread + bonus_spread + 1 if p.big is None else max(p.big, 1)
    huge = (big + spread) * (max_pairs + 1) + bonus_spread + 1
    if p.objective == "quality":
        big = 0
        huge = max_pairs * spread + bonus_spread + 1
    return big, huge


def solve_flow(p: FlowProblem) -> FlowSolution:
    big, huge = scales(p)
    n_cand = len(p.ei)
    locked = p.locked if n_cand else np.zeros(0, dtype=bool)
    # Locked pairs are fixed: take them out and reduce the capacities they use.
    k_left = p.k - np.bincount(p.ei[locked], minlength=p.n_e)
    cap_left = p.cap - np.bincount(p.mj[locked], minlength=p.n_m)
    free = ~locked
    if p.objective == "quality":
        # A pair that adds no score is never worth a seat.
        free &= p.score > 0
    idx = np.flatnonzero(free)
    ei, mj, sc = p.ei[idx], p.mj[idx], p.score[idx]

    source, sink = 0, 1
    mentee_node = 2 + np.arange(p.n_e, dtype=np.int64)
    mentor_node = 2 + p.n_e + np.arange(p.n_m, dtype=np.int64)
    next_node = 2 + p.n_e + p.n_m
    head = mentor_node[mj].copy()
    extra_tails: list[np.ndarray] = []
    extra_heads: list[np.ndarray] = []
    extra_caps: list[np.ndarray] = []
    exact = True

    cont = p.continuing[idx] if p.continuing is not None else np.zeros(len(idx), dtype=bool)
    route = np.zeros(len(idx), dtype=bool)
    if p.max_continued is not None and cont.any():
        locked_cont = np.bincount(p.mj[locked & p.continuing], minlength=p.n_m)
        room = np.maximum(p.max_continued - locked_cont, 0)
        per = np.bincount(mj[cont], minlength=p.n_m)
        binding = np.flatnonzero(per > room)
        if len(binding):
            node_of = np.full(p.n_m, -1, dtype=np.int64)
            node_of[binding] = next_node + np.arange(len(binding))
            next_node += len(binding)
            route = cont & (node_of[mj] >= 0)
            head[route] = node_of[mj[route]]
            extra_tails.append(node_of[binding])
            extra_heads.append(mentor_node[binding])
            extra_caps.append(room[binding])

    if p.max_same_team is not None and p.team is not None:
        t = p.team[ei]
        has = t >= 0
        if has.any():
            n_t = int(p.team.max()) + 1
            key = mj * n_t + t
            lk = locked & (p.team[p.ei] >= 0)
            used = {}
            if lk.any():
                lkey = p.mj[lk] * n_t + p.team[p.ei[lk]]
                u, c = np.unique(lkey, return_counts=True)
                used = dict(zip(u.tolist(), c.tolist()))
            u, c = np.unique(key[has], return_counts=True)
            room = np.array([p.max_same_team - used.get(x, 0) for x in u.tolist()], dtype=np.int64)
            bind = c > room
            if bind.any():
                bkeys = u[bind]
                bnodes = next_node + np.arange(len(bkeys))
                next_node += len(bkeys)
                pos = np.searchsorted(bkeys, key)
                pos = np.minimum(pos, len(bkeys) - 1)
                hit = has & (bkeys[pos] == key)
                # A continuing pair that is also routed through its mentor's "continued" node
                # cannot pass through the team node as well: those caps are not nested.
                if (hit & route).any():
                    exact = False
                hit &= ~route
                head[hit] = bnodes[pos[hit]]
                extra_tails.append(bnodes)
                extra_heads.append(mentor_node[bkeys // n_t])
                extra_caps.append(np.maximum(room[bind], 0))

    smcf = min_cost_flow.SimpleMinCostFlow()
    # Mentee supply arcs; a first-unit reward (must-match, Lagrangian bonus) gets its own arc.
    first = np.zeros(p.n_e, dtype=np.int64)
    if p.must_match is not None:
        first += np.where(p.must_match, huge, 0)
    if p.bonus is not None:
        first += p.bonus
    already = np.bincount(p.ei[locked], minlength=p.n_e) > 0
    first[already] = 0
    split = (first != 0) & (k_left > 0)
    feed = source
    if p.max_total is not None:
        # A hub between the source and the mentees caps the total.
        feed = next_node
        next_node += 1
        extra_tails.append(np.array([source]))
        extra_heads.append(np.array([feed]))
        extra_caps.append(np.array([max(p.max_total, 0)]))
    tails = [np.full(p.n_e, feed), np.full(int(split.sum()), feed)]
    heads = [mentee_node, mentee_node[split]]
    caps = [np.where(split, k_left - 1, k_left), np.ones(int(split.sum()), dtype=np.int64)]
    costs = [np.zeros(p.n_e, dtype=np.int64), -first[split]]
    n_supply_arcs = p.n_e + int(split.sum())
    pair_start = n_supply_arcs
    # Coverage without must-match is "the most pairs, then the most score": OR-Tools' maximum
    # flow of minimum cost gives exactly that with costs -score alone.  Cost scaling runs a
    # phase per factor of the largest cost, so dropping BIG (about 5 million at 50,000
    # mentees) from the arcs makes each flow about 40% cheaper; the optimum is the same, so
    # the BIG costs (and potentials, pruned.py) stay valid for it.
    # (Not for the Lagrangian's priced flows: their ties would break differently.)
    max_flow_first = (p.objective == "coverage" and p.bonus is None and p.max_total is None
                      and (p.must_match is None or not p.must_match.any()))
    tails.append(mentee_node[ei])
    heads.append(head)
    caps.append(np.ones(len(ei), dtype=np.int64))
    costs.append(-sc if max_flow_first else -(big + sc))
    for a, b, c in zip(extra_tails, extra_heads, extra_caps):
        tails.append(a)
        heads.append(b)
        caps.append(c)
        costs.append(np.zeros(len(a), dtype=np.int64))
    tails.append(mentor_node)
    heads.append(np.full(p.n_m, sink))
    caps.append(np.maximum(cap_left, 0))
    costs.append(np.zeros(p.n_m, dtype=np.int64))
    supply = int(np.maximum(k_left, 0).sum())
    if not max_flow_first:  # the bypass: whatever stays unmatched
        tails.append(np.array([source]))
        heads.append(np.array([sink]))
        caps.append(np.array([supply]))
        costs.append(np.array([0]))

    T = np.concatenate(tails).astype(np.int32)
    H = np.concatenate(heads).astype(np.int32)
    C = np.maximum(np.concatenate(caps), 0).astype(np.int64)
    K = np.concatenate(costs).astype(np.int64)
    smcf.add_arcs_with_capacity_and_unit_cost(T, H, C, K)
    supplies = np.zeros(next_node, dtype=np.int64)
    supplies[source] = supply
    supplies[sink] = -supply
    smcf.set_nodes_supplies(np.arange(next_node, dtype=np.int32), supplies)
    status = smcf.solve_max_flow_with_min_cost() if max_flow_first else smcf.solve()
    if status != smcf.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    flows = smcf.flows(np.arange(pair_start, pair_start + len(ei), dtype=np.int32))
    chosen = locked.copy()
    chosen[idx[flows > 0]] = True
    pairs = int(chosen.sum())
    score = int(p.score[chosen].sum())
    matched = np.bincount(p.ei[chosen], minlength=p.n_e) > 0
    must = int((matched & p.must_match).sum()) if p.must_match is not None else 0
    value = -int(smcf.optimal_cost()) + (big * int(flows.sum()) if max_flow_first else 0)
    return FlowSolution(chosen=chosen, pairs=pairs, score=score, must=must, exact=exact,
                        value=value, big=big, huge=huge,
                        stats={"arcs": int(smcf.num_arcs()), "nodes": int(smcf.num_nodes())})
