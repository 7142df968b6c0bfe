"""The steps of a mentee's near-term goal."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow


class GoalStep(db.Model):
    """A step of a mentee's near-term goal, ticked off as they go."""

    __tablename__ = "goal_steps"
    __table_args__ = (Index("ix_goal_steps_membership_position", "membership_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    done_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
