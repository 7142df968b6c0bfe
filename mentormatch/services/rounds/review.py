"""Reviewing a proposal: its pairs page by page, locking or forbidding a pair, swapping a mentee's
mentor for another candidate, and comparing two runs."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, or_

from ...extensions import db
from ...matching import candidates as core_candidates
from ...models import Membership, User
from ...models.rounds import Round, RoundConstraint, RunPair, RunUnmatched, SolveRun
from .. import ServiceError
from ..why import FORBIDDEN, FORBIDDEN_HELP, parts_json
from . import events
from .instance import build_round_data, membership_of, mentee_key
from .results import summarize_charts
from .runs import lock_run
from .settings import add_constraint, require_editable

PAGE_SIZE = 50
SORTS = {
    "score": RunPair.score.desc(), "-score": RunPair.score.asc(),
    "mentee": RunPair.mentee_name.asc(), "mentor": RunPair.mentor_name.asc(),
}
FILTERS = ("all", "locked", "swapped", "low")
LOW_SCORE = 50


@dataclass
class PairPage:
    rows: list[RunPair]
    total: int
    page: int
    pages: int
    q: str
    sort: str
    filter: str


def pairs_page(run: SolveRun, *, q: str = "", sort: str = "score", filter: str = "all", page: int = 1) -> PairPage:
    """One page of a run's pairs. Indexed columns only, so 10,000 pairs stay fast."""
    sort = sort if sort in SORTS else "score"
    filter = filter if filter in FILTERS else "all"
    query = db.select(RunPair).where(RunPair.run_id == run.id)
    q = (q or "").strip()[:80]
    if q:
        like = f"%{q.lower()}%"
        query = query.where(or_(func.lower(RunPair.mentee_name).like(like), func.lower(RunPair.mentor_name).like(like)))
    if filter == "locked":
        query = query.where(RunPair.locked.is_(True))
    elif filter == "swapped":
        query = query.where(RunPair.swapped.is_(True))
    elif filter == "low":
        query = query.where(RunPair.score < LOW_SCORE)
    total = db.session.scalar(db.select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = list(db.session.scalars(query.order_by(SORTS[sort], RunPair.id).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)))
    return PairPage(rows, total, page, pages, q, sort, filter)


def why_empty(run: SolveRun | None) -> list[str]:
    """Why a run proposes no pair at all, in words a coordinator can act on ([] when it has pairs).
    Such a run is not a proposal: the review page says this instead of "0 of 0 matched", and
    approve_round refuses it."""
    if run is None or run.status != "done" or run.pair_count:
        return []
    reasons = []
    if not run.mentee_count:
        reasons.append(_("No mentee is in this round: nobody has completed a goal form asking for a mentor yet. "
                         "Share the mentee link from the program page, or widen the round's pool in its settings."))
    no_seats = dict((run.charts or {}).get("seats", [])).get("no seats", 0)
    if not run.mentor_count:
        reasons.append(_("No mentor is in this round: no mentor has filled in a profile (or been approved) yet. "
                         "Share the mentor link from the program page."))
    elif no_seats >= run.mentor_count:
        reasons.append(ngettext("No mentor has a seat: %(num)d mentor offers no seats this round. Ask mentors to set "
                                "“Mentees per round” on their profile, or wait for those who are away.",
                                "No mentor has a seat: %(num)d mentors offer no seats this round. Ask mentors to set "
                                "“Mentees per round” on their profile, or wait for those who are away.",
                                run.mentor_count))
    if not reasons:
        reasons.append(_("Nobody could be paired: the list below says why each mentee has no mentor."))
    return reasons


def unmatched_of(run: SolveRun, limit: int = 200) -> list[RunUnmatched]:
    return list(db.session.scalars(db.select(RunUnmatched).where(RunUnmatched.run_id == run.id)
                                   .order_by(RunUnmatched.mentee_name, RunUnmatched.id).limit(limit)))


# ---------------------------------------------------------------- lock, forbid, swap

def lock_or_forbid_pair(round_: Round, actor: User, pair: RunPair, kind: str) -> None:
    """Lock keeps the pair in every re-run; forbid keeps it out (and drops it from this proposal)."""
    add_constraint(round_, actor, pair.mentee_membership_id, pair.mentor_membership_id, kind, commit=False)
    if kind == "lock":
        pair.locked = True
    else:
        run = db.session.get(SolveRun, pair.run_id)
        db.session.add(RunUnmatched(run_id=run.id, mentee_membership_id=pair.mentee_membership_id,
                                    mentee_name=pair.mentee_name, reasons=[["forbidden", 1]],
                                    sentence=FORBIDDEN % {"name": pair.mentor_name}, help=FORBIDDEN_HELP))
        db.session.delete(pair)
        db.session.flush()
        _refresh_run_figures(run)
    db.session.commit()


