"""CSV imports: the background job that applies a large file, and the invitations it sends to
people who already have an account (they join only by accepting, never by a coordinator's file)."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow
from .jobs import JOB_STATUSES, JobColumns
from .program import Program, new_token

IMPORT_STATUSES = JOB_STATUSES


class ImportJob(JobColumns, db.Model):
    """One confirmed import applied by the job runner: queued -> running -> done | failed.
    Its progress: elapsed_s."""

    __tablename__ = "import_jobs"

    # The rows as the confirmed preview checked them, until the job ends; emptied then, so that
    # the people in the file are not kept twice.
    rows: Mapped[list] = mapped_column(JSON, default=list)
    row_count: Mapped[int] = mapped_column(default=0)
    result: Mapped[dict] = mapped_column(JSON, default=dict)       # the counts when done
    row_errors: Mapped[list] = mapped_column(JSON, default=list)   # [line, message] when the file went bad
    # The error as parts [[code, {values}]] (import_jobs.error_text renders them in the reader's
    # language); None: the English `error` is all there is (read back when it matches).
    error_parts: Mapped[list | None] = mapped_column(JSON)

    program: Mapped[Program] = relationship()


class ProgramInvitation(db.Model):
    """An existing account asked to join a program by an import; accepting creates the membership
    and the profile from the file (kept here), declining deletes the row. One per person and program."""

    __tablename__ = "program_invitations"
    __table_args__ = (UniqueConstraint("program_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    profile: Mapped[dict] = mapped_column(JSON, default=dict)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    program: Mapped[Program] = relationship()
