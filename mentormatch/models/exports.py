"""A program's workbook prepared in the background (issue 17 part 2): a 5,000-person program's
.xlsx takes tens of seconds to write, too long for a request. The file is kept on the row (the
database is the one store every web and RQ worker shares) until it expires."""
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from ..extensions import db
from .base import utcnow

WORKBOOK_STATUSES = ("queued", "running", "done", "failed")
_ACTIVE = text("status IN ('queued', 'running')")


class WorkbookExport(db.Model):
    """One "Prepare workbook": queued -> running -> done | failed; the file until expires_at."""

    __tablename__ = "workbook_exports"
    # One queued or running workbook per program, however many "Prepare" clicks race (services/workbook_jobs.start).
    __table_args__ = (CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),
                      Index("uq_workbook_exports_active_program", "program_id", unique=True,
                            postgresql_where=_ACTIVE, sqlite_where=_ACTIVE))

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(12), default="queued")
    phase: Mapped[str] = mapped_column(String(24), default="queued")
    progress: Mapped[dict] = mapped_column(JSON, default=dict)     # sheets done, of, the sheet being written
    # Deferred: listing or polling the jobs never loads megabytes of file.
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    size: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    job_id: Mapped[str] = mapped_column(String(64), default="")
    heartbeat_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]

    @property
    def active(self) -> bool:
        return self.status in ("queued", "running")
