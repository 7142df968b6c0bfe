"""Peer circles: groups of circle_min..circle_max people who share working time, context and
topics, as many placed as possible.

A single CP-SAT model over 2,000 people and every possible circle does not scale, so:
1. Working-time groups: a circle needs `min_overlap` hours common to all its members, so people
   are grouped by a common UTC window (greedy cover: the window that fits the most people
   first).  Any circle inside a group meets the overlap rule by construction.
2. Clusters: each group is sorted by context and topics and cut into clusters of about
   `cluster_size` people (facilitators dealt out evenly).
3. Per cluster, a CP-SAT model on circle slots: x[p, c] person p in slot c, slot sizes within
   bounds, one facilitator per open slot where asked, people without a shared language (or
   ruled out together) never in one slot, open slots first (symmetry breaking), objective
   BIG * placed + sum over pairs in a slot of (fit - BASE): placing people comes first, then
   pairs that fit better than BASE.  Warm-started from the greedy circles, one worker and a
   deterministic time share of `rules.effort` each.
The bound printed is global, not per cluster: everyone who has at least circle_min - 1
compatible others can be placed, and each person gains at most half of their best
circle_max - 1 positive pair terms; so the gap also counts what the clustering gives up.
"""
from __future__ import annotations

import math
import time
from collections import Counter

import numpy as np
from ortools.sat.python import cp_model

from .crowd import (
    SLOTS,
    Circle,
    LeftOut,
    PeerInstance,
    PeerResult,
    Table,
    all_pairs,
    common_window,
    count_word,
    fit_block,
    speaks_with,
    table,
    utc_offset,
)
from .explain import ENGLISH, N_, NP_, Words, join
from .scoring import norm

BIG = 1000   # per placed person: more than any circle's pair terms per member can add (7 * 100)
BASE = 50    # a pair adds (fit - BASE): two people who fit worse than this pull a circle down


def window_mask(start: int, length: int) -> int:
    return sum(1 << ((start + q) % SLOTS) for q in range(length))


def working_groups(T: Table, inst: PeerInstance) -> tuple[list[list[int]], list[int]]:
    """People grouped by a common UTC window of min_overlap hours; and everyone in none."""
    r = inst.rules
    length = max(1, math.ceil(r.min_overlap * 4))
    windows = [window_mask(s, length) for s in range(0, SLOTS, 4)]
    fits = [[i for i, m in enumerate(T.masks) if m & w == w] for w in windows]
    free = set(range(len(T.people)))
    groups: list[tuple[int, list[int]]] = []
    while True:
        counts = [sum(1 for i in f if i in free) for f in fits]
        best = max(range(len(windows)), key=lambda k: (counts[k], -k))
        if counts[best] < r.circle_min:
            break
        groups.append((best, [i for i in fits[best] if i in free]))
        free -= set(groups[-1][1])
    # Someone whose own window was too small joins the largest group they fit.
    for i in sorted(free):
        homes = [g for g in groups if T.masks[i] & windows[g[0]] == windows[g[0]]]
        if homes:
            max(homes, key=lambda g: len(g[1]))[1].append(i)
            free.discard(i)
    return [sorted(g) for _, g in groups], sorted(free)


def clusters_of(T: Table, inst: PeerInstance, group: list[int]) -> list[list[int]]:
    """Cut a working-time group into clusters of about cluster_size, similar people together."""
    r = inst.rules

    speakers = Counter(norm(x) for i in group for x in T.people[i].languages)

    def key(i: int):
        # Rarest language first: someone who speaks only Portuguese needs the group's
        # Portuguese speakers in their cluster, whatever their context.
        p = T.people[i]
        rare = min(((speakers[norm(x)], norm(x)) for x in p.languages), default=(len(group), ""))
        return (rare, sorted(norm(c) for c in p.context), [norm(t) for t in p.wants[:2]],
                p.years, i)
    fac = [i for i in group if r.facilitator and T.people[i].facilitator]
    rest = sorted((i for i in group if i not in set(fac)), key=key)
    k = max(1, round(len(group) / r.cluster_size))
    chunks = [list(c) for c in np.array_split(np.array(rest, dtype=np.int64), k)]
    for n, f in enumerate(sorted(fac, key=key)):
        chunks[n % k].append(f)
    return [sorted(int(i) for i in c) for c in chunks if len(c)]


