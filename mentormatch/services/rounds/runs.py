"""Solve runs: start one, cancel it, notice a dead worker, settle the round when it ends, and the
job that executes it on the generic runner in core.jobs (a thread, RQ when REDIS_URL is set, or inline).

A run is a row (SolveRun); the runner only gets its id. Whatever executes it (a thread in the
web process, an `rq worker` process, the CLI) calls `execute(run_id, app)`, which writes progress,
a heartbeat and the result to the database, so any web worker can show them and a run whose
worker died is noticed (check_stale) instead of spinning forever. Every write a
run makes is fenced on it still running, so a worker that was only paused and wakes up after
being marked stale changes nothing (its round may already be running a newer run).

Start a worker for the RQ path:   rq worker --url "$REDIS_URL" mentormatch mentormatch-mail
(with the same DATABASE_URL as the web app in its environment).
"""

from __future__ import annotations

import re
import threading
import time
import traceback

from flask import Flask, current_app
from flask_babel import gettext as _
from sqlalchemy import func, update
from sqlalchemy.engine import Engine

from ... import matching  # matching.solve looked up at call time (the browser test slows it down)
from ...core import jobs
from ...extensions import db
from ...models import User, utcnow
from ...models.rounds import ACTIVE_RUN_STATUSES, Round, RunGroup, SolveRun
from .. import ServiceError
from . import events, instance, peer_instance, peer_results
from .results import store_result

# A running run whose heartbeat is older than SOLVE_STALE_SECONDS (config, default 60) lost its
# worker; a queued one that no worker picked up for QUEUED_STALE_S is failed too, so no page spins forever.
QUEUED_STALE_S = 15 * 60
QUEUE_DOWN = ("The run could not be queued: the job queue (Redis) is unreachable. Nothing was changed; "
              "try again in a few minutes, or ask whoever runs the site to check the queue.")
# A failed run's error is stored in English (the worker has no reader); a page reads it back in its own
# language. Each pattern matches one English error exactly; anything else (a crash's text) is shown as stored.
_ERRORS_READ_BACK = [
    (re.escape(QUEUE_DOWN), lambda m: _("The run could not be queued: the job queue (Redis) is unreachable. Nothing was "
                                        "changed; try again in a few minutes, or ask whoever runs the site to check the "
                                        "queue.")),
    (r"The worker stopped responding \(no heartbeat for (\d+) s\)\. Start the run again\.",
     lambda m: _("The worker stopped responding (no heartbeat for %(seconds)s s). Start the run again.", seconds=m[1])),
    (r"The rules cannot all hold at once\.", lambda m: _("The rules cannot all hold at once.")),
    (r"no assignment satisfies the rules \(group balance with the locked pairs\)",
     lambda m: _("No assignment satisfies the rules (group balance with the locked pairs).")),
    (r"no assignment satisfying the rules was found", lambda m: _("No assignment satisfying the rules was found.")),
]


def error_in_language(stored: str | None) -> str:
    """A failed run's stored error in the language of the page."""
    for pattern, say in _ERRORS_READ_BACK:
        if m := re.fullmatch(pattern, stored or ""):
            return say(m)
    return stored or ""


HEARTBEAT_S = 2.0
PROGRESS_EVERY_S = 0.5



# ---------------------------------------------------------------- reading

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


# ---------------------------------------------------------------- starting, cancelling, settling

