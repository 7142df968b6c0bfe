"""Large CSV imports as background jobs, on the same runner as solves (core.jobs).

The confirming request checks every row (the preview) and stores the checked rows on the job;
the job re-checks what the database may have changed since (import_csv.conflicts) and applies
them all or nothing, writing its phase on the ImportJob row in short transactions of its own,
so that the coordinator's page can poll it.
"""
from __future__ import annotations

import time
import traceback
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import update

from ...core import jobs
from ...extensions import db
from ...matching.explain import N_
from ...models import Program, User, utcnow
from ...models.imports import ImportJob
from .. import ServiceError
from . import import_csv

# A running job's one transaction is bounded by import_csv.MAX_ROWS (seconds at the limit, see
# bench/import_bench.py); a job silent this long has lost its worker.
STALE_S = 300
QUEUED_STALE_S = 15 * 60
# Stored in English on the job; the job page shows them in its reader's language (marked here for that).
QUEUE_DOWN = N_("The job queue is unreachable, so the import could not start. Nothing was imported; "
                "try again in a few minutes.")
STOPPED = N_("The worker stopped responding; nothing was imported. Upload the file again.")
MAX_ROW_ERRORS = 500  # listed on the job page; the message says how many there were


def start(program: Program, preview: import_csv.Preview, actor: User | None) -> ImportJob:
    """Record a queued import of a good preview's rows and hand it to the runner; returns at once."""
    rows = import_csv.checked_rows(preview)
    job = ImportJob(program_id=program.id, created_by_id=actor.id if actor else None, rows=rows, row_count=len(rows))
    db.session.add(job)
    db.session.flush()
    job_id = job.id  # read before the commit expires it: reading it after would load the rows back
    db.session.commit()
    try:
        rq_id = jobs.dispatch(execute, job_id, f"import-{job_id}")
    except jobs.QueueUnavailable:
        current_app.logger.exception("import job %s could not be queued", job_id)
        _finish(job_id, "failed", error=QUEUE_DOWN)
        rq_id = ""
    if rq_id:
        db.session.execute(update(ImportJob).where(ImportJob.id == job_id).values(job_id=rq_id))
        db.session.commit()
    db.session.refresh(job)
    return job


def job_of(program: Program, job_id: int) -> ImportJob | None:
    return db.session.scalar(db.select(ImportJob).where(ImportJob.id == job_id, ImportJob.program_id == program.id))



def _write(job_id: int, **values) -> None:
    # Own short transaction: the import's session holds its writes until the single commit.
    with db.engine.begin() as conn:
        conn.execute(update(ImportJob).where(ImportJob.id == job_id).values(heartbeat_at=utcnow(), **values))


def execute(job_id: int, app: Flask) -> str:
    """Apply one queued import to its end and record the outcome. Returns the final status."""
    with app.app_context():
        if not jobs.claim(ImportJob, job_id, "checking"):
            return "skipped"
        try:
            return _execute(job_id)
        except Exception as exc:  # noqa: BLE001 - every failure is recorded on the job
            db.session.rollback()
            app.logger.error("import job %s failed:\n%s", job_id, traceback.format_exc())
            return _finish(job_id, "failed", error=f"The import failed ({type(exc).__name__}). Nothing was imported.")
        finally:
            db.session.remove()


def _execute(job_id: int) -> str:
    started = time.perf_counter()
    job = db.session.get(ImportJob, job_id)
    program, rows = job.program, job.rows
    actor = db.session.get(User, job.created_by_id) if job.created_by_id else None
    errors = import_csv.conflicts(program, rows)
    if errors:
        return _finish(job_id, "failed", error=f"{len(errors)} row(s) have errors. Nothing was imported.",
                       row_errors=[list(e) for e in errors[:MAX_ROW_ERRORS]])
    db.session.commit()  # end the read: SQLite allows one writer, and the phase is written next
    # From here the import's transaction writes; no more progress until the end (seconds).
    _write(job_id, phase="writing", progress={"elapsed_s": round(time.perf_counter() - started, 1)})
    try:
        counts = import_csv.write(program, rows, actor)
    except ServiceError as error:
        db.session.rollback()
        return _finish(job_id, "failed", error=error.message)
    # "done" commits with the people, and only if the job is still running: a job the stale
    # check failed meanwhile (the page said nothing was imported) imports nothing.
    settled = db.session.execute(
        update(ImportJob).where(ImportJob.id == job_id, ImportJob.status == "running")
        .values(status="done", phase="done", finished_at=utcnow(), heartbeat_at=utcnow(), rows=[],
                result={**counts, "elapsed_s": round(time.perf_counter() - started, 2)})
        .execution_options(synchronize_session=False))
    if settled.rowcount != 1:
        db.session.rollback()
        return "failed"
    db.session.commit()
    return "done"


def _finish(job_id: int, status: str, **values) -> str:
    _write(job_id, status=status, phase=status, finished_at=utcnow(), rows=[], **values)
    return status


def check_stale(job: ImportJob) -> bool:
    """Fail a job whose worker went silent (died). Returns True if it did."""
    if not job.active:
        return False
    limit = STALE_S if job.status == "running" else QUEUED_STALE_S
    if utcnow() - job.heartbeat_at <= timedelta(seconds=limit):
        return False
    failed = db.session.execute(
        update(ImportJob).where(ImportJob.id == job.id, ImportJob.status == job.status,
                                ImportJob.heartbeat_at == job.heartbeat_at)
        .values(status="failed", phase="failed", finished_at=utcnow(), rows=[],
                error=STOPPED)
        .execution_options(synchronize_session=False))
    db.session.commit()
    db.session.refresh(job)
    return failed.rowcount == 1
