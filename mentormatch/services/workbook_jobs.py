"""The program workbook prepared in the background (issue 17 part 2), on the same job runner as
solves and imports (core.jobs): "Prepare workbook" records a queued WorkbookExport and returns;
the job writes the .xlsx (exports.export_workbook), sheet by sheet with its progress on the row,
and stores the file on the row, where any web worker can hand it to the program's coordinators
until it expires (WORKBOOK_KEEP_HOURS).

A worker killed mid-job leaves a row whose heartbeat stops: the next poll fails it (check_stale)
and the coordinator prepares another. A worker that comes back after that writes nothing (the
"done" write is conditional on the row still running).
"""
from __future__ import annotations

import time
from datetime import timedelta

from flask import Flask, current_app

from ..core import clock, jobs
from ..extensions import db
from ..matching.explain import N_
from ..models import Program, User, WorkbookExport
from . import exports

# A sheet of a 5,000-person program takes seconds; a job silent this long has lost its worker.
STALE_S = 300
QUEUED_STALE_S = 15 * 60
KEEP_HOURS = 24
QUEUE_DOWN = N_("The job queue is unreachable, so the workbook could not be prepared. Try again in a few minutes.")
STOPPED = N_("The worker stopped responding before the workbook was ready. Prepare it again.")
CRASHED = N_("The workbook could not be written: the error is in the server's log. Prepare it again.")
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JOBS = jobs.Lifecycle(WorkbookExport, "workbook", queue_down=QUEUE_DOWN, stopped=STOPPED, crashed=CRASHED,
                      stale_s=STALE_S, queued_stale_s=QUEUED_STALE_S)


def keep_hours() -> int:
    return int(current_app.config.get("WORKBOOK_KEEP_HOURS") or KEEP_HOURS)


def start(program: Program, actor: User | None) -> WorkbookExport:
    """Record a queued workbook and hand it to the runner; returns at once. One at a time per
    program: while one is queued or running, asking again returns that one (racing clicks too: the
    database keeps one active row per program)."""
    sweep()
    running = _active(program)
    if running is not None and not check_stale(running):
        return running
    return JOBS.start(WorkbookExport(program_id=program.id, created_by_id=actor.id if actor else None,
                                     progress={"done": 0, "of": len(exports.KINDS), "sheet": ""}), execute,
                      taken=lambda: _active(program) or start(program, actor))


def _active(program: Program) -> WorkbookExport | None:
    return db.session.scalar(db.select(WorkbookExport).where(
        WorkbookExport.program_id == program.id, WorkbookExport.status.in_(("queued", "running"))))


def job_of(program: Program, job_id: int) -> WorkbookExport | None:
    """A workbook of this program that has not expired (an expired one is gone: 404)."""
    job = db.session.scalar(db.select(WorkbookExport).where(WorkbookExport.id == job_id,
                                                            WorkbookExport.program_id == program.id))
    if job is not None and job.expires_at is not None and job.expires_at <= clock.now():
        return None
    return job


def latest(program: Program) -> WorkbookExport | None:
    """The newest unexpired workbook of the program, for the report page."""
    return db.session.scalar(db.select(WorkbookExport).where(
        WorkbookExport.program_id == program.id,
        (WorkbookExport.expires_at.is_(None)) | (WorkbookExport.expires_at > clock.now()))
        .order_by(WorkbookExport.id.desc()))


def content(job: WorkbookExport) -> bytes | None:
    return job.content if job.status == "done" else None


def execute(job_id: int, app: Flask) -> str:
    """Write one queued workbook and record the outcome. Returns the final status."""
    return JOBS.run(job_id, app, "writing", _execute)


def _execute(job_id: int) -> str:
    started = time.perf_counter()
    job = db.session.get(WorkbookExport, job_id)
    program = job.program_id
    of = len(exports.KINDS)

    def progress(done: int, sheet: str) -> None:
        db.session.commit()  # end the read so far (nothing is written by it) before the beat
        JOBS.beat(job_id, progress={"done": done, "of": of, "sheet": sheet,
                                 "elapsed_s": round(time.perf_counter() - started, 1)})

    body = exports.export_workbook(db.session.get(Program, program), progress)
    db.session.commit()  # end the reads before the one write (SQLite lets one writer in)
    # Only a job still running becomes done: one the stale check failed meanwhile stays failed.
    with db.engine.begin() as conn:
        settled = conn.execute(JOBS.done(
            job_id, content=body, size=len(body), expires_at=clock.now() + timedelta(hours=keep_hours()),
            progress={"done": of, "of": of, "sheet": "", "elapsed_s": round(time.perf_counter() - started, 2)}))
    return "done" if settled.rowcount == 1 else "failed"


def check_stale(job: WorkbookExport) -> bool:
    """Fail a job whose worker went silent (killed). Returns True if it did."""
    return JOBS.check_stale(job)


def sweep() -> int:
    """Delete expired workbooks (the files hold people's data) and failed jobs older than a day.
    Run by every "Prepare workbook" and by the scheduled run (reminders.run)."""
    now = clock.now()
    gone = db.session.execute(db.delete(WorkbookExport).where(
        (WorkbookExport.expires_at <= now)
        | ((WorkbookExport.status == "failed") & (WorkbookExport.created_at <= now - timedelta(hours=keep_hours()))))
        .execution_options(synchronize_session=False)).rowcount or 0
    db.session.commit()
    return gone


def drop_for_programs(program_ids: list[int]) -> int:
    """The workbooks of these programs, deleted (no commit: the caller's erasure or retention
    transaction holds it): a file made before an erasure must not keep the person in it."""
    if not program_ids:
        return 0
    return db.session.execute(db.delete(WorkbookExport).where(WorkbookExport.program_id.in_(program_ids))
                              .execution_options(synchronize_session=False)).rowcount or 0
