"""The columns every background job row shares (an import, a prepared workbook): its program and
who asked, where it is (status, phase, progress), how it ended (error), the runner's id and the
heartbeat a poll reads to notice a worker that died. core.jobs.Lifecycle drives them."""
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import utcnow

JOB_STATUSES = ("queued", "running", "done", "failed")


class JobColumns:
    """Mixin of a job row: queued -> running -> done | failed."""

    __table_args__ = (CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(12), default="queued")
    phase: Mapped[str] = mapped_column(String(24), default="queued")
    progress: Mapped[dict] = mapped_column(JSON, default=dict)
    error: Mapped[str] = mapped_column(Text, default="")
    job_id: Mapped[str] = mapped_column(String(64), default="")
    heartbeat_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    @property
    def active(self) -> bool:
        return self.status in ("queued", "running")
