"""Match rounds: create, run, review, edit, compare, approve, repair. One action, one transaction."""
from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass

from flask import abort, current_app
from sqlalchemy import func, or_, update

from ..extensions import db
from ..matching import candidates as core_candidates, solve
from ..models import Membership, MentorProfile, Pairing, Program, SEAT_STATES, User, utcnow
from ..models.rounds import (ACTIVE_RUN_STATUSES, Round, RoundConstraint, RoundEvent, RunPair, RunUnmatched,
                             SolveRun)
from . import ServiceError
from ..core import jobs, outbox
from .round_instance import DEFAULT_RULES, DEFAULT_WEIGHTS, RoundData, build_round_data, membership_of, mentee_key

PAGE_SIZE = 50
SORTS = {
    "score": RunPair.score.desc(), "-score": RunPair.score.asc(),
    "mentee": RunPair.mentee_name.asc(), "mentor": RunPair.mentor_name.asc(),
}
FILTERS = ("all", "locked", "swapped", "low")
LOW_SCORE = 50
# A running run whose heartbeat is older than SOLVE_STALE_SECONDS (config, default 60) lost its
# worker; a queued one that no worker picked up for QUEUED_STALE_S is failed too, so no page spins forever.
QUEUED_STALE_S = 15 * 60
QUEUE_DOWN = ("The run could not be queued: the job queue (Redis) is unreachable. Nothing was changed; "
              "try again in a few minutes, or ask whoever runs the site to check the queue.")
LANGUAGE_NAMES = {
    "en": "English", "es": "Spanish", "pt": "Portuguese", "fr": "French", "de": "German", "it": "Italian",
    "nl": "Dutch", "pl": "Polish", "ru": "Russian", "uk": "Ukrainian", "tr": "Turkish", "ar": "Arabic",
    "hi": "Hindi", "bn": "Bengali", "ur": "Urdu", "zh": "Chinese", "ja": "Japanese", "ko": "Korean",
    "vi": "Vietnamese", "id": "Indonesian", "sw": "Swahili", "yo": "Yoruba", "fa": "Persian", "he": "Hebrew",
}


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


# ---------------------------------------------------------------- getters (404 if not yours)

def round_of(program: Program, round_id: int) -> Round:
    """A round of a program the caller already proved they coordinate, else 404."""
    round_ = db.session.get(Round, round_id)
    if round_ is None or round_.program_id != program.id:
        abort(404)
    return round_


def run_of(round_: Round, run_id: int) -> SolveRun:
    run = db.session.get(SolveRun, run_id)
    if run is None or run.round_id != round_.id:
        abort(404)
    return run


def pair_of(run: SolveRun, pair_id: int) -> RunPair:
    pair = db.session.get(RunPair, pair_id)
    if pair is None or pair.run_id != run.id:
        abort(404)
    return pair


def constraint_of(round_: Round, constraint_id: int) -> RoundConstraint:
    c = db.session.get(RoundConstraint, constraint_id)
    if c is None or c.round_id != round_.id:
        abort(404)
    return c


# ---------------------------------------------------------------- reading

def rounds_of(program: Program) -> list[Round]:
    return list(db.session.scalars(db.select(Round).where(Round.program_id == program.id).order_by(Round.id.desc())))


def runs_of(round_: Round) -> list[SolveRun]:
    return list(db.session.scalars(db.select(SolveRun).where(SolveRun.round_id == round_.id)
                                   .order_by(SolveRun.id.desc())))


def latest_run(round_: Round) -> SolveRun | None:
    return db.session.scalar(db.select(SolveRun).where(SolveRun.round_id == round_.id, SolveRun.kind == "full")
                             .order_by(SolveRun.id.desc()).limit(1))


def proposal_run(round_: Round) -> SolveRun | None:
    """The run the coordinator reviews: the approved one, else the latest finished one."""
    if round_.approved_run_id:
        return db.session.get(SolveRun, round_.approved_run_id)
    return db.session.scalar(db.select(SolveRun).where(SolveRun.round_id == round_.id, SolveRun.kind == "full",
                                                       SolveRun.status == "done")
                             .order_by(SolveRun.id.desc()).limit(1))


