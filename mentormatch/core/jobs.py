"""The job runner shared by solves, imports and mail delivery: a thread in the web process by
default, an RQ queue when REDIS_URL is set, or inline (tests, the CLI). SOLVE_RUNNER picks it.
It knows nothing about what a job does.

A job is a row; the runner only gets its id and calls `execute(job_id, app)`, which records
progress and the outcome on the row, so any web worker can show them.
"""
from __future__ import annotations

import threading
from collections.abc import Callable

from flask import Flask, current_app
from sqlalchemy import update

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