def _refresh_run_figures(run: SolveRun) -> None:
    rows = db.session.execute(db.select(RunPair.mentee_membership_id, RunPair.score).where(RunPair.run_id == run.id)).all()
    run.pair_count = len(rows)
    run.matched_count = len({m for m, _ in rows})
    run.unmatched_count = db.session.scalar(db.select(func.count()).select_from(RunUnmatched)
                                            .where(RunUnmatched.run_id == run.id)) or 0
    run.total_score = sum(s for _, s in rows)
    charts = dict(run.charts or {})
    charts["score_hist"] = summarize_charts(run.id)["score_hist"]
    if "stability" in charts:  # counted on the solver's answer; an edit changes it
        charts["stability"] = {**charts["stability"], "edited": True}
    run.charts = charts


def swap_options(round_: Round, pair: RunPair) -> list[dict]:
    """The mentee's candidate mentors: score, what swapping costs, and whether a seat is free."""
    data = build_round_data(round_, mentee_ids=[pair.mentee_membership_id])
    data.instance.locked = []  # the alternatives, not the current lock
    options = []
    used = dict(db.session.execute(db.select(RunPair.mentor_membership_id, func.count())
                                   .where(RunPair.run_id == pair.run_id).group_by(RunPair.mentor_membership_id)).all())
    taken = {m for (m,) in db.session.execute(db.select(RunPair.mentor_membership_id).where(
        RunPair.run_id == pair.run_id, RunPair.mentee_membership_id == pair.mentee_membership_id))}
    for p in core_candidates(data.instance, mentee_key(pair.mentee_membership_id))[:50]:
        mid = membership_of(p.mentor)
        if mid == pair.mentor_membership_id:
            continue
        free = data.capacity.get(mid, 0) - used.get(mid, 0)
        options.append({"mentor_id": mid, "name": data.names.get(mid, ""), "score": p.score,
                        "cost": p.score - pair.score, "free": free, "sentence": p.sentence,
                        "sentence_parts": parts_json(p.parts),
                        "allowed": free > 0 and mid not in taken})
    return options


def swap(round_: Round, actor: User, pair: RunPair, new_mentor_id: int) -> RunPair:
    """Give the pair's mentee another of their candidates; the new pair is locked for re-runs."""
    require_editable(round_)
    lock_run(pair.run_id)
    # A swap or an approval that held the lock before us may have moved this pair or frozen the round.
    db.session.refresh(round_)
    require_editable(round_)
    db.session.refresh(pair)
    option = next((o for o in swap_options(round_, pair) if o["mentor_id"] == new_mentor_id), None)
    if option is None:
        raise ServiceError(_("This mentor is not a candidate for this mentee."), "mentor_id")
    if not option["allowed"]:
        raise ServiceError(_("%(name)s has no free seat in this proposal.", name=option["name"]), "mentor_id")
    old = pair.mentor_membership_id
    old_lock = db.session.scalar(db.select(RoundConstraint).where(
        RoundConstraint.round_id == round_.id, RoundConstraint.mentee_membership_id == pair.mentee_membership_id,
        RoundConstraint.mentor_membership_id == old, RoundConstraint.kind == "lock"))
    if old_lock is not None:
        db.session.delete(old_lock)
        db.session.flush()
    add_constraint(round_, actor, pair.mentee_membership_id, new_mentor_id, "lock", commit=False)
    pair.mentor_membership_id, pair.mentor_name = new_mentor_id, option["name"]
    pair.score, pair.sentence, pair.swapped, pair.locked = option["score"], option["sentence"], True, True
    pair.sentence_parts = option["sentence_parts"]
    db.session.flush()
    events.record(round_, actor, "swap", mentee=pair.mentee_membership_id, old_mentor=old, new_mentor=new_mentor_id,
           cost=option["cost"])
    _refresh_run_figures(db.session.get(SolveRun, pair.run_id))
    db.session.commit()
    return pair


# ---------------------------------------------------------------- compare

def compare(a: SolveRun, b: SolveRun) -> dict:
    def pairs(run):
        out = defaultdict(set)
        for e, m in db.session.execute(db.select(RunPair.mentee_membership_id, RunPair.mentor_membership_id)
                                       .where(RunPair.run_id == run.id)):
            out[e].add(m)
        return out

    pa, pb = pairs(a), pairs(b)
    changed = sorted(e for e in set(pa) | set(pb) if pa.get(e) != pb.get(e))
    names = dict(db.session.execute(db.select(Membership.id, User.name).join(User).where(
        Membership.id.in_(set(changed[:100]) | {m for e in changed[:100] for m in pa.get(e, set()) | pb.get(e, set())}))).all())
    rows = [{"mentee": names.get(e, str(e)),
             "a": ", ".join(sorted(names.get(m, "") for m in pa.get(e, ()))) or "—",
             "b": ", ".join(sorted(names.get(m, "") for m in pb.get(e, ()))) or "—"} for e in changed[:100]]
    ga = {g[0]: g for g in (a.charts or {}).get("groups", [])}
    gb = {g[0]: g for g in (b.charts or {}).get("groups", [])}
    groups = [{"name": n, "a": _rate(ga.get(n)), "b": _rate(gb.get(n))} for n in sorted(set(ga) | set(gb))]
    return {"changed": len(changed), "rows": rows, "groups": groups}


def _rate(g) -> float | None:
    return None if not g or not g[1] else g[2] / g[1]
