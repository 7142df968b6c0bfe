"""solve(): instance in, result out.

The solve reads top to bottom: validate, encode, score the candidate pairs, solve the flow,
enforce group balance if asked, explain, return.  It is deterministic: people are put in id
order first, so the same people give the same pairs whatever order they came in, and no step
depends on timing (CP-SAT runs with a fixed seed and a deterministic time limit).
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from . import explain, pruned
from .balance import solve_side_rules
from .flow import FlowProblem, solve_flow
from .formats import instance_to_dict, read_instance
from .model import Edges, Instance, Pair, Result, Unmatched
from .objective import gap_of, objective_of
from .scoring import (
    COMPONENTS,
    INELIGIBLE,
    NOT_CANDIDATE,
    Candidates,
    Prepared,
    TopCandidates,
    eligibility,
    overlap_hours,
    pair_breakdown,
    prepare,
    score_candidates,
    score_top,
)
from .stability import blocking_pairs

ProgressFn = Callable[[dict], Any]


class Cancelled(Exception):
    pass


@dataclass
class Problem:
    """Everything a solver needs, in canonical (id-sorted) order."""

    inst: Instance
    P: Prepared
    cand: Candidates
    base: np.ndarray  # base score per candidate (before bonuses)
    locked: np.ndarray  # bool per candidate
    continuing: np.ndarray  # bool per candidate
    team: np.ndarray  # per mentee, -1 none
    flow: FlowProblem
    history: np.ndarray  # bool per candidate: a pair in Instance.history
    top: TopCandidates | None = None  # the pruned path: what was left out (pruned.py)

    def n_candidates(self) -> int:
        """Candidate pairs of the full set (locked ones that are not eligible included)."""
        if self.top is None:
            return self.cand.n
        e_pos = {e.id: i for i, e in enumerate(self.inst.mentees)}
        m_pos = {m.id: j for j, m in enumerate(self.inst.mentors)}
        forbidden = set(self.inst.forbidden)
        extra = sum(eligibility(self.P, e_pos[e], m_pos[m], (e, m) in forbidden) is not None
                    for e, m in self.inst.locked)
        return self.top.total + extra


class _Reporter:
    def __init__(self, progress: ProgressFn | None, should_stop: Callable[[], bool] | None):
        self.progress = progress
        self.should_stop = should_stop
        self.t0 = time.perf_counter()
        self.stop = False

    def elapsed(self) -> float:
        return time.perf_counter() - self.t0

    def __call__(self, phase: str, **info: Any) -> None:
        if self.progress is not None:
            msg = {"phase": phase, "elapsed_s": round(self.elapsed(), 3), **info}
            if self.progress(msg) is True:
                self.stop = True

    def stopped(self) -> bool:
        if not self.stop and self.should_stop is not None and self.should_stop():
            self.stop = True
        return self.stop

    def check(self) -> None:
        if self.stopped():
            raise Cancelled()


def canonical(inst: Instance) -> Instance:
    """People in id order (edges remapped), so ties never depend on input order."""
    oe = sorted(range(len(inst.mentees)), key=lambda i: inst.mentees[i].id)
    om = sorted(range(len(inst.mentors)), key=lambda j: inst.mentors[j].id)
    edges = inst.edges
    if edges is not None:
        inv_e = np.empty(len(oe), dtype=np.int64)
        inv_e[np.array(oe, dtype=np.int64)] = np.arange(len(oe))
        inv_m = np.empty(len(om), dtype=np.int64)
        inv_m[np.array(om, dtype=np.int64)] = np.arange(len(om))
        edges = Edges(inv_e[edges.mentee] if len(oe) else edges.mentee,
                      inv_m[edges.mentor] if len(om) else edges.mentor, edges.score)
    return replace(inst, mentees=[inst.mentees[i] for i in oe],
                   mentors=[inst.mentors[j] for j in om], edges=edges,
                   forbidden=sorted(inst.forbidden), locked=sorted(inst.locked),
                   continuing=sorted(inst.continuing), history=sorted(inst.history))


def validate(inst: Instance) -> None:
    """Run the file validator over an Instance built in Python (raises InstanceError)."""
    read_instance(instance_to_dict(inst))


def build(inst: Instance, threads: int | None = None, keep: int | None = None) -> Problem:
    """Encode and score.  `keep`: see pruned.choose_keep (None decides by size)."""
    inst = canonical(inst)
    P = prepare(inst)
    keep = pruned.choose_keep(inst, keep)
    if keep is not None:
        top = score_top(inst, P, keep, threads=threads)
        return assemble(inst, P, top.cand, top)
    return assemble(inst, P, score_candidates(inst, P, threads=threads))


def assemble(inst: Instance, P: Prepared, cand: Candidates,
             top: TopCandidates | None = None) -> Problem:
    """The Problem over these candidates (base scores): locked pairs, bonuses, the flow."""
    n_e, n_m = P.n_e, P.n_m
    e_pos = {e.id: i for i, e in enumerate(inst.mentees)}
    m_pos = {m.id: j for j, m in enumerate(inst.mentors)}

    base = cand.score.copy()
    # Locked pairs are in every result even if a rule would have removed them.
    if inst.locked:
        li = np.array([e_pos[e] for e, _ in inst.locked], dtype=np.int64)
        lj = np.array([m_pos[m] for _, m in inst.locked], dtype=np.int64)
        key = cand.ei * n_m + cand.mj
        lkey = li * n_m + lj
        missing = ~np.isin(lkey, key)
        if missing.any():
            mi, mjj = li[missing], lj[missing]
            ms = pair_breakdown(P, mi, mjj)[0] if cand.scored else np.zeros(len(mi), np.int64)
            ei = np.concatenate([cand.ei, mi])
            mj = np.concatenate([cand.mj, mjj])
            base = np.concatenate([base, ms])
            order = np.lexsort((mj, ei))
            cand = Candidates(ei[order], mj[order], base[order], cand.reasons, cand.scored)
            base = base[order]
        key = cand.ei * n_m + cand.mj
        locked = np.isin(key, lkey)
    else:
        locked = np.zeros(cand.n, dtype=bool)

    continuing = np.zeros(cand.n, dtype=bool)
    if inst.continuing:
        ckey = np.array([e_pos[e] * n_m + m_pos[m] for e, m in inst.continuing], dtype=np.int64)
        continuing = np.isin(cand.ei * n_m + cand.mj, ckey)

    history = np.zeros(cand.n, dtype=bool)
    if inst.history:
        hkey = np.array([e_pos[e] * n_m + m_pos[m] for e, m in inst.history], dtype=np.int64)
        history = np.isin(cand.ei * n_m + cand.mj, hkey)

    score = base.copy()
    priority = np.array([e.priority for e in inst.mentees], dtype=np.int64)
    if priority.any():
        score += priority[cand.ei]
    if inst.rules.continuity_bonus:
        score += np.where(continuing, inst.rules.continuity_bonus, 0)
    if inst.rules.history_bonus:
        score += np.where(history, inst.rules.history_bonus, 0)
    cand = Candidates(cand.ei, cand.mj, score, cand.reasons, cand.scored)

    teams = sorted({e.team for e in inst.mentees if e.team is not None})
    tcode = {t: c for c, t in enumerate(teams)}
    team = np.array([tcode[e.team] if e.team is not None else -1 for e in inst.mentees],
                    dtype=np.int64)
    must = np.array([e.must_match for e in inst.mentees], dtype=bool)
    flow = FlowProblem(
        n_e=n_e, n_m=n_m, ei=cand.ei, mj=cand.mj, score=score,
        k=np.full(n_e, inst.rules.mentors_per_mentee, dtype=np.int64),
        cap=P.m_cap.copy(), locked=locked, objective=inst.rules.objective,
        team=team, max_same_team=inst.rules.max_same_team,
        continuing=continuing, max_continued=inst.rules.max_continued_per_mentor,
        must_match=must if must.any() else None,
        big=pruned.full_big(inst, top, P.m_cap) if top is not None else None)
    return Problem(inst, P, cand, base, locked, continuing, team, flow, history, top)


def certify(pb: Problem, fs, threads: int | None, rep) -> tuple[Problem, Any, dict]:
    """The pruned path's certificate (pruned.py): add the left-out pairs with a negative
    reduced cost and solve again until there are none; the flow is then optimal for the full
    candidate set.  Falls back to the full set if the potentials do not settle."""
    rounds, added, rows = 1, 0, 0
    while True:
        rep.check()
        new = pruned.price(pb, fs.chosen, threads)
        if new is None:
            pb = build(pb.inst, threads=threads, keep=0)
            return pb, solve_flow(pb.flow), {"pruned_fallback": True}
        ei, mj, base, n_rows = new
        rows += n_rows
        if not len(ei):
            break
        added += len(ei)
        c = pb.cand
        all_e, all_m = np.concatenate([c.ei, ei]), np.concatenate([c.mj, mj])
        order = np.lexsort((all_m, all_e))
        cand = Candidates(all_e[order], all_m[order], np.concatenate([pb.base, base])[order],
                          c.reasons, True)
        pb = assemble(pb.inst, pb.P, cand, pb.top)
        rep("flow", candidates=pb.cand.n, pricing_added=added)
        fs = solve_flow(pb.flow)
        rounds += 1
    return pb, fs, {"pruned_keep": pb.top.keep, "pruned_kept": pb.cand.n,
                    "pruned_rounds": rounds, "pricing_added": added, "pricing_scored": rows}


def solve(instance: Instance, *, time_limit: float | None = None,
          progress: ProgressFn | None = None, should_stop: Callable[[], bool] | None = None,
          threads: int | None = None, validate_input: bool = True,
          keep: int | None = None) -> Result:
    """Solve a round: the most pairs, then the highest total score, under every rule.

    ``progress`` receives dicts like {"phase": "flow", "elapsed_s": 0.4, ...}; returning True
    from it, or True from ``should_stop()``, stops the solve at the next check (CP-SAT stops
    its search) and the result says so.  ``time_limit`` bounds the CP-SAT phase (group
    balance); the flow is always solved to optimality.  ``keep`` chooses the candidate set:
    None (default) prunes to each mentee's best few only on very large rounds where that is
    proven exact (pruned.py), 0 never prunes, n > 0 prunes to n per mentee where supported.
    """
    rep = _Reporter(progress, should_stop)
    if validate_input and not getattr(instance, "validated_by_reader", False):
        validate(instance)
    try:
        rep("scoring")
        rep.check()
        t_score = time.perf_counter()
        pb = build(instance, threads=threads, keep=keep)
        scoring_s = time.perf_counter() - t_score
        n_cand = pb.n_candidates()
        rep("candidates", candidates=n_cand)
        rep.check()
        t_solve = time.perf_counter()
        rep("flow", candidates=pb.cand.n)
        fs = solve_flow(pb.flow)
        certificate: dict[str, Any] = {}
        if pb.top is not None:
            pb, fs, certificate = certify(pb, fs, threads, rep)
        flow_obj = objective_of(pb, fs.chosen)
        rep("flow", candidates=pb.cand.n, objective=flow_obj, bound=flow_obj, gap=0.0)
    except Cancelled:
        return Result(status="cancelled", objective={"pairs": 0, "score": 0},
                      bound={"pairs": 0, "score": 0}, gap=1.0, solver="none",
                      stats={"stopped": True, "wall_s": round(rep.elapsed(), 3)},
                      message="stopped on request before any solution was found")

    stats: dict[str, Any] = {"candidates": n_cand, "mentees": pb.P.n_e,
                             "mentors": pb.P.n_m, "scoring_s": round(scoring_s, 3)}
    stats.update(certificate)
    stats.update({f"flow_{k}": v for k, v in fs.stats.items()})
    chosen, status, solver_name, bound, message = fs.chosen, "optimal", "min-cost-flow", \
        flow_obj, ""
    balance = pb.inst.rules.group_balance
    if balance is not None or not fs.exact:
        out = solve_side_rules(pb, fs, time_limit=time_limit, report=rep)
        chosen, status, solver_name, bound = out.chosen, out.status, out.solver, out.bound
        message = out.message
        stats.update(out.stats)
    elif rep.stopped():
        message = "stop requested; the flow solution was already optimal"
    solve_s = time.perf_counter() - t_solve
    obj = objective_of(pb, chosen) if chosen is not None else {"pairs": 0, "score": 0}
    if status == "optimal":
        bound = dict(obj)
    gap = 0.0 if status == "optimal" else gap_of(obj, bound, pb.inst.rules.objective)
    if rep.stop:
        stats["stopped"] = True
    rep("explaining", objective=obj, bound=bound, gap=gap)
    assignment, unmatched = (explain_result(pb, chosen, balance is not None)
                             if chosen is not None else ([], []))
    if chosen is not None:
        extra = None
        if pb.top is not None:
            *extra, stats["blocking_scored"] = pruned.blocking_cells(pb, chosen, threads)
        stats["blocking_pairs"], blocking = blocking_pairs(pb, chosen, extra=extra)
    else:
        blocking = []
    stats["solve_s"] = round(solve_s, 3)
    stats["wall_s"] = round(rep.elapsed(), 3)
    result = Result(status=status, objective=obj, bound=bound, gap=gap, solver=solver_name,
                    stats=stats, assignment=assignment, unmatched=unmatched, message=message,
                    blocking=blocking)
    rep("done", objective=obj, bound=bound, gap=gap, candidates=n_cand)
    return result


def _why(comps: dict[str, np.ndarray], k: int, extra: dict[str, int]) -> dict:
    why = {name: round(float(comps[name][k]), 2) for name in COMPONENTS if name in comps}
    why.update({name: v for name, v in extra.items() if v})
    return why


def explain_result(pb: Problem, chosen: np.ndarray, balance: bool
                   ) -> tuple[list[Pair], list[Unmatched]]:
    inst, P, cand = pb.inst, pb.P, pb.cand
    idx = np.flatnonzero(chosen)
    ei, mj = cand.ei[idx], cand.mj[idx]
    pairs: list[Pair] = []
    if cand.scored and len(idx):
        _, comps = pair_breakdown(P, ei, mj)
        over = overlap_hours(P, ei, mj)
    for k, c in enumerate(idx.tolist()):
        e, m = inst.mentees[ei[k]], inst.mentors[mj[k]]
        extra = {"priority": e.priority,
                 "continuity": inst.rules.continuity_bonus if pb.continuing[c] else 0,
                 "history": inst.rules.history_bonus if pb.history[c] else 0}
        if cand.scored:
            why = _why(comps, k, extra)
            parts = explain.pair_parts(e, m, why, float(over[k]),
                                       continuing=bool(pb.continuing[c]), history=bool(pb.history[c]),
                                       criteria=inst.criteria)
        else:
            why = {name: v for name, v in extra.items() if v}
            parts = explain.pair_parts(e, m, why, 0.0,
                                       continuing=bool(pb.continuing[c]), scored=False,
                                       score=int(cand.score[c]), history=bool(pb.history[c]),
                                       criteria=inst.criteria)
        pairs.append(Pair(e.id, m.id, int(cand.score[c]), why, explain.render_pair(parts), bool(pb.locked[c]),
                          parts))
    pairs.sort(key=lambda p: (p.mentee, p.mentor))
    return pairs, unmatched_reasons(pb, chosen, balance)


def unmatched_reasons(pb: Problem, chosen: np.ndarray, balance: bool) -> list[Unmatched]:
    inst, P, cand, fp = pb.inst, pb.P, pb.cand, pb.flow
    matched = np.bincount(cand.ei[chosen], minlength=P.n_e) > 0
    lonely = np.flatnonzero(~matched)
    if not len(lonely):
        return []
    used = np.bincount(cand.mj[chosen], minlength=P.n_m)
    # Classify every candidate pair of an unmatched mentee by what kept it out.
    sel = np.flatnonzero(~matched[cand.ei])
    ce, cm = cand.ei[sel], cand.mj[sel]
    code = np.full(len(sel), explain.CANDIDATE_REASONS.index("not_chosen"), dtype=np.int64)
    open_ = np.ones(len(sel), dtype=bool)

    def mark(mask: np.ndarray, name: str) -> None:
        nonlocal open_
        hit = open_ & mask
        code[hit] = explain.CANDIDATE_REASONS.index(name)
        open_ &= ~hit

    mark(used[cm] >= fp.cap[cm], "capacity_full")
    if fp.max_same_team is not None and (pb.team >= 0).any():
        n_t = int(pb.team.max()) + 1
        ch = chosen & (pb.team[cand.ei] >= 0)
        tused = np.bincount(cand.mj[ch] * n_t + pb.team[cand.ei[ch]], minlength=P.n_m * n_t)
        t = pb.team[ce]
        mark((t >= 0) & (tused[cm * n_t + np.maximum(t, 0)] >= fp.max_same_team), "team_cap")
    if fp.max_continued is not None:
        cused = np.bincount(cand.mj[chosen & pb.continuing], minlength=P.n_m)
        mark(pb.continuing[sel] & (cused[cm] >= fp.max_continued), "continued_cap")
    if fp.objective == "quality":
        mark(cand.score[sel] <= 0, "no_gain")
    if balance:
        mark(np.ones(len(sel), dtype=bool), "group_balance")
    n_codes = len(explain.CANDIDATE_REASONS)
    cc = np.bincount(ce * n_codes + code, minlength=P.n_e * n_codes).reshape(P.n_e, n_codes)
    if pb.top is not None:
        # Left-out candidates of an unmatched mentee: at the (certified) optimum every
        # candidate mentor of an unmatched mentee is full, or adding the pair would gain one.
        left_out = pb.top.per_mentee - np.bincount(cand.ei, minlength=P.n_e)
        cc[:, explain.CANDIDATE_REASONS.index("capacity_full")] += np.maximum(left_out, 0)

    names = list(INELIGIBLE) + [NOT_CANDIDATE]
    out: list[Unmatched] = []
    for i in lonely.tolist():
        reasons = [(names[r], int(n)) for r, n in enumerate(cand.reasons[i]) if n]
        reasons += [(explain.CANDIDATE_REASONS[r], int(n)) for r, n in enumerate(cc[i]) if n]
        reasons.sort(key=lambda x: explain.REASON_ORDER.index(x[0]))
        out.append(Unmatched(inst.mentees[i].id, reasons, explain.unmatched_sentence(reasons)))
    out.sort(key=lambda u: u.mentee)
    return out


def _single(inst: Instance, mentee_id: str) -> tuple[Instance, int]:
    """The instance reduced to one mentee (scores do not depend on the other mentees)."""
    for e in inst.mentees:
        if e.id == mentee_id:
            break
    else:
        raise KeyError(f"unknown mentee id {mentee_id!r}")
    edges = None
    if inst.edges is not None:
        pos = next(i for i, x in enumerate(inst.mentees) if x.id == mentee_id)
        keep = inst.edges.mentee == pos
        edges = Edges(np.zeros(int(keep.sum()), dtype=np.int64), inst.edges.mentor[keep],
                      inst.edges.score[keep])
    sub = replace(inst, mentees=[e], edges=edges,
                  forbidden=[p for p in inst.forbidden if p[0] == mentee_id],
                  locked=[p for p in inst.locked if p[0] == mentee_id],
                  continuing=[p for p in inst.continuing if p[0] == mentee_id],
                  history=[p for p in inst.history if p[0] == mentee_id])
    return sub, 0


def candidates(instance: Instance, mentee_id: str) -> list[Pair]:
    """The mentee's eligible mentors (locked ones included), best score first."""
    sub, _ = _single(instance, mentee_id)
    pb = build(sub, threads=1)
    chosen = np.ones(pb.cand.n, dtype=bool)
    pairs, _ = explain_result(pb, chosen, False)
    pairs.sort(key=lambda p: (-p.score, p.mentor))
    return pairs


