"""Storing a solver's result on its run: pairs and unmatched mentees in bulk (each with what would
help them, in words a coordinator can act on), the summary figures, the charts and the blocking pairs."""
from __future__ import annotations

from collections import Counter, defaultdict

from ...extensions import db
from ...models.rounds import RunPair, RunUnmatched, SolveRun
from ..why import help_for, parts_json
from .instance import RoundData, membership_of


def summarize_charts(run_id: int, data: RoundData | None = None) -> dict:
    """Figures the review page draws, computed once when a result is stored or edited."""
    scores = [s for (s,) in db.session.execute(db.select(RunPair.score).where(RunPair.run_id == run_id))]
    bins = [[lo, lo + 10, 0] for lo in range(0, 100, 10)]
    for s in scores:
        bins[min(9, max(0, int(s) // 10))][2] += 1
    matched = {m for (m,) in db.session.execute(db.select(RunPair.mentee_membership_id).where(RunPair.run_id == run_id))}
    used = Counter(m for (m,) in db.session.execute(db.select(RunPair.mentor_membership_id).where(RunPair.run_id == run_id)))
    charts = {"score_hist": bins}
    if data is not None:
        groups = defaultdict(lambda: [0, 0])
        for mid, tags in data.mentee_groups.items():
            for tag in tags or ["(no group)"]:
                groups[tag][0] += 1
                groups[tag][1] += mid in matched
        charts["groups"] = sorted([name, t, m] for name, (t, m) in groups.items())
        seats = {"full": 0, "partly used": 0, "unused": 0, "no seats": 0}
        for mid, cap in data.capacity.items():
            u = used.get(mid, 0)
            key = "no seats" if cap == 0 and u == 0 else "full" if u >= cap else "partly used" if u else "unused"
            seats[key] += 1
        charts["seats"] = list(seats.items())
        charts["seats_offered"] = sum(data.capacity.values())
        charts["seats_used"] = sum(used.values())
    return charts


def store_result(run: SolveRun, data: RoundData, result) -> None:
    """Write a result's pairs and unmatched rows in bulk, and the run's summary figures."""
    names = data.names
    pair_rows = [{"run_id": run.id, "mentee_membership_id": membership_of(p.mentee),
                  "mentor_membership_id": membership_of(p.mentor), "mentee_name": names.get(membership_of(p.mentee), ""),
                  "mentor_name": names.get(membership_of(p.mentor), ""), "score": int(p.score), "why": dict(p.why),
                  "sentence": p.sentence, "sentence_parts": parts_json(p.parts), "locked": bool(p.locked),
                  "swapped": False} for p in result.assignment]
    un_rows = []
    for u in result.unmatched:
        mid = membership_of(u.mentee)
        reasons = [list(r) for r in u.reasons]
        un_rows.append({"run_id": run.id, "mentee_membership_id": mid, "mentee_name": names.get(mid, ""),
                        "reasons": reasons, "sentence": u.sentence,
                        "help": help_for(u.reasons, data.mentee_languages.get(mid, []))})
    if pair_rows:
        db.session.execute(db.insert(RunPair), pair_rows)
    if un_rows:
        db.session.execute(db.insert(RunUnmatched), un_rows)
    run.mentee_count = len(data.instance.mentees)
    run.mentor_count = len(data.instance.mentors)
    run.candidate_count = int(result.stats.get("candidates", 0))
    run.pair_count = len(pair_rows)
    run.matched_count = len({r["mentee_membership_id"] for r in pair_rows})
    run.unmatched_count = len(un_rows)
    run.total_score = sum(r["score"] for r in pair_rows)
    run.result_status = result.status
    run.objective, run.bound, run.gap, run.message = dict(result.objective), dict(result.bound), result.gap, result.message
    run.charts = {**summarize_charts(run.id, data), "stability": stability_of(data, result)}


BLOCKING_SHOWN = 25  # blocking pairs listed on the round page (the count covers all of them)


def stability_of(data: RoundData, result) -> dict:
    """Blocking pairs of a result, by name: the price of the optimum against a stable answer."""
    names = data.names
    return {"blocking": int(result.stats.get("blocking_pairs", 0)),
            "pairs": [[names.get(membership_of(b.mentee), ""), names.get(membership_of(b.mentor), ""),
                       b.score, b.mentee_gain, b.mentor_gain] for b in result.blocking[:BLOCKING_SHOWN]]}
