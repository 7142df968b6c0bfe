"""Ask the program (issue 15, item 5): a mentee's one question to their circle or to the whole
program, tagged with topics; answers from the people who can help; the daily digest's claim rows
and the per-membership opt-in. (Not to be confused with models/questions.py: a program's own form
questions.)"""
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

ASK_STATES = ("open", "closed")
ASK_MIN, ASK_MAX = 15, 1000          # characters of a question
ANSWER_MAX = 2000                    # characters of an answer
ASK_OPEN_DAYS = 14                   # a question closes by itself this many days after it was asked


class Ask(db.Model):
    __tablename__ = "asks"
    __table_args__ = (
        CheckConstraint("state IN ('open', 'closed')", name="state"),
        CheckConstraint(f"length(body) >= {ASK_MIN} AND length(body) <= {ASK_MAX}", name="body_length"),
        Index("ix_asks_program_state_created", "program_id", "state", "created_at"),
        Index("ix_asks_author_created", "author_membership_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    # None: asked to the whole program; else to one circle, seen only by its members and coordinators.
    circle_id: Mapped[int | None] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    author_membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    topics: Mapped[list] = mapped_column(JSON, default=list)  # Term ids (kind 'topic') of the program
    state: Mapped[str] = mapped_column(String(8), default="open")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closes_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str] = mapped_column(Text, default="")
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    author: Mapped["Membership"] = relationship()  # noqa: F821
    answers: Mapped[list["AskAnswer"]] = relationship(
        back_populates="ask", cascade="all, delete-orphan", order_by="AskAnswer.id")


class AskAnswer(db.Model):
    __tablename__ = "ask_answers"
    __table_args__ = (
        CheckConstraint(f"length(body) >= 1 AND length(body) <= {ANSWER_MAX}", name="body_length"),
        Index("ix_ask_answers_author_created", "author_membership_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ask_id: Mapped[int] = mapped_column(ForeignKey("asks.id", ondelete="CASCADE"), index=True)
    author_membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    helpful: Mapped[bool] = mapped_column(default=False)
    thanked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str] = mapped_column(Text, default="")
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    ask: Mapped[Ask] = relationship(back_populates="answers")
    author: Mapped["Membership"] = relationship()  # noqa: F821


class AskHelper(db.Model):
    """"Send me questions I can help with", per membership. No row: the default of the side
    (on for mentors, off for mentees; services/asks.opted_in)."""

    __tablename__ = "ask_helpers"

    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"), primary_key=True)
    opted_in: Mapped[bool]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AskDigest(db.Model):
    """One row per person and day a digest went out: claimed in the digest's transaction, so two
    passes at once (cron and the scheduler thread) cannot both mail someone on the same day."""

    __tablename__ = "ask_digests"
    __table_args__ = (UniqueConstraint("user_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    day: Mapped[date]
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    asks: Mapped[int] = mapped_column(default=0)