def constraints_of(round_: Round) -> list[RoundConstraint]:
    return list(db.session.scalars(db.select(RoundConstraint).where(RoundConstraint.round_id == round_.id)
                                   .order_by(RoundConstraint.id)))


def events_of(round_: Round, limit: int = 50) -> list[RoundEvent]:
    return list(db.session.scalars(db.select(RoundEvent).where(RoundEvent.round_id == round_.id)
                                   .order_by(RoundEvent.id.desc()).limit(limit)))


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


def unmatched_of(run: SolveRun, limit: int = 200) -> list[RunUnmatched]:
    return list(db.session.scalars(db.select(RunUnmatched).where(RunUnmatched.run_id == run.id)
                                   .order_by(RunUnmatched.mentee_name, RunUnmatched.id).limit(limit)))


# ---------------------------------------------------------------- settings

def _event(round_: Round, actor: User | None, action: str, **detail) -> None:
    db.session.add(RoundEvent(round_id=round_.id, actor_id=actor.id if actor else None, action=action, detail=detail))


def clean_settings(*, weights: dict, rules: dict, pool: dict) -> tuple[dict, dict, dict]:
    """Only known keys, in range: forms are allowlists and so is what we store."""
    w = {k: int(weights.get(k, DEFAULT_WEIGHTS[k])) for k in DEFAULT_WEIGHTS}
    if any(v < 0 or v > 100 for v in w.values()):
        raise ServiceError("Each weight is between 0 and 100.", "topics")
    if sum(w.values()) == 0:
        raise ServiceError("At least one weight must be above 0, or every pair would score the same.", "topics")
    r = dict(DEFAULT_RULES)
    for key in DEFAULT_RULES:
        if key in rules:
            r[key] = rules[key]
    if r["min_score"] is not None and not 0 <= int(r["min_score"]) <= 100:
        raise ServiceError("The minimum score is between 0 and 100.", "min_score")
    if r["min_overlap"] is not None and not 0 <= int(r["min_overlap"]) <= 8:
        raise ServiceError("The minimum overlap is between 0 and 8 hours.", "min_overlap")
    if not 1 <= int(r["mentors_per_mentee"]) <= 5:
        raise ServiceError("A mentee gets between 1 and 5 mentors.", "mentors_per_mentee")
    if r["max_same_team"] is not None and not 1 <= int(r["max_same_team"]) <= 20:
        raise ServiceError("Between 1 and 20, or leave it empty for no limit.", "max_same_team")
    if not 0 <= int(r["balance_slack"]) <= 50:
        raise ServiceError("The allowed difference is between 0 and 50 points.", "balance_slack")
    if r["objective"] not in ("coverage", "quality"):
        raise ServiceError("Choose “most people matched” or “best pairs only”.", "objective")
    if not 0 <= int(r["continuity_bonus"] or 0) <= 50:
        raise ServiceError("The continuity bonus is between 0 and 50 points.", "continuity_bonus")
    if r["max_continued_per_mentor"] is not None and not 1 <= int(r["max_continued_per_mentor"]) <= 20:
        raise ServiceError("Between 1 and 20, or leave it empty for no cap.", "max_continued_per_mentor")
    if not 0 <= int(r["carry_bonus"] or 0) <= 50:
        raise ServiceError("The carry-over bonus is between 0 and 50 points.", "carry_bonus")
    r["carry_must_match"] = bool(r["carry_must_match"])
    p = {"unmatched_only": bool(pool.get("unmatched_only")),
         "tag_ids": sorted({int(t) for t in pool.get("tag_ids") or []}),
         "joined_after": pool.get("joined_after") or None, "joined_before": pool.get("joined_before") or None}
    return w, r, p


def create_round(program: Program, actor: User, *, name: str, weights: dict, rules: dict, pool: dict) -> Round:
    name = (name or "").strip()
    if not name:
        raise ServiceError("Give the round a name.", "name")
    w, r, p = clean_settings(weights=weights, rules=rules, pool=pool)
    round_ = Round(program_id=program.id, name=name, weights=w, rules=r, pool=p, created_by_id=actor.id)
    db.session.add(round_)
    db.session.flush()
    _event(round_, actor, "create", name=name)
    db.session.commit()
    return round_


