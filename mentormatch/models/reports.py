"""A mentee's report on a mentor who does not respond (the coordinator's health page)."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow


class MentorReport(db.Model):
    """A mentee flagging a mentor who does not respond; shown on the coordinator's health page."""

    __tablename__ = "mentor_reports"
    __table_args__ = (Index("ix_mentor_reports_program_open", "program_id", "resolved_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    mentee_membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    mentor_membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    pairing_id: Mapped[int | None] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("micro_requests.id", ondelete="CASCADE"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    mentee: Mapped["Membership"] = relationship(foreign_keys=[mentee_membership_id])  # noqa: F821
    mentor: Mapped["Membership"] = relationship(foreign_keys=[mentor_membership_id])  # noqa: F821
