"""The people side: each program's vocabulary, mentee goal forms and mentor profiles."""
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, and_, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..extensions import db
from .base import clean_name, utcnow

PREFERENCES = ("peer", "ahead", "senior")
WANTS = ("cohort", "micro", "both")
CONTEXT_KINDS = ("industry", "groups", "background", "location")
ROLE_LEVELS = ("student", "junior", "mid", "senior", "lead", "manager", "executive")


class Term(db.Model):
    """One entry of a program's topic list or affinity-group list."""

    __tablename__ = "terms"
    __table_args__ = (
        UniqueConstraint("program_id", "kind", "name"),
        CheckConstraint("kind IN ('topic', 'group')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(80))

    @validates("name")
    def _clean_name(self, key: str, value: str) -> str:
        return clean_name(value)


class _Context:
    """Career stage and context, common to mentees and mentors."""

    years: Mapped[int] = mapped_column(default=0)
    role_level: Mapped[str] = mapped_column(String(16), default="junior")
    industry: Mapped[str] = mapped_column(String(80), default="")
    groups: Mapped[list] = mapped_column(JSON, default=list)        # Term ids (kind 'group')
    background: Mapped[str] = mapped_column(String(200), default="")
    location: Mapped[str] = mapped_column(String(80), default="")
    languages: Mapped[list] = mapped_column(JSON, default=list)     # ISO 639-1 codes
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")  # IANA name
    topics: Mapped[list] = mapped_column(JSON, default=list)        # Term ids, most important first
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class GoalForm(_Context, db.Model):
    __tablename__ = "goal_forms"
    __table_args__ = (
        CheckConstraint("preference IN ('peer', 'ahead', 'senior')", name="preference"),
        CheckConstraint("wants IN ('cohort', 'micro', 'both')", name="wants"),
        CheckConstraint("years >= 0 AND years <= 60", name="years"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"), unique=True)
    near_term_goal: Mapped[str] = mapped_column(Text, default="")
    long_term_goal: Mapped[str] = mapped_column(Text, default="")
    context_matters: Mapped[list] = mapped_column(JSON, default=list)  # subset of CONTEXT_KINDS
    preference: Mapped[str] = mapped_column(String(8), default="ahead")
    power_question: Mapped[str] = mapped_column(Text, default="")
    wants: Mapped[str] = mapped_column(String(8), default="both")
    # "What I can help with": Term ids, strongest first; peers are matched on give-and-take.
    strengths: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    submitted_at: Mapped[datetime | None]

    membership: Mapped["Membership"] = relationship()  # noqa: F821


class MentorProfile(_Context, db.Model):
    __tablename__ = "mentor_profiles"
    __table_args__ = (
        CheckConstraint("capacity_round >= 0 AND capacity_round <= 20", name="capacity_round"),
        CheckConstraint("capacity_micro >= 0 AND capacity_micro <= 20", name="capacity_micro"),
        CheckConstraint("years >= 0 AND years <= 60", name="years"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"), unique=True)
    capacity_round: Mapped[int] = mapped_column(default=2)   # mentees per round
    capacity_micro: Mapped[int] = mapped_column(default=4)   # micro-requests per month
    available: Mapped[bool] = mapped_column(default=True)
    away_until: Mapped[date | None]
    prefers_stages: Mapped[list] = mapped_column(JSON, default=list)  # subset of PREFERENCES
    prefers_topics: Mapped[list] = mapped_column(JSON, default=list)  # Term ids
    bio: Mapped[str] = mapped_column(Text, default="")

    membership: Mapped["Membership"] = relationship()  # noqa: F821

    def is_available(self, today: date) -> bool:
        """Off while switched off or away; back on by itself the day after away_until."""
        return self.available and (self.away_until is None or self.away_until < today)

    @classmethod
    def available_on(cls, today: date):
        """is_available as a SQL condition, for queries over many mentors."""
        return and_(cls.available.is_(True), or_(cls.away_until.is_(None), cls.away_until < today))


class Note(db.Model):
    """A mentor's private notes on one mentee: one editable note per (author, mentee)."""

    __tablename__ = "notes"
    __table_args__ = (UniqueConstraint("author_membership_id", "mentee_membership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    author_membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"), index=True)
    mentee_membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


FOLLOWUP_KINDS = ("followup", "thanks")


class FollowUp(db.Model):
    """What a mentee did with a mentor's advice, or a thank-you; tied to a pairing or a
    micro-request (request_id has no FK yet: the requests table is built separately)."""

    __tablename__ = "followups"
    __table_args__ = (
        CheckConstraint("kind IN ('followup', 'thanks')", name="kind"),
        Index("ix_followups_mentor", "mentor_membership_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mentee_membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"), index=True)
    mentor_membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    pairing_id: Mapped[int | None] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int | None] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(8))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