def start_run(round_: Round, actor: User) -> SolveRun:
    """Record a queued run and hand it to the job runner; returns at once."""
    # Conditional update: two clicks (or two coordinators) start one run.
    moved = db.session.execute(update(Round).where(Round.id == round_.id, Round.state.in_(("draft", "proposed")))
                               .values(state="solving").execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        db.session.rollback()
        raise ServiceError(_("This round is already running or no longer editable."))
    run = SolveRun(round_id=round_.id, status="queued", phase="queued", weights=dict(round_.weights or {}),
                   rules=dict(round_.rules or {}), created_by_id=actor.id if actor else None, heartbeat_at=utcnow())
    db.session.add(run)
    db.session.flush()
    # From now on only this run may settle the round (see settle_round_after_run).
    db.session.execute(update(Round).where(Round.id == round_.id).values(current_run_id=run.id)
                       .execution_options(synchronize_session=False))
    events.record(round_, actor, "run", run=run.id)
    db.session.commit()
    db.session.refresh(round_)
    try:
        enqueue(run.id)
    except jobs.QueueUnavailable:
        current_app.logger.exception("run %s could not be queued", run.id)
        _fail_unqueued(run)
        raise ServiceError(error_in_language(QUEUE_DOWN)) from None
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
        raise ServiceError(_("This run has already finished."))
    # A queued run is cancelled outright; a running one stops at the solver's next check.
    done = db.session.execute(update(SolveRun).where(SolveRun.id == run.id, SolveRun.status == "queued")
                              .values(status="cancelled", phase="cancelled", cancel_requested=True, finished_at=utcnow())
                              .execution_options(synchronize_session=False))
    if done.rowcount == 1:
        settle_round_after_run(run.round_id, run.id)
    else:
        db.session.execute(update(SolveRun).where(SolveRun.id == run.id).values(cancel_requested=True)
                           .execution_options(synchronize_session=False))
    events.record(run.round, actor, "cancel", run=run.id)
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


def lock_run(run_id: int) -> None:
    """Hold the proposal's run row until commit, so racing swaps count free seats one at a time
    and an approval publishes the pairs as the last swap left them.

    A no-op UPDATE locks the row on PostgreSQL (the second swap waits, then sees the first one's
    pair) and takes the single write lock on SQLite; the seats are counted only after it.
    """
    db.session.execute(update(SolveRun).where(SolveRun.id == run_id).values(pair_count=SolveRun.pair_count)
                       .execution_options(synchronize_session=False))


# ---------------------------------------------------------------- the solve job

def heartbeat_seconds(app: Flask) -> float:
    # Several beats fit in the stale limit, so one late beat never fails a live run.
    return min(HEARTBEAT_S, float(app.config["SOLVE_STALE_SECONDS"]) / 4)


def enqueue(run_id: int) -> None:
    """Hand a recorded run to the configured runner; returns at once (except 'inline')."""
    job_id = jobs.dispatch(execute, run_id, f"solve-{run_id}")
    if job_id:
        db.session.execute(update(SolveRun).where(SolveRun.id == run_id).values(job_id=job_id))
        db.session.commit()



# The engine is passed in, not looked up: the solver calls progress and should_stop from its own
# threads (the balanced solve's stop poll), where no application context exists.

def _write(engine: Engine, run_id: int, **values) -> None:
    # Progress and heartbeats go through their own short transaction, never the run's session.
    # Only while the run is running: a stale worker must not write over "failed" or a later status.
    with engine.begin() as conn:
        conn.execute(update(SolveRun).where(SolveRun.id == run_id, SolveRun.status == "running").values(**values))


def _should_stop(engine: Engine, run_id: int) -> bool:
    """Cancel requested, or the run is no longer running (marked stale): stop at the next check."""
    with engine.connect() as conn:
        row = conn.execute(db.select(SolveRun.cancel_requested, SolveRun.status).where(SolveRun.id == run_id)).first()
    return row is None or bool(row.cancel_requested) or row.status != "running"


class _Heartbeat(threading.Thread):
    def __init__(self, app: Flask, run_id: int):
        super().__init__(name=f"heartbeat-{run_id}", daemon=True)
        self.app, self.run_id, self.stop = app, run_id, threading.Event()
        self.engine, self.every = db.engine, heartbeat_seconds(app)

    def run(self) -> None:
        while not self.stop.wait(self.every):
            try:
                _write(self.engine, self.run_id, heartbeat_at=utcnow())
            except Exception:  # noqa: BLE001 - a missed beat is not fatal; staleness is
                self.app.logger.warning("heartbeat for run %s failed", self.run_id)


class _Progress:
    """Turns the core's progress dicts into the run's progress JSON, throttled."""

    def __init__(self, app: Flask, run_id: int, people: int):
        self.app, self.run_id, self.people = app, run_id, people
        self.engine = db.engine
        self.last_write, self.last_phase, self.last_check = 0.0, None, 0.0
        self.state = {"people": people}
        self.cancelled = False
        self.t0 = time.perf_counter()

    def __call__(self, msg: dict) -> None:
        phase = msg.get("phase", "")
        for key in ("candidates", "objective", "bound", "gap"):
            if key in msg:
                self.state[key] = msg[key]
        self.state["elapsed_s"] = round(time.perf_counter() - self.t0, 2)
        self.state["phase"] = phase
        now = time.perf_counter()
        if phase != self.last_phase or now - self.last_write >= PROGRESS_EVERY_S:
            self.last_phase, self.last_write = phase, now
            _write(self.engine, self.run_id, phase=phase[:24], progress=dict(self.state), heartbeat_at=utcnow())

    def phase(self, name: str) -> None:
        self({"phase": name})

    def should_stop(self) -> bool:
        now = time.perf_counter()
        if now - self.last_check >= PROGRESS_EVERY_S:
            self.last_check = now
            self.cancelled = _should_stop(self.engine, self.run_id)
        return self.cancelled


def execute(run_id: int, app: Flask) -> str:
    """Run one solve to its end and record the outcome. Returns the final status."""
    with app.app_context():
        if not jobs.claim(SolveRun, run_id, "loading"):
            return "skipped"
        beat = _Heartbeat(app, run_id)
        beat.start()
        try:
            return _execute(app, run_id, beat)
        except Exception as exc:  # noqa: BLE001 - every failure is recorded on the run
            db.session.rollback()
            app.logger.error("solve run %s failed:\n%s", run_id, traceback.format_exc())
            _finish(run_id, "failed", error=f"{type(exc).__name__}: {exc}"[:2000])
            return "failed"
        finally:
            beat.stop.set()
            db.session.remove()


def _execute(app: Flask, run_id: int, beat: _Heartbeat) -> str:
    t0 = time.perf_counter()
    run = db.session.get(SolveRun, run_id)
    if run.round.kind in peer_instance.PEER_KINDS:
        return _execute_peer(app, run, beat, t0)
    data = instance.build_round_data(run.round)
    load_s = time.perf_counter() - t0
    db.session.commit()  # end the read transaction before others write progress
    progress = _Progress(app, run_id, len(data.instance.mentees) + len(data.instance.mentors))
    progress.phase("scoring")
    if progress.should_stop():
        return _finish(run_id, "cancelled")
    t1 = time.perf_counter()
    result = matching.solve(data.instance, time_limit=app.config.get("SOLVE_TIME_LIMIT", 60), progress=progress,
                   should_stop=progress.should_stop)
    solve_total = time.perf_counter() - t1
    if result.status == "cancelled" or progress.cancelled:
        return _finish(run_id, "cancelled")
    if result.status == "infeasible":
        return _finish(run_id, "failed", error=result.message or "The rules cannot all hold at once.")
    progress.phase("storing")
    beat.stop.set()  # one writer while storing (SQLite allows one at a time)
    t2 = time.perf_counter()
    run = db.session.get(SolveRun, run_id)
    store_result(run, data, result)
    store_s = time.perf_counter() - t2
    scoring_s = float(result.stats.get("scoring_s", 0.0))
    run.timings = {"load_s": round(load_s, 3), "score_s": round(scoring_s, 3),
                   "solve_s": round(max(0.0, solve_total - scoring_s), 3), "store_s": round(store_s, 3),
                   "total_s": round(time.perf_counter() - t0, 3)}
    run.progress = {**progress.state, "phase": "done", "elapsed_s": round(time.perf_counter() - t0, 2)}
    db.session.flush()
    return _finish(run_id, "done")


def _execute_peer(app: Flask, run: SolveRun, beat: _Heartbeat, t0: float) -> str:
    """A peer or circle round: the same run row, progress and fencing; the crowd solvers."""
    run_id = run.id
    data = peer_instance.build_peer_data(run.round, before_run_id=run_id)
    locked_ids = [g.id for g in data.locked]
    load_s = time.perf_counter() - t0
    db.session.commit()
    progress = _Progress(app, run_id, len(data.instance.people))
    progress.phase("flow")  # shown as "solving"
    if progress.should_stop():
        return _finish(run_id, "cancelled")
    t1 = time.perf_counter()
    result = peer_results.solve(data)
    solve_s = time.perf_counter() - t1
    if progress.should_stop():
        return _finish(run_id, "cancelled")
    progress.phase("storing")
    beat.stop.set()
    t2 = time.perf_counter()
    run = db.session.get(SolveRun, run_id)
    data.locked = [db.session.get(RunGroup, gid) for gid in locked_ids]
    peer_results.store_peer_result(run, data, result)
    run.timings = {"load_s": round(load_s, 3), "solve_s": round(solve_s, 3),
                   "store_s": round(time.perf_counter() - t2, 3), "total_s": round(time.perf_counter() - t0, 3)}
    run.progress = {**progress.state, "phase": "done", "objective": result.objective, "bound": result.bound,
                    "gap": result.gap, "elapsed_s": round(time.perf_counter() - t0, 2)}
    db.session.flush()
    return _finish(run_id, "done")


def _finish(run_id: int, status: str, error: str = "") -> str:
    """Record the outcome, fenced: only a run still running ends itself. If it was settled
    meanwhile (marked stale, so a newer run may be under way), its late result is dropped."""
    ended = db.session.execute(update(SolveRun).where(SolveRun.id == run_id, SolveRun.status == "running")
                               .values(status=status, phase=status, finished_at=utcnow(), heartbeat_at=utcnow(),
                                       **({"error": error} if error else {}))
                               .execution_options(synchronize_session=False))
    if ended.rowcount != 1:
        db.session.rollback()
        current_app.logger.warning("solve run %s ended (%s) after it was settled; its result is dropped",
                                   run_id, status)
        return db.session.scalar(db.select(SolveRun.status).where(SolveRun.id == run_id)) or status
    settle_round_after_run(_round_id(run_id), run_id)
    db.session.commit()
    return status


def _round_id(run_id: int) -> int:
    return db.session.scalar(db.select(SolveRun.round_id).where(SolveRun.id == run_id))