def score_pair(instance: Instance, mentee_id: str, mentor_id: str) -> dict:
    """The pair's score and breakdown, or the rule that makes it ineligible.

    Returns {"eligible": bool, "score": int, "why": {...}, "sentence": str, "reason": code|None}.
    A locked pair is eligible whatever the rules say.
    """
    sub, _ = _single(instance, mentee_id)
    sub = canonical(sub)
    try:
        j = next(k for k, m in enumerate(sub.mentors) if m.id == mentor_id)
    except StopIteration:
        raise KeyError(f"unknown mentor id {mentor_id!r}") from None
    P = prepare(sub)
    e, m = sub.mentees[0], sub.mentors[j]
    locked = (mentee_id, mentor_id) in set(sub.locked)
    continuing = (mentee_id, mentor_id) in set(sub.continuing)
    history = (mentee_id, mentor_id) in set(sub.history)
    bonus = {"priority": e.priority,
             "continuity": sub.rules.continuity_bonus if continuing else 0,
             "history": sub.rules.history_bonus if history else 0}
    if sub.edges is not None:
        hit = np.flatnonzero(sub.edges.mentor == j)
        forbidden = (mentee_id, mentor_id) in set(sub.forbidden)
        reason = None if locked else "forbidden" if forbidden else \
            None if len(hit) else NOT_CANDIDATE
        base = int(sub.edges.score[hit[0]]) if len(hit) else 0
        why = {k: v for k, v in bonus.items() if v}
        score = base + sum(bonus.values())
        return {"eligible": reason is None, "score": score, "why": why, "reason": reason,
                "sentence": explain.pair_sentence(e, m, why, 0.0,
                                                  continuing=continuing, scored=False,
                                                  score=score, history=history)}
    reason = None if locked else eligibility(P, 0, j, (mentee_id, mentor_id) in set(sub.forbidden))
    base, comps = pair_breakdown(P, np.array([0]), np.array([j]))
    why = _why(comps, 0, bonus)
    score = int(base[0]) + sum(bonus.values())
    over = float(overlap_hours(P, np.array([0]), np.array([j]))[0])
    return {"eligible": reason is None, "score": score, "why": why, "reason": reason,
            "sentence": explain.pair_sentence(e, m, why, over, continuing=continuing,
                                              history=history, criteria=sub.criteria)}


def explain_pair(instance: Instance, mentee_id: str, mentor_id: str) -> str:
    """One sentence for a coordinator about this pair (or why it cannot be made)."""
    info = score_pair(instance, mentee_id, mentor_id)
    if info["eligible"]:
        return f"Score {info['score']}: {info['sentence']}."
    text = explain.reason_text(info["reason"], 1)
    return f"Not a candidate ({info['reason']}: {text}); score would be {info['score']}."