def update_settings(round_: Round, actor: User, *, name: str, weights: dict, rules: dict, pool: dict) -> None:
    _require_editable(round_)
    name = (name or "").strip()
    if not name:
        raise ServiceError("Give the round a name.", "name")
    w, r, p = clean_settings(weights=weights, rules=rules, pool=pool)
    changed = {k: v for k, v in (("weights", w), ("rules", r), ("pool", p)) if getattr(round_, k) != v}
    round_.name, round_.weights, round_.rules, round_.pool = name, w, r, p
    _event(round_, actor, "settings", changed=sorted(changed))
    db.session.commit()


def _require_editable(round_: Round) -> None:
    if round_.state == "solving":
        raise ServiceError("A run is in progress; wait for it or cancel it first.")
    if not round_.editable:
        raise ServiceError(f"This round is {round_.state}; it can no longer be changed.")


# ---------------------------------------------------------------- runs

def start_run(round_: Round, actor: User) -> SolveRun:
    """Record a queued run and hand it to the job runner; returns at once."""
    # Conditional update: two clicks (or two coordinators) start one run.
    moved = db.session.execute(update(Round).where(Round.id == round_.id, Round.state.in_(("draft", "proposed")))
                               .values(state="solving").execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        db.session.rollback()
        raise ServiceError("This round is already running or no longer editable.")
    run = SolveRun(round_id=round_.id, status="queued", phase="queued", weights=dict(round_.weights or {}),
                   rules=dict(round_.rules or {}), created_by_id=actor.id if actor else None, heartbeat_at=utcnow())
    db.session.add(run)
    db.session.flush()
    # From now on only this run may settle the round (see settle_round_after_run).
    db.session.execute(update(Round).where(Round.id == round_.id).values(current_run_id=run.id)
                       .execution_options(synchronize_session=False))
    _event(round_, actor, "run", run=run.id)
    db.session.commit()
    db.session.refresh(round_)
    from . import solve_jobs

    try:
        solve_jobs.enqueue(run.id)
    except jobs.QueueUnavailable:
        current_app.logger.exception("run %s could not be queued", run.id)
        _fail_unqueued(run)
        raise ServiceError(QUEUE_DOWN) from None
    return run


def _fail_unqueued(run: SolveRun) -> None:
    """A run no worker will ever see is failed at once, and its round goes back to where it was."""
    db.session.rollback()
    failed = db.session.execute(
        update(SolveRun).where(SolveRun.id == run.id, SolveRun.status == "queued")
        .values(status="failed", phase="failed", finished_at=utcnow(), error=QUEUE_DOWN)
        .execution_options(synchronize_session=False))
    if failed.rowcount == 1:
        settle_round_after_run(run.round_id, run.id)
    db.session.commit()
    db.session.refresh(run)


def settle_round_after_run(round_id: int, run_id: int) -> None:
    """After a run ends: proposed if any run finished, else back to draft (same transaction).

    Fenced: only the round's current run settles it. A stale run that ends late (its worker was
    paused, marked failed, and the coordinator started another) leaves the newer run's round alone.
    """
    has_done = db.session.scalar(db.select(func.count()).select_from(SolveRun)
                                 .where(SolveRun.round_id == round_id, SolveRun.status == "done", SolveRun.kind == "full"))
    db.session.execute(update(Round).where(Round.id == round_id, Round.state == "solving",
                                           Round.current_run_id == run_id)
                       .values(state="proposed" if has_done else "draft").execution_options(synchronize_session=False))


def request_cancel(run: SolveRun, actor: User) -> None:
    if not run.active:
        raise ServiceError("This run has already finished.")
    # A queued run is cancelled outright; a running one stops at the solver's next check.
    done = db.session.execute(update(SolveRun).where(SolveRun.id == run.id, SolveRun.status == "queued")
                              .values(status="cancelled", phase="cancelled", cancel_requested=True, finished_at=utcnow())
                              .execution_options(synchronize_session=False))
    if done.rowcount == 1:
        settle_round_after_run(run.round_id, run.id)
    else:
        db.session.execute(update(SolveRun).where(SolveRun.id == run.id).values(cancel_requested=True)
                           .execution_options(synchronize_session=False))
    _event(run.round, actor, "cancel", run=run.id)
    db.session.commit()
    db.session.refresh(run)


def check_stale(run: SolveRun) -> bool:
    """Fail a run whose worker stopped sending heartbeats. Returns True if it did."""
    if not run.active:
        return False
    age = (utcnow() - run.heartbeat_at).total_seconds()
    limit = current_app.config["SOLVE_STALE_SECONDS"] if run.status == "running" else QUEUED_STALE_S
    if age <= limit:
        return False
    failed = db.session.execute(
        update(SolveRun).where(SolveRun.id == run.id, SolveRun.status.in_(ACTIVE_RUN_STATUSES),
                               SolveRun.heartbeat_at == run.heartbeat_at)
        .values(status="failed", phase="failed", finished_at=utcnow(),
                error=f"The worker stopped responding (no heartbeat for {int(age)} s). Start the run again.")
        .execution_options(synchronize_session=False))
    if failed.rowcount == 1:
        settle_round_after_run(run.round_id, run.id)
    db.session.commit()
    db.session.refresh(run)
    return failed.rowcount == 1


# ---------------------------------------------------------------- storing a result

def help_for(reasons: list[tuple[str, int]], languages: list[str]) -> str:
    """What would help this mentee, in words a coordinator can act on."""
    codes = dict(reasons)
    candidates = sum(n for c, n in reasons if c in ("capacity_full", "team_cap", "continued_cap", "group_balance",
                                                    "no_gain", "not_chosen"))
    if candidates:
        if codes.get("capacity_full"):
            return f"One more free seat among their {candidates} candidate mentors (ask one to take another mentee)."
        if codes.get("team_cap"):
            return "Raise the per-team limit, or one more mentor outside their team."
        if codes.get("group_balance"):
            return "Relax group balance, or add seats so every group can be served."
        return "Run again without a time limit."
    # The rule that removed the most mentors is the one worth acting on.
    main = max(codes, key=lambda c: codes[c]) if codes else None
    if main == "no_shared_language" and languages:
        names = " or ".join(language_name(c) for c in languages)
        return f"A mentor with a free seat who speaks {names}."
    if main == "below_min_score":
        return f"Lower the minimum score ({codes[main]} mentors fall below it), or a mentor closer to their topics and stage."
    if main == "below_min_overlap":
        return "A mentor in a nearer time zone."
    if main == "mentor_unavailable":
        return "Mentors back from being away, or more seats."
    if main == "forbidden":
        return "Remove a forbidden pair."
    return "More mentors in the program."


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
                  "sentence": p.sentence, "locked": bool(p.locked), "swapped": False} for p in result.assignment]
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