def compatible(T: Table, inst: PeerInstance, members: list[int]) -> np.ndarray:
    rows = np.array(members, dtype=np.int64)
    ok = speaks_with(T, rows, rows)
    pos = {p: k for k, p in enumerate(members)}
    for a, b in T.forbidden:
        if a in pos and b in pos:
            ok[pos[a], pos[b]] = ok[pos[b], pos[a]] = False
    return ok


def greedy_circles(T: Table, inst: PeerInstance, members: list[int], fit: np.ndarray,
                   ok: np.ndarray) -> list[list[int]]:
    """The baseline: in cluster order, each person joins the first open circle they are
    compatible with (a facilitator opens one where asked); too-small circles dissolve."""
    r = inst.rules
    circles: list[list[int]] = []
    if r.facilitator:
        circles = [[k] for k, p in enumerate(members) if T.people[p].facilitator]
    for k, p in enumerate(members):
        if r.facilitator and T.people[p].facilitator:
            continue
        home = next((c for c in circles if len(c) < r.circle_max and all(ok[k, q] for q in c)),
                    None)
        if home is not None:
            home.append(k)
        elif not r.facilitator:
            circles.append([k])
    return [c for c in circles if len(c) >= r.circle_min]


def solve_cluster(T: Table, inst: PeerInstance, members: list[int], fit: np.ndarray,
                  ok: np.ndarray, hint: list[list[int]], det: float):
    """CP-SAT on slots for one cluster: (circles as local indices, objective, bound, status)."""
    r = inst.rules
    s = len(members)
    is_f = [r.facilitator and T.people[p].facilitator for p in members]
    k = s // r.circle_min
    if r.facilitator:
        k = min(k, sum(is_f))
    if k == 0:
        return [], 0, 0, "OPTIMAL"
    m = cp_model.CpModel()
    x = [[m.new_bool_var("") for _ in range(k)] for _ in range(s)]
    y = [m.new_bool_var("") for _ in range(k)]
    for p in range(s):
        m.add_at_most_one(x[p])
    for c in range(k):
        size = sum(x[p][c] for p in range(s))
        m.add(size >= r.circle_min * y[c])
        m.add(size <= r.circle_max * y[c])
        if r.facilitator:
            m.add(sum(x[p][c] for p in range(s) if is_f[p]) == y[c])
        if c:
            m.add_implication(y[c], y[c - 1])
    terms = []
    for p, q in all_pairs(range(s)):
        w = int(fit[p, q]) - BASE
        for c in range(k):
            if not ok[p, q]:
                m.add_bool_or([x[p][c].Not(), x[q][c].Not()])
            elif w > 0:
                z = m.new_bool_var("")
                m.add_implication(z, x[p][c])
                m.add_implication(z, x[q][c])
                terms.append(w * z)
            elif w < 0:
                z = m.new_bool_var("")
                m.add_bool_or([x[p][c].Not(), x[q][c].Not(), z])
                terms.append(w * z)
    m.maximize(BIG * sum(x[p][c] for p in range(s) for c in range(k)) + sum(terms))
    where = {p: c for c, circle in enumerate(hint) for p in circle}
    for p in range(s):
        for c in range(k):
            m.add_hint(x[p][c], where.get(p) == c)
    for c in range(k):
        m.add_hint(y[c], c < len(hint))
    solver = cp_model.CpSolver()
    prm = solver.parameters
    prm.num_workers = 1
    prm.random_seed = 0
    prm.max_deterministic_time = det
    # The cluster models are small and the greedy hint is complete; presolve spent most of a
    # short limit (on 12 clusters of the 2,000-person benchmark: 0.06 deterministic s without
    # presolve placed more fit than 1.0 s with it, in a tenth of the CPU time).
    prm.cp_model_presolve = False
    status = solver.solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return hint, None, None, solver.status_name(status)
    circles = [[p for p in range(s) if solver.boolean_value(x[p][c])] for c in range(k)]
    return ([c for c in circles if c], int(round(solver.objective_value)),
            int(math.floor(solver.best_objective_bound + 1e-6)), solver.status_name(status))


def circle_value(fit_of, members: list[int]) -> tuple[int, int]:
    """(the circle's share of the objective, its compatibility = mean pair fit 0..100)."""
    fits = [fit_of(p, q) for p, q in all_pairs(members)]
    value = BIG * len(members) + sum(f - BASE for f in fits)
    return value, int(round(sum(fits) / len(fits))) if fits else 0


