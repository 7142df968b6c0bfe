"""The job runner shared by solves, imports and mail delivery: a thread in the web process by
default, an RQ queue when REDIS_URL is set, or inline (tests, the CLI). SOLVE_RUNNER picks it.
It knows nothing about what a job does.

A job is a row; the runner only gets its id and calls `execute(job_id, app)`, which records
progress and the outcome on the row, so any web worker can show them.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import utcnow

DEFAULT_QUEUE = "mentormatch"
WORKER_ENTRY = "mentormatch.worker.run"  # a name, not an import: the worker sits above the services


def queue(app: Flask, suffix: str = ""):
    """The configured RQ queue (`suffix` "-mail": the mail queue beside it); short socket
    timeouts so that a Redis outage fails fast."""
    from redis import Redis
    from rq import Queue

    redis = Redis.from_url(app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=5)
    return Queue((app.config.get("RQ_QUEUE") or DEFAULT_QUEUE) + suffix, connection=redis)


def runner_kind(app: Flask) -> str:
    return app.config.get("SOLVE_RUNNER") or ("rq" if app.config.get("REDIS_URL") else "thread")


class QueueUnavailable(Exception):
    """The job queue could not take the job (Redis down or unreachable)."""


def enqueue(rq_queue, execute: Callable[[int, Flask], object], job_id: int, **options):
    """Put `execute(job_id, app)` on an RQ queue. The worker process runs it through
    mentormatch.worker, which builds the app once; the job itself is named by its dotted path."""
    return rq_queue.enqueue(WORKER_ENTRY, f"{execute.__module__}:{execute.__qualname__}", job_id, **options)


def dispatch(execute: Callable[[int, Flask], object], job_id: int, name: str) -> str:
    """Hand job `job_id` to the configured runner; returns at once (except 'inline').

    `execute(job_id, app)` does the work; `name` names the thread ("solve-12"). Returns the RQ
    job id, or "" for the other runners."""
    app = current_app._get_current_object()
    kind = runner_kind(app)
    if kind == "rq":
        from redis.exceptions import RedisError

        try:
            return enqueue(queue(app), execute, job_id, job_timeout=3600, result_ttl=3600, failure_ttl=24 * 3600).id
        except (RedisError, OSError) as error:
            raise QueueUnavailable(str(error)) from error
    if kind == "thread":
        threading.Thread(target=execute, args=(job_id, app), name=name, daemon=True).start()
    elif kind == "inline":
        execute(job_id, app)
    # "none": leave it queued (tests drive execute() themselves)
    return ""


def claim(model, job_id: int, phase: str) -> bool:
    """queued -> running for this worker alone (a conditional UPDATE). False when the job was
    cancelled or failed while queued, or another worker took it."""
    now = utcnow()
    claimed = db.session.execute(
        update(model).where(model.id == job_id, model.status == "queued")
        .values(status="running", phase=phase, started_at=now, heartbeat_at=now)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return claimed.rowcount == 1


class Lifecycle:
    """The life of one kind of job row (a models.jobs.JobColumns model): start, run, beat, settle,
    finish, and the stale check a poll makes. Shared by imports and prepared workbooks.

    Every write from the worker after the claim is fenced on the row still running, so a worker
    that comes back after a poll failed its job (killed, paused) writes nothing; only `finish`
    (queue down, a crash, a refused job) writes whatever the status. `cleared` are the values a
    job that ends drops (an import's rows); `queue_down`, `stopped` and `crashed` the errors it
    stores then: English source texts that the pages translate for their reader (the exception
    itself goes to the log)."""

    def __init__(self, model, name: str, *, queue_down: str, stopped: str, crashed: str,
                 cleared: dict | None = None, stale_s: int = 300, queued_stale_s: int = 15 * 60):
        self.model, self.name = model, name
        self.queue_down, self.stopped, self.crashed = queue_down, stopped, crashed
        self.cleared = dict(cleared or {})
        self.stale_s, self.queued_stale_s = stale_s, queued_stale_s

    def start(self, job, execute: Callable[[int, Flask], object], taken: Callable[[], object] | None = None):
        """Commit the new queued `job` and hand it to the runner; returns it at once (failed with
        `queue_down` when the queue cannot take it). Where a unique index keeps one active job, a
        racing start that got there first refuses the row: then `taken()` is returned."""
        db.session.add(job)
        try:
            db.session.flush()
        except IntegrityError:
            if taken is None:
                raise
            db.session.rollback()
            return taken()
        job_id = job.id  # read before the commit expires it: reading it after would load the row back
        db.session.commit()
        try:
            rq_id = dispatch(execute, job_id, f"{self.name}-{job_id}")
        except QueueUnavailable:
            current_app.logger.exception("%s job %s could not be queued", self.name, job_id)
            self.finish(job_id, "failed", error=self.queue_down)
            rq_id = ""
        if rq_id:
            db.session.execute(update(self.model).where(self.model.id == job_id).values(job_id=rq_id))
            db.session.commit()
        db.session.refresh(job)
        return job

    def run(self, job_id: int, app: Flask, phase: str, work: Callable[[int], str]) -> str:
        """The worker's side: claim the job (else "skipped"), do `work(job_id)` and return its final
        status; a crash is logged and recorded on the job as `crashed`."""
        with app.app_context():
            if not claim(self.model, job_id, phase):
                return "skipped"
            try:
                return work(job_id)
            except Exception:  # noqa: BLE001 - every failure is recorded on the job
                db.session.rollback()
                app.logger.exception("%s job %s failed", self.name, job_id)
                return self.finish(job_id, "failed", error=self.crashed)
            finally:
                db.session.remove()

    def _running(self, job_id: int):
        return update(self.model).where(self.model.id == job_id, self.model.status == "running")

    def beat(self, job_id: int, **values) -> None:
        """Progress and the heartbeat in a short transaction of their own, so a poll sees them
        while the job works (and the job's own session keeps its writes until its commit)."""
        with db.engine.begin() as conn:
            conn.execute(self._running(job_id).values(heartbeat_at=utcnow(), **values))

    def done(self, job_id: int, **values):
        """The statement that makes a still-running job done: execute it in the transaction that
        holds the job's work; rowcount 0 means the stale check failed it meanwhile."""
        now = utcnow()
        return self._running(job_id).values(status="done", phase="done", finished_at=now, heartbeat_at=now,
                                            **{**self.cleared, **values})

    def finish(self, job_id: int, status: str, **values) -> str:
        now = utcnow()
        with db.engine.begin() as conn:
            conn.execute(update(self.model).where(self.model.id == job_id).values(
                status=status, phase=status, finished_at=now, heartbeat_at=now, **{**self.cleared, **values}))
        return status

    def check_stale(self, job) -> bool:
        """Fail a job whose worker went silent (killed). Returns True if it did."""
        if not job.active:
            return False
        limit = self.stale_s if job.status == "running" else self.queued_stale_s
        if utcnow() - job.heartbeat_at <= timedelta(seconds=limit):
            return False
        model = self.model
        failed = db.session.execute(
            update(model).where(model.id == job.id, model.status == job.status, model.heartbeat_at == job.heartbeat_at)
            .values(status="failed", phase="failed", finished_at=utcnow(), error=self.stopped, **self.cleared)
            .execution_options(synchronize_session=False))
        db.session.commit()
        db.session.refresh(job)
        return failed.rowcount == 1
