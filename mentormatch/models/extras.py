"""Tables for the issue-8 features: email answer links, mentor reports, check-ins, goal steps,
mentee priorities across rounds and "continue with this pair" wishes."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

CHECKIN_DAYS = (30, 60)


class UsedEmailToken(db.Model):
    """A spent email answer link: its jti is the primary key, so two clicks racing cannot both
    insert it and the second one changes nothing."""

    __tablename__ = "used_email_tokens"

    jti: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    used_at: Mapped[datetime] = mapped_column(default=utcnow)


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
