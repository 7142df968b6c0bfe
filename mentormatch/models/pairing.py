"""A mentee-mentor pair published from a round, carried through its life (DESIGN.md section 5)."""
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

PAIRING_STATES = ("proposed", "info_requested", "accepted", "active", "completed", "declined", "expired")
# A mentor's seat is taken by a pairing in any of these states.
SEAT_STATES = ("proposed", "info_requested", "accepted", "active")
DECLINE_REASONS = ("no_capacity", "not_a_fit", "other")


class Pairing(db.Model):
    __tablename__ = "pairings"
    __table_args__ = (
        CheckConstraint(
            "state IN ('proposed', 'info_requested', 'accepted', 'active', 'completed', 'declined', 'expired')",
            name="state",
        ),
        Index("ix_pairings_mentor_state", "mentor_membership_id", "state"),
        Index("ix_pairings_mentee_state", "mentee_membership_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="SET NULL"), index=True)
    mentee_membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    mentor_membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(16), default="proposed")
    score: Mapped[int] = mapped_column(default=0)
    why: Mapped[dict] = mapped_column(JSON, default=dict)
    sentence: Mapped[str] = mapped_column(Text, default="")
    decline_reason: Mapped[str | None] = mapped_column(String(16))
    decline_note: Mapped[str] = mapped_column(Text, default="")
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]
    reminders_sent: Mapped[int] = mapped_column(default=0)
    last_reminded_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    # When the mentee was asked (by email) what they did with the advice; asked once.
    followup_asked_at: Mapped[datetime | None]
    # "Ask for more info": the mentor's one question and the mentee's answer (proposed <-> info_requested).
    info_question: Mapped[str] = mapped_column(Text, default="")
    info_answer: Mapped[str] = mapped_column(Text, default="")
    info_asked_at: Mapped[datetime | None]
    info_answered_at: Mapped[datetime | None]

    mentee: Mapped["Membership"] = relationship(foreign_keys=[mentee_membership_id])  # noqa: F821
    mentor: Mapped["Membership"] = relationship(foreign_keys=[mentor_membership_id])  # noqa: F821