def global_bound(T: Table, inst: PeerInstance) -> tuple[int, int]:
    """(placeable people, an upper bound on the objective), certified over all people, not per
    cluster.  The objective splits over people: BIG plus half their pair terms each.  All
    members of a circle work at some common quarter hour q, pairwise share min_overlap hours
    and a language, and a circle has exactly one facilitator where asked; so person i is worth
    at most, over the quarters q they work, BIG + half the best sum of their s strongest pair
    terms (negative ones included, s in circle_min-1..circle_max-1) among those compatible
    people who also work at q; and 0 where no q has circle_min - 1 of them."""
    r = inst.rules
    n = len(T.people)
    fac = np.array([r.facilitator and p.facilitator for p in T.people])
    gain = np.zeros((n, n), dtype=np.float64)
    ok = np.zeros((n, n), dtype=bool)
    for lo in range(0, n, 512):
        rows = np.arange(lo, min(n, lo + 512))
        fit, hours = fit_block(T, inst.weights, rows)
        gain[rows] = np.rint(fit) - BASE
        ok[rows] = (hours >= r.min_overlap) & speaks_with(T, rows)
    ok[np.arange(n), np.arange(n)] = False
    for a, b in T.forbidden:
        ok[a, b] = ok[b, a] = False
    if r.facilitator:  # a facilitator's circle-mates are not facilitators
        ok[np.ix_(fac, fac)] = False
    lo_k, hi_k = r.circle_min - 1, r.circle_max - 1
    best = np.full(n, -np.inf)
    seen: set[bytes] = set()
    for q in range(SLOTS):
        at = np.flatnonzero(T.slots[:, q] > 0)
        key = at.tobytes()
        if len(at) < r.circle_min or key in seen:
            continue
        seen.add(key)
        ok_q = ok[np.ix_(at, at)]
        g = np.where(ok_q, gain[np.ix_(at, at)], -np.inf)
        k = min(hi_k, len(at) - 1)
        top = -np.sort(-g, axis=1)[:, :k]
        sums = np.cumsum(np.where(np.isfinite(top), top, 0), axis=1)
        count = ok_q.sum(1)
        s_idx = np.arange(1, k + 1)
        usable = (s_idx[None, :] >= lo_k) & (s_idx[None, :] <= count[:, None])
        value = np.where(usable, sums, -np.inf).max(1, initial=-np.inf)
        if r.facilitator:  # someone who is not a facilitator needs one beside them
            value[~fac[at] & ~(ok_q & fac[at][None, :]).any(1)] = -np.inf
        best[at] = np.maximum(best[at], value)
    can = np.isfinite(best)
    total = float(np.maximum(0.0, BIG + best[can] / 2).sum())
    return int(can.sum()), int(math.floor(total + 1e-6))


def circle_sentence(T: Table, members: list[int], facilitator: int | None, w: Words = ENGLISH) -> str:
    people = [T.people[i] for i in members]
    n = len(people)
    ctx = Counter(norm(c) for p in people for c in p.context)
    label = {norm(c): c for p in people for c in p.context}
    shared = [(label[c], k) for c, k in sorted(ctx.items(), key=lambda x: (-x[1], x[0])) if k >= 2]
    parts = []
    if shared:
        parts.append(w.gettext(N_("%(count)s people, %(shared)s")) % {"count": count_word(n, w), "shared": join(
            [w.gettext(N_("all %(context)s")) % {"context": c} if k == n else
             w.gettext(N_("%(count)s %(context)s")) % {"count": count_word(k, w), "context": c}
             for c, k in shared[:3]], w)})
    else:
        parts.append(w.gettext(N_("%(count)s people with no context in common")) % {"count": count_word(n, w)})
    wants = Counter(norm(t) for p in people for t in p.wants)
    wlabel = {norm(t): t for p in people for t in p.wants}
    top = [(wlabel[t], k) for t, k in sorted(wants.items(), key=lambda x: (-x[1], x[0])) if k >= 2]
    if top:
        parts.append(w.gettext(N_("into %(wants)s")) % {"wants": join([f"{t} ({k})" for t, k in top[:3]], w)})
    tzs = sorted({p.tz for p in people})
    parts.append(utc_offset(tzs[0]) if len(tzs) == 1 else
                 w.gettext(N_("%(first)s to %(last)s")) % {"first": utc_offset(tzs[0]), "last": utc_offset(tzs[-1])})
    common = (1 << SLOTS) - 1
    for i in members:
        common &= T.masks[i]
    parts.append(w.gettext(N_("working hours overlap %(window)s")) % {"window": common_window(common, w)})
    years = [p.years for p in people]
    lo, hi = min(years), max(years)
    parts.append(w.gettext(N_("%(low)s-%(high)s years of experience")) % {"low": f"{lo:g}", "high": f"{hi:g}"}
                 if lo != hi else
                 w.ngettext(*NP_("all %(num)s year of experience", "all %(num)s years of experience"),
                            int(lo) if lo == int(lo) else 2) % {"num": f"{lo:g}"})
    if facilitator is not None:
        parts.append(w.gettext(N_("facilitated by %(person)s")) % {"person": T.people[facilitator].id})
    return "; ".join(parts)