# ---------------------------------------------------------------- lock, forbid, swap

def _member_by_email(program: Program, email: str, role: str, field: str) -> Membership:
    m = db.session.scalar(db.select(Membership).join(User).where(
        Membership.program_id == program.id, func.lower(User.email) == (email or "").strip().lower(), User.role == role))
    if m is None:
        raise ServiceError(f"No {role} with this email in this program.", field)
    return m


def add_constraint_by_email(round_: Round, actor: User, *, mentee_email: str, mentor_email: str, kind: str) -> RoundConstraint:
    program = db.session.get(Program, round_.program_id)
    mentee = _member_by_email(program, mentee_email, "mentee", "mentee_email")
    mentor = _member_by_email(program, mentor_email, "mentor", "mentor_email")
    return add_constraint(round_, actor, mentee.id, mentor.id, kind)


def add_constraint(round_: Round, actor: User, mentee_id: int, mentor_id: int, kind: str,
                   commit: bool = True) -> RoundConstraint:
    _require_editable(round_)
    if kind not in ("lock", "forbid"):
        raise ServiceError("Choose lock or forbid.", "kind")
    existing = db.session.scalar(db.select(RoundConstraint).where(
        RoundConstraint.round_id == round_.id, RoundConstraint.mentee_membership_id == mentee_id,
        RoundConstraint.mentor_membership_id == mentor_id))
    if kind == "lock":
        _check_lock_fits(round_, mentee_id, mentor_id, ignore=existing)
    if existing is not None:
        existing.kind = kind
        c = existing
    else:
        c = RoundConstraint(round_id=round_.id, mentee_membership_id=mentee_id, mentor_membership_id=mentor_id,
                            kind=kind, created_by_id=actor.id)
        db.session.add(c)
    _event(round_, actor, kind, mentee=mentee_id, mentor=mentor_id)
    if commit:
        db.session.commit()
    return c


