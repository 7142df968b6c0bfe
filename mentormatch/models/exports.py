"""A program's workbook prepared in the background (issue 17 part 2): a 5,000-person program's
.xlsx takes tens of seconds to write, too long for a request. The file is kept on the row (the
database is the one store every web and RQ worker shares) until it expires."""
from datetime import datetime

from sqlalchemy import LargeBinary
from sqlalchemy.orm import Mapped, deferred, mapped_column

from ..extensions import db
from .jobs import JOB_STATUSES, JobColumns

WORKBOOK_STATUSES = JOB_STATUSES


class WorkbookExport(JobColumns, db.Model):
    """One "Prepare workbook": queued -> running -> done | failed; the file until expires_at.
    Its progress: sheets done, of, the sheet being written."""

    __tablename__ = "workbook_exports"

    # Deferred: listing or polling the jobs never loads megabytes of file.
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    size: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime | None]
