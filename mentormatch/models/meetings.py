"""Meetings of an accepted pair or of a circle: up to three proposed slots, the one booked, and "did you meet?"."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow
from .threads import ONE_ITEM

MEETING_STATES = ("proposed", "booked", "cancelled", "done")
DURATIONS = (15, 30, 60)
MET_ANSWERS = ("yes", "no", "moved")
MAX_SLOTS = 3
# At most one meeting waiting for a pick per pair: two racing proposals cannot both open one.
_PROPOSED = text("state = 'proposed'")


class Meeting(db.Model):
    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint(ONE_ITEM, name="one_item"),
        CheckConstraint("state IN ('proposed', 'booked', 'cancelled', 'done')", name="state"),
        CheckConstraint("duration IN (15, 30, 60)", name="duration"),
        CheckConstraint("state NOT IN ('booked', 'done') OR starts_at IS NOT NULL", name="booked_has_start"),
        CheckConstraint("sequence >= 0", name="sequence"),
        CheckConstraint("mentee_met IS NULL OR mentee_met IN ('yes', 'no', 'moved')", name="mentee_met"),
        CheckConstraint("mentor_met IS NULL OR mentor_met IN ('yes', 'no', 'moved')", name="mentor_met"),
        Index("uq_meetings_proposed_pairing", "pairing_id", unique=True,
              postgresql_where=_PROPOSED, sqlite_where=_PROPOSED),
        Index("uq_meetings_proposed_request", "request_id", unique=True,
              postgresql_where=_PROPOSED, sqlite_where=_PROPOSED),
        Index("uq_meetings_proposed_circle", "circle_id", unique=True,
              postgresql_where=_PROPOSED, sqlite_where=_PROPOSED),
        Index("ix_meetings_program_state", "program_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    pairing_id: Mapped[int | None] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("micro_requests.id", ondelete="CASCADE"), index=True)
    circle_id: Mapped[int | None] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    # The calendar identity: one UID for the life of the meeting, SEQUENCE up on every change.
    uid: Mapped[str] = mapped_column(String(200), unique=True)
    sequence: Mapped[int] = mapped_column(default=0)
    state: Mapped[str] = mapped_column(String(10), default="proposed")
    # Who first proposed (the invitation's organizer) and who proposed the slots now on offer.
    organizer_membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    proposer_membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    duration: Mapped[int] = mapped_column(default=30)
    starts_at: Mapped[datetime | None]  # the booked slot, naive UTC
    video_link: Mapped[str] = mapped_column(String(500), default="")
    mentee_met: Mapped[str | None] = mapped_column(String(5))
    mentee_met_note: Mapped[str] = mapped_column(String(200), default="")
    mentor_met: Mapped[str | None] = mapped_column(String(5))
    mentor_met_note: Mapped[str] = mapped_column(String(200), default="")
    met_asked_at: Mapped[datetime | None]  # the one "did you meet?" email, sent to both
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    booked_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]

    slots: Mapped[list["MeetingSlot"]] = relationship(
        back_populates="meeting", order_by="MeetingSlot.starts_at", cascade="all, delete-orphan")
    organizer = relationship("Membership", foreign_keys=[organizer_membership_id])
    proposer = relationship("Membership", foreign_keys=[proposer_membership_id])


class MeetingSlot(db.Model):
    __tablename__ = "meeting_slots"
    __table_args__ = (UniqueConstraint("meeting_id", "starts_at", name="uq_meeting_slots_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]  # naive UTC

    meeting: Mapped[Meeting] = relationship(back_populates="slots")


class MeetingAnswer(db.Model):
    """One circle member's "did you meet?" about a circle meeting (a pair's two answers live on the
    meeting itself: mentee_met, mentor_met). Once per member: the unique constraint holds it."""

    __tablename__ = "meeting_answers"
    __table_args__ = (
        UniqueConstraint("meeting_id", "membership_id", name="uq_meeting_answers_member"),
        CheckConstraint("met IN ('yes', 'no', 'moved')", name="met"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    met: Mapped[str] = mapped_column(String(5))
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


__all__ = ["Meeting", "MeetingSlot", "MeetingAnswer", "MEETING_STATES", "DURATIONS", "MET_ANSWERS", "MAX_SLOTS"]
