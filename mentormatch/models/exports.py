"""A program's workbook prepared in the background (issue 17 part 2): a 5,000-person program's
.xlsx takes tens of seconds to write, too long for a request. The file is kept on the row (the
database is the one store every web and RQ worker shares) until it expires."""
from datetime import datetime

from sqlalchemy import Index, LargeBinary, text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from ..extensions import db
from .jobs import JOB_STATUSES, JobColumns

WORKBOOK_STATUSES = JOB_STATUSES
_ACTIVE = text("status IN ('queued', 'running')")


class WorkbookExport(JobColumns, db.Model):
    """One "Prepare workbook": queued -> running -> done | failed; the file until expires_at.
    Its progress: sheets done, of, the sheet being written."""

    __tablename__ = "workbook_exports"
    # One queued or running workbook per program, however many "Prepare" clicks race (services/workbook_jobs.start).
    __table_args__ = (*JobColumns.__table_args__,
                      Index("uq_workbook_exports_active_program", "program_id", unique=True,
                            postgresql_where=_ACTIVE, sqlite_where=_ACTIVE))

    # Deferred: listing or polling the jobs never loads megabytes of file.
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    size: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime | None]
