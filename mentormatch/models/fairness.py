"""Fairness across rounds: a mentee's priority in the next rounds, and "continue with this pair" wishes."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow


class MenteePriority(db.Model):
    """A coordinator's fairness setting for one mentee in the next rounds: a score bonus (negative
    for lower priority) and/or "must be matched if any candidate has a seat"."""

    __tablename__ = "mentee_priorities"
    __table_args__ = (
        CheckConstraint("bonus >= -50 AND bonus <= 50", name="bonus"),
    )

    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"), primary_key=True)
    bonus: Mapped[int] = mapped_column(default=0)
    must_match: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ContinueWish(db.Model):
    """One side of a round pairing saying whether to keep the pair in the next round."""

    __tablename__ = "continue_wishes"
    __table_args__ = (UniqueConstraint("pairing_id", "membership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"), index=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    wants: Mapped[bool] = mapped_column(default=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
