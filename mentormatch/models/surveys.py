"""The closing survey each side of a pairing answers once when it ends (services/lifecycle.py)."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow

SURVEY_ROLES = ("mentee", "mentor")


class ClosingSurvey(db.Model):
    """One answer per person per pairing: would you recommend them (0-10), what changed for you."""

    __tablename__ = "closing_surveys"
    __table_args__ = (
        UniqueConstraint("pairing_id", "membership_id"),
        CheckConstraint("recommend IS NULL OR (recommend >= 0 AND recommend <= 10)", name="recommend_0_10"),
        CheckConstraint("role IN ('mentee', 'mentor')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"), index=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(8))
    recommend: Mapped[int | None]
    changed: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


__all__ = ["ClosingSurvey", "SURVEY_ROLES"]
