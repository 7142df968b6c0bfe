"""Large CSV imports as background jobs, on the same runner as solves (core.jobs).

The confirming request checks every row (the preview) and stores the checked rows on the job;
the job re-checks what the database may have changed since (import_csv.conflicts) and applies
them all or nothing, writing its phase on the ImportJob row in short transactions of its own,
so that the coordinator's page can poll it.
"""
from __future__ import annotations

import re
import time

from flask import Flask
from flask_babel import get_translations

from ...core import jobs
from ...extensions import db
from ...matching.explain import N_, NP_
from ...models import Program, User
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
CRASHED = N_("The import failed: the error is in the server's log. Nothing was imported.")
MAX_ROW_ERRORS = 500  # listed on the job page; the message says how many there were
# Rows the database no longer allows: stored as parts [[ROW_ERRORS, {"num": n}]] with the English
# beside them; a job stored before parts were kept read back from its English.
ROW_ERRORS = "row_errors"
ROW_ERRORS_SAY = NP_("%(num)d row has errors. Nothing was imported.", "%(num)d rows have errors. Nothing was imported.")
_ROW_ERRORS_BEFORE = re.compile(r"(\d+) row\(s\) have errors\. Nothing was imported\.")
# Ending, an import drops the rows it kept (the people in the file are not kept twice).
JOBS = jobs.Lifecycle(ImportJob, "import", queue_down=QUEUE_DOWN, stopped=STOPPED, crashed=CRASHED, cleared={"rows": []},
                      stale_s=STALE_S, queued_stale_s=QUEUED_STALE_S)


def start(program: Program, preview: import_csv.Preview, actor: User | None) -> ImportJob:
    """Record a queued import of a good preview's rows and hand it to the runner; returns at once."""
    rows = import_csv.checked_rows(preview)
    return JOBS.start(ImportJob(program_id=program.id, created_by_id=actor.id if actor else None, rows=rows,
                                row_count=len(rows)), execute)


def job_of(program: Program, job_id: int) -> ImportJob | None:
    return db.session.scalar(db.select(ImportJob).where(ImportJob.id == job_id, ImportJob.program_id == program.id))



def execute(job_id: int, app: Flask) -> str:
    """Apply one queued import to its end and record the outcome. Returns the final status."""
    return JOBS.run(job_id, app, "checking", _execute)


def _execute(job_id: int) -> str:
    started = time.perf_counter()
    job = db.session.get(ImportJob, job_id)
    program, rows = job.program, job.rows
    actor = db.session.get(User, job.created_by_id) if job.created_by_id else None
    errors = import_csv.conflicts(program, rows)
    if errors:
        parts = [[ROW_ERRORS, {"num": len(errors)}]]
        return JOBS.finish(job_id, "failed", error=_say(parts), error_parts=parts,
                           row_errors=[list(e) for e in errors[:MAX_ROW_ERRORS]])
    db.session.commit()  # end the read: SQLite allows one writer, and the phase is written next
    # From here the import's transaction writes; no more progress until the end (seconds).
    JOBS.beat(job_id, phase="writing", progress={"elapsed_s": round(time.perf_counter() - started, 1)})
    try:
        counts = import_csv.write(program, rows, actor)
    except ServiceError as error:
        db.session.rollback()
        return JOBS.finish(job_id, "failed", error=error.message)
    # "done" commits with the people, and only if the job is still running: a job the stale
    # check failed meanwhile (the page said nothing was imported) imports nothing.
    settled = db.session.execute(
        JOBS.done(job_id, result={**counts, "elapsed_s": round(time.perf_counter() - started, 2)})
        .execution_options(synchronize_session=False))
    if settled.rowcount != 1:
        db.session.rollback()
        return "failed"
    db.session.commit()
    return "done"


def check_stale(job: ImportJob) -> bool:
    """Fail a job whose worker went silent (died). Returns True if it did."""
    return JOBS.check_stale(job)


def _say(parts: list, ngettext=None) -> str:
    """What the parts say: in English, or through `ngettext` (a catalog's)."""
    code, values = parts[0]
    if code != ROW_ERRORS:
        raise ValueError(code)
    one, many = ROW_ERRORS_SAY
    text = ngettext(one, many, values["num"]) if ngettext else (one if values["num"] == 1 else many)
    return text % values


def error_text(job: ImportJob) -> str:
    """A failed job's error in the reader's language: from its parts, or its English read back
    when it is one this module stored, else through the catalog as stored (a crash's text as is)."""
    t = get_translations()
    parts = job.error_parts
    if parts is None and (before := _ROW_ERRORS_BEFORE.fullmatch(job.error or "")):
        parts = [[ROW_ERRORS, {"num": int(before[1])}]]
    if parts:
        try:
            return _say(parts, t.ngettext)
        except (KeyError, TypeError, ValueError, IndexError):  # parts of a later version: its English stands
            pass
    return t.gettext(job.error) if job.error else ""