def join_left_out(T: Table, inst: PeerInstance, circles: list[list[int]],
                  left: list[int]) -> None:
    """Clusters cut working-time groups apart, so someone left out of their cluster may fit a
    circle of another one: in id order, each joins the open circle (fewer than circle_max,
    enough common working time, a shared language, no rule against it, not a second
    facilitator) where they add the most.  Placing someone is worth BIG, more than any pair
    terms can take away, so every join raises the objective.  Changes `circles` in place."""
    r = inst.rules
    if not left or not circles:
        return
    need = r.min_overlap * 4
    cols = np.array(sorted({p for c in circles for p in c} | set(left)), dtype=np.int64)
    at = {int(p): k for k, p in enumerate(cols)}
    rows = np.array(left, dtype=np.int64)
    gain = np.rint(fit_block(T, inst.weights, rows, cols)[0]) - BASE
    talk = speaks_with(T, rows, cols)
    common = [_common(T, c) for c in circles]
    has_fac = [r.facilitator and any(T.people[p].facilitator for p in c) for c in circles]
    for a, p in enumerate(left):
        best, home = None, None
        for k, c in enumerate(circles):
            if len(c) >= r.circle_max or (has_fac[k] and T.people[p].facilitator):
                continue
            if (common[k] & T.masks[p]).bit_count() < need:
                continue
            idx = [at[q] for q in c]
            if not talk[a, idx].all() or any((min(p, q), max(p, q)) in T.forbidden for q in c):
                continue
            value = float(gain[a, idx].sum())
            if best is None or value > best:
                best, home = value, k
        if home is not None:
            circles[home].append(p)
            common[home] &= T.masks[p]


def circle_fit(T: Table, inst: PeerInstance, members: list[int]) -> np.ndarray:
    rows = np.array(members, dtype=np.int64)
    return np.rint(fit_block(T, inst.weights, rows, rows)[0]).astype(np.int64)


