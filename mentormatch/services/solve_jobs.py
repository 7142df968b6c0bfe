"""Solves as background jobs, on the runner in services.jobs (a thread, or RQ when REDIS_URL is set).

A run is a row (SolveRun); the runner only gets its id. Whatever executes it (a thread in the
web process, an `rq worker` process, the CLI) calls `execute(run_id)`, which writes progress,
a heartbeat and the result to the database, so any web worker can show them and a run whose
worker died is noticed (services.rounds.check_stale) instead of spinning forever. Every write a
run makes is fenced on it still running, so a worker that was only paused and wakes up after
being marked stale changes nothing (its round may already be running a newer run).

Start a worker for the RQ path:   rq worker --url "$REDIS_URL" mentormatch mentormatch-mail
(with the same DATABASE_URL as the web app in its environment).
"""
from __future__ import annotations

import threading
import time
import traceback

from flask import Flask, current_app
from sqlalchemy import update
from sqlalchemy.engine import Engine

from ..extensions import db
from ..models import utcnow
from ..models.rounds import SolveRun
from ..core import jobs

HEARTBEAT_S = 2.0
PROGRESS_EVERY_S = 0.5


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
    from ..matching import solve
    from .round_instance import build_round_data
    from .rounds import store_result

    t0 = time.perf_counter()
    run = db.session.get(SolveRun, run_id)
    data = build_round_data(run.round)
    load_s = time.perf_counter() - t0
    db.session.commit()  # end the read transaction before others write progress
    progress = _Progress(app, run_id, len(data.instance.mentees) + len(data.instance.mentors))
    progress.phase("scoring")
    if progress.should_stop():
        return _finish(run_id, "cancelled")
    t1 = time.perf_counter()
    result = solve(data.instance, time_limit=app.config.get("SOLVE_TIME_LIMIT", 60), progress=progress,
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


def _finish(run_id: int, status: str, error: str = "") -> str:
    """Record the outcome, fenced: only a run still running ends itself. If it was settled
    meanwhile (marked stale, so a newer run may be under way), its late result is dropped."""
    from .rounds import settle_round_after_run

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