def _check_lock_fits(round_: Round, mentee_id: int, mentor_id: int, ignore=None) -> None:
    locks = [c for c in constraints_of(round_) if c.kind == "lock" and c is not ignore]
    per_mentee = int((round_.rules or {}).get("mentors_per_mentee") or 1)
    if sum(c.mentee_membership_id == mentee_id for c in locks) >= per_mentee:
        raise ServiceError(f"This mentee already has {per_mentee} locked mentor(s), the most this round allows.")
    profile = db.session.scalar(db.select(MentorProfile).where(MentorProfile.membership_id == mentor_id))
    capacity = profile.capacity_round if profile else 0
    if sum(c.mentor_membership_id == mentor_id for c in locks) >= capacity:
        raise ServiceError(f"This mentor's {capacity} seat(s) are all locked already.")


def remove_constraint(round_: Round, actor: User, constraint: RoundConstraint) -> None:
    _require_editable(round_)
    _event(round_, actor, "un" + constraint.kind, mentee=constraint.mentee_membership_id,
           mentor=constraint.mentor_membership_id)
    db.session.delete(constraint)
    db.session.commit()


def lock_or_forbid_pair(round_: Round, actor: User, pair: RunPair, kind: str) -> None:
    """Lock keeps the pair in every re-run; forbid keeps it out (and drops it from this proposal)."""
    add_constraint(round_, actor, pair.mentee_membership_id, pair.mentor_membership_id, kind, commit=False)
    if kind == "lock":
        pair.locked = True
    else:
        run = db.session.get(SolveRun, pair.run_id)
        db.session.add(RunUnmatched(run_id=run.id, mentee_membership_id=pair.mentee_membership_id,
                                    mentee_name=pair.mentee_name, reasons=[["forbidden", 1]],
                                    sentence=f"No mentor: the pair with {pair.mentor_name} was forbidden by the coordinator.",
                                    help="Swap in another candidate, or run again."))
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
                        "allowed": free > 0 and mid not in taken})
    return options


def swap(round_: Round, actor: User, pair: RunPair, new_mentor_id: int) -> RunPair:
    """Give the pair's mentee another of their candidates; the new pair is locked for re-runs."""
    _require_editable(round_)
    _lock_run(pair.run_id)
    # A swap or an approval that held the lock before us may have moved this pair or frozen the round.
    db.session.refresh(round_)
    _require_editable(round_)
    db.session.refresh(pair)
    option = next((o for o in swap_options(round_, pair) if o["mentor_id"] == new_mentor_id), None)
    if option is None:
        raise ServiceError("This mentor is not a candidate for this mentee.", "mentor_id")
    if not option["allowed"]:
        raise ServiceError(f"{option['name']} has no free seat in this proposal.", "mentor_id")
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
    db.session.flush()
    _event(round_, actor, "swap", mentee=pair.mentee_membership_id, old_mentor=old, new_mentor=new_mentor_id,
           cost=option["cost"])
    _refresh_run_figures(db.session.get(SolveRun, pair.run_id))
    db.session.commit()
    return pair


def _lock_run(run_id: int) -> None:
    """Hold the proposal's run row until commit, so racing swaps count free seats one at a time
    and an approval publishes the pairs as the last swap left them.

    A no-op UPDATE locks the row on PostgreSQL (the second swap waits, then sees the first one's
    pair) and takes the single write lock on SQLite; the seats are counted only after it.
    """
    db.session.execute(update(SolveRun).where(SolveRun.id == run_id).values(pair_count=SolveRun.pair_count)
                       .execution_options(synchronize_session=False))


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