def solve_circles(inst: PeerInstance, w: Words = ENGLISH) -> PeerResult:
    """The circles, with their sentences and the reasons of people left out in `w`'s words."""
    t0 = time.perf_counter()
    r = inst.rules
    T = table(inst)
    n = len(T.people)
    groups, no_window = working_groups(T, inst)
    clusters = [c for group in groups for c in clusters_of(T, inst, group)]
    det = max(r.effort / max(len(clusters), 1), 0.05)
    circles: list[list[int]] = []
    greedy: list[list[int]] = []
    sub_bound, statuses = 0, Counter()
    left: dict[int, str] = {}
    for members in clusters:
        fit = circle_fit(T, inst, members)
        ok = compatible(T, inst, members)
        hint = greedy_circles(T, inst, members, fit, ok)
        greedy += [[members[k] for k in c] for c in hint]
        local, _, bnd, status = solve_cluster(T, inst, members, fit, ok, hint, det)
        statuses[status] += 1
        sub_bound += bnd if bnd is not None else 0
        placed = set()
        for c in local:
            circles.append(sorted(members[k] for k in c))
            placed |= set(circles[-1])
        window = common_window(_common(T, members), w)
        for p in members:
            if p in placed:
                continue
            if r.facilitator and T.people[p].facilitator:
                left[p] = w.gettext(N_("Not placed: the circles around their working hours already have a "
                                       "facilitator each."))
            elif ok[members.index(p)].sum() - 1 < r.circle_min - 1:
                left[p] = w.gettext(N_("Not placed: too few people who share their working hours (%(window)s) "
                                       "share a language with them.")) % {"window": window}
            else:
                left[p] = w.gettext(
                    N_("Not placed: no circle of %(low)d-%(high)d among the %(num)d people sharing their working "
                       "hours (%(window)s) could take them with a facilitator.") if r.facilitator else
                    N_("Not placed: no circle of %(low)d-%(high)d among the %(num)d people sharing their working "
                       "hours (%(window)s) could take them.")) % {
                    "low": r.circle_min, "high": r.circle_max, "num": len(members), "window": window}
    for p in no_window:
        left[p] = w.gettext(N_("Not placed: fewer than %(num)d people share %(hours)s h of working time with "
                               "them.")) % {"num": r.circle_min, "hours": f"{r.min_overlap:g}"}

    for group in groups:  # cluster borders split people who could meet: circles of the rest
        rest = [p for p in group if p in left]
        if len(rest) >= r.circle_min:
            for c in greedy_circles(T, inst, rest, circle_fit(T, inst, rest),
                                    compatible(T, inst, rest)):
                circles.append(sorted(rest[k] for k in c))
                for p in circles[-1]:
                    left.pop(p)
    join_left_out(T, inst, circles, sorted(left))
    for c in circles:
        for p in c:
            left.pop(p, None)

    def value_of(members: list[int]) -> tuple[int, int]:
        fit = circle_fit(T, inst, members)
        pos = {p: k for k, p in enumerate(members)}
        return circle_value(lambda p, q: int(fit[pos[p], pos[q]]), members)
    out, objective, placed_n = [], 0, 0
    for ids in sorted(sorted(c) for c in circles):
        fac = next((i for i in ids if r.facilitator and T.people[i].facilitator), None)
        value, compat = value_of(ids)
        objective += value
        placed_n += len(ids)
        out.append(Circle([T.people[i].id for i in ids],
                          T.people[fac].id if fac is not None else None, compat, value,
                          circle_sentence(T, ids, fac, w)))
    greedy_values = [value_of(c) for c in greedy]
    placeable, bound = global_bound(T, inst)
    bound = max(bound, objective)
    gap = 0.0 if bound <= 0 else round((bound - objective) / bound, 6)
    stats = {"people": n, "placed": placed_n, "placeable_bound": placeable,
             "working_time_groups": len(groups), "clusters": len(clusters),
             "cluster_statuses": dict(statuses), "cluster_bound": sub_bound,
             "greedy_objective": sum(v for v, _ in greedy_values),
             "greedy_placed": sum(len(c) for c in greedy),
             "greedy_worst_compatibility": min((c for _, c in greedy_values), default=None),
             "worst_compatibility": min((c.compatibility for c in out), default=None),
             "wall_s": round(time.perf_counter() - t0, 3)}
    lo = [LeftOut(T.people[p].id, left[p]) for p in sorted(left)]
    return PeerResult("circles", "optimal" if objective >= bound else "feasible", objective,
                      bound, gap, circles=out, left_out=lo, stats=stats)


def _common(T: Table, members: list[int]) -> int:
    common = (1 << SLOTS) - 1
    for i in members:
        common &= T.masks[i]
    return common


def check_circles(inst: PeerInstance, res: PeerResult) -> list[str]:
    """Every broken rule of a circle result (empty when feasible), and a recomputed objective
    that differs from the reported one: what the tests and the CLI's callers can rely on."""
    r = inst.rules
    T = table(inst)
    problems = []
    seen: Counter = Counter()
    total = 0
    for k, c in enumerate(res.circles):
        idx = [T.index[i] for i in c.members]
        seen.update(idx)
        if not r.circle_min <= len(idx) <= r.circle_max:
            problems.append(f"circle {k}: {len(idx)} members")
        if _common(T, idx).bit_count() / 4 < r.min_overlap:
            problems.append(f"circle {k}: too little common working time")
        facs = [i for i in idx if T.people[i].facilitator]
        if r.facilitator and len(facs) != 1:
            problems.append(f"circle {k}: {len(facs)} facilitators")
        ok = compatible(T, inst, idx)
        if not ok[np.triu_indices(len(idx), 1)].all():
            problems.append(f"circle {k}: members without a shared language or ruled out")
        rows = np.array(idx, dtype=np.int64)
        fit = np.rint(fit_block(T, inst.weights, rows, rows)[0]).astype(np.int64)
        pos = {p: k for k, p in enumerate(idx)}
        value, _ = circle_value(lambda p, q, f=fit, at=pos: int(f[at[p], at[q]]), idx)
        total += value
    problems += [f"{T.people[i].id} in {k} circles" for i, k in seen.items() if k > 1]
    if total != res.objective:
        problems.append(f"objective {res.objective} != recomputed {total}")
    return problems

