"""Check-ins 30 and 60 days into an active pairing, one row per side."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

CHECKIN_DAYS = (30, 60)


class CheckIn(db.Model):
    """One side's answer to the 30- or 60-day check-in of an active pairing (one row per side)."""

    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("pairing_id", "membership_id", "day"),
        CheckConstraint("day IN (30, 60)", name="day"),
        CheckConstraint("score IS NULL OR (score >= 1 AND score <= 5)", name="score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"), index=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"), index=True)
    day: Mapped[int]
    score: Mapped[int | None]
    comment: Mapped[str] = mapped_column(Text, default="")
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]

    pairing: Mapped["Pairing"] = relationship()  # noqa: F821
    membership: Mapped["Membership"] = relationship()  # noqa: F821