# ---------------------------------------------------------------- approve, close, repair

def approve_round(round_: Round, actor: User) -> int:
    """Publish the proposal once: pairings proposed, round frozen, people told. Returns pairs published."""
    run = proposal_run(round_)
    if run is None:
        raise ServiceError("Run the round before approving it.")
    _lock_run(run.id)  # a swap in flight finishes first, and publishes with the pairs
    # The conditional UPDATE is the lock: of two concurrent approvals, one moves the row.
    moved = db.session.execute(
        update(Round).where(Round.id == round_.id, Round.state == "proposed")
        .values(state="approved", approved_by_id=actor.id, approved_at=utcnow(), approved_run_id=run.id)
        .execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        db.session.rollback()
        raise ServiceError("This round was already approved (or is not ready to approve).")
    rows = db.session.execute(db.select(RunPair.mentee_membership_id, RunPair.mentor_membership_id, RunPair.score,
                                        RunPair.why, RunPair.sentence).where(RunPair.run_id == run.id)).all()
    now = utcnow()
    if rows:
        db.session.execute(db.insert(Pairing), [
            {"program_id": round_.program_id, "round_id": round_.id, "mentee_membership_id": e,
             "mentor_membership_id": m, "state": "proposed", "score": s, "why": why or {}, "sentence": sentence or "",
             "proposed_at": now} for e, m, s, why, sentence in rows])
    _event(round_, actor, "approve", run=run.id, pairs=len(rows))
    db.session.refresh(round_)
    _notify_pairs(round_, [(e, m) for e, m, *_ in rows])
    db.session.commit()
    return len(rows)


def _notify_pairs(round_: Round, pairs: list[tuple[int, int]]) -> None:
    """One email per person: mentors get the list of their proposed mentees, mentees their mentor(s)."""
    if not pairs:
        return
    ids = {x for p in pairs for x in p}
    people = {}
    for chunk in [list(ids)[i:i + 500] for i in range(0, len(ids), 500)]:
        for mid, name, email in db.session.execute(db.select(Membership.id, User.name, User.email).join(User)
                                                   .where(Membership.id.in_(chunk))):
            people[mid] = (name, email)
    program = db.session.get(Program, round_.program_id)
    by_mentor, by_mentee = defaultdict(list), defaultdict(list)
    for e, m in pairs:
        by_mentor[m].append(e)
        by_mentee[e].append(m)
    from ..core.answer_links import links_block

    pairing_ids = {(e, m): pid for pid, e, m in db.session.execute(
        db.select(Pairing.id, Pairing.mentee_membership_id, Pairing.mentor_membership_id).where(
            Pairing.round_id == round_.id, Pairing.state == "proposed"))}
    mentor_users = {mid: user for mid, user in db.session.execute(
        db.select(Membership.id, User).join(User, User.id == Membership.user_id)
        .where(Membership.id.in_(list(by_mentor))))}
    messages = []
    for m, mentees in by_mentor.items():
        names = "\n".join(f"- {people[e][0]}" for e in mentees)
        # One set of answer links per proposed mentee: each link is bound to this mentor and that pairing.
        blocks = [(people[e][0], links_block(mentor_users[m], "pairing", pairing_ids[(e, m)]))
                  for e in mentees if (e, m) in pairing_ids and m in mentor_users]
        links = "".join(f"\n{name}:{block}" for name, block in blocks if block)
        messages.append((people[m][1], f"New mentee proposal in {program.name}",
                         f"Hello {people[m][0]},\n\n{program.name} proposes you as mentor to:\n{names}\n\n"
                         "Log in to MentorMatch to accept or decline each proposal.\n" + links))
    for e, mentors in by_mentee.items():
        names = ", ".join(people[m][0] for m in mentors)
        messages.append((people[e][1], f"You have a proposed mentor in {program.name}",
                         f"Hello {people[e][0]},\n\n{program.name} proposes {names} as your mentor. "
                         "We will let you know when they accept.\n"))
    outbox.send_many_text(messages, program_id=round_.program_id)


def close_round(round_: Round, actor: User) -> None:
    moved = db.session.execute(update(Round).where(Round.id == round_.id, Round.state == "approved")
                               .values(state="closed").execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        db.session.rollback()
        raise ServiceError("Only an approved round can be closed.")
    _event(round_, actor, "close")
    db.session.commit()
    db.session.refresh(round_)


def freed_mentees(round_: Round) -> list[int]:
    """Mentees of this round whose proposal was declined and who hold no other live pairing."""
    declined = {e for (e,) in db.session.execute(db.select(Pairing.mentee_membership_id).where(
        Pairing.round_id == round_.id, Pairing.state == "declined"))}
    seated = {e for (e,) in db.session.execute(db.select(Pairing.mentee_membership_id).where(
        Pairing.program_id == round_.program_id, Pairing.state.in_(SEAT_STATES)))}
    return sorted(declined - seated)


def repair_round(round_: Round, actor: User) -> SolveRun:
    """Re-solve for mentees freed by declines, every other pair fixed, and propose the new pairs.

    Runs in the request: the freed mentees are few, and a coordinator repairing wants the answer.
    Every live pairing keeps its mentor's seat (seats are counted from Pairing rows), and the
    declined pairs are forbidden, so nobody is offered the same mentor twice.
    """
    if round_.state != "approved":
        raise ServiceError("Only an approved round can be repaired.")
    freed = freed_mentees(round_)
    if not freed:
        raise ServiceError("No declined proposals are waiting for a new mentor.")
    run = SolveRun(round_id=round_.id, kind="repair", status="running", phase="loading", started_at=utcnow(),
                   weights=dict(round_.weights or {}), rules=dict(round_.rules or {}), created_by_id=actor.id)
    db.session.add(run)
    db.session.flush()
    data = build_round_data(round_, mentee_ids=freed, exclude_round_seats=False)
    result = solve(data.instance)
    store_result(run, data, result)
    run.status, run.phase, run.finished_at = "done", "done", utcnow()
    rows = db.session.execute(db.select(RunPair.mentee_membership_id, RunPair.mentor_membership_id, RunPair.score,
                                        RunPair.why, RunPair.sentence).where(RunPair.run_id == run.id)).all()
    now = utcnow()
    if rows:
        db.session.execute(db.insert(Pairing), [
            {"program_id": round_.program_id, "round_id": round_.id, "mentee_membership_id": e,
             "mentor_membership_id": m, "state": "proposed", "score": s, "why": why or {}, "sentence": sentence or "",
             "proposed_at": now} for e, m, s, why, sentence in rows])
    _event(round_, actor, "repair", run=run.id, freed=len(freed), pairs=len(rows))
    _notify_pairs(round_, [(e, m) for e, m, *_ in rows])
    db.session.commit()
    return run


# ---------------------------------------------------------------- export

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A spreadsheet must never run a cell: text starting like a formula gets a leading '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def export_csv(run: SolveRun) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["mentee", "mentee_email", "mentor", "mentor_email", "score", "locked", "why"])
    mentee_u, mentor_u = db.aliased(User), db.aliased(User)
    mentee_m, mentor_m = db.aliased(Membership), db.aliased(Membership)
    q = (db.select(RunPair, mentee_u.email, mentor_u.email)
         .join(mentee_m, mentee_m.id == RunPair.mentee_membership_id).join(mentee_u, mentee_u.id == mentee_m.user_id)
         .join(mentor_m, mentor_m.id == RunPair.mentor_membership_id).join(mentor_u, mentor_u.id == mentor_m.user_id)
         .where(RunPair.run_id == run.id).order_by(RunPair.mentee_name, RunPair.id))
    for p, e_email, m_email in db.session.execute(q):
        writer.writerow([safe_cell(x) for x in (p.mentee_name, e_email, p.mentor_name, m_email, p.score,
                                                "yes" if p.locked else "", p.sentence)])
    return out.getvalue()
